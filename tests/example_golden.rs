//! The bundled example's reports are golden: any change to what Tollgate
//! finds in `examples/demo`, or how it says so, shows up as a snapshot diff.

mod common;
use common::*;

#[test]
fn example_json_report() {
    let out = tollgate().current_dir(repo_root()).args(["scan", "examples/demo", "--format", "json"]).output().unwrap();
    assert_eq!(code(&out), 1, "the example has deliberate gaps");
    let mut report = normalized(json(&out));
    report["version"] = serde_json::Value::from("[version]");
    insta::assert_json_snapshot!("example_demo_json", report);
}

#[test]
fn example_table_report() {
    let out = tollgate().current_dir(repo_root()).args(["scan", "examples/demo"]).output().unwrap();
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("example_demo_table", normalize_table(&stdout(&out)));
}

#[test]
fn example_scanned_from_inside_gives_the_same_findings() {
    let inside = tollgate().current_dir(repo_root().join("examples/demo")).args(["scan", "--format", "json"]).output().unwrap();
    let outside = tollgate().current_dir(repo_root()).args(["scan", "examples/demo", "--format", "json"]).output().unwrap();
    assert_eq!(normalized(json(&inside)), normalized(json(&outside)));
}
