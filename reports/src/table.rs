//! The terminal report: failures grouped by severity, then by control family,
//! then by rule, each with file:line; errors; what was not assessed; and a
//! one-line summary at the end, where a CI log reader looks first.

use crate::style::{paint, severity_style, status_style, Style};
use crate::{verdict, RenderOptions};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt::Write;
use tollgate_engine::catalog::family_name;
use tollgate_engine::framework::{ControlStatus, FrameworkView, Totals};
use tollgate_engine::{Finding, ScanReport, Severity, Status};

/// Renders the human-readable report.
pub fn render(report: &ScanReport, options: &RenderOptions) -> String {
    let c = options.color;
    let mut out = String::new();
    header(&mut out, report, c);
    failures(&mut out, report, c);
    suppressed(&mut out, report, c);
    unused_suppressions(&mut out, report, c);
    errors(&mut out, report, c);
    not_assessed(&mut out, report, c);
    if let Some(view) = &report.framework {
        framework_view(&mut out, view, report.summary.input_errors, c);
    }
    summary_line(&mut out, report, options);
    out
}

fn header(out: &mut String, report: &ScanReport, c: bool) {
    let sys = &report.system;
    let mut title = format!("Tollgate {}", env!("CARGO_PKG_VERSION"));
    if let Some(name) = &sys.name {
        title.push_str(&format!(" · {name}"));
        if let Some(id) = &sys.id {
            title.push_str(&format!(" ({id})"));
        }
    }
    if let Some(cat) = sys.categorization {
        title.push_str(&format!(" · FIPS 199 {cat}"));
    }
    let _ = writeln!(out, "{}\n", paint(&title, Style::Bold, c));
}

/// Failing findings of one severity: family code → rule id → findings.
type FamilyGroups<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Vec<&'a Finding>>>;

fn failures(out: &mut String, report: &ScanReport, c: bool) {
    // severity → family → rule id → findings, all in sorted order.
    let mut groups: BTreeMap<Reverse<Severity>, FamilyGroups<'_>> = BTreeMap::new();
    for f in report.findings.iter().filter(|f| f.status == Status::Fail) {
        groups.entry(Reverse(f.severity)).or_default().entry(f.rule.family()).or_default().entry(&f.rule.id).or_default().push(f);
    }
    for (Reverse(severity), families) in &groups {
        let all = || families.values().flat_map(|r| r.values()).flatten();
        let (count, known) = (all().count(), all().filter(|f| f.baselined).count());
        let known = if known > 0 { format!(", {known} in baseline") } else { String::new() };
        let heading = format!("{} ({count} failing{known})", severity.as_str().to_uppercase());
        let _ = writeln!(out, "{}", paint(&heading, severity_style(*severity), c));
        for (family, rules) in families {
            let _ = writeln!(out, "  {} {}", paint(family, Style::Bold, c), family_name(family));
            for (id, findings) in rules {
                let rule = &findings[0].rule;
                let _ = writeln!(
                    out,
                    "    {} {}  {}  [{}]",
                    paint("✗", Style::Red, c),
                    paint(id, Style::Bold, c),
                    rule.title,
                    rule.controls.join(", ")
                );
                for f in findings {
                    let _ = writeln!(out, "        {}  {}  {}{}", paint(&place(f), Style::Cyan, c), resource(f), f.message, marks(f, c));
                }
                let first_line = rule.remediation.lines().next().unwrap_or_default();
                let _ = writeln!(out, "        {} {first_line}", paint("fix:", Style::Green, c));
            }
        }
        out.push('\n');
    }
}

/// ` (in baseline)` and the expired suppression, after a failure's message.
fn marks(f: &Finding, c: bool) -> String {
    let mut out = String::new();
    if f.baselined {
        out.push_str(&format!("  {}", paint("(in baseline)", Style::Dim, c)));
    }
    if let Some(note) = crate::suppression_note(f) {
        out.push_str(&format!("  {}", paint(&format!("({note})"), Style::Yellow, c)));
    }
    out
}

/// Failures accepted by inline suppressions: listed, never hidden.
fn suppressed(out: &mut String, report: &ScanReport, c: bool) {
    let list: Vec<&Finding> = report.findings.iter().filter(|f| f.status == Status::Suppressed).collect();
    if list.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint(&format!("SUPPRESSED ({}): accepted inline, not gating", list.len()), Style::Dim, c));
    for f in list {
        let note = crate::suppression_note(f).unwrap_or_default();
        let _ = writeln!(out, "    {}  {}  {}  {note}", paint(&place(f), Style::Cyan, c), f.rule.id, resource(f));
    }
    out.push('\n');
}

/// `tollgate:ignore` comments that covered nothing: stale, or naming a rule that is not loaded.
fn unused_suppressions(out: &mut String, report: &ScanReport, c: bool) {
    let list = &report.unused_suppressions;
    if list.is_empty() {
        return;
    }
    let heading = format!("UNUSED SUPPRESSIONS ({}): they cover no failure; remove them or fix the rule id", list.len());
    let _ = writeln!(out, "{}", paint(&heading, Style::Yellow, c));
    for s in list {
        let _ = writeln!(out, "    {}  {}", paint(&format!("{}:{}", s.path, s.line), Style::Cyan, c), s.rules.join(", "));
    }
    out.push('\n');
}

fn place(f: &Finding) -> String {
    f.location.as_ref().map_or_else(|| "-".to_string(), |l| format!("{}:{}", l.path, l.start_line))
}

fn resource(f: &Finding) -> String {
    f.resource.as_ref().map_or_else(String::new, |r| format!("{} {}", r.kind, r.id))
}

fn errors(out: &mut String, report: &ScanReport, c: bool) {
    let rule_errors: Vec<&Finding> = report.findings.iter().filter(|f| f.status == Status::Error).collect();
    let total = rule_errors.len() + report.input_errors.len();
    if total == 0 {
        return;
    }
    let _ = writeln!(out, "{}", paint(&format!("ERRORS ({total}): not assessed, and the gate fails"), status_style(Status::Error), c));
    for e in &report.input_errors {
        let at = e.line().map_or_else(|| e.path().to_string(), |l| format!("{}:{l}", e.path()));
        let _ = writeln!(out, "    {}  {}  {}", paint(&at, Style::Cyan, c), e.code_str(), e.message());
    }
    for f in rule_errors {
        let _ = writeln!(out, "    {}  {}  {}  {}", paint(&place(f), Style::Cyan, c), f.rule.id, resource(f), f.message);
    }
    out.push('\n');
}

fn not_assessed(out: &mut String, report: &ScanReport, c: bool) {
    let skipped: Vec<&str> =
        report.findings.iter().filter(|f| f.status == Status::Skip && f.resource.is_none()).map(|f| f.rule.id.as_str()).collect();
    if skipped.is_empty() {
        return;
    }
    let scope = if report.summary.changed_since.as_ref().is_some_and(|c| c.is_partial()) { " in the changed files" } else { "" };
    let _ = writeln!(out, "{}", paint(&format!("NOT ASSESSED ({}): no matching resources{scope}", skipped.len()), Style::Dim, c));
    let _ = writeln!(out, "    {}\n", skipped.join(", "));
}

fn control_style(s: ControlStatus) -> Style {
    match s {
        ControlStatus::NotSatisfied => Style::Red,
        ControlStatus::NotAssessed => Style::Magenta,
        ControlStatus::Satisfied => Style::Green,
        ControlStatus::NotApplicable | ControlStatus::Manual => Style::Dim,
    }
}

/// `ids` joined by commas, wrapped at 100 columns, each line indented by 4.
fn wrapped(out: &mut String, ids: &[&str]) {
    let mut line = String::from("   ");
    for (i, id) in ids.iter().enumerate() {
        let sep = if i + 1 < ids.len() { "," } else { "" };
        if line.chars().count() + 1 + id.chars().count() + sep.len() > 100 && !line.trim().is_empty() {
            let _ = writeln!(out, "{line}");
            line = String::from("   ");
        }
        let _ = write!(line, " {id}{sep}");
    }
    let _ = writeln!(out, "{line}");
}

/// "3 of 323 satisfied (0.9%): 5 not satisfied, …", as the table and markdown say it.
fn totals_line(t: &Totals) -> String {
    let rest: Vec<String> = [ControlStatus::NotSatisfied, ControlStatus::NotAssessed, ControlStatus::NotApplicable, ControlStatus::Manual]
        .iter()
        .map(|s| format!("{} {}", t.count(*s), s.label()))
        .collect();
    format!("{} of {} satisfied ({:.1}%): {}", t.satisfied, t.total, t.percent_satisfied, rest.join(", "))
}

/// The gap report of `--framework`: controls by status, family totals, SPRS.
fn framework_view(out: &mut String, view: &FrameworkView, input_errors: usize, c: bool) {
    let heading = format!("FRAMEWORK {} ({}) · scan date {}", view.title, view.id, view.scan_date);
    let _ = writeln!(out, "{}", paint(&heading, Style::Bold, c));
    let _ = writeln!(out, "  {}", totals_line(&view.totals));
    if input_errors > 0 {
        let note = format!("{input_errors} input(s) could not be read (see ERRORS): controls their resources evidence may be misjudged");
        let _ = writeln!(out, "  {}", paint(&note, Style::Yellow, c));
    }
    out.push('\n');
    for status in ControlStatus::ALL {
        let controls: Vec<_> = view.with_status(status).collect();
        if controls.is_empty() {
            continue;
        }
        if status == ControlStatus::Manual {
            let heading =
                format!("MANUAL ({}): no rule evidences them; assess them manually or attest them (--attestations)", controls.len());
            let _ = writeln!(out, "  {}", paint(&heading, control_style(status), c));
            wrapped(out, &controls.iter().map(|c| c.id).collect::<Vec<_>>());
            continue;
        }
        let heading = format!("{} ({})", status.label().to_uppercase(), controls.len());
        let _ = writeln!(out, "  {}", paint(&heading, control_style(status), c));
        for ctl in controls {
            let title: String = ctl.title.chars().take(44).collect();
            let _ = writeln!(out, "    {} {title:44}  {}", paint(&format!("{:14}", ctl.id), Style::Bold, c), ctl.reason);
        }
    }
    let _ = writeln!(
        out,
        "\n  {:45} {:>5} {:>9} {:>13} {:>12} {:>4} {:>6} {:>7}",
        "FAMILY", "TOTAL", "SATISFIED", "NOT SATISFIED", "NOT ASSESSED", "N/A", "MANUAL", "SHARE"
    );
    for f in &view.families {
        let t = &f.totals;
        let name = format!("{:4}{}", f.family, f.name);
        let _ = writeln!(
            out,
            "  {name:45} {:>5} {:>9} {:>13} {:>12} {:>4} {:>6} {:>6.1}%",
            t.total, t.satisfied, t.not_satisfied, t.not_assessed, t.not_applicable, t.manual, t.percent_satisfied
        );
    }
    if let Some(sprs) = &view.sprs {
        let _ = writeln!(out, "\n  {} {}", paint("SPRS score:", Style::Bold, c), sprs.score_text());
        let verdict = sprs.conditional_text();
        let style = if sprs.conditional_l2 { Style::Green } else { Style::Red };
        let _ = writeln!(out, "  {} {}", paint("CMMC Level 2 conditional status:", Style::Bold, c), paint(&verdict, style, c));
        if !sprs.deductions.is_empty() {
            let _ = writeln!(out, "  Deductions ({} points from {} requirements):", sprs.deducted, sprs.deductions.len());
            let items: Vec<String> = sprs.deductions.iter().map(|d| d.label()).collect();
            wrapped(out, &items.iter().map(String::as_str).collect::<Vec<_>>());
        }
        if !sprs.blocking.is_empty() {
            let _ = writeln!(out, "  May not be on a POA&M ({}):", sprs.blocking.len());
            wrapped(out, &sprs.blocking);
        }
    }
    let expired: Vec<&str> = view.expired_attestations().map(|c| c.id).collect();
    if let Some(file) = &view.attestations_file {
        let used = view.controls.iter().filter(|c| c.attestation.as_ref().is_some_and(|a| a.applied)).count();
        let _ = writeln!(out, "\n  Attestations: {file}, {used} applied");
    }
    if !expired.is_empty() {
        let _ = writeln!(out, "  {}", paint(&format!("Expired attestations ({}), not counted:", expired.len()), Style::Yellow, c));
        wrapped(out, &expired);
    }
    if !view.unused_attestations.is_empty() {
        let _ = writeln!(out, "  Attestations of controls outside {} ({}), not used:", view.id, view.unused_attestations.len());
        wrapped(out, &view.unused_attestations.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out.push('\n');
}

fn summary_line(out: &mut String, report: &ScanReport, options: &RenderOptions) {
    let s = &report.summary;
    let c = options.color;
    let n = |st: Status| s.by_status.get(&st).copied().unwrap_or(0);
    let by_sev: Vec<String> =
        Severity::ALL.iter().filter_map(|sev| s.failures_by_severity.get(sev).filter(|n| **n > 0).map(|n| format!("{n} {sev}"))).collect();
    let failed = if by_sev.is_empty() {
        format!("{} failed", n(Status::Fail))
    } else {
        format!("{} failed ({})", n(Status::Fail), by_sev.join(", "))
    };
    let verdict = verdict(report, &options.gate);
    let verdict_text = paint(&verdict.to_uppercase(), if verdict == "pass" { Style::Green } else { Style::BoldRed }, c);
    if let Some(note) = crate::changed_since_note(s) {
        let _ = writeln!(out, "{note}");
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(out, "Baseline {}: {} new failure(s), {} already recorded, {} fixed since", b.path, b.new, b.unchanged, b.absent);
    }
    let suppressed = match n(Status::Suppressed) {
        0 => String::new(),
        k => format!(", {k} suppressed"),
    };
    let _ = writeln!(
        out,
        "{verdict_text}  {failed}, {} passed, {} errors, {} skipped{suppressed} · {} files, {} resources, {} rules · {:.2}s",
        n(Status::Pass),
        n(Status::Error) + s.input_errors,
        n(Status::Skip),
        s.files_scanned,
        s.resources,
        s.rules_run,
        s.duration_ms as f64 / 1000.0
    );
}
