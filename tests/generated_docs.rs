//! Generated documentation is committed and must stay current: rule pages
//! come from rule metadata (`tollgate rules doc`) and coverage pages from the
//! catalogs (`tollgate controls --format markdown`), never from hand edits.
//! Regenerate with `scripts/generate_docs.sh` when this test fails.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn read_dir_files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_file() {
            out.insert(path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

#[test]
fn rule_pages_are_current() {
    let dir = tree(&[]);
    let out = run_in(dir.path(), &["rules", "doc", "--out", "rules"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let fresh = read_dir_files(&dir.path().join("rules"));
    let committed = read_dir_files(&repo_root().join("docs/rules"));
    let stale: Vec<&String> = fresh.keys().filter(|k| committed.get(*k) != fresh.get(*k)).collect();
    let extra: Vec<&String> = committed.keys().filter(|k| !fresh.contains_key(*k)).collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is out of date (run scripts/generate_docs.sh): changed {stale:?}, removed {extra:?}"
    );
}

#[test]
fn coverage_pages_are_current() {
    for framework in ["fedramp-moderate", "nist-800-53-r5-moderate", "nist-800-171-r2", "cmmc-l2"] {
        let out = run_in(&repo_root(), &["controls", "--framework", framework, "--format", "markdown"]);
        assert_eq!(code(&out), 0);
        let committed = std::fs::read_to_string(repo_root().join(format!("docs/coverage/{framework}.md"))).unwrap_or_default();
        assert!(stdout(&out) == committed, "docs/coverage/{framework}.md is out of date (run scripts/generate_docs.sh)");
    }
}
