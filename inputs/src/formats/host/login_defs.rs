//! `/etc/login.defs`, the shadow suite's defaults (`PASS_MAX_DAYS 90`).
//!
//! `KEY value` lines; keys keep their case, quotes around values are dropped
//! and, as in shadow's `getdef`, the last line for a key wins. A key alone
//! is set to the empty string.

use super::kv::{self, Bare, Syntax};
use crate::error::InputError;
use crate::formats::nodes;
use std::sync::Arc;

/// `login.defs`.
pub struct LoginDefs;

/// Shared with the key-value tests, which exercise this dialect.
pub(crate) const SYNTAX: Syntax = Syntax {
    equals: false,
    comment_lines: "#",
    inline_comments: false,
    lowercase_keys: false,
    first_wins: false,
    bare: Bare::Empty,
    unquote: true,
};

impl crate::formats::Parser for LoginDefs {
    fn name(&self) -> &'static str {
        "login_defs"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:login_defs"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path).is_some_and(|p| p.name == "login.defs")
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let data = kv::document(kv::parse(text, &SYNTAX), SYNTAX.first_wins, nodes::file_span(text));
        Ok(vec![super::file_resource("host:login_defs", path, data, &[])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}
