//! Unit tests of the plain data: days, location text read back, POA&M ids.

use super::*;

#[test]
fn days_and_locations() {
    let d = Day::parse("2025-01-15").unwrap();
    assert_eq!(d.to_string(), "2025-01-15");
    assert_eq!(d.plus_days(30).to_string(), "2025-02-14");
    assert_eq!(Day::parse("2025-01-15T23:59:59Z"), Some(d));
    assert_eq!(d.plus_days(17).days_since(d), 17);
    assert_eq!(d.to_oscal(), "2025-01-15T00:00:00Z");
    let l = parse_location("k8s/a:b.yaml:3-7").unwrap();
    assert_eq!((l.path.as_str(), l.start_line, l.end_line), ("k8s/a:b.yaml", 3, 7));
    assert_eq!(location_text(&l), "k8s/a:b.yaml:3-7");
    assert_eq!(parse_location("x.yaml:4").map(|l| l.end_line), Some(4));
    assert_eq!(poam_number(&poam_id(12)), Some(12));
}
