//! The HTML program report end to end: in headless Chromium (through the
//! WebDriver helpers of `tests/common/browser.rs`, skipped with a notice
//! when Chromium is not installed, as `tests/report_html.rs` is), and a
//! golden page of a small program.
//!
//! In the browser: the page paints, the console has no errors (so the
//! Content-Security-Policy admits the page's own style and script), the heat
//! map has one row per system and one column per family, the systems table
//! filters and sorts, and the trend section is there when `--previous` was
//! given.

mod common;
use common::browser::{browser, Browser};
use common::*;
use serde_json::Value;
use std::path::Path;

/// Six systems on the built-in rules: Kubernetes, sshd and Terraform
/// inputs, one broken, one clean.
fn program() -> tempfile::TempDir {
    let sshd = "PermitRootLogin yes\nPasswordAuthentication yes\n";
    let bucket = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n";
    tree(&[
        (
            "web/tollgate.toml",
            "[system]\nname = \"Web\"\nid = \"WEB\"\ncategorization = \"high\"\nowner = \"Web team\"\nisso = \"A. Officer\"\n",
        ),
        ("web/pod.yaml", PRIVILEGED_POD),
        ("api/tollgate.toml", "[system]\nname = \"API\"\nid = \"API\"\ncategorization = \"moderate\"\n"),
        ("api/pod.yaml", PRIVILEGED_POD),
        ("api/sshd_config", sshd),
        ("hosts/tollgate.toml", "[system]\nname = \"Hosts\"\ncategorization = \"low\"\n"),
        ("hosts/sshd_config", sshd),
        ("storage/tollgate.toml", "[system]\nname = \"Storage\"\nid = \"STO\"\n"),
        ("storage/main.tf", bucket),
        ("docs/tollgate.toml", "[system]\nname = \"Docs\"\nid = \"DOC\"\n"),
        ("docs/notes.txt", "nothing to judge\n"),
        ("broken/tollgate.toml", "[system]\nnme = \"Broken\"\n"),
    ])
}

/// `tollgate program . ARGS` in `dir`: (report JSON, page).
fn program_reports(dir: &Path, args: &[&str]) -> (Value, String) {
    let mut all = vec!["program", ".", "-q", "--report", "html=program.html"];
    all.extend(args);
    let out = run_in(dir, &all);
    assert_eq!(code(&out), 1, "a broken system fails the program: {}", stderr(&out));
    (json(&out), std::fs::read_to_string(dir.join("program.html")).unwrap())
}

/// The `data-id` of the systems table's first visible row.
fn first_system(browser: &Browser) -> Value {
    browser.run("return document.querySelector('#systems tbody tr:not([hidden])').getAttribute('data-id');")
}

#[test]
fn the_program_report_works_in_headless_chromium() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let dir = program();
    let d = dir.path();
    let jan = run_in(d, &["program", ".", "-q", "--now", "2026-01-01", "-o", "jan.json", "--framework", "nist-800-171-r2"]);
    assert_eq!(code(&jan), 1, "{}", stderr(&jan));
    let (report, page) = program_reports(d, &["--now", "2026-02-01", "--previous", "jan.json", "--framework", "nist-800-171-r2"]);
    let file = d.join("feb.html");
    std::fs::write(&file, page).unwrap();
    let systems = report["systems"].as_array().unwrap();
    let count = |pred: &dyn Fn(&Value) -> bool| systems.iter().filter(|s| pred(s)).count();

    let browser = Browser::start(&chromium, &chromedriver);
    browser.open(&file);
    assert_eq!(browser.run("return document.readyState;"), "complete");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
    browser.assert_painted();

    // The heat map: a row per system, a column per family (after the row header).
    assert_eq!(browser.visible_rows("#heatmap"), systems.len());
    let columns = browser.run("return document.querySelectorAll('#heatmap thead th').length;");
    assert_eq!(columns.as_u64(), Some(report["families"].as_array().unwrap().len() as u64 + 1));
    let broken_cells = browser.run("return document.querySelector('#heatmap tr[data-system=broken] td').colSpan;");
    assert_eq!(broken_cells.as_u64(), Some(report["families"].as_array().unwrap().len() as u64), "a broken row spans the map");

    // The systems table: the script shows its filters; every system is a row.
    assert_eq!(browser.run("return document.getElementById('system-filters').hidden;"), false);
    assert_eq!(browser.visible_rows("#systems"), systems.len());
    browser.click("#system-filter-status option[value=broken]");
    assert_eq!(browser.visible_rows("#systems"), count(&|s| s["status"] == "broken"));
    assert_eq!(first_system(&browser), "broken");
    browser.click("#system-filter-status option[value='']");
    browser.click("#system-filter-gate option[value=pass]");
    assert_eq!(browser.visible_rows("#systems"), count(&|s| s["gate"] == "pass"));
    browser.click("#system-filter-gate option[value='']");
    browser.type_into("#system-filter-text", "a. officer");
    assert_eq!(browser.visible_rows("#systems"), 1, "the ISSO is searchable");
    assert_eq!(first_system(&browser), "WEB");
    assert_eq!(browser.run("return document.getElementById('systems-shown-count').textContent;"), "1");
    browser.clear("#system-filter-text");
    assert_eq!(browser.visible_rows("#systems"), systems.len());

    // Sorting by pass rate: systems without one (broken) first, then up; again for down.
    let header = "#systems thead th:nth-child(6) button";
    let rate = |s: &Value| s["pass_rate"].as_f64().unwrap_or(-1.0);
    let lowest = systems.iter().min_by(|a, b| rate(a).total_cmp(&rate(b))).unwrap();
    let highest = systems.iter().max_by(|a, b| rate(a).total_cmp(&rate(b))).unwrap();
    browser.click(header);
    assert_eq!(first_system(&browser), lowest["id"]);
    browser.click(header);
    assert_eq!(first_system(&browser), highest["id"], "{}", report["systems"]);
    assert_eq!(browser.visible_rows("#systems"), systems.len(), "sorting keeps every row");

    // The trend against January.
    let trend = &report["trend"];
    assert_eq!(browser.run("return document.getElementById('trend') !== null;"), true);
    assert_eq!(browser.visible_rows("#trend-systems"), trend["systems"].as_array().unwrap().len());

    // Without --previous there is no trend section, and the page is as clean.
    let (_, page) = program_reports(d, &["--now", "2026-02-01"]);
    std::fs::write(&file, page).unwrap();
    browser.open(&file);
    assert_eq!(browser.run("return document.getElementById('trend');"), Value::Null);
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors without a trend:\n{}", errors.join("\n"));
}

/// A small program's whole page, pinned: on its own two-rule pack (so
/// changes to the built-in rules do not move it), with a broken system and
/// a trend. Markup, escaping and the embedded CSS/JS change only as a
/// reviewed snapshot diff.
#[test]
fn program_html_golden() {
    let rule = |id: &str, severity: &str, kinds: &str, controls: &str, check: &str| {
        format!(
            "const RULE = #{{ id: \"{id}\", title: \"{id} <title>\", severity: \"{severity}\", applies_to: [{kinds}], \
             controls: [{controls}], rationale: \"r\", remediation: \"fix it\" }};\n{check}\n"
        )
    };
    let pod = rule(
        "X-POD-001",
        "critical",
        "\"k8s:Pod\"",
        "\"AC-6(10)\", \"CM-7\"",
        "fn check(r) { if r.data.metadata.name == \"bad\" { fail(\"bad pod\", \"metadata.name\") } else { pass() } }",
    );
    let tls = rule(
        "X-TLS-001",
        "low",
        "\"json:document\"",
        "\"SC-8\"",
        "fn check(r) { if r.data.tls { pass() } else { fail(\"no TLS\", \"tls\") } }",
    );
    let system = |head: &str| format!("{head}[rules]\nbuiltin = false\npacks = [\"../rules\"]\n");
    let dir = tree(&[
        ("program.toml", "[program]\nname = \"Golden <P>\"\nid = \"GLD\"\nowner = \"I. Manager\"\n"),
        ("rules/pod.rhai", &pod),
        ("rules/tls.rhai", &tls),
        ("one/tollgate.toml", &system("[system]\nname = \"One\"\nid = \"ONE\"\ncategorization = \"high\"\nisso = \"I. Sso\"\n")),
        ("one/pod.yaml", PRIVILEGED_POD),
        ("one/app.json", "{\"tls\": false}"),
        ("two/tollgate.toml", &system("[system]\nname = \"Two\"\nowner = \"Team 2\"\n")),
        ("two/app.json", "{\"tls\": true}"),
        ("three/tollgate.toml", "[system\n"),
    ]);
    let d = dir.path();
    run_in(d, &["program", ".", "--now", "2026-01-01", "-o", "jan.json"]);
    std::fs::write(d.join("two/other.json"), "{\"tls\": false}").unwrap();
    let out = run_in(d, &["program", ".", "--now", "2026-02-01", "--previous", "jan.json", "--format", "html"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let page = stdout(&out).replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("program_html_small", page);
}
