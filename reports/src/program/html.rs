//! The program report as one self-contained HTML page for the ISSM.
//!
//! Built like the scan report ([`crate::html`]): a MiniJinja template
//! (`reports/templates/program.html`, embedded at compile time) over a view
//! model made here, HTML auto-escaping for everything from the report, the
//! scan report's stylesheet plus `program.css` in one `<style>`, the shared
//! table script (`report.js`), and a Content-Security-Policy admitting only
//! those two by hash. No external assets: the file works offline.
//!
//! Sections: the program and its totals; a chart of findings per control
//! family; the systems × families heat map ([`heatmap`]); the worst
//! controls; every system's numbers in a sortable, filterable table; the
//! trend when there is one ([`trend`]); and the POA&M rollup, cut at
//! [`POAM_SHOWN`] items (the xlsx and JSON reports hold them all), so that
//! a thousand-system program still gives a page a browser opens quickly.
//!
//! Deterministic: the only time on the page is the report's scan time.

mod heatmap;
mod trend;

use super::text::{gate_rule, rate, status, verdict};
use crate::assessed::framework_title;
use crate::html::charts::{stacked, Chart, Row as ChartRow};
use crate::html::{capitalized, policy, template_environment, CSS, JS};
use minijinja::value::Serde;
use minijinja::{Environment, Value};
use serde::Serialize;
use std::sync::OnceLock;
use tollgate_engine::catalog::family_name;
use tollgate_engine::program::{ProgramReport, SeverityCounts, SystemResult, SystemStatus};
use tollgate_engine::Severity;

const TEMPLATE: &str = include_str!("../../templates/program.html");
const PROGRAM_CSS: &str = include_str!("../../templates/program.css");

/// POA&M items shown on the page, highest risk first.
pub const POAM_SHOWN: usize = 500;
/// System ids listed per worst control; the rest are counted.
const SYSTEMS_LISTED: usize = 10;

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| template_environment("program.html", TEMPLATE))
}

/// The page's stylesheet: the scan report's, then the program page's.
fn stylesheet() -> String {
    format!("{CSS}\n{PROGRAM_CSS}")
}

/// The page's Content-Security-Policy.
pub fn content_security_policy() -> String {
    policy(&stylesheet(), JS)
}

#[derive(Serialize)]
struct Field {
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct Count {
    key: &'static str,
    label: String,
    n: String,
}

#[derive(Serialize)]
struct SystemRow {
    id: String,
    name: String,
    path: String,
    categorization: &'static str,
    owner: String,
    isso: String,
    pass_rate: String,
    /// The rate for sorting; −1 when there is none.
    pass_rate_key: String,
    /// Failures: critical, high, moderate, low.
    failures: [usize; 4],
    sprs: String,
    sprs_key: i32,
    satisfied: String,
    satisfied_key: String,
    poam_items: usize,
    max_risk: String,
    max_risk_key: i32,
    gate: &'static str,
    status: &'static str,
    error: String,
}

#[derive(Serialize)]
struct ControlRow {
    control: String,
    family: String,
    family_name: String,
    systems_failing: usize,
    systems: String,
    rules: String,
    max_risk: u8,
    affected: usize,
}

#[derive(Serialize)]
struct PoamRow {
    score: u8,
    level: &'static str,
    system: String,
    system_name: String,
    rule_id: String,
    title: String,
    severity: &'static str,
    controls: String,
    affected: usize,
    due: String,
}

#[derive(Serialize)]
struct Page {
    title: String,
    scanned_at: String,
    version: String,
    verdict: &'static str,
    gate_rule: String,
    program: Vec<Field>,
    totals: Vec<Count>,
    severities: Vec<Count>,
    levels: Vec<Count>,
    sprs: Vec<Field>,
    family_chart: Chart,
    heatmap: heatmap::HeatMap,
    worst: Vec<ControlRow>,
    systems: Vec<SystemRow>,
    /// Whether the SPRS and framework columns apply.
    has_sprs: bool,
    has_framework: bool,
    trend: Option<trend::TrendView>,
    poam: Vec<PoamRow>,
    poam_total: usize,
    poam_omitted: usize,
    csp: String,
    css: Value,
    js: Value,
}

fn severity_counts(c: &SeverityCounts) -> Vec<Count> {
    let n = [c.critical, c.high, c.moderate, c.low];
    Severity::ALL.iter().zip(n).map(|(s, n)| Count { key: s.as_str(), label: capitalized(s.as_str()), n: n.to_string() }).collect()
}

fn system_row(s: &SystemResult) -> SystemRow {
    let f = &s.failures_by_severity;
    let score = s.sprs.and_then(|x| x.score);
    SystemRow {
        id: s.id.clone(),
        name: s.name.clone(),
        path: s.path.clone(),
        categorization: s.categorization.map_or("", |c| c.as_str()),
        owner: s.owner.clone().unwrap_or_default(),
        isso: s.isso.clone().unwrap_or_default(),
        pass_rate: rate(s.pass_rate),
        pass_rate_key: s.pass_rate.map_or_else(|| "-1".to_string(), |r| format!("{r:.1}")),
        failures: [f.critical, f.high, f.moderate, f.low],
        sprs: match (s.sprs, score) {
            (None, _) => "–".to_string(),
            (Some(_), None) => "not scored".to_string(),
            (Some(_), Some(n)) => n.to_string(),
        },
        sprs_key: score.unwrap_or(-1000),
        satisfied: rate(s.framework.as_ref().map(|f| f.percent_satisfied)),
        satisfied_key: s.framework.as_ref().map_or_else(|| "-1".to_string(), |f| format!("{:.1}", f.percent_satisfied)),
        poam_items: s.poam_items,
        max_risk: s.max_risk.map_or_else(|| "–".to_string(), |r| r.to_string()),
        max_risk_key: s.max_risk.map_or(-1, i32::from),
        gate: verdict(s.gate),
        status: status(s.status),
        error: if s.status == SystemStatus::Broken { super::text::error_line(s) } else { String::new() },
    }
}

fn totals(r: &ProgramReport) -> Vec<Count> {
    let t = &r.totals;
    let passing = t.systems - t.systems_failing;
    [
        ("systems", "systems", t.systems.to_string()),
        ("ok", "scanned", t.systems_ok.to_string()),
        ("broken", "broken", t.systems_broken.to_string()),
        ("gate-pass", "passing the gate", passing.to_string()),
        ("gate-fail", "failing the gate", t.systems_failing.to_string()),
        ("fail", "failing findings", t.findings.fail.to_string()),
        ("pass-rate", "pass rate", rate(t.pass_rate)),
        ("poam", "POA&M items", t.poam_items.to_string()),
    ]
    .into_iter()
    .map(|(key, label, n)| Count { key, label: label.to_string(), n })
    .collect()
}

fn sprs_fields(r: &ProgramReport) -> Vec<Field> {
    let Some(s) = &r.totals.sprs else { return Vec::new() };
    let score = |n: Option<i32>| n.map_or_else(|| "–".to_string(), |n| n.to_string());
    vec![
        Field { label: "Systems scored", value: s.systems_scored.to_string() },
        Field { label: "Not scored (3.12.4 unmet)", value: s.systems_unscored.to_string() },
        Field { label: "Lowest", value: score(s.lowest) },
        Field { label: "Highest", value: score(s.highest) },
        Field { label: "Average", value: s.average.map_or_else(|| "–".to_string(), |a| format!("{a:.1}")) },
        Field { label: "CMMC Level 2 conditional reachable", value: s.conditional_l2.to_string() },
    ]
}

fn family_chart(r: &ProgramReport) -> Chart {
    let rows = r
        .totals
        .families
        .iter()
        .map(|(code, c)| ChartRow { label: format!("{code} {}", family_name(code)), counts: vec![c.fail, c.error, c.pass] })
        .collect();
    stacked(
        "chart-family",
        "Findings by control family, all systems",
        "A finding counts once in each SP 800-53 family its rule maps to.",
        &[("fail", "failed"), ("error", "errored"), ("pass", "passed")],
        rows,
    )
}

fn worst(r: &ProgramReport) -> Vec<ControlRow> {
    r.worst_controls
        .iter()
        .map(|c| {
            let mut systems = c.systems.iter().take(SYSTEMS_LISTED).cloned().collect::<Vec<_>>().join(", ");
            if c.systems.len() > SYSTEMS_LISTED {
                systems.push_str(&format!(" and {} more", c.systems.len() - SYSTEMS_LISTED));
            }
            ControlRow {
                control: c.control.clone(),
                family_name: family_name(&c.family).to_string(),
                family: c.family.clone(),
                systems_failing: c.systems_failing,
                systems,
                rules: c.rules.join(", "),
                max_risk: c.max_risk,
                affected: c.affected,
            }
        })
        .collect()
}

fn poam_rows(r: &ProgramReport) -> Vec<PoamRow> {
    r.poam
        .iter()
        .take(POAM_SHOWN)
        .map(|i| PoamRow {
            score: i.risk.score,
            level: i.risk.level.as_str(),
            system: i.system.clone(),
            system_name: i.system_name.clone(),
            rule_id: i.rule_id.clone(),
            title: i.title.clone(),
            severity: i.severity.as_str(),
            controls: i.controls.join(", "),
            affected: i.affected,
            due: i.due.clone(),
        })
        .collect()
}

fn page(r: &ProgramReport) -> Page {
    let p = &r.program;
    let mut title = format!("Program report: {}", p.name);
    if let Some(id) = &p.id {
        title.push_str(&format!(" ({id})"));
    }
    let program = [
        ("Program", Some(p.name.clone())),
        ("Program id", p.id.clone()),
        ("Owner", p.owner.clone()),
        ("Framework", r.framework.as_deref().map(|f| format!("{} ({f})", framework_title(f)))),
        ("Gate threshold", Some(r.fail_on.clone().unwrap_or_else(|| "each system's own".to_string()))),
    ]
    .into_iter()
    .filter_map(|(label, value)| value.map(|value| Field { label, value }))
    .collect();
    let css = stylesheet();
    Page {
        title,
        scanned_at: r.scan_time.clone(),
        version: r.version.clone(),
        verdict: verdict(r.gate),
        gate_rule: gate_rule(r.fail_on.as_deref()),
        program,
        totals: totals(r),
        severities: severity_counts(&r.totals.failures_by_severity),
        levels: severity_counts(&r.totals.poam_by_level),
        sprs: sprs_fields(r),
        family_chart: family_chart(r),
        heatmap: heatmap::build(r),
        worst: worst(r),
        systems: r.systems.iter().map(system_row).collect(),
        has_sprs: r.totals.sprs.is_some(),
        has_framework: r.framework.is_some(),
        trend: r.trend.as_ref().map(|t| trend::view(t, r)),
        poam: poam_rows(r),
        poam_total: r.poam.len(),
        poam_omitted: r.poam.len().saturating_sub(POAM_SHOWN),
        csp: policy(&css, JS),
        css: Value::from_safe_string(css),
        js: Value::from_safe_string(JS.to_string()),
    }
}

/// The page.
pub fn render(report: &ProgramReport) -> String {
    let template = environment().get_template("program.html").expect("the program report template is registered");
    template.render(Value::from(Serde(page(report)))).expect("the program report template renders")
}

#[cfg(test)]
mod tests;
