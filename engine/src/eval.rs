//! Evaluating one rule on one resource, and turning what happened into findings.

use crate::api::{Verdict, VerdictKind};
use crate::result::{Finding, Location, ResourceRef, Status};
use crate::rule::Rule;
use crate::sandbox::{with_deadline, Limits, TIMEOUT_TOKEN};
use rhai::{Dynamic, Engine, EvalAltResult};
use std::time::Duration;
use tollgate_inputs::Resource;

/// Runs `rule` on `resource` (already converted to `value`) and appends one
/// finding per verdict to `out`: a pass, a skip, one per failure, or an error.
pub fn evaluate(engine: &Engine, limits: &Limits, rule: &Rule, resource: &Resource, value: &Dynamic, out: &mut Vec<Finding>) {
    let params = (rule.arity == 2).then_some(&rule.params);
    let outcome = with_deadline(Duration::from_millis(limits.timeout_ms), || crate::call::call_check(engine, &rule.ast, value, params));
    let verdicts = match outcome {
        Ok(ret) => Verdict::from_return(ret, &rule.meta.title),
        Err(err) => Err(describe_error(&err, rule, limits)),
    };
    match verdicts {
        Ok(vs) => out.extend(vs.into_iter().map(|v| finding(rule, resource, v))),
        Err(message) => out.push(Finding {
            rule: rule.meta.clone(),
            status: Status::Error,
            severity: rule.severity,
            resource: Some(resource_ref(resource)),
            location: Some(location(resource, "")),
            property_path: None,
            message,
            suppression: None,
            baselined: false,
        }),
    }
}

fn resource_ref(r: &Resource) -> ResourceRef {
    ResourceRef { kind: r.kind.clone(), id: r.id.clone() }
}

fn location(r: &Resource, property_path: &str) -> Location {
    let lines = r.lines_of(property_path);
    Location { path: r.path.clone(), start_line: lines.start, end_line: lines.end }
}

fn finding(rule: &Rule, resource: &Resource, v: Verdict) -> Finding {
    let status = match v.kind {
        VerdictKind::Pass => Status::Pass,
        VerdictKind::Fail => Status::Fail,
        VerdictKind::Skip => Status::Skip,
    };
    let message = if v.message.is_empty() && status == Status::Fail { rule.meta.title.clone() } else { v.message };
    Finding {
        rule: rule.meta.clone(),
        status,
        severity: rule.severity,
        resource: Some(resource_ref(resource)),
        location: Some(location(resource, &v.path)),
        property_path: (!v.path.is_empty()).then_some(v.path),
        message,
        suppression: None,
        baselined: false,
    }
}

/// The innermost known position: limit errors often carry none themselves,
/// but the function call that contains them does.
fn deepest_position(err: &EvalAltResult) -> rhai::Position {
    match err {
        EvalAltResult::ErrorInFunctionCall(_, _, inner, pos) => {
            let p = deepest_position(inner);
            if p.is_none() {
                *pos
            } else {
                p
            }
        }
        other => other.position(),
    }
}

/// A one-line explanation of a rule failure: what limit or error, where in
/// the rule, and how to raise the limit when one was hit.
pub fn describe_error(err: &EvalAltResult, rule: &Rule, limits: &Limits) -> String {
    let inner = err.unwrap_inner();
    let pos = deepest_position(err);
    let at = match (pos.line(), pos.position()) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", rule.meta.source),
        (Some(l), None) => format!("{}:{l}", rule.meta.source),
        _ => rule.meta.source.clone(),
    };
    match inner {
        EvalAltResult::ErrorTooManyOperations(..) => format!(
            "{ERROR_PREFIX}{at}: sandbox limit hit: more than {} operations; raise `[rules] max_operations` in tollgate.toml if the rule is legitimately expensive",
            limits.max_operations
        ),
        EvalAltResult::ErrorTerminated(token, ..) if token.clone().into_string().is_ok_and(|t| t == TIMEOUT_TOKEN) => format!(
            "{ERROR_PREFIX}{at}: sandbox limit hit: ran longer than {} ms; raise `[rules] timeout_ms` in tollgate.toml if the rule is legitimately slow",
            limits.timeout_ms
        ),
        EvalAltResult::ErrorStackOverflow(..) => format!(
            "{ERROR_PREFIX}{at}: sandbox limit hit: call depth over {} (runaway recursion?); raise `[rules] max_call_levels` in tollgate.toml if needed",
            limits.max_call_levels
        ),
        EvalAltResult::ErrorDataTooLarge(what, ..) => format!(
            "{ERROR_PREFIX}{at}: sandbox limit hit: {what} exceeds the limit; see `[rules] max_string_size`, `max_array_size` and `max_map_size` in tollgate.toml"
        ),
        other => {
            let text = other.to_string();
            let text = text.split(" (line ").next().unwrap_or(&text).to_string();
            format!("{ERROR_PREFIX}{at}: {text}{}", crate::suggest::hint_for_runtime_error(other))
        }
    }
}

/// Prefix of every rule-error message; [`runtime_diagnostic`] parses it back.
const ERROR_PREFIX: &str = "rule error at ";

/// A rule `error` finding drawn against the rule's source: the line and
/// column Rhai reported (or the `check` function when it reported none), the
/// resource being evaluated, and the hint as a help line.
pub fn runtime_diagnostic(finding: &crate::Finding, text: &std::sync::Arc<str>) -> Option<crate::RuleError> {
    if finding.status != Status::Error {
        return None;
    }
    let rest = finding.message.strip_prefix(ERROR_PREFIX)?;
    let source = finding.rule.source.as_str();
    let after_source = rest.strip_prefix(source)?;
    let (position, message) = after_source.split_once(": ")?;
    let mut numbers = position.trim_start_matches(':').split(':').filter_map(|n| n.parse::<usize>().ok());
    let span = match (numbers.next(), numbers.next()) {
        (Some(line), column) => crate::error::span_at(text, line, column.unwrap_or(1), 1),
        _ => {
            let start = text.find("fn check").unwrap_or(0);
            (start, text[start..].find('\n').unwrap_or(text.len() - start)).into()
        }
    };
    // Hints are appended as "; raise …" / "; see …" or " (did you mean …)".
    let hint_at = ["; raise", "; see", " (did you mean", " (resources are read-only"].iter().filter_map(|h| message.find(h)).min();
    let (message, help) = match hint_at {
        Some(i) => {
            let hint = message[i..].trim_start_matches(';').trim_start_matches(" (").trim().trim_end_matches(')');
            (message[..i].to_string(), Some(hint.to_string()))
        }
        None => (message.to_string(), None),
    };
    let resource = finding.resource.as_ref().map_or_else(String::new, |r| format!("{} {}", r.kind, r.id));
    Some(crate::RuleError::Runtime {
        path: source.to_string(),
        message,
        src: miette::NamedSource::new(source, std::sync::Arc::clone(text)),
        span,
        resource,
        help,
    })
}
