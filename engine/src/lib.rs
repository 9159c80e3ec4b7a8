//! Tollgate engine: rules × resources → findings.
//!
//! The engine loads Rhai rules and their metadata ([`rule`]), builds one
//! sandboxed, frozen Rhai engine shared by every worker ([`sandbox`]),
//! registers the helper API rules call ([`api`]), and evaluates every rule
//! against every matching resource in parallel ([`scan`]). It returns plain
//! data ([`ScanReport`]); it never prints, colours or exits. Output formats
//! live in the reports crate.
//!
//! ```
//! use std::sync::Arc;
//! use tollgate_engine::{Policy, RuleOverrides, RuleSource, Limits, Status};
//!
//! let rule = RuleSource {
//!     path: "no-host-network.rhai".into(),
//!     text: Arc::from(r#"
//!         const RULE = #{
//!             id: "EX-K8S-001", title: "Pods do not share the host network", severity: "high",
//!             applies_to: ["k8s:Pod"], controls: ["SC-7"],
//!             rationale: "Host networking bypasses network policy.", remediation: "Set spec.hostNetwork to false.",
//!         };
//!         fn check(r) {
//!             if r.pod?.hostNetwork == true { return fail("uses the host network", r.pod_path + ".hostNetwork"); }
//!             pass()
//!         }
//!     "#),
//! };
//! let policy = Policy::load(&[rule], &RuleOverrides::default(), Limits::default()).unwrap();
//! let text = Arc::from("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  hostNetwork: true\n");
//! let pod = &tollgate_inputs::parse_text(tollgate_inputs::Format::YAML, "pod.yaml", &text).unwrap()[0];
//! let findings = policy.evaluate(pod);
//! assert_eq!(findings[0].status, Status::Fail);
//! assert_eq!(findings[0].location.as_ref().unwrap().start_line, 5);
//! ```
#![forbid(unsafe_code)]
// Rule and config errors carry their source text for diagnostics; they occur
// once per file at load time, never on the per-resource path, so size is fine.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod baseline;
mod call;
pub mod catalog;
pub mod config;
pub mod convert;
pub mod coverage;
pub mod error;
pub mod eval;
pub mod fixtures;
pub mod framework;
pub mod gate;
pub mod lint;
pub mod partial;
pub mod poam;
pub mod program;
pub mod result;
pub mod rule;
pub mod sandbox;
pub mod scan;
pub mod severity;
pub mod suggest;
pub mod suppress;
pub mod value;

pub use config::Config;
pub use error::{ConfigError, RuleError, RuleLoadError};
pub use gate::Gate;
pub use result::{Finding, Location, ResourceRef, ScanReport, Status, Summary, SuppressionRef, SystemInfo};
pub use rule::{load_rules, Rule, RuleMeta, RuleOverrides, RuleSource, RuleStatus};
pub use sandbox::Limits;
pub use scan::{ScanObserver, ScanOptions, Silent};
pub use severity::{FailOn, Severity};

/// Loaded rules plus the frozen engine that runs them.
pub struct Policy {
    engine: rhai::Engine,
    rules: Vec<Rule>,
    limits: Limits,
}

impl Policy {
    /// Builds the sandbox and compiles `sources`; every problem is collected.
    pub fn load(sources: &[RuleSource], overrides: &RuleOverrides, limits: Limits) -> Result<Policy, RuleLoadError> {
        let mut engine = sandbox::build_engine(&limits);
        let rules = load_rules(&engine, sources, overrides)?;
        api::values::register_property_getters(&mut engine, rules.iter().map(|r| &r.ast));
        Ok(Policy { engine, rules, limits })
    }

    /// The rules that will run, sorted by id.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A policy of just the rule `id`, with `params` overriding its defaults
    /// (test cases use it to exercise non-default thresholds).
    pub fn single_rule_with_params(
        &self,
        id: &str,
        params: &std::collections::BTreeMap<String, serde_json::Value>,
    ) -> Result<Policy, RuleLoadError> {
        let rule = self.rules.iter().find(|r| r.meta.id == id).ok_or_else(|| RuleLoadError {
            errors: vec![RuleError::UnknownId { section: "params".into(), id: id.to_string(), help: None }],
        })?;
        let source = RuleSource { path: rule.meta.source.clone(), text: rule.text.clone() };
        let overrides = RuleOverrides { params: [(id.to_string(), params.clone())].into(), ..RuleOverrides::default() };
        Policy::load(&[source], &overrides, self.limits.clone())
    }
}
