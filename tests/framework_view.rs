//! `tollgate scan --framework ID`: the gap report per control, attestations,
//! SPRS and CMMC Level 2 conditional status, end to end.

mod common;
use common::*;
use serde_json::Value;
use tollgate_engine::catalog::requirements_171;

/// The table report from its FRAMEWORK section on (the findings above it are
/// `example_golden`'s business), normalized.
fn framework_section(out: &std::process::Output) -> String {
    let text = stdout(out);
    let start = text.find("\nFRAMEWORK ").unwrap_or_else(|| panic!("no FRAMEWORK section:\n{text}"));
    normalize_table(&text[start + 1..])
}

fn demo(args: &[&str]) -> std::process::Output {
    let mut all = vec!["scan", "examples/demo", "--now", "2026-11-22"];
    all.extend(args);
    tollgate().current_dir(repo_root()).args(&all).output().unwrap()
}

/// The JSON report's `framework` object.
fn view(out: &std::process::Output) -> Value {
    let report = json(out);
    assert_eq!(report["schema_version"], tollgate_reports::json::SCHEMA_VERSION);
    report["framework"].clone()
}

fn control<'a>(view: &'a Value, id: &str) -> &'a Value {
    view["controls"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no control {id}"))
}

/// One `[[attestation]]` table.
fn attestation(control: &str, status: &str, expires: Option<&str>) -> String {
    let expires = expires.map_or_else(String::new, |e| format!("expires = {e}\n"));
    format!("[[attestation]]\ncontrol = \"{control}\"\nstatus = \"{status}\"\nevidence = \"evidence for {control}\"\nattested_by = \"ISSO\"\ndate = 2026-01-15\n{expires}\n")
}

/// Attestations making every SP 800-171 requirement satisfied except `except` (id, status).
fn all_satisfied_except(except: &[(&str, &str)]) -> String {
    requirements_171()
        .iter()
        .map(|r| attestation(r.id, except.iter().find(|(id, _)| *id == r.id).map_or("satisfied", |(_, s)| s), None))
        .collect()
}

#[test]
fn demo_fedramp_moderate_golden() {
    let out = demo(&["--framework", "fedramp-moderate"]);
    assert_eq!(code(&out), 1, "the gate still follows the findings: {}", stderr(&out));
    insta::assert_snapshot!("framework_demo_fedramp_moderate_table", framework_section(&out));
    let mut v = view(&demo(&["--framework", "fedramp-moderate", "--format", "json"]));
    assert_eq!(v["controls"].as_array().unwrap().len(), 323);
    assert_eq!(v["sprs"], Value::Null, "SPRS is for SP 800-171 and CMMC only");
    // The 300-odd manual controls are in the table snapshot; keep the JSON one readable.
    let judged: Vec<Value> = v["controls"].as_array().unwrap().iter().filter(|c| c["status"] != "manual").cloned().collect();
    v["controls"] = Value::from(judged);
    insta::assert_json_snapshot!("framework_demo_fedramp_moderate_json", v);
}

#[test]
fn demo_nist_800_171_golden() {
    let out = demo(&["--framework", "nist-800-171-r2"]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("framework_demo_800_171_table", framework_section(&out));
    let v = view(&demo(&["--framework", "nist-800-171-r2", "--format", "json"]));
    insta::assert_json_snapshot!("framework_demo_800_171_json", v);
}

#[test]
fn without_a_framework_the_field_is_null() {
    let out = demo(&["--format", "json"]);
    assert_eq!(view(&out), Value::Null);
    assert!(!stdout(&demo(&[])).contains("FRAMEWORK"));
}

/// Status and SPRS lines of every human format agree with the JSON.
#[test]
fn json_table_and_markdown_tell_the_same_counts() {
    let dir = tree(&[(
        "attest.toml",
        &[attestation("3.12.4", "satisfied", None), attestation("3.5.3", "partial", None), attestation("3.1.2", "not-applicable", None)]
            .concat(),
    )]);
    let attest = dir.path().join("attest.toml");
    let attest = attest.to_str().unwrap();
    for framework in ["nist-800-171-r2", "cmmc-l2", "fedramp-moderate"] {
        let args = ["--framework", framework, "--attestations", attest];
        let v = view(&demo(&[&args[..], &["--format", "json"]].concat()));
        let table = stdout(&demo(&args));
        let md = stdout(&demo(&[&args[..], &["--format", "markdown"]].concat()));
        let t = &v["totals"];
        let n = |k: &str| t[k].as_u64().unwrap();
        let statuses = v["controls"].as_array().unwrap().iter().map(|c| c["status"].as_str().unwrap()).collect::<Vec<_>>();
        for (key, status) in
            [("satisfied", "satisfied"), ("not_satisfied", "not-satisfied"), ("not_assessed", "not-assessed"), ("manual", "manual")]
        {
            assert_eq!(n(key), statuses.iter().filter(|s| **s == status).count() as u64, "{framework} {key}");
        }
        let line = format!(
            "{} of {} satisfied ({:.1}%): {} not satisfied, {} not assessed, {} not applicable, {} manual",
            n("satisfied"),
            n("total"),
            t["percent_satisfied"].as_f64().unwrap(),
            n("not_satisfied"),
            n("not_assessed"),
            n("not_applicable"),
            n("manual")
        );
        assert!(table.contains(&line), "{framework}: `{line}` not in\n{table}");
        let md_line =
            format!("**{} of {} controls satisfied** ({:.1}%)", n("satisfied"), n("total"), t["percent_satisfied"].as_f64().unwrap());
        assert!(md.contains(&md_line), "{framework}: `{md_line}` not in\n{md}");
        for f in v["families"].as_array().unwrap() {
            let row = format!(
                "| {} {} | {} | {} | {} | {} | {} | {} | {:.1}% |",
                f["family"].as_str().unwrap(),
                f["name"].as_str().unwrap(),
                f["total"],
                f["satisfied"],
                f["not_satisfied"],
                f["not_assessed"],
                f["not_applicable"],
                f["manual"],
                f["percent_satisfied"].as_f64().unwrap()
            );
            assert!(md.contains(&row), "{framework}: `{row}` not in the markdown");
            let family = format!("{:4}{}", f["family"].as_str().unwrap(), f["name"].as_str().unwrap());
            let table_row = table.lines().find(|l| l.trim_start().starts_with(&family)).unwrap_or_else(|| panic!("no row for {family}"));
            let cells: Vec<&str> = table_row.trim_start()[family.len()..].split_whitespace().collect();
            let want: Vec<String> = ["total", "satisfied", "not_satisfied", "not_assessed", "not_applicable", "manual"]
                .iter()
                .map(|k| f[k].to_string())
                .chain([format!("{:.1}%", f["percent_satisfied"].as_f64().unwrap())])
                .collect();
            assert_eq!(cells, want, "{framework}: {table_row}");
        }
        let sum: u64 = v["families"].as_array().unwrap().iter().map(|f| f["total"].as_u64().unwrap()).sum();
        assert_eq!(sum, n("total"));
        if framework == "fedramp-moderate" {
            assert!(!table.contains("SPRS") && !md.contains("SPRS"));
            continue;
        }
        let sprs = &v["sprs"];
        let score = sprs["score"].as_i64().unwrap();
        let deducted: i64 = sprs["deductions"].as_array().unwrap().iter().map(|d| d["points"].as_i64().unwrap()).sum();
        assert_eq!((score, sprs["deducted"].as_i64().unwrap()), (110 - deducted, deducted));
        assert!(table.contains(&format!("SPRS score: {score} of 110")), "{table}");
        assert!(md.contains(&format!("**SPRS score:** {score} of 110")), "{md}");
        assert!(table.contains("CMMC Level 2 conditional status: not reachable"));
        let partial = if framework == "cmmc-l2" { "IA.L2-3.5.3" } else { "3.5.3" };
        let d = sprs["deductions"].as_array().unwrap().iter().find(|d| d["requirement"] == partial).unwrap();
        assert_eq!((d["points"].as_i64(), d["partial"].as_bool()), (Some(3), Some(true)));
        assert!(table.contains(&format!("{partial} −3 (partial)")), "{table}");
    }
}

#[test]
fn sprs_end_to_end_with_partial_credit() {
    // (requirements not attested satisfied, expected score, conditional status reachable)
    type Case<'a> = (&'a [(&'a str, &'a str)], Value, bool);
    let cases: [Case; 5] = [
        (&[], Value::from(110), true),
        (&[("3.5.3", "not-satisfied")], Value::from(105), false),
        (&[("3.5.3", "partial")], Value::from(107), false),
        (&[("3.13.11", "partial")], Value::from(107), true),
        (&[("3.12.4", "not-satisfied"), ("3.1.3", "not-satisfied")], Value::Null, false),
    ];
    for (except, score, conditional) in cases {
        let dir = tree(&[("attest.toml", &all_satisfied_except(except)), ("empty/.keep", "")]);
        let out = run_in(
            dir.path(),
            &["scan", "empty", "--no-builtin", "--framework", "nist-800-171-r2", "--attestations", "attest.toml", "--format", "json"],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let sprs = &view(&out)["sprs"];
        assert_eq!((&sprs["score"], sprs["conditional_l2"].as_bool().unwrap()), (&score, conditional), "{except:?}: {sprs}");
    }
}

#[test]
fn attestations_expire_against_the_scan_clock() {
    let dir = tree(&[
        (
            "attest.toml",
            &[attestation("3.12.4", "satisfied", Some("2026-11-21")), attestation("AC-1", "satisfied", Some("2027-01-01"))].concat(),
        ),
        ("empty/.keep", ""),
    ]);
    let run = |now: &str, format: &str| {
        let args = [
            "scan",
            "empty",
            "--no-builtin",
            "--framework",
            "nist-800-171-r2",
            "--attestations",
            "attest.toml",
            "--now",
            now,
            "--format",
            format,
        ];
        run_in(dir.path(), &args)
    };
    let before = view(&run("2026-11-21", "json"));
    let c = control(&before, "3.12.4");
    assert_eq!((c["status"].as_str(), c["attestation"]["expired"].as_bool()), (Some("satisfied"), Some(false)), "valid on its last day");
    assert_eq!(before["sprs"]["score"], 110 - 313);
    let after = view(&run("2026-11-22T08:00:00Z", "json"));
    assert_eq!(after["scan_date"], "2026-11-22");
    let c = control(&after, "3.12.4");
    assert_eq!(c["status"], "not-assessed");
    assert_eq!((c["attestation"]["expired"].as_bool(), c["attestation"]["applied"].as_bool()), (Some(true), Some(false)));
    assert!(c["reason"].as_str().unwrap().contains("expired on 2026-11-21"), "{c}");
    assert_eq!(after["sprs"]["score"], Value::Null, "without a valid SSP attestation the assessment cannot be scored");
    assert_eq!(after["unused_attestations"], serde_json::json!(["AC-1"]));
    let table = stdout(&run("2026-11-22", "table"));
    assert!(table.contains("Expired attestations (1), not counted:\n    3.12.4"), "{table}");
    assert!(table.contains("Attestations of controls outside nist-800-171-r2 (1), not used:\n    AC-1"), "{table}");
    let md = stdout(&run("2026-11-22", "markdown"));
    assert!(md.contains("**Expired attestations** (1, not counted): 3.12.4"), "{md}");
}

#[test]
fn automated_results_and_attestations_combine() {
    let rule = |id: &str, req: &str, body: &str| {
        format!(
            "const RULE = #{{ id: \"{id}\", title: \"{id}\", severity: \"high\", applies_to: [\"json:document\"], controls: [\"CM-6\"], nist_800_171: [\"{req}\"], rationale: \"r\", remediation: \"f\" }};\nfn check(r) {{ {body} }}\n"
        )
    };
    let dir = tree(&[
        ("rules/a.rhai", &rule("X-A-001", "3.4.2", "if r.data.ok == true { pass() } else { fail(\"not ok\", \"ok\") }")),
        ("rules/b.rhai", &rule("X-B-001", "3.4.1", "pass()")),
        ("rules/c.rhai", &rule("X-C-001", "3.4.3", "skip(\"not applicable\")")),
        ("in/app.json", "{\"ok\": false}"),
        ("attest.toml", &[attestation("3.4.2", "satisfied", None), attestation("3.4.3", "satisfied", None)].concat()),
    ]);
    let args = [
        "scan",
        "in",
        "--no-builtin",
        "--rules",
        "rules",
        "--framework",
        "nist-800-171-r2",
        "--attestations",
        "attest.toml",
        "--format",
        "json",
    ];
    let out = run_in(dir.path(), &args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v = view(&out);
    let a = control(&v, "3.4.2");
    assert_eq!((a["status"].as_str(), a["failing_rules"].clone()), (Some("not-satisfied"), serde_json::json!(["X-A-001"])));
    assert_eq!(a["attestation"]["applied"], false, "an attestation never overrides failing findings");
    assert_eq!(control(&v, "3.4.1")["status"], "satisfied");
    let c = control(&v, "3.4.3");
    assert_eq!((c["status"].as_str(), c["attestation"]["applied"].as_bool()), (Some("satisfied"), Some(true)), "fills in for skips: {c}");
}

#[test]
fn unknown_control_in_attestations_is_exit_2_with_a_span() {
    let dir = tree(&[
        ("attest.toml", &[attestation("3.1.1", "satisfied", None), attestation("3.1.99", "satisfied", None)].concat()),
        ("empty/.keep", ""),
    ]);
    let out = run_in(dir.path(), &["scan", "empty", "--framework", "nist-800-171-r2", "--attestations", "attest.toml"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::attestation::unknown_control"), "{err}");
    assert!(err.contains("unknown control `3.1.99`"), "{err}");
    assert!(err.contains("control = \"3.1.99\""), "the diagnostic shows the line: {err}");
    assert!(err.contains("did you mean `3.1.19`?"), "{err}");
    assert!(stdout(&out).is_empty(), "nothing is scanned");
    let bad_status = tree(&[("attest.toml", &attestation("3.1.1", "partial", None))]);
    let out = run_in(bad_status.path(), &["scan", ".", "--framework", "cmmc-l2", "--attestations", "attest.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("`partial` does not apply to `3.1.1`"), "{}", stderr(&out));
}

#[test]
fn framework_and_attestations_from_the_config() {
    let dir = tree(&[
        ("sys/tollgate.toml", "[report]\nframework = \"cmmc-l2\"\nattestations = \"evidence/attest.toml\"\n"),
        ("sys/evidence/attest.toml", &attestation("CA.L2-3.12.4", "satisfied", None)),
        ("sys/app.json", "{}"),
    ]);
    let out = run_in(dir.path(), &["scan", "sys", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = view(&out);
    assert_eq!((v["id"].as_str(), v["title"].as_str()), (Some("cmmc-l2"), Some("CMMC Level 2")));
    assert!(v["attestations_file"].as_str().unwrap().ends_with("attest.toml"), "{}", v["attestations_file"]);
    assert_eq!(control(&v, "CA.L2-3.12.4")["status"], "satisfied");
    assert_eq!(v["sprs"]["score"], 110 - 313);
    // The command line wins over the config.
    let out = run_in(dir.path(), &["scan", "sys", "--format", "json", "--framework", "fedramp-low"]);
    assert_eq!(view(&out)["id"], "fedramp-low");
    // A bad id in the config points at it.
    let bad = tree(&[("tollgate.toml", "[report]\nframework = \"cmmc-l3\"\n"), ("app.json", "{}")]);
    let out = run_in(bad.path(), &["scan", "."]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("unknown framework `cmmc-l3`") && err.contains("framework = \"cmmc-l3\""), "{err}");
}

#[test]
fn usage_errors() {
    let dir = tree(&[("app.json", "{}"), ("attest.toml", "")]);
    let out = run_in(dir.path(), &["scan", ".", "--framework", "fedramp-medium"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown framework `fedramp-medium`"), "{}", stderr(&out));
    let out = run_in(dir.path(), &["scan", ".", "--attestations", "attest.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("but no framework was"), "{}", stderr(&out));
    let out = run_in(dir.path(), &["scan", ".", "--framework", "fedramp-low", "--attestations", "missing.toml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read attestations"), "{}", stderr(&out));
}
