//! Port ranges: `port_in_range(port, from, to)`, `port_in_range(port, range)`
//! and `parse_port_range(s)`.
//!
//! Ports are integers or numeric strings from 0 to 65535. A bound of `-1`,
//! `"-1"`, `"*"`, `"all"` or `"any"` means every port (AWS writes `-1` for
//! "all"; Azure writes `*`). Anything else unreadable, including `()`, makes
//! the answer `false` (or `()`).
//!
//! AWS security group rules with protocol `-1` (all traffic) carry ports
//! `0`–`0` in Terraform; check the protocol before the ports.

use super::common::{field, func, text};
use rhai::{Dynamic, Engine, Map, INT};

/// A port number, or `None` if `v` is not one.
fn port(v: &Dynamic) -> Option<u16> {
    if let Ok(i) = v.as_int() {
        return u16::try_from(i).ok();
    }
    let s = text(v)?;
    let s = s.trim();
    (!s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// Whether `v` is one of the spellings of "every port".
fn is_all(v: &Dynamic) -> bool {
    if let Ok(i) = v.as_int() {
        return i == -1;
    }
    text(v).is_some_and(|s| matches!(s.trim().to_ascii_lowercase().as_str(), "-1" | "*" | "all" | "any"))
}

/// The inclusive range between two bounds; either bound "all" is every port.
fn bounds(from: &Dynamic, to: &Dynamic) -> Option<(u16, u16)> {
    if is_all(from) || is_all(to) {
        return Some((0, u16::MAX));
    }
    let (from, to) = (port(from)?, port(to)?);
    (from <= to).then_some((from, to))
}

/// A range written as one value: `"20-25"`, `"20:25"`, `"22"`, `22`, an
/// "all" spelling, or a map `#{from, to}`.
pub fn parse_range(v: &Dynamic) -> Option<(u16, u16)> {
    if let (Some(from), Some(to)) = (field(v, "from"), field(v, "to")) {
        return bounds(&from, &to);
    }
    if is_all(v) {
        return Some((0, u16::MAX));
    }
    if let Some(p) = port(v) {
        return Some((p, p));
    }
    let s = text(v)?;
    let (from, to) = s.trim().split_once(['-', ':'])?;
    bounds(&Dynamic::from(from.to_string()), &Dynamic::from(to.to_string()))
}

fn range_map((from, to): (u16, u16)) -> Dynamic {
    let mut map = Map::new();
    map.insert("from".into(), Dynamic::from_int(INT::from(from)));
    map.insert("to".into(), Dynamic::from_int(INT::from(to)));
    Dynamic::from_map(map)
}

fn in_range(p: &Dynamic, range: Option<(u16, u16)>) -> bool {
    match (port(p), range) {
        (Some(p), Some((from, to))) => from <= p && p <= to,
        _ => false,
    }
}

pub fn register(engine: &mut Engine) {
    func(
        "port_in_range",
        &["port: int", "from: int", "to: int", "bool"],
        "Whether `port` is within `from`..=`to`. Bounds may be numeric strings; a bound of\n\
         `-1`, `\"*\"`, `\"all\"` or `\"any\"` means every port. `false` if anything is unreadable.\n\
         ```rhai\n\
         port_in_range(22, 0, 1024) && port_in_range(\"3389\", -1, -1) && !port_in_range(22, 80, 443) && !port_in_range(22, (), ())\n\
         ```",
    )
    .register_into_engine(engine, |p: Dynamic, from: Dynamic, to: Dynamic| in_range(&p, bounds(&from, &to)));
    func(
        "port_in_range",
        &["port: int", "range: ?", "bool"],
        "Whether `port` is within `range`, anything `parse_port_range` reads (`\"20-25\"`, `\"*\"`, `#{from, to}`, …).\n\
         ```rhai\n\
         port_in_range(22, \"20-25\") && port_in_range(22, \"*\") && port_in_range(22, #{from: 22, to: 22}) && !port_in_range(26, \"20-25\")\n\
         ```",
    )
    .register_into_engine(engine, |p: Dynamic, range: Dynamic| in_range(&p, parse_range(&range)));
    func(
        "parse_port_range",
        &["s: &str", "Map"],
        "A port range as `#{from, to}` from `\"20-25\"`, `\"20:25\"`, `\"22\"`, `22`, or an \"all\" spelling\n\
         (`-1`, `\"*\"`, `\"all\"`, `\"any\"` → `#{from: 0, to: 65535}`). `()` if unreadable or `from > to`.\n\
         ```rhai\n\
         parse_port_range(\"20-25\") == #{from: 20, to: 25} && parse_port_range(-1) == #{from: 0, to: 65535}\n\
             && parse_port_range(\"25-20\") == () && parse_port_range(\"ssh\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| parse_range(&v).map_or(Dynamic::UNIT, range_map));
}
