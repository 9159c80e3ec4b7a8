//! The HTML report end to end: the same truth as the JSON report of the same
//! scan, deterministic bytes, and the page in a real browser.
//!
//! The browser test loads the example's report in headless Chromium through
//! chromedriver's WebDriver HTTP API (Debian packages `chromium` and
//! `chromium-driver`, which come from one source package, so their versions
//! always match): the screenshot is not blank, the console has no errors,
//! and typing a rule id in the search box leaves exactly that rule's rows.
//! Without Chromium it prints `skipped: chromium not installed` and passes,
//! unless `CI` is set: CI must run it (`.ci/run` installs both packages).

mod common;
use common::browser::{browser, Browser};
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;

const NOW: &str = "2025-01-15T10:00:00Z";

/// `tollgate scan examples/demo ARGS`, pinned to [`NOW`]; stdout.
fn demo(format: &str, args: &[&str]) -> String {
    let mut all = vec!["scan", "examples/demo", "-q", "--now", NOW, "--format", format];
    all.extend(args);
    let out = run_in(&repo_root(), &all);
    assert_eq!(code(&out), 1, "the example has deliberate gaps; stderr:\n{}", stderr(&out));
    stdout(&out)
}

/// Undoes the template engine's HTML escaping.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'").replace("&#x2f;", "/").replace("&amp;", "&")
}

/// The value of `attr="…"` in each `<tr class="finding" …>` tag, in page order.
fn row_attrs(page: &str, attr: &str) -> Vec<String> {
    page.split("<tr class=\"finding\"")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find('>').unwrap()];
            let start = tag.find(&format!(" {attr}=\"")).unwrap_or_else(|| panic!("no {attr} in {tag}")) + attr.len() + 3;
            unescape(&tag[start..start + tag[start..].find('"').unwrap()])
        })
        .collect()
}

/// The number in `<… data-KEY="VALUE">N<`.
fn number(page: &str, key: &str, value: &str) -> usize {
    let marker = format!("{key}=\"{value}\">");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no {marker}")) + marker.len();
    page[at..at + page[at..].find('<').unwrap()].parse().unwrap()
}

#[test]
fn html_tells_the_same_truth_as_json() {
    let page = demo("html", &[]);
    let report: Value = serde_json::from_str(&demo("json", &[])).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let summary = &report["summary"];
    assert!(page.contains(&format!("data-verdict=\"{}\"", report["gate"]["verdict"].as_str().unwrap())));
    for status in ["fail", "pass", "skip"] {
        assert_eq!(number(&page, "data-count", status), summary["findings"][status].as_u64().unwrap() as usize, "{status}");
    }
    let errors = summary["findings"]["error"].as_u64().unwrap() + summary["input_errors"].as_u64().unwrap();
    assert_eq!(number(&page, "data-count", "error") as u64, errors);
    for (sev, n) in summary["failures_by_severity"].as_object().unwrap() {
        assert_eq!(number(&page, "data-failing", sev) as u64, n.as_u64().unwrap(), "{sev}");
    }
    for (key, field) in [("files", "files_scanned"), ("resources", "resources"), ("rules", "rules_run")] {
        assert_eq!(number(&page, "data-scope", key) as u64, summary[field].as_u64().unwrap(), "{key}");
    }
    // One row per finding: the same (rule, status, severity) multiset.
    let count = |items: Vec<(String, String, String)>| {
        items.into_iter().fold(BTreeMap::new(), |mut m, k| {
            *m.entry(k).or_insert(0) += 1;
            m
        })
    };
    let rows: Vec<(String, String, String)> = row_attrs(&page, "data-rule")
        .into_iter()
        .zip(row_attrs(&page, "data-status"))
        .zip(row_attrs(&page, "data-severity"))
        .map(|((r, st), sev)| (r, st, sev))
        .collect();
    let want: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| (f["rule_id"].as_str().unwrap().into(), f["status"].as_str().unwrap().into(), f["severity"].as_str().unwrap().into()))
        .collect();
    assert_eq!(count(rows), count(want));
    assert_eq!(page.matches("<tr class=\"input-error\">").count(), report["errors"].as_array().unwrap().len());
    // Every failing finding's message is on the page (escaped).
    let text = unescape(&page);
    for f in findings.iter().filter(|f| f["status"] == "fail") {
        assert!(text.contains(f["message"].as_str().unwrap()), "{}", f["message"]);
    }
    // The charts count every finding that is a verdict (suppressed ones are listed, not charted).
    let verdicts = findings.iter().filter(|f| f["status"] != "skip" && f["status"] != "suppressed").count();
    for chart in ["chart-family", "chart-severity"] {
        let svg = &page[page.find(&format!("id=\"{chart}\"")).unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let total: usize = svg
            .split("<text class=\"total\"")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find('<').unwrap()].parse::<usize>().unwrap())
            .sum();
        assert_eq!(total, verdicts, "{chart}");
    }
}

#[test]
fn html_is_deterministic_and_selectable_with_report() {
    let a = demo("html", &[]);
    assert_eq!(a, demo("html", &[]), "the same scan gives the same bytes");
    assert!(a.contains(&format!("<time datetime=\"{NOW}\">")), "the scan clock is the page's only time");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let target = format!("html={}", path.display());
    demo("json", &["--report", &target]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), a);
}

// ---------------------------------------------------------------------------
// The browser test (WebDriver helpers in tests/common/browser.rs).

#[test]
fn the_report_works_in_headless_chromium() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, demo("html", &[])).unwrap();
    let framework_page = dir.path().join("framework.html");
    std::fs::write(&framework_page, demo("html", &["--framework", "nist-800-171-r2"])).unwrap();
    let report: Value = serde_json::from_str(&demo("json", &[])).unwrap();
    let findings = report["findings"].as_array().unwrap();

    let browser = Browser::start(&chromium, &chromedriver);
    browser.open(&page);
    assert_eq!(browser.run("return document.readyState;"), "complete");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));

    // The screenshot shows a page, not a blank or single-colour viewport.
    browser.assert_painted();

    // The script ran: the filter bar is shown, and every finding is a visible row.
    assert_eq!(browser.run("return document.getElementById('filters').hidden;"), false);
    assert_eq!(browser.visible_rows("#findings"), findings.len());

    // Typing a rule id leaves exactly its findings. Pick the rule with the most
    // findings whose id no other finding mentions.
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *per_rule.entry(f["rule_id"].as_str().unwrap()).or_default() += 1;
    }
    let mentions = |id: &str, f: &Value| f.to_string().to_lowercase().contains(&id.to_lowercase());
    let (rule, expected) = per_rule
        .iter()
        .filter(|(id, _)| findings.iter().all(|f| f["rule_id"] == **id || !mentions(id, f)))
        .max_by_key(|(_, n)| **n)
        .map(|(id, n)| (*id, *n))
        .expect("a rule to search for");
    assert!(expected < findings.len());
    browser.type_into("#filter-text", rule);
    assert_eq!(browser.visible_rows("#findings"), expected, "rows left after typing {rule}");
    assert_eq!(browser.run("return document.getElementById('shown-count').textContent;"), expected.to_string());

    // The status select narrows further; clearing the search widens again.
    let failing = |f: &&Value| f["status"] == "fail";
    browser.click("#filter-status option[value=fail]");
    assert_eq!(browser.visible_rows("#findings"), findings.iter().filter(failing).filter(|f| f["rule_id"] == rule).count());
    browser.clear("#filter-text");
    assert_eq!(browser.visible_rows("#findings"), findings.iter().filter(failing).count(), "clearing the search fires the filter");
    browser.click("#filter-severity option[value=high]");
    assert_eq!(browser.visible_rows("#findings"), findings.iter().filter(failing).filter(|f| f["severity"] == "high").count());
    browser.click("#filter-status option[value='']");
    browser.click("#filter-severity option[value='']");
    assert_eq!(browser.visible_rows("#findings"), findings.len());

    // Sorting: the severity header sorts by rank, ascending then descending.
    let first_severity = || browser.run("return document.querySelector('#findings tbody tr').getAttribute('data-severity');");
    browser.click("#findings thead th:first-child button");
    assert_eq!(first_severity(), "low");
    browser.click("#findings thead th:first-child button");
    let most_severe = ["critical", "high", "moderate", "low"].into_iter().find(|s| findings.iter().any(|f| f["severity"] == *s)).unwrap();
    assert_eq!(first_severity(), most_severe);
    assert_eq!(browser.visible_rows("#findings"), findings.len(), "sorting keeps every row");

    // A control's drill-down opens.
    browser.click("details.control summary");
    assert_eq!(browser.run("return document.querySelector('details.control').open;"), true);

    // The page with the framework view renders cleanly too.
    browser.open(&framework_page);
    assert_eq!(browser.run("return document.querySelectorAll('#framework-controls tbody tr').length;"), 110);
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors on the framework page:\n{}", errors.join("\n"));
}

/// A small scan's whole page, pinned: markup, charts, escaping and the
/// embedded CSS/JS change only as a reviewed snapshot diff.
#[test]
fn html_golden_small_scan() {
    let rule = pack_rule(
        "X-HTML-001",
        "\"k8s:Pod\"",
        "fn check(r) { if r.data.metadata.name == \"bad\" { fail(\"<b>bad</b> & pod\", \"metadata.name\") } else { pass() } }",
    );
    let dir = tree(&[
        ("pod.yaml", PRIVILEGED_POD),
        ("ok.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fine\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n"),
        ("rules/x.rhai", &rule),
    ]);
    let args = [
        "scan",
        ".",
        "--no-builtin",
        "--rules",
        "rules",
        "--exclude",
        "rules",
        "--format",
        "html",
        "--now",
        "2026-01-15T10:00:00Z",
        "--fail-on",
        "never",
    ];
    let out = run_in(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = stdout(&out).replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("html_small_scan", page);
}
