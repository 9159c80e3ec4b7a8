//! The SARIF, JUnit XML, Markdown and CSV reports end to end: golden
//! snapshots of the bundled example, validation against the reference
//! schemas (with TOLLGATE_REFERENCE set), and that every format tells the
//! same truth as the JSON report of the same scan.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Blanks what changes between runs, releases and machines.
fn normalize(text: &str) -> String {
    let root = repo_root().display().to_string();
    let text = text.replace(&root, "[root]").replace(&format!("Tollgate {}", env!("CARGO_PKG_VERSION")), "Tollgate [version]");
    // JUnit's `time="0.012"` (the scan's duration).
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find(" time=\"") {
        let value = i + " time=\"".len();
        let end = rest[value..].find('"').map_or(rest.len(), |e| value + e);
        out.push_str(&rest[..value]);
        out.push_str("[duration]");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn normalize_sarif(mut log: Value) -> Value {
    let run = &mut log["runs"][0];
    run["tool"]["driver"]["version"] = Value::from("[version]");
    run["tool"]["driver"]["semanticVersion"] = Value::from("[version]");
    run["properties"]["summary"]["duration_ms"] = Value::from(0);
    log
}

fn demo(format: &str) -> std::process::Output {
    let out = tollgate().current_dir(repo_root()).args(["scan", "examples/demo", "--format", format]).output().unwrap();
    assert_eq!(code(&out), 1, "the example has deliberate gaps; stderr:\n{}", stderr(&out));
    out
}

fn sarif_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("SARIF is not JSON ({e}):\n{}", stdout(out)))
}

// Golden snapshots of the bundled example. Built-in rules are still being
// added; when one changes what the example finds, review and accept the diff.

#[test]
fn example_sarif_report() {
    insta::assert_json_snapshot!("example_demo_sarif", normalize_sarif(sarif_of(&demo("sarif"))));
}

#[test]
fn example_junit_report() {
    insta::assert_snapshot!("example_demo_junit", normalize(&stdout(&demo("junit"))));
}

#[test]
fn example_markdown_report() {
    insta::assert_snapshot!("example_demo_markdown", normalize(&stdout(&demo("markdown"))));
}

#[test]
fn example_csv_report() {
    let text = stdout(&demo("csv"));
    assert!(text.starts_with("rule_id,title,status,") && text.contains("\r\n"), "a header row and CRLF record ends");
    // The snapshot shows record ends as plain newlines.
    insta::assert_snapshot!("example_demo_csv", normalize(&text.replace("\r\n", "\n")));
}

/// Every report of one scan: the JSON on stdout, the others written with --report.
struct Reports {
    json: Value,
    sarif: Value,
    junit: String,
    markdown: String,
    csv: Vec<u8>,
}

fn scan_all(dir: &Path, args: &[&str]) -> Reports {
    let outdir = tempfile::tempdir().unwrap();
    let path = |name: &str| outdir.path().join(name).display().to_string();
    let targets: Vec<String> =
        ["sarif", "junit", "markdown", "csv"].iter().map(|f| format!("{f}={}", path(&format!("report.{f}")))).collect();
    let mut all: Vec<&str> = vec!["scan"];
    all.extend(args);
    all.extend(["--format", "json", "-q"]);
    for t in &targets {
        all.extend(["--report", t.as_str()]);
    }
    let out = run_in(dir, &all);
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    let read = |f: &str| std::fs::read(path(&format!("report.{f}"))).unwrap();
    Reports {
        json: json(&out),
        sarif: serde_json::from_slice(&read("sarif")).unwrap(),
        junit: String::from_utf8(read("junit")).unwrap(),
        markdown: String::from_utf8(read("markdown")).unwrap(),
        csv: read("csv"),
    }
}

fn as_usize(v: &Value) -> usize {
    usize::try_from(v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))).unwrap()
}

/// The counts every format must agree on, from the JSON report.
struct Truth<'a> {
    findings: &'a [Value],
    fails: Vec<&'a Value>,
    /// Failures and suppressed failures, in report order: what SARIF lists.
    results: Vec<&'a Value>,
    suppressed: usize,
    rule_errors: usize,
    skips: usize,
    passes: usize,
    input_errors: usize,
}

impl<'a> Truth<'a> {
    fn of(json: &'a Value) -> Self {
        let findings = json["findings"].as_array().unwrap().as_slice();
        let with = |s: &str| findings.iter().filter(|f| f["status"] == s).count();
        let truth = Truth {
            findings,
            fails: findings.iter().filter(|f| f["status"] == "fail").collect(),
            results: findings.iter().filter(|f| f["status"] == "fail" || f["status"] == "suppressed").collect(),
            suppressed: with("suppressed"),
            rule_errors: with("error"),
            skips: with("skip"),
            passes: with("pass"),
            input_errors: json["errors"].as_array().unwrap().len(),
        };
        assert_eq!(as_usize(&json["summary"]["findings"]["fail"]), truth.fails.len());
        truth
    }
}

fn sarif_level(severity: &Value) -> &'static str {
    match severity.as_str().unwrap() {
        "critical" | "high" => "error",
        "moderate" => "warning",
        _ => "note",
    }
}

fn check_sarif(r: &Reports, t: &Truth) {
    let run = &r.sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), t.results.len(), "one SARIF result per failing or suppressed finding");
    let suppressed = results.iter().filter(|r| r["suppressions"][0]["kind"] == "inSource").count();
    assert_eq!(suppressed, t.suppressed, "suppressed findings are SARIF results marked as suppressed");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), as_usize(&r.json["summary"]["rules_run"]), "every rule that ran is described");
    for (res, f) in results.iter().zip(&t.results) {
        assert_eq!(res["ruleId"], f["rule_id"]);
        assert_eq!(rules[as_usize(&res["ruleIndex"])]["id"], f["rule_id"], "ruleIndex points at the rule");
        assert_eq!(res["level"], sarif_level(&f["severity"]));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["location"]["path"]);
        assert_eq!(loc["region"]["startLine"], f["location"]["start_line"]);
        assert_eq!(loc["region"]["endLine"], f["location"]["end_line"]);
        assert!(res["message"]["text"].as_str().unwrap().ends_with(f["message"].as_str().unwrap()));
    }
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().map_or(0, Vec::len);
    assert_eq!(notes, t.input_errors + t.rule_errors, "errors are notifications");
    assert_eq!(run["properties"]["summary"], r.json["summary"]);
    assert_eq!(run["properties"]["gate"], r.json["gate"]);
    assert_eq!(run["properties"]["truncated"], false);
}

fn check_junit(r: &Reports, t: &Truth) {
    let doc = roxmltree::Document::parse(&r.junit).unwrap_or_else(|e| panic!("JUnit is not XML ({e}):\n{}", r.junit));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap_or_else(|| panic!("no {a} on {n:?}")).parse::<usize>().unwrap();
    let elements = |name: &str| doc.descendants().filter(|n| n.has_tag_name(name)).count();
    let tests = t.findings.len() + t.input_errors;
    let errors = t.rule_errors + t.input_errors;
    assert_eq!((attr(root, "tests"), attr(root, "failures"), attr(root, "errors")), (tests, t.fails.len(), errors));
    assert_eq!(elements("testcase"), tests);
    assert_eq!(elements("failure"), t.fails.len(), "JUnit failures == failing findings");
    assert_eq!(elements("error"), errors);
    assert_eq!(elements("skipped"), t.skips + t.suppressed, "suppressed findings are skipped test cases");
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    for a in ["tests", "failures", "errors"] {
        assert_eq!(suites.iter().map(|s| attr(*s, a)).sum::<usize>(), attr(root, a), "suites add up: {a}");
    }
    assert_eq!(suites.iter().map(|s| attr(*s, "skipped")).sum::<usize>(), t.skips + t.suppressed);
    for s in &suites {
        let mut names: Vec<_> = s.children().filter(|n| n.has_tag_name("testcase")).map(|c| c.attribute("name").unwrap()).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "test case names are unique within a suite");
    }
    // Each failure names its rule (classname) and starts with path:line.
    let mut got: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| {
            let case = n.parent().unwrap().attribute("classname").unwrap().to_string();
            let first = n.text().unwrap().lines().next().unwrap();
            let (path, lines) = first.rsplit_once(':').unwrap();
            (case, format!("{path}:{}", lines.split('-').next().unwrap()))
        })
        .collect();
    let mut want: Vec<(String, String)> = t
        .fails
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().to_string(),
                format!("{}:{}", f["location"]["path"].as_str().unwrap(), f["location"]["start_line"]),
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

fn check_csv(r: &Reports, t: &Truth) {
    let mut reader = csv::Reader::from_reader(r.csv.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), t.findings.len(), "one CSV row per finding");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    let text = |v: &Value| match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    for (row, f) in rows.iter().zip(t.findings) {
        // Every field of the JSON finding, nested objects flattened.
        for (key, value) in f.as_object().unwrap() {
            match key.as_str() {
                "controls" => {
                    for (fw, ids) in value.as_object().unwrap() {
                        let ids: Vec<&str> = ids.as_array().unwrap().iter().map(|i| i.as_str().unwrap()).collect();
                        assert_eq!(&row[col(fw)], ids.join(";"), "{fw}");
                    }
                }
                "resource" => {
                    assert_eq!(row[col("resource_kind")], text(&value["kind"]));
                    assert_eq!(row[col("resource_id")], text(&value["id"]));
                }
                "location" => {
                    for part in ["path", "start_line", "end_line"] {
                        assert_eq!(row[col(part)], text(&value[part]), "{part}");
                    }
                }
                "suppression" => assert!(row[col("suppression")].contains(value["reason"].as_str().unwrap()), "suppression"),
                "baselined" => assert_eq!(&row[col("baselined")], if value == true { "true" } else { "" }),
                // Cells a spreadsheet would run as formulas carry a leading `'`.
                _ => assert_eq!(row[col(key)].strip_prefix('\'').unwrap_or(&row[col(key)]), text(value), "{key}"),
            }
        }
    }
}

fn check_markdown(r: &Reports, t: &Truth) {
    let md = &r.markdown;
    let verdict = r.json["gate"]["verdict"].as_str().unwrap();
    let mark = if verdict == "pass" { "✅" } else { "❌" };
    assert!(md.contains(&format!("\n### {mark} Tollgate: {verdict}\n")), "verdict line:\n{md}");
    // "**7 failed**, 16 passed, 1 error, 5 skipped · ..."
    let line = md.lines().find(|l| l.starts_with("**") && l.contains(" failed**")).unwrap_or_else(|| panic!("no counts line:\n{md}"));
    let numbers: Vec<usize> = line
        .split(" · ")
        .next()
        .unwrap()
        .split(", ")
        .map(|part| part.trim_start_matches("**").split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(numbers, [t.fails.len(), t.passes, t.rule_errors + t.input_errors, t.skips], "{line}");
    for (sev, n) in r.json["summary"]["failures_by_severity"].as_object().unwrap() {
        let name = format!("{}{}", sev[..1].to_uppercase(), &sev[1..]);
        assert!(md.contains(&format!("\n| {name} | {n} |\n")), "{name} count:\n{md}");
    }
    let shown = md.lines().filter(|l| ["Critical", "High", "Moderate", "Low"].iter().any(|s| l.starts_with(&format!("| {s} | `")))).count();
    assert_eq!(shown, t.fails.len().min(20), "top failures");
    assert!(!md.contains("Not shown"));
    // Every row of a table has the header's cells: no pipe in the data leaks.
    let cells = |line: &str| {
        let mut chars = line.chars();
        let mut n = 0;
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '|' => n += 1,
                _ => {}
            }
        }
        n
    };
    let mut header = None;
    for line in md.lines() {
        match (line.starts_with('|'), header) {
            (false, _) => header = None,
            (true, None) => header = Some(cells(line)),
            (true, Some(n)) => assert_eq!(cells(line), n, "{line}"),
        }
    }
    if t.input_errors + t.rule_errors > 0 {
        assert!(md.contains(&format!("#### Errors ({}): not assessed", t.input_errors + t.rule_errors)), "{md}");
    }
}

fn check_all(r: &Reports) {
    let t = Truth::of(&r.json);
    check_sarif(r, &t);
    check_junit(r, &t);
    check_csv(r, &t);
    check_markdown(r, &t);
}

#[test]
fn every_format_tells_the_same_truth_about_the_example() {
    let r = scan_all(&repo_root(), &["examples/demo"]);
    let t = Truth::of(&r.json);
    assert!(!t.fails.is_empty() && t.skips > 0 && t.input_errors > 0, "the example exercises failures, skips and errors");
    check_all(&r);
}

fn error_scan(dir: &Path) -> Reports {
    scan_all(dir, &[".", "--no-builtin", "--rules", "rules", "--exclude", "rules", "--fail-on", "never"])
}

#[test]
fn every_format_tells_the_same_truth_about_errors() {
    let dir = error_tree("=cmd|' /C calc'!A0");
    let r = error_scan(dir.path());
    let t = Truth::of(&r.json);
    assert_eq!((t.fails.len(), t.rule_errors, t.input_errors, t.skips), (1, 2, 1, 1), "{}", r.json);
    assert_eq!(r.json["gate"]["verdict"], "pass");
    check_all(&r);
    assert!(r.csv.windows(5).any(|w| w == b",'=cm"), "the formula is defused in CSV");
    assert!(r.markdown.contains("\\| TLS is \\<off\\>"), "{}", r.markdown);
}

#[test]
fn formats_are_selectable_by_name() {
    let dir = tree(&[("pod.yaml", PRIVILEGED_POD)]);
    let out = run_in(dir.path(), &["scan", "pod.yaml", "--report", "pdf=x.pdf"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("expected one of: table, json, sarif, junit, markdown, csv"), "{}", stderr(&out));
    for format in ["sarif", "junit", "markdown", "csv"] {
        let out = run_in(dir.path(), &["scan", "pod.yaml", "-q", "--format", format]);
        assert_eq!(code(&out), 1, "{format}: the exit code follows the gate, whatever the format");
        assert!(stdout(&out).contains("TG-K8S-001"), "{format}:\n{}", stdout(&out));
        assert!(!stdout(&out).contains('\u{1b}'), "{format}: no colour codes");
    }
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let Some(reference) = reference_dir() else { return };
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(reference.join("sarif/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let validator = jsonschema::options().with_draft(jsonschema::Draft::Draft4).should_validate_formats(true).build(&schema).unwrap();
    let dir = error_tree("=cmd|' /C calc'!A0");
    let logs = [("example", sarif_of(&demo("sarif"))), ("errors", error_scan(dir.path()).sarif)];
    for (name, log) in &logs {
        let errors: Vec<String> = validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{name}: {} schema errors:\n{}", errors.len(), errors.join("\n"));
    }
    // The checks behave: a log missing a required property is rejected.
    let mut bad = logs[0].1.clone();
    bad["runs"][0]["invocations"][0].as_object_mut().unwrap().remove("executionSuccessful");
    assert!(!validator.is_valid(&bad));
}

/// Validates with xmllint (Debian: libxml2-utils); CI must have it.
#[test]
fn junit_validates_against_junit_10_xsd() {
    let Some(reference) = reference_dir() else { return };
    if std::process::Command::new("xmllint").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs xmllint: apt-get install -y libxml2-utils");
        println!("skipped: xmllint not installed (apt-get install libxml2-utils)");
        return;
    }
    let xsd = reference.join("junit/junit-10.xsd");
    let dir = error_tree("=cmd|' /C calc'!A0");
    let files = tempfile::tempdir().unwrap();
    let example = stdout(&demo("junit"));
    // What quick-junit writes unpatched: a `skipped` count on <testsuites>.
    let unpatched = example.replacen(" failures=", " skipped=\"1\" failures=", 1);
    let docs = [("example", example), ("errors", error_scan(dir.path()).junit), ("unpatched", unpatched)];
    let mut results = BTreeMap::new();
    for (name, xml) in &docs {
        let path = files.path().join(format!("{name}.xml"));
        std::fs::write(&path, xml).unwrap();
        let out = std::process::Command::new("xmllint").arg("--noout").arg("--schema").arg(&xsd).arg(&path).output().unwrap();
        results.insert(*name, (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned()));
    }
    let (ok, err) = results.remove("unpatched").unwrap();
    assert!(!ok && err.contains("attribute 'skipped': The attribute 'skipped' is not allowed"), "the check bites:\n{err}");
    for (name, (ok, err)) in results {
        assert!(ok, "{name} does not validate against junit-10.xsd:\n{err}");
    }
}
