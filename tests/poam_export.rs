//! The ledger's formats: the OSCAL POA&M validates against the official
//! 1.1.3 schema and reads back to the same bytes; the xlsx has FedRAMP's
//! sheets and column headers (checked against the reference template when
//! TOLLGATE_REFERENCE is set); the CSV has the same columns.

mod common;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use common::{code, reference_dir, repo_root, run_in, stderr};
use std::io::Cursor;
use std::path::Path;
use tollgate_engine::poam::{oscal, store};
use tollgate_reports::poam_fields::{CLOSED_SHEET, FEDRAMP_COLUMNS, OPEN_SHEET};

const DEVIATIONS: &str = r#"
[[deviation]]
rule = "TG-K8S-004"
type = "risk-adjustment"
adjusted_risk = "moderate"
justification = "The CronJob runs on a dedicated node pool with no other tenants."
approver = "A. Official (AO)"
approved = 2025-01-10
expires = 2025-12-31

[[deviation]]
rule = "TG-K8S-004"
type = "operational-requirement"
justification = "The reconciler binds the processor's drop port on the node."
approver = "A. Official (AO)"
approved = 2025-01-10
expires = 2025-12-31

[[deviation]]
rule = "TG-K8S-006"
type = "vendor-dependency"
justification = "The exporter's vendor publishes no versioned tags yet."
approver = "A. Official (AO)"
approved = 2025-01-10
expires = 2025-12-31
vendor_checkin = 2025-02-01
vendor_product = "statsd-exporter"

[[deviation]]
rule = "TG-K8S-007"
type = "false-positive"
justification = "Limits are set by the namespace's LimitRange."
approver = "A. Official (AO)"
approved = 2025-01-10
expires = 2025-02-01
"#;

/// The demo system scanned twice (a Dockerfile gap fixed in between), with
/// deviations of every type: a ledger with open, closed, adjusted, expired
/// and deviation-approved items. Returns the directory.
fn demo_ledger() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sys = dir.path().join("sys");
    copy_dir(&repo_root().join("examples/demo"), &sys);
    std::fs::write(sys.join("poam-deviations.toml"), DEVIATIONS).unwrap();
    let scan = |date: &str| {
        let out = run_in(dir.path(), &["scan", "sys", "--now", date, "--fail-on", "never", "--poam", "poam.json", "-q"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    };
    scan("2025-01-15");
    let dockerfile = sys.join("docker/reconcile.Dockerfile");
    let text = std::fs::read_to_string(&dockerfile).unwrap();
    std::fs::write(&dockerfile, format!("{}\nUSER 10001\n", text.trim_end())).unwrap();
    scan("2025-02-20");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn the_ledger_reads_back_to_the_same_bytes_and_exports_as_oscal() {
    let dir = demo_ledger();
    let path = dir.path().join("poam.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let ledger = store::read(&path).unwrap();
    assert!(ledger.items.iter().any(|i| !i.is_open()), "the fixed Dockerfile closed an item");
    assert!(ledger.items.iter().any(|i| i.adjusted_risk.is_some()));
    assert_eq!(oscal::to_json(&ledger), text, "read → write is the identity");
    let out = run_in(dir.path(), &["poam", "export", "poam.json", "--format", "oscal", "-o", "export.json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("export.json")).unwrap(), text);
}

#[test]
fn the_ledger_is_valid_oscal_1_1_3() {
    let Some(reference) = reference_dir() else { return };
    let schema_text = std::fs::read_to_string(reference.join("oscal/schemas/1.1.3/oscal_poam_schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let dir = demo_ledger();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("poam.json")).unwrap()).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{} schema errors:\n{}", errors.len(), errors.join("\n"));
    let types: Vec<&str> = doc["plan-of-action-and-milestones"]["observations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["types"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()))
        .collect();
    for t in ["finding", "risk-adjustment", "operational-requirement", "vendor-dependency", "false-positive"] {
        assert!(types.contains(&t), "no {t} observation was validated");
    }
    // The validator is not vacuous: a poam-item without its title is rejected.
    let mut bad = doc.clone();
    bad["plan-of-action-and-milestones"]["poam-items"][0].as_object_mut().unwrap().remove("title");
    assert!(!validator.is_valid(&bad));
}

fn sheet_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let (rows, cols) = (range.end().unwrap().0 + 1, range.end().unwrap().1 + 1);
    (0..rows)
        .map(|r| {
            (0..cols)
                .map(|c| match range.get_value((r, c)) {
                    Some(Data::String(s)) => s.clone(),
                    Some(Data::Empty) | None => String::new(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn xlsx_has_the_fedramp_sheets_and_columns() {
    let dir = demo_ledger();
    let out = run_in(dir.path(), &["poam", "export", "poam.json", "--format", "xlsx", "-o", "poam.xlsx"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let bytes = std::fs::read(dir.path().join("poam.xlsx")).unwrap();
    let wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), [OPEN_SHEET, CLOSED_SHEET]);
    let ledger = store::read(&dir.path().join("poam.json")).unwrap();
    for (sheet, closed) in [(OPEN_SHEET, false), (CLOSED_SHEET, true)] {
        let rows = sheet_rows(&bytes, sheet);
        assert_eq!(rows[4][..31], FEDRAMP_COLUMNS.map(String::from), "{sheet}: row 5 holds the headers A–AE");
        assert_eq!(rows[1][..4], ["CSP", "System Name", "Impact Level", "POAM Date"]);
        assert_eq!(rows[2][1], "Payments API");
        let ids: Vec<&str> = rows[5..].iter().map(|r| r[0].as_str()).collect();
        let expected: Vec<&str> = ledger.items.iter().filter(|i| i.on_closed_sheet() == closed).map(|i| i.poam_id.as_str()).collect();
        assert_eq!(ids, expected, "{sheet}");
    }
    let open = sheet_rows(&bytes, OPEN_SHEET);
    let col = |name: &str| FEDRAMP_COLUMNS.iter().position(|c| *c == name).unwrap();
    let adjusted = open[5..].iter().find(|r| r[col("Risk Adjustment")] == "Yes").expect("an adjusted item");
    assert_eq!(adjusted[col("Adjusted Risk Rating")], "Moderate");
    assert_eq!(adjusted[col("Operational Requirement")], "Yes");
    let vendor = open[5..].iter().find(|r| r[col("Vendor Dependency")] == "Yes").expect("a vendor dependency");
    assert_eq!(vendor[col("Vendor Dependent Product Name")], "statsd-exporter");
    assert!(open[5][col("Weakness Detector Source")].starts_with("tollgate "), "{}", open[5][col("Weakness Detector Source")]);
    assert!(open[5][col("Comments")].starts_with("Risk score "));
    // Same ledger, same bytes.
    let again = run_in(dir.path(), &["poam", "export", "poam.json", "--format", "xlsx", "-o", "again.xlsx"]);
    assert_eq!(code(&again), 0);
    assert_eq!(std::fs::read(dir.path().join("again.xlsx")).unwrap(), bytes);
}

#[test]
fn xlsx_headers_match_the_fedramp_template() {
    let Some(reference) = reference_dir() else { return };
    let template = std::fs::read(reference.join("fedramp/poam-template/FedRAMP-POAM-Template.xlsx")).unwrap();
    for sheet in [OPEN_SHEET, CLOSED_SHEET] {
        let rows = sheet_rows(&template, sheet);
        let headers: Vec<String> = rows[4][..31].iter().map(|h| h.trim().to_string()).collect();
        assert_eq!(headers, FEDRAMP_COLUMNS.map(String::from), "{sheet} of the reference template");
        assert_eq!(rows[4].get(31).map_or("", |s| s.trim()), "", "the template has no 32nd column");
    }
}

#[test]
fn csv_has_the_fedramp_columns_then_tollgates() {
    let dir = demo_ledger();
    let out = run_in(dir.path(), &["poam", "export", "poam.json", "--format", "csv", "-o", "poam.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut reader = csv::Reader::from_path(dir.path().join("poam.csv")).unwrap();
    let head: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head[..31], FEDRAMP_COLUMNS.map(String::from));
    assert_eq!(head[31..], ["Item Status", "Days Overdue", "Risk Score"]);
    let ledger = store::read(&dir.path().join("poam.json")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), ledger.items.len());
    assert_eq!(&rows[0][0], ledger.items[0].poam_id.as_str());
    assert_eq!(rows[0][33].parse::<u8>().unwrap(), ledger.items[0].risk.score);
}
