//! Markdown: a pull-request comment (GitHub-flavoured Markdown).
//!
//! Verdict, counts, the failing findings by severity, the most severe
//! [`TOP_FAILURES`] in a table with their fix, the rest folded in one
//! `<details>` per severity, then errors. The comment stays within
//! [`MAX_CHARS`] (GitHub refuses comments over 65,536 characters): rows are
//! dropped deterministically, least important first, and a line says how
//! many are not shown.

use crate::{clip, count, verdict, RenderOptions};
use std::cmp::Reverse;
use tollgate_engine::framework::{ControlStatus, FrameworkView};
use tollgate_engine::{FailOn, Finding, ScanReport, Severity, Status};

/// Failing findings shown in the main table.
pub const TOP_FAILURES: usize = 20;
/// Longest comment rendered, in characters: under GitHub's 65,536, with
/// room for text a bot adds around the report.
pub const MAX_CHARS: usize = 60_000;
/// A marker a bot can look for to update its previous comment.
pub const MARKER: &str = "<!-- tollgate:report -->";

const MAX_MESSAGE_CHARS: usize = 300;
const MAX_FIX_CHARS: usize = 200;
const MAX_CODE_CHARS: usize = 160;
const MAX_LIST_CHARS: usize = 1_000;

fn capitalized(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Moderate => "Moderate",
        Severity::Low => "Low",
    }
}

/// Plain text for a table cell: one line, Markdown and HTML syntax escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\n' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span for a table cell, whatever backticks or pipes `s` holds.
pub fn code(s: &str) -> String {
    let s = clip(&s.replace(['\r', '\n'], " "), MAX_CODE_CHARS).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// The first line of the rule's remediation (Markdown, written by the rule
/// author), shortened, safe inside a table cell.
fn fix(f: &Finding) -> String {
    let mut fenced = false;
    let line = f
        .rule
        .remediation
        .lines()
        .map(str::trim)
        .find(|l| {
            if l.starts_with("```") || l.starts_with("~~~") {
                fenced = !fenced;
                return false;
            }
            !fenced && !l.is_empty()
        })
        .unwrap_or_default();
    // Pipes the author escaped are unescaped first, so none is escaped twice.
    clip(line, MAX_FIX_CHARS).replace("\\|", "|").replace('|', "\\|")
}

fn location(f: &Finding) -> String {
    f.location.as_ref().map_or_else(|| "-".to_string(), |l| code(&format!("{}:{}", l.path, l.start_line)))
}

fn rule(f: &Finding) -> String {
    format!("{} {}", code(&f.rule.id), escape(&clip(&f.rule.title, MAX_MESSAGE_CHARS)))
}

fn what(f: &Finding) -> String {
    let message = escape(&clip(&f.message, MAX_MESSAGE_CHARS));
    match &f.resource {
        Some(r) => format!("{} {message}", code(&format!("{} {}", r.kind, r.id))),
        None => message,
    }
}

/// A table of rows under a heading, as it appears when at least one row is shown.
struct Section {
    head: String,
    rows: Vec<String>,
    tail: &'static str,
    /// Rows that fit in the budget.
    shown: usize,
    /// Failures (true) or errors (false), for the omission count.
    failures: bool,
}

impl Section {
    fn new(head: String, rows: Vec<String>, tail: &'static str, failures: bool) -> Self {
        Section { head, rows, tail, shown: 0, failures }
    }

    fn render(&self, out: &mut String) {
        if self.shown == 0 {
            return;
        }
        out.push_str(&self.head);
        for row in &self.rows[..self.shown] {
            out.push_str(row);
            out.push('\n');
        }
        out.push_str(self.tail);
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn header(report: &ScanReport, options: &RenderOptions) -> String {
    let v = verdict(report, &options.gate);
    let mut out = format!("{MARKER}\n### {} Tollgate: {v}\n\n", if v == "pass" { "✅" } else { "❌" });
    let sys = &report.system;
    if let Some(name) = &sys.name {
        let mut line = format!("**{}**", escape(name));
        if let Some(id) = &sys.id {
            line.push_str(&format!(" ({})", escape(id)));
        }
        if let Some(cat) = sys.categorization {
            line.push_str(&format!(" · FIPS 199 {cat}"));
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    let s = &report.summary;
    let errors = count(report, Status::Error) + s.input_errors;
    out.push_str(&format!(
        "**{} failed**, {} passed, {}, {} skipped · {}, {}, {}\n\n",
        count(report, Status::Fail),
        count(report, Status::Pass),
        plural(errors, "error", "errors"),
        count(report, Status::Skip),
        plural(s.files_scanned, "file", "files"),
        plural(s.resources, "resource", "resources"),
        plural(s.rules_run, "rule", "rules"),
    ));
    if count(report, Status::Suppressed) > 0 || s.expired_suppressions > 0 {
        out.push_str(&format!(
            "{} suppressed inline (not gating), {} expired suppression(s) failing again\n\n",
            count(report, Status::Suppressed),
            s.expired_suppressions
        ));
    }
    if let Some(note) = crate::changed_since_note(s) {
        out.push_str(&format!("{}\n\n", escape(&note)));
    }
    if let Some(b) = &report.baseline {
        out.push_str(&format!(
            "Baseline `{}`: **{} new**, {} already recorded (not gating), {} fixed since\n\n",
            escape(&b.path),
            plural(b.new, "failure", "failures"),
            b.unchanged,
            b.absent
        ));
    }
    out.push_str(&match options.gate.default {
        FailOn::At(sev) => format!("The gate fails on any failure of severity `{sev}` or above, and on any error.\n\n"),
        FailOn::Never => "The gate is off (`--fail-on never`).\n\n".to_string(),
    });
    out.push_str("| Severity | Failing |\n|:--|--:|\n");
    for sev in Severity::ALL {
        out.push_str(&format!("| {} | {} |\n", capitalized(sev), s.failures_by_severity.get(&sev).copied().unwrap_or(0)));
    }
    out.push('\n');
    out
}

fn not_assessed(report: &ScanReport) -> String {
    let ids: Vec<&str> =
        report.findings.iter().filter(|f| f.status == Status::Skip && f.resource.is_none()).map(|f| f.rule.id.as_str()).collect();
    if ids.is_empty() {
        return String::new();
    }
    let list = clip(&ids.join(", "), MAX_LIST_CHARS);
    let scope = if report.summary.changed_since.as_ref().is_some_and(|c| c.is_partial()) { " in the changed files" } else { "" };
    format!("Not assessed ({}, no matching resources{scope}): {}\n\n", plural(ids.len(), "rule", "rules"), escape(&list))
}

/// Controls listed in the framework table (gaps first); the rest are counted.
pub const MAX_VIEW_ROWS: usize = 60;
const MAX_VIEW_LIST_CHARS: usize = 2_000;

fn capitalized_status(s: ControlStatus) -> String {
    let label = s.label();
    label[..1].to_uppercase() + &label[1..]
}

/// The gap report of `--framework`: totals, SPRS, the controls rules or
/// attestations judged, then family totals and the manual list folded.
/// At most [`MAX_VIEW_ROWS`] rows and a few clipped lists, so it fits in the
/// comment's budget whatever the framework.
fn framework_section(view: &FrameworkView, input_errors: usize) -> String {
    let t = &view.totals;
    let mut out = format!("#### {} (`{}`)\n\n", escape(view.title), view.id);
    let rest: Vec<String> = [ControlStatus::NotSatisfied, ControlStatus::NotAssessed, ControlStatus::NotApplicable, ControlStatus::Manual]
        .iter()
        .map(|s| format!("{} {}", t.count(*s), s.label()))
        .collect();
    out.push_str(&format!(
        "**{} of {} controls satisfied** ({:.1}%) · {} · scan date {}\n\n",
        t.satisfied,
        t.total,
        t.percent_satisfied,
        rest.join(" · "),
        view.scan_date
    ));
    if input_errors > 0 {
        out.push_str(&format!(
            "{} could not be read (see Errors): controls their resources evidence may be misjudged.\n\n",
            plural(input_errors, "input", "inputs")
        ));
    }
    if let Some(sprs) = &view.sprs {
        out.push_str(&format!("**SPRS score:** {}\n\n", escape(&sprs.score_text())));
        out.push_str(&format!("**CMMC Level 2 conditional status:** {}\n\n", escape(&sprs.conditional_text())));
    }
    let judged: Vec<_> = ControlStatus::ALL.iter().filter(|s| **s != ControlStatus::Manual).flat_map(|s| view.with_status(*s)).collect();
    if !judged.is_empty() {
        out.push_str("| Control | Status | Evidence |\n|:--|:--|:--|\n");
        for c in judged.iter().take(MAX_VIEW_ROWS) {
            out.push_str(&format!(
                "| {} {} | {} | {} |\n",
                code(c.id),
                escape(&clip(c.title, MAX_MESSAGE_CHARS)),
                capitalized_status(c.status),
                escape(&clip(&c.reason, MAX_FIX_CHARS))
            ));
        }
        out.push('\n');
        if judged.len() > MAX_VIEW_ROWS {
            out.push_str(&format!("{} more in the JSON report.\n\n", plural(judged.len() - MAX_VIEW_ROWS, "control", "controls")));
        }
    }
    let list = |ids: Vec<&str>| escape(&clip(&ids.join(", "), MAX_VIEW_LIST_CHARS));
    let expired: Vec<&str> = view.expired_attestations().map(|c| c.id).collect();
    if !expired.is_empty() {
        out.push_str(&format!("**Expired attestations** ({}, not counted): {}\n\n", expired.len(), list(expired)));
    }
    if !view.unused_attestations.is_empty() {
        let ids = view.unused_attestations.iter().map(String::as_str).collect();
        out.push_str(&format!("Attestations of controls outside `{}` (not used): {}\n\n", view.id, list(ids)));
    }
    out.push_str("<details>\n<summary>By family</summary>\n\n");
    out.push_str(
        "| Family | Total | Satisfied | Not satisfied | Not assessed | N/A | Manual | Share |\n|:--|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for f in &view.families {
        let t = &f.totals;
        out.push_str(&format!(
            "| {} {} | {} | {} | {} | {} | {} | {} | {:.1}% |\n",
            f.family,
            escape(f.name),
            t.total,
            t.satisfied,
            t.not_satisfied,
            t.not_assessed,
            t.not_applicable,
            t.manual,
            t.percent_satisfied
        ));
    }
    out.push_str("\n</details>\n\n");
    let manual: Vec<&str> = view.with_status(ControlStatus::Manual).map(|c| c.id).collect();
    if !manual.is_empty() {
        out.push_str(&format!(
            "<details>\n<summary>Manual: {} that no rule evidences</summary>\n\n{}\n\n</details>\n\n",
            plural(manual.len(), "control", "controls"),
            list(manual)
        ));
    }
    if let Some(sprs) = view.sprs.as_ref().filter(|s| !s.deductions.is_empty()) {
        let items: Vec<String> = sprs.deductions.iter().map(|d| d.label()).collect();
        out.push_str(&format!(
            "<details>\n<summary>SPRS deductions: {} points from {}</summary>\n\n{}\n\n",
            sprs.deducted,
            plural(sprs.deductions.len(), "requirement", "requirements"),
            list(items.iter().map(String::as_str).collect())
        ));
        if !sprs.blocking.is_empty() {
            out.push_str(&format!("May not be on a POA&M ({}): {}\n\n", sprs.blocking.len(), list(sprs.blocking.clone())));
        }
        out.push_str("</details>\n\n");
    }
    out
}

/// Renders the pull-request comment.
pub fn render(report: &ScanReport, options: &RenderOptions) -> String {
    // With a baseline, the failures listed first are the new ones; recorded
    // ones are folded below, like suppressed ones.
    let mut fails: Vec<&Finding> = report.findings.iter().filter(|f| f.is_new_failure()).collect();
    // Most severe first; the report's order (file, line, rule) within a severity.
    fails.sort_by_key(|f| Reverse(f.severity));
    let (top, rest) = fails.split_at(fails.len().min(TOP_FAILURES));

    let top_rows =
        top.iter().map(|f| format!("| {} | {} | {} | {} | {} |", capitalized(f.severity), location(f), rule(f), what(f), fix(f))).collect();
    let mut sections = vec![Section::new(
        "#### Top failures\n\n| Severity | Location | Rule | Finding | Fix |\n|:--|:--|:--|:--|:--|\n".into(),
        top_rows,
        "\n",
        true,
    )];
    for sev in Severity::ALL {
        let rows: Vec<String> =
            rest.iter().filter(|f| f.severity == sev).map(|f| format!("| {} | {} | {} |", location(f), rule(f), what(f))).collect();
        if rows.is_empty() {
            continue;
        }
        let head = format!(
            "<details>\n<summary>{}: {} more {}</summary>\n\n| Location | Rule | Finding |\n|:--|:--|:--|\n",
            capitalized(sev),
            rows.len(),
            if rows.len() == 1 { "failure" } else { "failures" }
        );
        sections.push(Section::new(head, rows, "\n</details>\n\n", true));
    }
    let mut error_rows: Vec<String> = report
        .input_errors
        .iter()
        .map(|e| {
            let at = e.line().map_or_else(|| e.path().to_string(), |l| format!("{}:{l}", e.path()));
            format!("| {} | {} | {} |", code(&at), code(&e.code_str()), escape(&clip(&e.message(), MAX_MESSAGE_CHARS)))
        })
        .collect();
    error_rows.extend(
        report
            .findings
            .iter()
            .filter(|f| f.status == Status::Error)
            .map(|f| format!("| {} | {} rule error | {} |", location(f), code(&f.rule.id), what(f))),
    );
    let error_head = format!(
        "#### Errors ({}): not assessed{}\n\n| Location | Source | Message |\n|:--|:--|:--|\n",
        error_rows.len(),
        if options.gate.is_never() { "" } else { ", and the gate fails" }
    );
    let errors = sections.len();
    sections.push(Section::new(error_head, error_rows, "\n", false));
    let accepted = |pick: fn(&Finding) -> bool, title: &str| {
        let rows: Vec<String> = report
            .findings
            .iter()
            .filter(|f| pick(f))
            .map(|f| {
                let why = crate::suppression_note(f).map_or_else(|| what(f), |n| escape(&clip(&n, MAX_MESSAGE_CHARS)));
                format!("| {} | {} | {} |", location(f), rule(f), why)
            })
            .collect();
        let head = format!("<details>\n<summary>{title} ({})</summary>\n\n| Location | Rule | Finding |\n|:--|:--|:--|\n", rows.len());
        Section::new(head, rows, "\n</details>\n\n", true)
    };
    sections.push(accepted(|f| f.status == Status::Fail && f.baselined, "Failures already in the baseline, not gating"));
    sections.push(accepted(|f| f.status == Status::Suppressed, "Suppressed inline, not gating"));

    let head = header(report, options);
    let skipped = not_assessed(report);
    let view = report.framework.as_ref().map(|v| framework_section(v, report.summary.input_errors)).unwrap_or_default();
    let footer = format!("<sub>Tollgate {} · `--fail-on {}`</sub>\n", env!("CARGO_PKG_VERSION"), options.gate.default);
    let note_room = 200;
    let mut room = MAX_CHARS.saturating_sub(chars(&head) + chars(&skipped) + chars(&view) + chars(&footer) + note_room);

    // Rows in order of importance: the top failures, errors, then the rest
    // by severity. The first row that does not fit ends the comment's rows.
    let mut order: Vec<usize> = vec![0, errors];
    order.extend(1..errors);
    order.extend(errors + 1..sections.len());
    let mut full = false;
    for &i in &order {
        let s = &mut sections[i];
        for row in &s.rows {
            let cost = chars(row) + 1 + if s.shown == 0 { chars(&s.head) + chars(s.tail) } else { 0 };
            if full || cost > room {
                full = true;
                break;
            }
            room -= cost;
            s.shown += 1;
        }
    }

    let mut out = head;
    if fails.is_empty() {
        out.push_str("No failures.\n\n");
    }
    for s in &sections {
        s.render(&mut out);
    }
    out.push_str(&skipped);
    out.push_str(&view);
    let hidden = |failures: bool| sections.iter().filter(|s| s.failures == failures).map(|s| s.rows.len() - s.shown).sum::<usize>();
    let (hidden_failures, hidden_errors) = (hidden(true), hidden(false));
    if hidden_failures + hidden_errors > 0 {
        out.push_str(&format!(
            "**Not shown:** {} and {}, to keep this comment under GitHub's size limit; the JSON, SARIF and CSV reports list them all.\n\n",
            plural(hidden_failures, "failure", "failures"),
            plural(hidden_errors, "error", "errors"),
        ));
    }
    out.push_str(&footer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{finding, io_error, meta, report};

    #[test]
    fn escaping_keeps_table_cells_intact() {
        assert_eq!(escape("a | b </details> *x* [l](u) \\ _y_\nz"), r"a \| b \</details\> \*x\* \[l\](u) \\ \_y\_ z");
        assert_eq!(code("k8s/api.yaml:3"), "`k8s/api.yaml:3`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), r"`a\|b`");
        let mut m = (*meta("X-K8S-001", Severity::High, &["AC-6"], &[])).clone();
        m.remediation = "\n```sh\nnot this\n```\nUse `a \\| b` | c.\n\nMore.".into();
        let f = finding(&std::sync::Arc::new(m), Status::Fail, "a.yaml", 1, "ns/a", None, "m");
        assert_eq!(fix(&f), r"Use `a \| b` \| c.", "the first prose line, each pipe escaped once");
    }

    #[test]
    fn a_clean_scan_passes() {
        let r = meta("X-K8S-001", Severity::High, &["AC-6"], &[]);
        let md =
            render(&report(vec![r.clone()], vec![finding(&r, Status::Pass, "a.yaml", 1, "ns/a", None, "")], vec![]), &Default::default());
        assert!(md.starts_with(&format!("{MARKER}\n### ✅ Tollgate: pass\n")), "{md}");
        assert!(md.contains("**0 failed**, 1 passed, 0 errors, 0 skipped"), "{md}");
        assert!(md.contains("No failures.") && !md.contains("Top failures") && !md.contains("Not shown"), "{md}");
    }

    #[test]
    fn top_failures_then_the_rest_folded_by_severity() {
        let high = meta("X-HIGH-001", Severity::High, &["AC-6"], &[]);
        let low = meta("X-LOW-001", Severity::Low, &["CM-6"], &[]);
        // Lows come first in the report's order; the top table still starts with the highs.
        let mut findings: Vec<Finding> = (0..10).map(|i| finding(&low, Status::Fail, "a.yaml", i + 1, "ns/a", None, "low one")).collect();
        findings.extend((0..15).map(|i| finding(&high, Status::Fail, "b.yaml", i + 1, "ns/b", None, "high one")));
        let md = render(&report(vec![high, low], findings, vec![]), &Default::default());
        let top: Vec<&str> = md.lines().filter(|l| l.starts_with("| High | `") || l.starts_with("| Low | `")).collect();
        assert_eq!(top.len(), TOP_FAILURES);
        assert!(top[..15].iter().all(|l| l.starts_with("| High |")), "{md}");
        assert!(md.contains("<summary>Low: 5 more failures</summary>"), "{md}");
        assert_eq!(md.matches("| `a.yaml:").count(), 10, "every failure is listed once");
        assert!(md.contains("| Fix it: set `x \\| y`. |"), "the fix is the remediation's first line:\n{md}");
    }

    #[test]
    fn a_framework_view_is_bounded() {
        use tollgate_engine::catalog::Framework;
        let ids: Vec<&str> = Framework::Nist80053R5.members().into_iter().take(100).collect();
        let r = meta("X-K8S-001", Severity::Moderate, &ids, &[]);
        let mut rep = report(vec![r.clone()], vec![finding(&r, Status::Fail, "a.yaml", 1, "ns/a", None, "m")], vec![]);
        rep.framework = Some(tollgate_engine::framework::build(&rep, Framework::Nist80053R5, None, 0));
        let md = render(&rep, &Default::default());
        assert!(md.contains("#### NIST SP 800-53 Rev 5 (`nist-800-53-r5`)\n\n**0 of 1007 controls satisfied** (0.0%)"), "{md}");
        assert_eq!(md.matches("| Not satisfied | 1 failing finding from X-K8S-001 |").count(), MAX_VIEW_ROWS);
        assert!(md.contains("40 controls more in the JSON report."), "{md}");
        assert!(md.contains("<summary>Manual: 907 controls that no rule evidences</summary>"), "{md}");
        assert!(md.chars().count() < 40_000, "{} characters", md.chars().count());
    }

    #[test]
    fn a_huge_report_stays_under_the_limit_and_says_what_it_left_out() {
        let r = meta("X-K8S-001", Severity::Moderate, &["CM-6"], &[]);
        let long = "x".repeat(1000);
        let fails = 2_000;
        let findings: Vec<Finding> = (0..fails)
            .map(|i| finding(&r, Status::Fail, &format!("dir/file-{i:05}.yaml"), 1, "ns/a", None, &format!("failure-message-{i} {long}")))
            .collect();
        let errors: Vec<_> = (0..500).map(|i| io_error(&format!("err/{i:04}.yaml"), &format!("io-error-{i}"))).collect();
        let report = report(vec![r], findings, errors);
        let md = render(&report, &Default::default());
        assert!(md.chars().count() <= MAX_CHARS, "{} characters", md.chars().count());
        assert_eq!(md, render(&report, &Default::default()), "deterministic");
        let shown_failures = md.matches("failure-message-").count();
        let shown_errors = md.matches("io-error-").count();
        assert_eq!(shown_errors, 500, "errors come before the folded failures");
        assert!(shown_failures >= TOP_FAILURES && shown_failures < fails as usize);
        let note = format!("**Not shown:** {} failures and 0 errors", fails as usize - shown_failures);
        assert!(md.contains(&note), "expected `{note}` in the comment's end:\n{}", &md[md.len() - 600..]);
        assert!(md.contains("**2000 failed**"), "the counts are always whole");
    }
}
