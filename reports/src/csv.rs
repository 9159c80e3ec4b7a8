//! CSV: one row per finding (every status), for spreadsheets and ad-hoc
//! analysis. RFC 4180: a header row, comma-separated, CRLF between records,
//! fields quoted only when they must be (and then with `""` for `"`).
//!
//! The columns are the JSON finding's fields, flattened: one column per
//! framework (named by its id) holding its control ids joined with `;`, and
//! the resource and location split into their parts. Empty cells stand for
//! JSON `null`.
//!
//! Cells that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) get a leading `'`, so a crafted
//! resource name in a scanned file cannot execute in the reader's
//! spreadsheet.

use crate::RenderOptions;
use tollgate_engine::{Finding, ScanReport};

/// The framework columns every CSV report has, in the order
/// `RuleMeta::controls_by_framework` lists them. A framework the engine maps
/// that is not here gets a column after these, in the same order.
pub const FRAMEWORK_COLUMNS: [&str; 3] = ["nist-800-53-r5", "nist-800-171-r2", "cmmc-l2"];

const BEFORE: [&str; 4] = ["rule_id", "title", "status", "severity"];
const AFTER: [&str; 10] = [
    "resource_kind",
    "resource_id",
    "path",
    "start_line",
    "end_line",
    "property_path",
    "message",
    "remediation",
    "suppression",
    "baselined",
];

/// `s`, with a `'` in front when a spreadsheet would read it as a formula.
pub fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The framework columns of `report`: [`FRAMEWORK_COLUMNS`], then any other
/// framework a rule maps to, in first-seen order.
fn frameworks(report: &ScanReport) -> Vec<&'static str> {
    let mut out = FRAMEWORK_COLUMNS.to_vec();
    for rule in &report.rules {
        for (fw, _) in rule.controls_by_framework() {
            if !out.contains(&fw) {
                out.push(fw);
            }
        }
    }
    out
}

/// The header row of `report`.
pub fn header(report: &ScanReport) -> Vec<&'static str> {
    BEFORE.into_iter().chain(frameworks(report)).chain(AFTER).collect()
}

fn row(f: &Finding, frameworks: &[&str]) -> Vec<String> {
    let controls = f.rule.controls_by_framework();
    let (kind, id) = f.resource.as_ref().map_or((String::new(), String::new()), |r| (r.kind.clone(), r.id.clone()));
    let (path, start, end) = f
        .location
        .as_ref()
        .map_or((String::new(), String::new(), String::new()), |l| (l.path.clone(), l.start_line.to_string(), l.end_line.to_string()));
    let mut out = vec![defuse(&f.rule.id), defuse(&f.rule.title), f.status.as_str().to_string(), f.severity.as_str().to_string()];
    for fw in frameworks {
        out.push(defuse(&controls.iter().find(|(id, _)| id == fw).map(|(_, ids)| ids.join(";")).unwrap_or_default()));
    }
    out.extend([
        defuse(&kind),
        defuse(&id),
        defuse(&path),
        start,
        end,
        defuse(f.property_path.as_deref().unwrap_or("")),
        defuse(&f.message),
        defuse(&f.rule.remediation),
        defuse(&crate::suppression_note(f).unwrap_or_default()),
        if f.baselined { "true".into() } else { String::new() },
    ]);
    out
}

/// Renders the findings as CSV.
pub fn render(report: &ScanReport, _options: &RenderOptions) -> Vec<u8> {
    let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let frameworks = frameworks(report);
    let _ = w.write_record(header(report));
    for f in &report.findings {
        let _ = w.write_record(row(f, &frameworks));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{finding, meta, report};
    use tollgate_engine::{Severity, Status};

    #[test]
    fn formula_cells_are_defused() {
        for (raw, out) in
            [("=1+1", "'=1+1"), ("+x", "'+x"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("ok", "ok"), ("", "")]
        {
            assert_eq!(defuse(raw), out);
        }
    }

    #[test]
    fn rfc_4180_round_trip_one_row_per_finding() {
        let r = meta("X-K8S-001", Severity::High, &["AC-6", "AC-6(9)"], &["3.1.5", "3.1.7"]);
        let message = "a, \"quoted\"\nsecond line";
        let findings = vec![
            finding(&r, Status::Fail, "dir/a b.yaml", 7, "ns/web", Some("spec.x"), message),
            finding(&r, Status::Pass, "dir/a b.yaml", 1, "ns/api", None, ""),
        ];
        let bytes = render(&report(vec![r.clone()], findings, vec![]), &RenderOptions::default());
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("rule_id,title,status,severity,nist-800-53-r5,nist-800-171-r2,cmmc-l2,resource_kind,"), "{text}");
        assert!(text.contains("\"a, \"\"quoted\"\"\nsecond line\""), "quoted, quotes doubled, newline kept:\n{text}");
        assert_eq!(text.matches("\r\n").count(), 3, "CRLF after every record");

        let mut reader = ::csv::Reader::from_reader(bytes.as_slice());
        let head: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let get = |row: &::csv::StringRecord, col: &str| row[head.iter().position(|h| h == col).unwrap()].to_string();
        assert_eq!(get(&rows[0], "message"), message);
        assert_eq!(get(&rows[0], "nist-800-53-r5"), "AC-6;AC-6(9)");
        assert_eq!(get(&rows[0], "nist-800-171-r2"), "3.1.5;3.1.7");
        assert_eq!(get(&rows[0], "path"), "dir/a b.yaml");
        assert_eq!((get(&rows[0], "start_line"), get(&rows[0], "end_line")), ("7".into(), "8".into()));
        assert_eq!(get(&rows[1], "property_path"), "");
        assert_eq!(get(&rows[1], "status"), "pass");
    }

    /// Fails when the engine maps a new framework: add it to
    /// [`FRAMEWORK_COLUMNS`] so every CSV keeps the same columns.
    #[test]
    fn fixed_columns_cover_every_framework_the_engine_maps() {
        let r = meta("X-K8S-001", Severity::High, &["AC-6"], &["3.1.5"]);
        let fws: Vec<&str> = r.controls_by_framework().into_iter().map(|(fw, _)| fw).collect();
        assert_eq!(fws, FRAMEWORK_COLUMNS);
    }
}
