//! HTML: one self-contained page for people who do not read JSON.
//!
//! Summary (verdict, counts, system), charts as inline SVG drawn here
//! ([`charts`]), the framework view when the scan has one, every finding in
//! a table that a few lines of vanilla JavaScript filter and sort, then one
//! `<details>` per SP 800-53 control with its rules, rationale, remediation
//! and findings, and the input errors.
//!
//! The page is built from a MiniJinja template (`reports/templates/`,
//! embedded with `include_str!`) over a view model made here, so the
//! template holds markup only and every number comes from Rust. Everything
//! from the scan is escaped by the template engine's HTML auto-escaping;
//! the stylesheet and script are static files. A Content-Security-Policy
//! with their SHA-256 hashes forbids any other script, style or network
//! load, so the file works offline and cannot be made to load anything.
//!
//! Deterministic: the only time on the page is the scan clock
//! ([`crate::assessed::scan_started`]), and everything is in a fixed order.

pub mod charts;

use crate::assessed::{self, control_results, effective_severities, framework_title, scan_started, timestamp};
use crate::{count, verdict, RenderOptions};
use charts::{stacked, Chart, Row as ChartRow};
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use tollgate_engine::catalog::family_name;
use tollgate_engine::framework::{ControlStatus, FrameworkView};
use tollgate_engine::{FailOn, Finding, RuleMeta, ScanReport, Severity, Status};

const TEMPLATE: &str = include_str!("../../templates/report.html");
/// Macros both pages import (`{% from "charts.html" import chart %}`).
const MACROS: &str = include_str!("../../templates/charts.html");
/// The page skeleton (head, CSP, style and script slots) both reports extend.
const LAYOUT: &str = include_str!("../../templates/layout.html");
/// The stylesheet every HTML page starts from (the program report adds to it).
pub(crate) const CSS: &str = include_str!("../../templates/report.css");
/// Sorting and filtering of tables: shared by the scan and program pages.
pub(crate) const JS: &str = include_str!("../../templates/report.js");

/// A template environment as every HTML page uses it: strict about
/// undefined values, block tags trimmed, the shared macros, and `template`
/// registered under `name`, whose `.html` ending turns on HTML auto-escaping
/// for every `{{ }}`.
pub(crate) fn template_environment(name: &'static str, template: &'static str) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("static syntax config"),
    );
    env.add_template("charts.html", MACROS).expect("the shared macros parse");
    env.add_template("layout.html", LAYOUT).expect("the page layout parses");
    env.add_template(name, template).expect("an HTML report template parses");
    env
}

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| template_environment("report.html", TEMPLATE))
}

/// `sha256-…` of `text`, as a CSP source expression.
pub(crate) fn csp_hash(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::from("'sha256-");
    for chunk in digest.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out.push('\'');
    out
}

/// The page's Content-Security-Policy: nothing but the page's own style and script.
pub fn content_security_policy() -> String {
    policy(CSS, JS)
}

/// A Content-Security-Policy that admits exactly one inline `style` and one
/// inline `script` element with these contents, and nothing from anywhere.
pub(crate) fn policy(style: &str, script: &str) -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(style),
        csp_hash(script)
    )
}

#[derive(Serialize)]
struct Count {
    key: &'static str,
    label: String,
    n: usize,
}

#[derive(Serialize)]
struct Field {
    label: &'static str,
    value: String,
}

/// One row of the findings table.
#[derive(Serialize)]
struct FindingRow {
    status: &'static str,
    severity: &'static str,
    /// 4 for critical … 1 for low, for sorting.
    severity_rank: u8,
    rule_id: String,
    rule_title: String,
    controls: String,
    resource: String,
    location: String,
    /// Path, then the line zero-padded, so text order is file order.
    location_key: String,
    property_path: String,
    message: String,
    /// `in baseline` or the suppression, when one applies.
    note: String,
}

#[derive(Serialize)]
struct Link {
    text: String,
    /// Only `http(s)` references become links.
    href: Option<String>,
}

#[derive(Serialize)]
struct RuleFinding {
    status: &'static str,
    resource: String,
    location: String,
    property_path: String,
    message: String,
}

#[derive(Serialize)]
struct RuleView {
    id: String,
    title: String,
    severity: &'static str,
    /// The rule's mappings in other frameworks: `nist-800-171-r2 3.1.5`.
    mappings: Vec<String>,
    rationale: String,
    remediation: String,
    references: Vec<Link>,
    /// Whether any finding is a verdict (pass, fail or error). Rules
    /// without one are listed in one line, with why.
    assessed: bool,
    /// Why a rule without verdicts was not assessed.
    not_assessed_because: String,
    findings: Vec<RuleFinding>,
}

#[derive(Serialize)]
struct ControlView {
    id: String,
    anchor: String,
    title: String,
    state: &'static str,
    state_label: &'static str,
    counts: Vec<Count>,
    rules: Vec<RuleView>,
}

#[derive(Serialize)]
struct FamilyView {
    code: String,
    name: String,
    controls: Vec<ControlView>,
}

#[derive(Serialize)]
struct InputErrorRow {
    location: String,
    code: String,
    message: String,
}

#[derive(Serialize)]
struct Skipped {
    rule_id: String,
    title: String,
    message: String,
}

#[derive(Serialize)]
struct FrameworkControlRow {
    id: String,
    title: String,
    family: String,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    rules: String,
    attestation: String,
}

#[derive(Serialize)]
struct FrameworkFamilyRow {
    family: String,
    name: String,
    counts: Vec<usize>,
    percent: String,
}

#[derive(Serialize)]
struct SprsView {
    score: String,
    conditional: String,
    deductions: Vec<Field>,
}

/// The framework view (`--framework`), flattened for the template.
#[derive(Serialize)]
struct FrameworkSection {
    id: String,
    title: String,
    scan_date: String,
    attestations_file: Option<String>,
    totals: Vec<Count>,
    percent: String,
    statuses: Vec<&'static str>,
    families: Vec<FrameworkFamilyRow>,
    controls: Vec<FrameworkControlRow>,
    sprs: Option<SprsView>,
}

#[derive(Serialize)]
struct Page {
    title: String,
    scanned_at: String,
    version: &'static str,
    verdict: &'static str,
    fail_on: String,
    gate: String,
    /// The gate's notes: a partial (`--changed-since`) scan, a baseline comparison.
    notes: Vec<String>,
    system: Vec<Field>,
    statuses: Vec<Count>,
    severities: Vec<Count>,
    scope: Vec<Count>,
    charts: Vec<Chart>,
    framework: Option<FrameworkSection>,
    findings: Vec<FindingRow>,
    families: Vec<FamilyView>,
    input_errors: Vec<InputErrorRow>,
    not_assessed: Vec<Skipped>,
    csp: String,
    css: Value,
    js: Value,
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Critical => 4,
        Severity::High => 3,
        Severity::Moderate => 2,
        Severity::Low => 1,
    }
}

pub(crate) fn capitalized(s: &str) -> String {
    let mut cs = s.chars();
    cs.next().map(|c| c.to_uppercase().chain(cs).collect()).unwrap_or_default()
}

fn resource(f: &Finding) -> String {
    f.resource.as_ref().map_or_else(String::new, |r| format!("{} {}", r.kind, r.id))
}

fn location(f: &Finding) -> String {
    f.location.as_ref().map_or_else(String::new, |l| format!("{}:{}", l.path, l.start_line))
}

fn finding_row(f: &Finding) -> FindingRow {
    FindingRow {
        status: f.status.as_str(),
        severity: f.severity.as_str(),
        severity_rank: severity_rank(f.severity),
        rule_id: f.rule.id.clone(),
        rule_title: f.rule.title.clone(),
        controls: f.rule.controls.join(", "),
        resource: resource(f),
        location: location(f),
        location_key: f.location.as_ref().map_or_else(String::new, |l| format!("{}\t{:010}", l.path, l.start_line)),
        property_path: f.property_path.clone().unwrap_or_default(),
        message: f.message.clone(),
        note: match (f.baselined, crate::suppression_note(f)) {
            (_, Some(note)) => format!("suppressed: {note}"),
            (true, None) => "in baseline".to_string(),
            (false, None) => String::new(),
        },
    }
}

/// The table's first order: failures, errors, passes, skips; the most
/// severe first within each; then the report's order (file, line, rule).
fn findings_in_table_order(report: &ScanReport) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = report.findings.iter().collect();
    out.sort_by_key(|f| (Status::ALL.iter().position(|s| *s == f.status), std::cmp::Reverse(f.severity)));
    out
}

fn status_label(s: ControlStatus) -> &'static str {
    s.label()
}

fn rule_view(rule: &RuleMeta, severity: Severity, findings: &[&Finding]) -> RuleView {
    let own: Vec<&&Finding> = findings.iter().filter(|f| f.rule.id == rule.id).collect();
    RuleView {
        assessed: own.iter().any(|f| f.status != Status::Skip),
        not_assessed_because: own.first().map_or_else(|| "no finding".to_string(), |f| f.message.clone()),
        id: rule.id.clone(),
        title: rule.title.clone(),
        severity: severity.as_str(),
        mappings: rule
            .controls_by_framework()
            .into_iter()
            .filter(|(fw, _)| *fw != "nist-800-53-r5")
            .map(|(fw, ids)| format!("{}: {}", framework_title(fw), ids.join(", ")))
            .collect(),
        rationale: rule.rationale.trim().to_string(),
        remediation: rule.remediation.trim().to_string(),
        references: rule
            .references
            .iter()
            .map(|r| Link { text: r.clone(), href: (r.starts_with("https://") || r.starts_with("http://")).then(|| r.clone()) })
            .collect(),
        findings: own
            .iter()
            .map(|f| RuleFinding {
                status: f.status.as_str(),
                resource: resource(f),
                location: location(f),
                property_path: f.property_path.clone().unwrap_or_default(),
                message: f.message.clone(),
            })
            .collect(),
    }
}

/// SP 800-53 controls the rules name, grouped by family, with their evidence.
fn families(report: &ScanReport) -> Vec<FamilyView> {
    let severities = effective_severities(report);
    let mut out: Vec<FamilyView> = Vec::new();
    for c in control_results(report, "nist-800-53-r5") {
        let state = c.state();
        let view = ControlView {
            anchor: format!("control-{}", crate::oscal::control_id(&c.id).replace('.', "-")),
            title: c.title().to_string(),
            state: state.as_str(),
            state_label: status_label(state),
            counts: [Status::Fail, Status::Error, Status::Pass, Status::Skip]
                .into_iter()
                .map(|s| Count { key: s.as_str(), label: s.as_str().to_string(), n: c.count(s) })
                .collect(),
            rules: c
                .rules
                .iter()
                .map(|r| rule_view(r, severities.get(r.id.as_str()).copied().unwrap_or(r.severity), &c.findings))
                .collect(),
            id: c.id.clone(),
        };
        let code = c.family();
        match out.last_mut() {
            Some(f) if f.code == code => f.controls.push(view),
            _ => out.push(FamilyView { name: family_name(&code).to_string(), code, controls: vec![view] }),
        }
    }
    out
}

const FINDING_SERIES: [(&str, &str); 3] = [("fail", "failed"), ("error", "errored"), ("pass", "passed")];

fn finding_counts<'a>(findings: impl Iterator<Item = &'a Finding>) -> Vec<usize> {
    let mut n = [0usize; 3];
    for f in findings {
        match f.status {
            Status::Fail => n[0] += 1,
            Status::Error => n[1] += 1,
            Status::Pass => n[2] += 1,
            Status::Skip | Status::Suppressed => {}
        }
    }
    n.to_vec()
}

fn charts(report: &ScanReport) -> Vec<Chart> {
    // Findings by the family of their rule's first control, as in the table and JUnit reports.
    let mut by_family: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.status != Status::Skip) {
        by_family.entry(f.rule.family()).or_default().push(f);
    }
    let family_rows = by_family
        .into_iter()
        .map(|(code, fs)| ChartRow { label: format!("{code} {}", family_name(code)), counts: finding_counts(fs.into_iter()) })
        .collect();
    let severity_rows = Severity::ALL
        .iter()
        .map(|s| ChartRow { label: capitalized(s.as_str()), counts: finding_counts(report.findings.iter().filter(|f| f.severity == *s)) })
        .collect();
    let framework_rows = assessed::FRAMEWORKS
        .iter()
        .map(|fw| {
            let controls = control_results(report, fw);
            ChartRow {
                label: framework_title(fw).to_string(),
                counts: assessed::state_counts(&controls).into_iter().map(|(_, n)| n).collect(),
            }
        })
        .collect();
    vec![
        stacked(
            "chart-family",
            "Findings by control family",
            "Each finding counts once, under the family of its rule's first SP 800-53 control. Skips are not verdicts and are not drawn.",
            &FINDING_SERIES,
            family_rows,
        ),
        stacked(
            "chart-severity",
            "Findings by severity",
            "Passing, failing and erroring checks per severity. Skips are not drawn.",
            &FINDING_SERIES,
            severity_rows,
        ),
        stacked(
            "chart-framework",
            "Controls by framework",
            "Controls (SP 800-53), requirements (SP 800-171) and practices (CMMC) that the rules name, by what their findings say: \
             not satisfied if any failed, satisfied if some passed and none failed or errored, otherwise not assessed.",
            &[("not-satisfied", "not satisfied"), ("not-assessed", "not assessed"), ("satisfied", "satisfied")],
            framework_rows,
        ),
    ]
}

/// The framework view as the page shows it. `None` when the scan was not
/// asked for one (`--framework`).
fn framework_section(view: Option<&FrameworkView>) -> Option<FrameworkSection> {
    let v = view?;
    let t = &v.totals;
    let statuses = ControlStatus::ALL;
    Some(FrameworkSection {
        id: v.id.to_string(),
        title: v.title.to_string(),
        scan_date: v.scan_date.clone(),
        attestations_file: v.attestations_file.clone(),
        totals: statuses.iter().map(|s| Count { key: s.as_str(), label: s.label().to_string(), n: t.count(*s) }).collect(),
        percent: format!("{:.1}", t.percent_satisfied),
        statuses: statuses.iter().map(|s| s.label()).collect(),
        families: v
            .families
            .iter()
            .map(|f| FrameworkFamilyRow {
                family: f.family.to_string(),
                name: f.name.to_string(),
                counts: statuses.iter().map(|s| f.totals.count(*s)).collect(),
                percent: format!("{:.1}", f.totals.percent_satisfied),
            })
            .collect(),
        controls: v
            .controls
            .iter()
            .map(|c| FrameworkControlRow {
                id: c.id.to_string(),
                title: c.title.to_string(),
                family: c.family.to_string(),
                status: c.status.as_str(),
                status_label: c.status.label(),
                reason: c.reason.clone(),
                rules: c.rules.join(", "),
                attestation: c.attestation.as_ref().map_or_else(String::new, |a| {
                    let mut s = format!("{} by {} on {} ({})", a.status.as_str(), a.attested_by, a.date, a.evidence);
                    if a.expired {
                        s.push_str(", expired");
                    }
                    s
                }),
            })
            .collect(),
        sprs: v.sprs.as_ref().map(|s| SprsView {
            score: s.score_text(),
            conditional: s.conditional_text(),
            deductions: s
                .deductions
                .iter()
                .map(|d| Field {
                    label: d.requirement,
                    value: format!("−{} ({}{})", d.points, d.status.label(), if d.partial { ", partial" } else { "" }),
                })
                .collect(),
        }),
    })
}

fn page(report: &ScanReport, options: &RenderOptions) -> Page {
    let sys = &report.system;
    let s = &report.summary;
    let mut title = "Tollgate report".to_string();
    if let Some(name) = &sys.name {
        title.push_str(&format!(": {name}"));
        if let Some(id) = &sys.id {
            title.push_str(&format!(" ({id})"));
        }
    }
    let system = [
        ("System", sys.name.clone()),
        ("System id", sys.id.clone()),
        ("FIPS 199 categorization", sys.categorization.map(|c| c.as_str().to_string())),
        ("Owner", sys.owner.clone()),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|value| Field { label, value }))
    .collect();
    let errors = count(report, Status::Error) + s.input_errors;
    let statuses = vec![
        Count { key: "fail", label: "failed".into(), n: count(report, Status::Fail) },
        Count { key: "pass", label: "passed".into(), n: count(report, Status::Pass) },
        Count { key: "error", label: if errors == 1 { "error" } else { "errors" }.into(), n: errors },
        Count { key: "skip", label: "skipped".into(), n: count(report, Status::Skip) },
    ];
    let mut statuses = statuses;
    if count(report, Status::Suppressed) > 0 {
        statuses.push(Count { key: "suppressed", label: "suppressed".into(), n: count(report, Status::Suppressed) });
    }
    let severities = Severity::ALL
        .iter()
        .map(|sev| Count { key: sev.as_str(), label: capitalized(sev.as_str()), n: s.failures_by_severity.get(sev).copied().unwrap_or(0) })
        .collect();
    let scope = vec![
        Count { key: "files", label: "files scanned".into(), n: s.files_scanned },
        Count { key: "resources", label: "resources".into(), n: s.resources },
        Count { key: "rules", label: "rules run".into(), n: s.rules_run },
        Count { key: "evaluations", label: "evaluations".into(), n: usize::try_from(s.evaluations).unwrap_or(usize::MAX) },
    ];
    let gate = match options.gate.default {
        FailOn::At(sev) => format!("The gate fails on any failure of severity {sev} or above, and on any error."),
        FailOn::Never => "The gate is off (--fail-on never).".to_string(),
    };
    Page {
        title,
        scanned_at: timestamp(scan_started(report).saturating_mul(1000)),
        version: env!("CARGO_PKG_VERSION"),
        verdict: verdict(report, &options.gate),
        notes: crate::changed_since_note(&report.summary)
            .into_iter()
            .chain(report.baseline.as_ref().map(|b| {
                format!(
                    "Baseline {}: {} new failure(s), {} already recorded (not gating), {} fixed since.",
                    b.path, b.new, b.unchanged, b.absent
                )
            }))
            .collect(),
        fail_on: options.gate.default.to_string(),
        gate,
        system,
        statuses,
        severities,
        scope,
        charts: charts(report),
        framework: framework_section(report.framework.as_ref()),
        findings: findings_in_table_order(report).into_iter().map(finding_row).collect(),
        families: families(report),
        input_errors: report
            .input_errors
            .iter()
            .map(|e| InputErrorRow {
                location: e.line().map_or_else(|| e.path().to_string(), |l| format!("{}:{l}", e.path())),
                code: e.code_str(),
                message: e.message(),
            })
            .collect(),
        not_assessed: report
            .findings
            .iter()
            .filter(|f| f.status == Status::Skip && f.resource.is_none())
            .map(|f| Skipped { rule_id: f.rule.id.clone(), title: f.rule.title.clone(), message: f.message.clone() })
            .collect(),
        csp: content_security_policy(),
        css: Value::from_safe_string(CSS.to_string()),
        js: Value::from_safe_string(JS.to_string()),
    }
}

/// Renders the page.
pub fn render(report: &ScanReport, options: &RenderOptions) -> String {
    let template = environment().get_template("report.html").expect("the HTML report template is registered");
    template.render(Value::from(Serde(page(report, options)))).expect("the HTML report template renders")
}

#[cfg(test)]
mod tests;
