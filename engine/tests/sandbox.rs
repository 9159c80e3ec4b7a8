//! A rule that loops forever, recurses without end or allocates without
//! bound must become an `error` finding quickly, and the other rules must
//! still run.

use std::sync::Arc;
use std::time::{Duration, Instant};
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource, Status};
use tollgate_inputs::{parse_text, Format, Resource};

fn rule(id: &str, body: &str) -> RuleSource {
    RuleSource {
        path: format!("{id}.rhai"),
        text: Arc::from(format!(
            "const RULE = #{{ id: \"{id}\", title: \"t\", severity: \"low\", applies_to: [\"json:document\"], controls: [\"CM-6\"], rationale: \"r\", remediation: \"m\" }};\n{body}\n"
        )),
    }
}

fn resource() -> Resource {
    parse_text(Format::JSON, "a.json", &Arc::from("{\"x\": 1}")).unwrap().remove(0)
}

fn run(body: &str, limits: Limits) -> (Status, String, Duration) {
    let policy = Policy::load(&[rule("T-SBX-001", body)], &RuleOverrides::default(), limits).unwrap();
    let started = Instant::now();
    let f = policy.evaluate(&resource()).remove(0);
    (f.status, f.message, started.elapsed())
}

#[test]
fn infinite_loop_hits_the_operation_limit() {
    let (status, message, _) = run("fn check(r) { let n = 0; loop { n += 1; } }", Limits::default());
    assert_eq!(status, Status::Error);
    assert!(message.contains("max_operations"), "{message}");
    // Rhai reports no position for operation-limit errors; the rule file is named.
    assert!(message.contains("T-SBX-001.rhai"), "{message}");
}

#[test]
fn slow_loop_hits_the_time_limit() {
    let limits = Limits { max_operations: u64::MAX / 2, timeout_ms: 100, ..Limits::default() };
    let (status, message, took) = run("fn check(r) { let s = 0; loop { s += 1; } }", limits);
    assert_eq!(status, Status::Error);
    assert!(message.contains("timeout_ms"), "{message}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn runaway_recursion_hits_the_call_depth_limit() {
    let (status, message, _) = run("fn deep(n) { deep(n + 1) }\nfn check(r) { deep(0) }", Limits::default());
    assert_eq!(status, Status::Error);
    assert!(message.contains("call depth"), "{message}");
}

#[test]
fn huge_allocations_hit_the_size_limits() {
    let (status, message, _) = run(r#"fn check(r) { let s = "x"; loop { s += s; } }"#, Limits::default());
    assert_eq!(status, Status::Error);
    assert!(message.contains("exceeds the limit"), "{message}");
    let (status, message, _) = run("fn check(r) { let a = []; a.pad(10000000, 0); pass() }", Limits::default());
    assert_eq!(status, Status::Error);
    assert!(message.contains("exceeds the limit"), "{message}");
}

#[test]
fn one_rule_cannot_change_what_the_next_rule_sees() {
    let sources = [
        rule("T-SBX-020", "fn check(r) { r.data.x = 2; pass() }"),
        rule("T-SBX-021", "fn check(r) { if r.data.x == 1 { pass() } else { fail(\"mutated\") } }"),
    ];
    let policy = Policy::load(&sources, &RuleOverrides::default(), Limits::default()).unwrap();
    let findings = policy.evaluate(&resource());
    let statuses: Vec<_> = findings.iter().map(|f| f.status).collect();
    // Resources are read-only views: writing is an error for the writer only.
    assert_eq!(statuses, vec![Status::Error, Status::Pass]);
    assert!(findings[0].message.contains("read-only"), "{}", findings[0].message);
}

#[test]
fn no_eval_and_no_file_access() {
    let sources = [rule("T-SBX-002", "fn check(r) { eval(\"1\") }")];
    assert!(Policy::load(&sources, &RuleOverrides::default(), Limits::default()).is_err());
    // No module resolver: an import at the top level fails the load…
    let top = [rule("T-SBX-003", "import \"/etc/passwd\" as p;\nfn check(r) { pass() }")];
    assert!(Policy::load(&top, &RuleOverrides::default(), Limits::default()).is_err());
    // …and one inside check is an error finding.
    let (status, message, _) = run("fn check(r) { import \"/etc/passwd\" as p; pass() }", Limits::default());
    assert_eq!(status, Status::Error, "{message}");
}

#[test]
fn one_bad_rule_does_not_stop_the_others() {
    let sources = [rule("T-SBX-010", "fn check(r) { loop {} }"), rule("T-SBX-011", "fn check(r) { fail(\"bad x\", \"x\") }")];
    let policy = Policy::load(&sources, &RuleOverrides::default(), Limits::default()).unwrap();
    let findings = policy.evaluate(&resource());
    let statuses: Vec<_> = findings.iter().map(|f| (f.rule.id.as_str(), f.status)).collect();
    assert_eq!(statuses, vec![("T-SBX-010", Status::Error), ("T-SBX-011", Status::Fail)]);
}
