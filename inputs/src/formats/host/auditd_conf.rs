//! The audit daemon's `auditd.conf` (`max_log_file_action = keep_logs`).
//!
//! `keyword = value` lines; keywords are case-insensitive (lower-cased here)
//! and values are kept as written. The last line for a keyword wins.

use super::kv::{self, Bare, Syntax};
use crate::error::InputError;
use crate::formats::nodes;
use std::sync::Arc;

/// `auditd.conf`.
pub struct AuditdConf;

const SYNTAX: Syntax = Syntax {
    equals: true,
    comment_lines: "#",
    inline_comments: false,
    lowercase_keys: true,
    first_wins: false,
    bare: Bare::Unparsed,
    unquote: false,
};

impl crate::formats::Parser for AuditdConf {
    fn name(&self) -> &'static str {
        "auditd_conf"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:auditd_conf"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path).is_some_and(|p| p.name == "auditd.conf")
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let data = kv::document(kv::parse(text, &SYNTAX), SYNTAX.first_wins, nodes::file_span(text));
        Ok(vec![super::file_resource("host:auditd_conf", path, data, &[])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}
