//! Synthetic scan reports for the format modules' unit tests.

use std::sync::Arc;
use tollgate_engine::{Finding, Limits, Location, Policy, ResourceRef, RuleMeta, RuleOverrides, RuleSource, ScanReport, Severity, Status};
use tollgate_inputs::InputError;

/// Rule metadata as the engine loads it, from a minimal rule.
pub fn meta(id: &str, severity: Severity, controls: &[&str], nist_800_171: &[&str]) -> Arc<RuleMeta> {
    let list = |items: &[&str]| items.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let text = format!(
        "const RULE = #{{ id: \"{id}\", title: \"{id} title\", severity: \"{severity}\", applies_to: [\"k8s:Pod\"], \
         controls: [{}], nist_800_171: [{}], rationale: \"Why it matters.\", \
         remediation: \"Fix it: set `x | y`.\\n\\nMore detail.\", references: [\"https://example.com/rule\"] }};\n\
         fn check(r) {{ pass() }}\n",
        list(controls),
        list(nist_800_171)
    );
    let source = RuleSource { path: format!("{id}.rhai"), text: Arc::from(text) };
    let policy = Policy::load(&[source], &RuleOverrides::default(), Limits::default()).expect("test rule loads");
    policy.rules()[0].meta.clone()
}

/// A finding of `rule` on a Pod in `path` at `line`.
pub fn finding(rule: &Arc<RuleMeta>, status: Status, path: &str, line: u32, pod: &str, property: Option<&str>, message: &str) -> Finding {
    Finding {
        rule: rule.clone(),
        status,
        severity: rule.severity,
        resource: Some(ResourceRef { kind: "k8s:Pod".into(), id: pod.into() }),
        location: Some(Location { path: path.into(), start_line: line, end_line: line + 1 }),
        property_path: property.map(str::to_string),
        message: message.into(),
        suppression: None,
        baselined: false,
    }
}

pub fn io_error(path: &str, message: &str) -> InputError {
    InputError::Io { path: path.into(), message: message.into() }
}

/// A report with the summary counted as the engine counts it.
/// The scan time test reports carry: 2025-01-15T10:00:00Z.
pub const SCAN_TIME: i64 = 1_736_935_200;

pub fn report(rules: Vec<Arc<RuleMeta>>, findings: Vec<Finding>, input_errors: Vec<InputError>) -> ScanReport {
    let mut report = ScanReport {
        system: Default::default(),
        rules,
        findings,
        input_errors,
        summary: Default::default(),
        framework: None,
        baseline: None,
        unused_suppressions: Vec::new(),
        scan_time: SCAN_TIME,
    };
    let s = &mut report.summary;
    for f in &report.findings {
        *s.by_status.entry(f.status).or_default() += 1;
        if f.status == Status::Fail {
            *s.failures_by_severity.entry(f.severity).or_default() += 1;
        }
    }
    s.rule_errors = s.by_status.get(&Status::Error).copied().unwrap_or(0);
    s.input_errors = report.input_errors.len();
    s.rules_run = report.rules.len();
    report
}
