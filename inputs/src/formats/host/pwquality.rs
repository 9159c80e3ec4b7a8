//! libpwquality's `pwquality.conf` and `pwquality.conf.d/*.conf`.
//!
//! `name = value` lines, `#` comments (also after a value), and bare boolean
//! options (`enforce_for_root`), which become `true`. The last line for a
//! name wins, as in libpwquality.

use super::kv::{self, Bare, Syntax};
use crate::error::InputError;
use crate::formats::nodes;
use std::sync::Arc;

/// `pwquality.conf`.
pub struct Pwquality;

const SYNTAX: Syntax = Syntax {
    equals: true,
    comment_lines: "#",
    inline_comments: true,
    lowercase_keys: false,
    first_wins: false,
    bare: Bare::Flag,
    unquote: false,
};

impl crate::formats::Parser for Pwquality {
    fn name(&self) -> &'static str {
        "pwquality"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["host:pwquality"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        super::place(path).is_some_and(|p| p.name == "pwquality.conf" || super::in_dir_with_ext(&p, "pwquality.conf.d", "conf"))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        let data = kv::document(kv::parse(text, &SYNTAX), SYNTAX.first_wins, nodes::file_span(text));
        Ok(vec![super::file_resource("host:pwquality", path, data, &[])])
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(super::unit(path))
    }
}
