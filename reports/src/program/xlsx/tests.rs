use super::*;
use crate::program::fixture::{large, sample, with_trend};
use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use std::io::{Cursor, Read};

fn workbook(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("the workbook reads back")
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    workbook(bytes).worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Row `row` as text (numbers as Excel shows them in General format).
fn row(range: &Range<Data>, row: u32) -> Vec<String> {
    (0..range.width() as u32)
        .map(|col| match range.get_value((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(n)) => n.to_string(),
            Some(Data::Int(n)) => n.to_string(),
            // Excel's day serial counts from 1899-12-30.
            Some(Data::DateTime(d)) => {
                jiff::civil::date(1899, 12, 30).checked_add(jiff::Span::new().days(d.as_f64() as i64)).unwrap().to_string()
            }
            Some(Data::Empty) | None => String::new(),
            Some(other) => format!("{other:?}"),
        })
        .collect()
}

/// The row whose first cell (or `key_col`) is `key`.
fn row_of(range: &Range<Data>, key_col: usize, key: &str) -> Vec<String> {
    (1..range.height() as u32).map(|r| row(range, r)).find(|r| r[key_col] == key).unwrap_or_else(|| panic!("no row {key}"))
}

fn cell<'a>(headers: &[String], row: &'a [String], header: &str) -> &'a str {
    let i = headers.iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header}: {headers:?}"));
    &row[i]
}

#[test]
fn every_sheet_is_there_with_its_headers() {
    let bytes = render(&sample()).unwrap();
    assert_eq!(workbook(&bytes).sheet_names(), ["Summary", "Systems", "Heat map", "Worst controls", "POA&M"]);
    let trend = render(&with_trend()).unwrap();
    assert_eq!(workbook(&trend).sheet_names()[5..], ["Trend", "Trend by system"]);
    let systems = sheet(&bytes, "Systems");
    let headers = row(&systems, 0);
    for h in ["Id", "Name", "Categorization", "Owner", "ISSO", "Pass rate (%)", "Critical", "SPRS score", "Satisfied (%)", "POA&M items"] {
        assert!(headers.iter().any(|x| x == h), "{h}: {headers:?}");
    }
    assert_eq!(systems.height(), 1 + 3);
    let web = row_of(&systems, 0, "WEB");
    assert_eq!(
        (cell(&headers, &web, "Name"), cell(&headers, &web, "ISSO"), cell(&headers, &web, "SPRS score")),
        ("Web <front>", "A. Officer", "97")
    );
    assert_eq!((cell(&headers, &web, "Pass rate (%)"), cell(&headers, &web, "High"), cell(&headers, &web, "Gate")), ("55.6", "2", "fail"));
    let broken = row_of(&systems, 0, "broken");
    assert_eq!(cell(&headers, &broken, "Status"), "broken");
    assert_eq!(cell(&headers, &broken, "Error"), "broken/tollgate.toml: unknown field `nme`");
    let summary = sheet(&bytes, "Summary");
    let value = |label: &str| (0..summary.height() as u32).map(|r| row(&summary, r)).find(|r| r[0] == label).unwrap()[1].clone();
    assert_eq!((value("Program").as_str(), value("Systems broken").as_str()), ("Payments <P>", "1"));
    assert_eq!(value("Scan time (UTC)"), "2026-02-01T00:00:00Z");
    assert_eq!(value("SPRS: systems scored"), "1");
}

#[test]
fn the_heat_map_worst_controls_and_every_poam_item() {
    let bytes = render(&sample()).unwrap();
    let heat = sheet(&bytes, "Heat map");
    assert_eq!(row(&heat, 0)[..6], ["System", "Id", "Status", "AC", "CM", "SC"]);
    assert_eq!(row_of(&heat, 1, "WEB")[2..6], ["ok", "3", "1", ""], "failing findings per family; no SC findings");
    assert_eq!(row_of(&heat, 1, "hosts")[3..6], ["", "", "1"]);
    assert_eq!(row_of(&heat, 1, "broken")[2..6], ["broken", "", "", ""]);
    let worst = sheet(&bytes, "Worst controls");
    assert_eq!(row(&worst, 1)[..5], ["AC-6(10)", "AC", "Access Control", "2", "WEB, hosts"]);

    let big = large(4, 623);
    let poam = sheet(&render(&big).unwrap(), "POA&M");
    assert_eq!(poam.height(), 1 + 623, "every item, not the HTML page's 500");
    let headers = row(&poam, 0);
    let first = row(&poam, 1);
    assert_eq!(cell(&headers, &first, "Rule"), big.poam[0].rule_id);
    assert_eq!(cell(&headers, &first, "Due"), "2026-03-03", "a real date");
    assert!(matches!(poam.get_value((1, 11)), Some(Data::DateTime(_))));
    assert_eq!(cell(&headers, &first, "Risk score"), big.poam[0].risk.score.to_string());
}

#[test]
fn the_trend_sheets_hold_the_changes() {
    let bytes = render(&with_trend()).unwrap();
    let trend = sheet(&bytes, "Trend");
    assert_eq!(row(&trend, 1), ["Failing findings", "7", "5", "-2"]);
    let rows: Vec<Vec<String>> = (0..trend.height() as u32).map(|r| row(&trend, r)).collect();
    assert!(rows.iter().any(|r| r[..2] == ["Systems added".to_string(), "hosts".to_string()]), "{rows:?}");
    assert!(rows.iter().any(|r| r[..2] == ["Systems removed".to_string(), "STO".to_string()]));
    let by_system = sheet(&bytes, "Trend by system");
    let headers = row(&by_system, 0);
    let web = row_of(&by_system, 0, "WEB");
    assert_eq!((cell(&headers, &web, "Failing, previous"), cell(&headers, &web, "Failing, now")), ("6", "4"));
    assert_eq!(cell(&headers, &web, "SPRS, change"), "17");
    assert_eq!(cell(&headers, &row_of(&by_system, 0, "broken"), "Previous status"), "ok");
}

/// `docProps/core.xml` of a workbook.
fn core_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name("docProps/core.xml").unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    let report = with_trend();
    let bytes = render(&report).unwrap();
    assert!(bytes == render(&report).unwrap());
    // The creation time is the scan time, not the clock.
    let core = core_xml(&bytes);
    assert!(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-02-01T00:00:00Z</dcterms:created>"), "{core}");
    assert!(core.contains("<dc:title>Program report: Payments &lt;P&gt;</dc:title>"), "{core}");
}

#[test]
fn text_beyond_excel_limits_is_cut_not_an_error() {
    let mut report = sample();
    report.poam[0].remediation = "x".repeat(40_000);
    let poam = sheet(&render(&report).unwrap(), "POA&M");
    let headers = row(&poam, 0);
    let text = cell(&headers, &row(&poam, 1), "Remediation").to_string();
    assert_eq!(text.chars().count(), MAX_CELL_CHARS);
    assert!(text.ends_with('…'));
}
