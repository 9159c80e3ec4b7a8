//! The JSON report: the complete, versioned record of a scan.
//!
//! The shape is documented in `docs/report-json.md`. Bump [`SCHEMA_VERSION`]
//! on any change a consumer could notice; add fields rather than rename them.

use crate::RenderOptions;
use serde::Serialize;
use serde_json::{Map, Value};
use tollgate_engine::{Finding, ScanReport, Severity, Status, Summary, SystemInfo};

/// Version of the JSON report's shape.
pub const SCHEMA_VERSION: &str = "1.3";

#[derive(Serialize)]
struct Document<'a> {
    tool: &'static str,
    version: &'static str,
    schema_version: &'static str,
    system: &'a SystemInfo,
    /// See [`crate::gate_json`]; `blocking`, `frameworks` and `rules` are schema 1.2.
    gate: Value,
    summary: SummaryOut<'a>,
    findings: Vec<FindingOut<'a>>,
    errors: Vec<ErrorOut>,
    /// The gap report of `--framework` (schema 1.1), `null` without one.
    framework: Option<&'a tollgate_engine::framework::FrameworkView>,
    /// How failures compare with `--baseline` (schema 1.2), `null` without one.
    baseline: Option<&'a tollgate_engine::baseline::BaselineSummary>,
    /// Inline suppressions that covered no failure (schema 1.3).
    unused_suppressions: &'a [tollgate_inputs::Suppression],
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    /// Always lists every status and severity, zeros included, in a fixed order.
    findings: Map<String, Value>,
    failures_by_severity: Map<String, Value>,
    #[serde(flatten)]
    counts: &'a Summary,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule_id: &'a str,
    title: &'a str,
    status: Status,
    severity: Severity,
    controls: Map<String, Value>,
    resource: Option<&'a tollgate_engine::ResourceRef>,
    location: Option<&'a tollgate_engine::Location>,
    property_path: Option<&'a str>,
    message: &'a str,
    remediation: &'a str,
    /// The inline suppression covering it (schema 1.2); absent when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    suppression: Option<&'a tollgate_engine::SuppressionRef>,
    /// With a baseline: whether the baseline already records this failure (schema 1.2).
    #[serde(skip_serializing_if = "Option::is_none")]
    baselined: Option<bool>,
}

#[derive(Serialize)]
struct ErrorOut {
    code: String,
    path: String,
    line: Option<u32>,
    message: String,
}

fn finding(f: &Finding, with_baseline: bool) -> FindingOut<'_> {
    FindingOut {
        rule_id: &f.rule.id,
        title: &f.rule.title,
        status: f.status,
        severity: f.severity,
        controls: f.rule.controls_by_framework().into_iter().map(|(k, v)| (k.to_string(), Value::from(v))).collect(),
        resource: f.resource.as_ref(),
        location: f.location.as_ref(),
        property_path: f.property_path.as_deref(),
        message: &f.message,
        remediation: &f.rule.remediation,
        suppression: f.suppression.as_deref(),
        baselined: (with_baseline && f.status == Status::Fail).then_some(f.baselined),
    }
}

/// Renders the report as pretty-printed JSON with a trailing newline.
pub fn render(report: &ScanReport, options: &RenderOptions) -> Vec<u8> {
    let s = &report.summary;
    let findings = Status::ALL.iter().map(|st| (st.as_str().to_string(), Value::from(s.by_status.get(st).copied().unwrap_or(0)))).collect();
    let failures_by_severity = Severity::ALL
        .iter()
        .map(|sev| (sev.as_str().to_string(), Value::from(s.failures_by_severity.get(sev).copied().unwrap_or(0))))
        .collect();
    let doc = Document {
        tool: "tollgate",
        version: env!("CARGO_PKG_VERSION"),
        schema_version: SCHEMA_VERSION,
        system: &report.system,
        gate: crate::gate_json(report, &options.gate),
        summary: SummaryOut { findings, failures_by_severity, counts: s },
        findings: report.findings.iter().map(|f| finding(f, report.baseline.is_some())).collect(),
        errors: report
            .input_errors
            .iter()
            .map(|e| ErrorOut { code: e.code_str(), path: e.path().to_string(), line: e.line(), message: e.message() })
            .collect(),
        framework: report.framework.as_ref(),
        baseline: report.baseline.as_ref(),
        unused_suppressions: &report.unused_suppressions,
    };
    let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    out.push(b'\n');
    out
}
