//! `tollgate eval --rule FILE INPUT...`: the rule author's debugging loop.
//! Runs one rule on the inputs and prints every verdict next to the exact
//! data the rule received.

use super::setup;
use crate::cli::{EvalArgs, ListFormat};
use crate::Outcome;
use miette::Result;
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource, Status};
use tollgate_inputs::{discover, Excludes};

pub fn run(args: EvalArgs) -> Result<Outcome> {
    let text = std::fs::read_to_string(&args.rule).map_err(|e| miette::miette!("cannot read {}: {e}", args.rule.display()))?;
    let source = RuleSource { path: args.rule.display().to_string(), text: Arc::from(text) };
    let policy = Policy::load(&[source], &RuleOverrides::default(), Limits::default())?;
    let discovery = discover(&args.inputs, &Excludes::new(&[]).expect("no patterns"))?;
    let mut units: BTreeMap<&str, Vec<&tollgate_inputs::InputFile>> = BTreeMap::new();
    for f in &discovery.files {
        units.entry(f.unit.as_str()).or_default().push(f);
    }
    let mut entries = Vec::new();
    let mut failing = !discovery.errors.is_empty();
    for files in units.values() {
        let owned: Vec<_> = files.iter().map(|f| (*f).clone()).collect();
        let (resources, errors) = setup::load_all(&owned);
        for e in &errors {
            eprint!("{}", tollgate_reports::diagnostic::render(e, false, 100));
        }
        failing |= !errors.is_empty();
        let findings = policy.evaluate_all(resources.clone());
        for r in &resources {
            let mine: Vec<_> = findings
                .iter()
                .filter(|f| {
                    f.resource.as_ref().is_some_and(|x| x.kind == r.kind && x.id == r.id)
                        && f.location.as_ref().is_some_and(|l| l.path == r.path)
                })
                .collect();
            if mine.is_empty() {
                continue;
            }
            failing |= mine.iter().any(|f| matches!(f.status, Status::Fail | Status::Error));
            let verdicts: Vec<_> = mine
                .iter()
                .map(|f| json!({"status": f.status, "line": f.location.as_ref().map(|l| l.start_line), "property_path": f.property_path, "message": f.message}))
                .collect();
            entries.push(json!({"kind": r.kind, "id": r.id, "path": r.path, "start_line": r.lines.start, "end_line": r.lines.end,
                "verdicts": verdicts, "attributes": r.attributes, "data": r.data.to_json()}));
        }
    }
    match args.format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&entries).unwrap_or_default()),
        ListFormat::Table => {
            for e in &entries {
                println!(
                    "{} {}  ({}:{}-{})",
                    e["kind"].as_str().unwrap_or_default(),
                    e["id"].as_str().unwrap_or_default(),
                    e["path"].as_str().unwrap_or_default(),
                    e["start_line"],
                    e["end_line"]
                );
                for v in e["verdicts"].as_array().into_iter().flatten() {
                    let path = v["property_path"].as_str().map(|p| format!("  [{p}]")).unwrap_or_default();
                    println!(
                        "  {:5} line {:<4} {}{path}",
                        v["status"].as_str().unwrap_or_default(),
                        v["line"],
                        v["message"].as_str().unwrap_or_default()
                    );
                }
                let data = serde_json::to_string_pretty(&e["data"]).unwrap_or_default();
                println!("  data the rule saw:\n    {}\n", data.replace('\n', "\n    "));
            }
            if entries.is_empty() {
                println!(
                    "the rule applies to none of the resources found ({})",
                    policy.rules().iter().flat_map(|r| r.meta.applies_to.clone()).collect::<Vec<_>>().join(", ")
                );
            }
        }
    }
    Ok(if failing { Outcome::Fail } else { Outcome::Pass })
}
