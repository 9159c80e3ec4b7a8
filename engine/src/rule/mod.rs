//! Rules: compiled Rhai scripts with validated metadata.
//!
//! A rule file defines `const RULE = #{ ... }` (see [`meta`]) and
//! `fn check(resource)` or `fn check(resource, params)`. Loading compiles the
//! script once, runs its top level once to read `RULE`, then keeps only the
//! functions; evaluation calls `check` without re-running the top level.

pub mod load;
pub mod meta;
pub mod pack;

pub use load::{load_rules, RuleOverrides, RuleSource};
pub use meta::{RuleMeta, RuleStatus};

use crate::severity::Severity;
use globset::{Glob, GlobSet, GlobSetBuilder};
use rhai::{Dynamic, AST};
use std::sync::Arc;

/// A loaded, ready-to-run rule.
pub struct Rule {
    pub meta: Arc<RuleMeta>,
    /// Severity after `[rules] severity` overrides.
    pub severity: Severity,
    pub(crate) ast: AST,
    /// 1 for `check(resource)`, 2 for `check(resource, params)`.
    pub(crate) arity: usize,
    /// Defaults merged with per-system overrides, as a Rhai map.
    pub(crate) params: Dynamic,
    /// The rule's source text, for diagnostics and re-loading with other params.
    pub text: std::sync::Arc<str>,
    kinds: KindMatcher,
    paths: Option<GlobSet>,
}

impl Rule {
    /// Does this rule judge a resource of `kind` from file `path`?
    pub fn applies(&self, kind: &str, path: &str) -> bool {
        self.kinds.matches(kind) && self.paths.as_ref().is_none_or(|p| p.is_match(path))
    }
}

/// `applies_to` patterns: exact kinds, or globs such as `k8s:*`.
struct KindMatcher {
    exact: Vec<String>,
    globs: Option<GlobSet>,
}

impl KindMatcher {
    fn new(patterns: &[String]) -> Self {
        let (globbed, exact): (Vec<_>, Vec<_>) = patterns.iter().cloned().partition(|p| p.contains(['*', '?', '[']));
        KindMatcher { exact, globs: glob_set(&globbed) }
    }

    fn matches(&self, kind: &str) -> bool {
        self.exact.iter().any(|k| k == kind) || self.globs.as_ref().is_some_and(|g| g.is_match(kind))
    }
}

fn glob_set(patterns: &[String]) -> Option<GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        // Patterns were validated when metadata was read.
        if let Ok(g) = Glob::new(p) {
            b.add(g);
        }
    }
    b.build().ok()
}
