//! `tool.driver.rules`: one reporting descriptor per rule that ran, with the
//! name, descriptions, help text and tags GitHub code scanning shows, clipped
//! to GitHub's limits, and the choice of rules to keep past [`MAX_RULES`].

use super::{text, Text};
use crate::clip;
use serde::Serialize;
use serde_json::{json, Map, Value};
use tollgate_engine::catalog::Framework;
use tollgate_engine::{Finding, RuleMeta, ScanReport, Severity};

/// GitHub code scanning rejects a file over any of these (see
/// `GITHUB_CODE_SCANNING_SARIF_NOTES.md` in the reference data).
pub const MAX_RULES: usize = 25_000;
pub const MAX_TAGS: usize = 20;
/// Longest `shortDescription.text` / `fullDescription.text` GitHub accepts.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Longest rule `name` GitHub accepts.
pub const MAX_NAME_CHARS: usize = 255;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: Value,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

/// `error` for critical and high, `warning` for moderate, `note` for low.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Moderate => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` score: a string GitHub buckets into the same
/// four levels (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, below low).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Moderate => "5.5",
        Severity::Low => "3.0",
    }
}

/// `ContainersDoNotRunPrivileged` from "Containers do not run privileged".
fn rule_name(meta: &RuleMeta) -> String {
    let name: String = meta
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_uppercase().chain(cs).collect::<String>()).unwrap_or_default()
        })
        .collect();
    if name.is_empty() {
        meta.id.clone()
    } else {
        name.chars().take(MAX_NAME_CHARS).collect()
    }
}

/// `nist-800-53-r5/AC-6(10)`: framework id, slash, control id.
fn control_tags(meta: &RuleMeta) -> Vec<String> {
    meta.controls_by_framework().into_iter().flat_map(|(fw, ids)| ids.into_iter().map(move |c| format!("{fw}/{c}"))).collect()
}

fn controls_line(meta: &RuleMeta, markdown: bool) -> String {
    meta.controls_by_framework()
        .into_iter()
        .map(|(fw, ids)| {
            let title = Framework::from_id(fw).map_or(fw, Framework::title);
            let ids: Vec<String> = ids.iter().map(|c| if markdown { format!("`{c}`") } else { c.clone() }).collect();
            format!("{title}: {}", ids.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

fn help(meta: &RuleMeta) -> Help {
    let controls = controls_line(meta, false);
    let mut text = format!("{}\n\nControls: {controls}", meta.remediation.trim_end());
    let mut markdown = format!(
        "**Remediation**\n\n{}\n\n**Why**: {}\n\n**Controls**: {}",
        meta.remediation.trim_end(),
        meta.rationale.trim_end(),
        controls_line(meta, true)
    );
    if !meta.references.is_empty() {
        text.push_str("\n\nReferences:");
        markdown.push_str("\n\n**References**\n");
        for r in &meta.references {
            text.push_str(&format!("\n- {r}"));
            markdown.push_str(&if is_url(r) { format!("\n- <{r}>") } else { format!("\n- {r}") });
        }
    }
    Help { text, markdown }
}

/// The descriptor of one rule at its effective `severity`. Tags past
/// [`MAX_TAGS`] are dropped and counted in `dropped_tags`.
pub(super) fn descriptor(meta: &RuleMeta, severity: Severity, dropped_tags: &mut usize) -> Descriptor {
    let mut tags = vec!["security".to_string(), "compliance".to_string()];
    tags.extend(control_tags(meta));
    if tags.len() > MAX_TAGS {
        *dropped_tags += tags.len() - MAX_TAGS;
        tags.truncate(MAX_TAGS);
    }
    let controls: Map<String, Value> = meta.controls_by_framework().into_iter().map(|(k, v)| (k.to_string(), Value::from(v))).collect();
    let full = if meta.rationale.trim().is_empty() { &meta.title } else { &meta.rationale };
    Descriptor {
        id: meta.id.clone(),
        name: rule_name(meta),
        short_description: text(clip(&meta.title, MAX_DESCRIPTION_CHARS)),
        full_description: text(clip(full, MAX_DESCRIPTION_CHARS)),
        help: help(meta),
        help_uri: meta.references.iter().find(|r| is_url(r)).cloned(),
        default_configuration: Configuration { level: level(severity) },
        properties: json!({
            "tags": tags,
            "security-severity": security_severity(severity),
            "severity": severity,
            "controls": controls,
        }),
    }
}

/// The rules in the run: all of them, or past [`MAX_RULES`] those with
/// results first, then the rest in id order.
pub(super) fn kept_rules<'a>(report: &'a ScanReport, results: &[&Finding]) -> Vec<&'a RuleMeta> {
    if report.rules.len() <= MAX_RULES {
        return report.rules.iter().map(|r| r.as_ref()).collect();
    }
    let used: std::collections::HashSet<&str> = results.iter().map(|f| f.rule.id.as_str()).collect();
    let (mut with, without): (Vec<&RuleMeta>, Vec<&RuleMeta>) =
        report.rules.iter().map(|r| r.as_ref()).partition(|r| used.contains(r.id.as_str()));
    let room = MAX_RULES.saturating_sub(with.len());
    with.extend(without.into_iter().take(room));
    with.sort_by(|a, b| a.id.cmp(&b.id));
    with
}
