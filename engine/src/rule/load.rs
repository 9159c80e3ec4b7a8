//! Compiling rule files into [`Rule`]s, collecting every problem at once.

use super::meta::{params_dynamic, read_meta, RuleStatus};
use super::{KindMatcher, Rule};
use crate::error::{span_at, RuleError, RuleLoadError};
use crate::severity::Severity;
use miette::{NamedSource, SourceSpan};
use rayon::prelude::*;
use rhai::{Engine, Map, Scope};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// A rule file's text and the name reports give it.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub path: String,
    pub text: Arc<str>,
}

impl RuleSource {
    /// Every `*.rhai` file under `dir`, sorted by path.
    pub fn from_dir(dir: &Path) -> Result<Vec<RuleSource>, RuleError> {
        let io = |path: &Path, e: &dyn std::fmt::Display| RuleError::Io { path: path.display().to_string(), message: e.to_string() };
        if !dir.is_dir() {
            return Err(io(dir, &"not a directory"));
        }
        super::pack::read_manifest(dir)?;
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
            let entry = entry.map_err(|e| io(dir, &e))?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "rhai") {
                let text = std::fs::read_to_string(entry.path()).map_err(|e| io(entry.path(), &e))?;
                out.push(RuleSource { path: entry.path().display().to_string().replace('\\', "/"), text: Arc::from(text) });
            }
        }
        Ok(out)
    }
}

/// Per-system adjustments from `[rules]` in tollgate.toml.
#[derive(Debug, Clone, Default)]
pub struct RuleOverrides {
    pub disabled: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub params: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
}

/// Compiles `sources`, applies `overrides`, and returns the rules to run
/// sorted by id. Retired and disabled rules are left out.
pub fn load_rules(engine: &Engine, sources: &[RuleSource], overrides: &RuleOverrides) -> Result<Vec<Rule>, RuleLoadError> {
    let compiled: Vec<Result<Rule, Vec<RuleError>>> = sources.par_iter().map(|s| compile(engine, s)).collect();
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    for result in compiled {
        match result {
            Ok(rule) => rules.push(rule),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for rule in &rules {
        if let Some(first) = seen.insert(rule.meta.id.clone(), rule.meta.source.clone()) {
            errors.push(RuleError::DuplicateId { id: rule.meta.id.clone(), first, second: rule.meta.source.clone() });
        }
    }
    errors.extend(apply_overrides(&mut rules, overrides));
    if !errors.is_empty() {
        return Err(RuleLoadError { errors });
    }
    rules.retain(|r| r.meta.status != RuleStatus::Retired && !overrides.disabled.contains(&r.meta.id));
    rules.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    Ok(rules)
}

fn unknown_id(section: &str, id: &str, rules: &[Rule]) -> RuleError {
    let help = crate::suggest::closest(id, rules.iter().map(|r| r.meta.id.as_str())).map(|s| format!("did you mean `{s}`?"));
    RuleError::UnknownId { section: section.to_string(), id: id.to_string(), help }
}

fn apply_overrides(rules: &mut [Rule], o: &RuleOverrides) -> Vec<RuleError> {
    let mut errors = Vec::new();
    for id in &o.disabled {
        if !rules.iter().any(|r| &r.meta.id == id) {
            errors.push(unknown_id("disable", id, rules));
        }
    }
    for (id, severity) in &o.severity {
        match rules.iter_mut().find(|r| &r.meta.id == id) {
            Some(rule) => rule.severity = *severity,
            None => errors.push(unknown_id("severity", id, rules)),
        }
    }
    for (id, values) in &o.params {
        let Some(index) = rules.iter().position(|r| &r.meta.id == id) else {
            errors.push(unknown_id("params", id, rules));
            continue;
        };
        let rule = &mut rules[index];
        let mut merged = rule.meta.params.clone();
        for (name, value) in values {
            if !merged.contains_key(name) {
                let known: Vec<&str> = rule.meta.params.keys().map(String::as_str).collect();
                errors.push(RuleError::UnknownId {
                    section: format!("params.{id}"),
                    id: name.clone(),
                    help: Some(format!("{id} takes these params: {}", if known.is_empty() { "none".into() } else { known.join(", ") })),
                });
                continue;
            }
            merged.insert(name.clone(), value.clone());
        }
        rule.params = params_dynamic(&merged);
    }
    errors
}

/// Where `field:` is written inside the RULE map, else the `const RULE` line.
fn field_span(text: &str, field: &str) -> SourceSpan {
    if let Some(r) = super::meta::field_range(text, field) {
        return (r.start, r.len()).into();
    }
    let rule_at = text.find("const RULE").unwrap_or(0);
    (rule_at, if rule_at < text.len() { "const RULE".len().min(text.len() - rule_at) } else { 0 }).into()
}

fn compile(engine: &Engine, source: &RuleSource) -> Result<Rule, Vec<RuleError>> {
    let text = &source.text;
    let named = || NamedSource::new(&source.path, Arc::clone(text));
    let mut ast = engine.compile(text.as_ref()).map_err(|e| {
        let pos = e.position();
        vec![RuleError::Compile {
            path: source.path.clone(),
            message: format!("syntax error: {}", e.err_type()),
            src: named(),
            span: span_at(text, pos.line().unwrap_or(1), pos.position().unwrap_or(1), 1),
            help: None,
        }]
    })?;
    ast.set_source(source.path.as_str());

    // Run the top level once to evaluate `const RULE = #{...}`.
    let mut scope = Scope::new();
    let limits_ok = crate::sandbox::with_deadline(std::time::Duration::from_secs(5), || engine.run_ast_with_scope(&mut scope, &ast));
    if let Err(e) = limits_ok {
        let pos = e.position();
        return Err(vec![RuleError::Compile {
            path: source.path.clone(),
            message: format!("error while evaluating the rule's top level: {}", e.unwrap_inner()),
            src: named(),
            span: span_at(text, pos.line().unwrap_or(1), pos.position().unwrap_or(1), 1),
            help: Some("the top level of a rule should only define `const RULE` and functions".into()),
        }]);
    }
    let Some(map) = scope.get_value::<Map>("RULE") else {
        return Err(vec![RuleError::Metadata {
            path: source.path.clone(),
            message: "no `const RULE = #{ ... }` metadata map".into(),
            src: named(),
            span: (0, 0).into(),
            help: Some(
                "start the rule with `const RULE = #{ id: \"…\", title: \"…\", severity: \"…\", … };` (see docs/rule-format.md)".into(),
            ),
        }]);
    };
    let meta = read_meta(&map, &source.path).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| RuleError::Metadata {
                path: source.path.clone(),
                message: p.message,
                src: named(),
                span: field_span(text, &p.field),
                help: p.help,
            })
            .collect::<Vec<_>>()
    })?;
    let arity = match ast.iter_functions().find(|f| f.name == "check").map(|f| f.params.len()) {
        Some(n @ (1 | 2)) => n,
        found => {
            let message = match found {
                Some(n) => format!("`check` takes {n} parameters; it must take (resource) or (resource, params)"),
                None => "no `check` function".into(),
            };
            return Err(vec![RuleError::CheckFn { path: source.path.clone(), message, src: named(), span: field_span(text, "id") }]);
        }
    };
    // Keep only the functions: evaluation never re-runs the top level.
    ast.clear_statements();
    Ok(Rule {
        text: Arc::clone(&source.text),
        severity: meta.severity,
        params: params_dynamic(&meta.params),
        kinds: KindMatcher::new(&meta.applies_to),
        paths: super::glob_set(&meta.paths),
        meta: Arc::new(meta),
        ast,
        arity,
    })
}
