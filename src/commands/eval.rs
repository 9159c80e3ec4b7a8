//! `tollgate eval --rule FILE INPUT...`: the rule author's debugging loop.
//! Runs one rule on the inputs and prints every verdict next to the exact
//! data the rule received.

use super::setup;
use crate::cli::{EvalArgs, ListFormat};
use crate::Outcome;
use miette::Result;
use std::collections::BTreeMap;
use std::sync::Arc;
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource, Status};
use tollgate_inputs::{discover, Excludes, InputFile};
use tollgate_reports::eval;

pub fn run(args: EvalArgs) -> Result<Outcome> {
    let text = std::fs::read_to_string(&args.rule).map_err(|e| miette::miette!("cannot read {}: {e}", args.rule.display()))?;
    let source = RuleSource { path: args.rule.display().to_string(), text: Arc::from(text) };
    let policy = Policy::load(std::slice::from_ref(&source), &RuleOverrides::default(), Limits::default())?;
    let discovery = discover(&args.inputs, &Excludes::new(&[]).expect("no patterns"))?;
    let mut units: BTreeMap<&str, Vec<InputFile>> = BTreeMap::new();
    for f in &discovery.files {
        units.entry(f.unit.as_str()).or_default().push(f.clone());
    }
    let mut entries = Vec::new();
    let mut failing = !discovery.errors.is_empty();
    for files in units.values() {
        let (resources, errors) = setup::load_all(files);
        for e in &errors {
            eprint!("{}", tollgate_reports::diagnostic::render(e, false, 100));
        }
        let findings = policy.evaluate_all(resources.clone());
        for f in findings.iter().filter(|f| f.status == Status::Error) {
            if let Some(d) = tollgate_engine::eval::runtime_diagnostic(f, &source.text) {
                eprint!("{}", tollgate_reports::diagnostic::render(&d, false, 100));
            }
        }
        failing |= !errors.is_empty() || findings.iter().any(|f| matches!(f.status, Status::Fail | Status::Error));
        entries.extend(eval::entries(&resources, &findings));
    }
    match args.format {
        ListFormat::Json => print!("{}", eval::json(&entries)),
        ListFormat::Table => {
            let kinds: Vec<String> = policy.rules().iter().flat_map(|r| r.meta.applies_to.clone()).collect();
            print!("{}", eval::text(&entries, &kinds));
        }
    }
    Ok(if failing { Outcome::Fail } else { Outcome::Pass })
}
