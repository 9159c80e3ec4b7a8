//! Timing splits that explain where scan time goes (diagnostics, not targets).
//!
//! Both run single-threaded over resources parsed up front, so that parsing
//! is out of the picture:
//!
//! * [`per_rule`]: each rule alone (plus a `pass()` baseline rule) through
//!   the real [`Policy::evaluate_all`] path: conversion, Rhai call, findings.
//! * [`variants`]: the same rule calls made directly against the engine's
//!   sandboxed Rhai engine: the engine's own path, the Rhai calls alone through
//!   `Engine::call_fn` (read-only views passed by pointer, but a fresh
//!   function-resolution cache per call, which the engine's own path avoids:
//!   see `engine/src/call.rs`), and the value shared at the top level (an
//!   `Arc` clone per rule). Verdict counts are
//!   compared so that a faster variant that changes results is visible, and
//!   a tampering rule checks whether one rule can change what the next sees.
//!
//! Sharing at every map and array level as well was tried and is not viable:
//! with `max_map_size` set, Rhai 1.27's data-size check panics on shared
//! values nested in a map (`eval/data_check.rs`: "shared values discovered
//! within data").

use rhai::{CallFnOptions, Dynamic, Engine, Scope, AST};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tollgate_engine::api::{Verdict, VerdictKind};
use tollgate_engine::convert::resource_to_dynamic;
use tollgate_engine::sandbox::{build_engine, with_deadline};
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource};
use tollgate_inputs::Resource;

const BASELINE: &str = r#"
const RULE = #{
    id: "BENCH-BASE-000", title: "Baseline: returns pass() without reading the resource", severity: "low",
    applies_to: ["k8s:*", "json:document", "yaml:document"], controls: ["CM-6"],
    rationale: "Measures the fixed cost of one evaluation.", remediation: "None.",
};
fn check(r) { pass() }
"#;

/// Wall and CPU seconds since `(wall, cpu)` was taken by [`clock`].
fn elapsed(since: (Instant, f64)) -> (f64, f64) {
    (since.0.elapsed().as_secs_f64(), crate::process_cpu_seconds().unwrap_or(0.0) - since.1)
}

fn clock() -> (Instant, f64) {
    (Instant::now(), crate::process_cpu_seconds().unwrap_or(0.0))
}

fn policy(sources: &[RuleSource]) -> Result<Policy, String> {
    Policy::load(sources, &RuleOverrides::default(), Limits::default())
        .map_err(|e| e.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
}

/// Seconds and evaluations of every rule alone over `resources`, slowest first.
pub fn per_rule(sources: &[RuleSource], resources: &[Resource]) -> Result<Vec<Value>, String> {
    let mut all = sources.to_vec();
    all.push(RuleSource { path: "baseline.rhai".into(), text: Arc::from(BASELINE) });
    let mut out = Vec::new();
    for source in &all {
        let p = policy(std::slice::from_ref(source))?;
        let Some(rule) = p.rules().first() else { continue };
        // Each resource as its own evaluation unit, cloned before the clock starts.
        let units: Vec<Vec<Resource>> = resources.iter().filter(|r| rule.applies(&r.kind, &r.path)).map(|r| vec![r.clone()]).collect();
        let evaluations = units.len() as u64;
        let started = clock();
        let mut findings = 0usize;
        for unit in units {
            findings += p.evaluate_all(unit).len();
        }
        let (secs, cpu) = elapsed(started);
        out.push(json!({
            "rule": rule.meta.id,
            "evaluations": evaluations,
            "findings": findings,
            "seconds": crate::round3(secs),
            "cpu_s": crate::round3(cpu),
            "cpu_us_per_eval": crate::round3(cpu * 1e6 / evaluations.max(1) as f64),
        }));
    }
    out.sort_by(|a, b| b["cpu_s"].as_f64().unwrap_or(0.0).total_cmp(&a["cpu_s"].as_f64().unwrap_or(0.0)));
    Ok(out)
}

struct Compiled {
    ast: AST,
    arity: usize,
    params: Dynamic,
    title: String,
}

/// How the resource value reaches each rule call.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Passing {
    /// `value.clone()` of the read-only view: a pointer copy per call.
    ViewClone,
    /// The top-level map wrapped in `into_shared()`: an `Arc` clone per call.
    SharedTop,
}

impl Passing {
    fn value(self, r: &Resource) -> Dynamic {
        match self {
            Passing::ViewClone => resource_to_dynamic(r),
            Passing::SharedTop => resource_to_dynamic(r).into_shared(),
        }
    }
}

fn compile(engine: &Engine, source: &RuleSource, policy: &Policy) -> Result<Compiled, String> {
    let mut ast = engine.compile(source.text.as_ref()).map_err(|e| format!("{}: {e}", source.path))?;
    let arity = ast.iter_functions().find(|f| f.name == "check").map(|f| f.params.len()).ok_or("no check")?;
    ast.clear_statements();
    let meta = policy.rules().iter().find(|r| r.meta.source == source.path).map(|r| r.meta.clone()).ok_or("rule not loaded")?;
    let params = rhai::serde::to_dynamic(&meta.params).map_err(|e| e.to_string())?;
    Ok(Compiled { ast, arity, params, title: meta.title.clone() })
}

fn call(engine: &Engine, rule: &Compiled, value: &Dynamic) -> Result<Vec<Verdict>, String> {
    let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
    let mut scope = Scope::new();
    let out = with_deadline(Duration::from_millis(2_000), || {
        if rule.arity == 2 {
            engine.call_fn_with_options::<Dynamic>(options, &mut scope, &rule.ast, "check", (value.clone(), rule.params.clone()))
        } else {
            engine.call_fn_with_options::<Dynamic>(options, &mut scope, &rule.ast, "check", (value.clone(),))
        }
    });
    match out {
        Ok(ret) => Verdict::from_return(ret, &rule.title),
        Err(e) => Err(e.to_string()),
    }
}

fn tally(counts: &mut BTreeMap<&'static str, usize>, verdicts: Result<Vec<Verdict>, String>) {
    match verdicts {
        Ok(vs) => {
            for v in vs {
                let key = match v.kind {
                    VerdictKind::Pass => "pass",
                    VerdictKind::Fail => "fail",
                    VerdictKind::Skip => "skip",
                };
                *counts.entry(key).or_default() += 1;
            }
        }
        Err(_) => *counts.entry("error").or_default() += 1,
    }
}

/// Times the engine path and the three ways of passing the resource.
pub fn variants(sources: &[RuleSource], resources: &[Resource]) -> Result<Vec<Value>, String> {
    let p = policy(sources)?;
    let mut engine = build_engine(&Limits::default());
    let compiled: Vec<Compiled> = sources.iter().map(|s| compile(&engine, s, &p)).collect::<Result<_, _>>()?;
    // As `Policy::load` does: property reads on views find a getter at once.
    tollgate_engine::api::values::register_property_getters(&mut engine, compiled.iter().map(|c| &c.ast));
    let rules: Vec<(&tollgate_engine::Rule, &Compiled)> = p
        .rules()
        .iter()
        .map(|r| (r, &compiled[sources.iter().position(|s| s.path == r.meta.source).expect("loaded from sources")]))
        .collect();
    let mut out = Vec::new();

    // The engine itself: conversion, calls and findings.
    let units: Vec<Vec<Resource>> = resources.iter().map(|r| vec![r.clone()]).collect();
    let started = clock();
    let mut findings = 0usize;
    for unit in units {
        findings += p.evaluate_all(unit).len();
    }
    let (secs, cpu) = elapsed(started);
    out.push(json!({ "variant": "engine evaluate()", "seconds": crate::round3(secs), "cpu_s": crate::round3(cpu), "findings": findings }));

    // Conversion alone.
    let started = clock();
    for r in resources {
        let _ = std::hint::black_box(resource_to_dynamic(r));
    }
    let (secs, cpu) = elapsed(started);
    out.push(json!({ "variant": "convert only", "seconds": crate::round3(secs), "cpu_s": crate::round3(cpu) }));

    for passing in [Passing::ViewClone, Passing::SharedTop] {
        let started = clock();
        let mut counts = BTreeMap::new();
        let mut evaluations = 0u64;
        for r in resources {
            let mut value = None;
            for (rule, c) in &rules {
                if !rule.applies(&r.kind, &r.path) {
                    continue;
                }
                let v = value.get_or_insert_with(|| passing.value(r));
                evaluations += 1;
                tally(&mut counts, call(&engine, c, v));
            }
        }
        let (secs, cpu) = elapsed(started);
        out.push(json!({
            "variant": format!("rhai calls, {}", match passing {
                Passing::ViewClone => "Engine::call_fn per call (fresh resolution cache)",
                Passing::SharedTop => "top-level shared value",
            }),
            "seconds": crate::round3(secs),
            "cpu_s": crate::round3(cpu),
            "evaluations": evaluations,
            "cpu_us_per_eval": crate::round3(cpu * 1e6 / evaluations.max(1) as f64),
            "verdicts": counts,
            "tamper": tamper_check(&engine, passing, resources),
        }));
    }
    Ok(out)
}

/// For each write a rule might attempt on its resource, runs a rule that
/// makes it and then a rule that looks for it. Says, per write, whether the
/// writer was stopped, changed only its own copy, or leaked into the next rule.
fn tamper_check(engine: &Engine, passing: Passing, resources: &[Resource]) -> Value {
    let Some(r) = resources.iter().find(|r| r.attributes.contains_key("pod_spec_path")) else { return json!("no workload") };
    let writes = [
        ("overwrite r.kind", r#"r.kind = "tampered";"#, "r.kind"),
        ("overwrite r.data.metadata.name", r#"r.data.metadata.name = "tampered";"#, "r.data.metadata.name"),
        ("add key r.data.metadata.x", r#"r.data.metadata.x = "tampered";"#, "r.data.metadata.x"),
        ("add key r.pod.x", r#"r.pod.x = "tampered";"#, "r.pod.x"),
    ];
    let mut out = Map::new();
    for (name, write, read) in writes {
        let compile = |text: String| Compiled {
            ast: engine.compile(text).expect("tamper rule compiles"),
            arity: 1,
            params: Dynamic::UNIT,
            title: "t".into(),
        };
        let writer = compile(format!("fn check(r) {{ {write} pass() }}"));
        let reader = compile(format!(r#"fn check(r) {{ if {read} == "tampered" {{ fail("leak") }} else {{ pass() }} }}"#));
        let value = passing.value(r);
        let outcome = match (call(engine, &writer, &value), call(engine, &reader, &value)) {
            (Err(_), _) => "refused",
            (_, Ok(v)) if v.iter().any(|v| v.kind == VerdictKind::Fail) => "LEAKED to the next rule",
            (_, Ok(_)) => "isolated",
            (_, Err(_)) => "reader error",
        };
        out.insert(name.to_string(), json!(outcome));
    }
    Value::Object(out)
}
