//! Tollgate's built-in rule library.
//!
//! Each rule is one `.rhai` file with its `X.tests.yaml` cases beside it,
//! grouped by platform (`kubernetes/`, …). `build.rs` embeds them all, so
//! `tollgate scan .` works with no rule files on disk. Rule IDs are permanent:
//! retire a rule with `status: "retired"`, never delete or reuse its id.
#![forbid(unsafe_code)]

/// One embedded rule file.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedRule {
    /// `builtin/<platform>/<file>.rhai`: how reports and diagnostics name it.
    pub path: &'static str,
    pub source: &'static str,
    /// The rule's `X.tests.yaml`, if it has one.
    pub cases: Option<&'static str>,
}

/// Every built-in rule, sorted by path.
pub static BUILTIN: &[EmbeddedRule] = include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
