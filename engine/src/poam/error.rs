//! Errors of the POA&M ledger: each a miette diagnostic with a stable code
//! and, where a file is at fault, the span to show.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::sync::Arc;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum PoamError {
    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::poam::io))]
    Io { path: String, message: String },

    #[error("{path}: {message}")]
    #[diagnostic(
        code(tollgate::poam::ledger),
        help("the ledger was left as it is; fix the file by hand or restore `{path}.bak` (the previous version), then run again")
    )]
    Ledger {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::poam::deviations), help("see docs/poam.md, \"Deviations\", for the fields of a deviation"))]
    Deviations {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
    },

    #[error("{path} is locked by another tollgate ({holder}); gave up after {waited_ms} ms")]
    #[diagnostic(
        code(tollgate::poam::locked),
        help("wait for the other run to finish, or raise --poam-wait; if no tollgate is running, the lock is stale: delete {lock}")
    )]
    Locked { path: String, lock: String, holder: String, waited_ms: u64 },

    #[error("{path} is the POA&M of system `{ledger}`, but this scan is of system `{scan}`")]
    #[diagnostic(
        code(tollgate::poam::system_mismatch),
        help("each system has its own ledger: check `[system] id` in tollgate.toml, or pass another --poam file")
    )]
    SystemMismatch { path: String, ledger: String, scan: String },

    #[error("{message}")]
    #[diagnostic(code(tollgate::poam::config))]
    Config { message: String },
}

impl PoamError {
    /// A ledger error pointing at `range` of `text`.
    pub(crate) fn ledger(path: &str, text: &Arc<str>, range: std::ops::Range<usize>, message: impl Into<String>) -> PoamError {
        PoamError::Ledger {
            path: path.to_string(),
            message: message.into(),
            src: NamedSource::new(path, text.clone()),
            span: (range.start, range.end.saturating_sub(range.start)).into(),
        }
    }

    /// A deviations-file error pointing at `range` of `text`.
    pub(crate) fn deviations(path: &str, text: &Arc<str>, range: std::ops::Range<usize>, message: impl Into<String>) -> PoamError {
        PoamError::Deviations {
            path: path.to_string(),
            message: message.into(),
            src: NamedSource::new(path, text.clone()),
            span: (range.start, range.end.saturating_sub(range.start)).into(),
        }
    }

    pub(crate) fn io(path: &std::path::Path, e: impl std::fmt::Display) -> PoamError {
        PoamError::Io { path: path.display().to_string(), message: e.to_string() }
    }
}

/// Byte offset of 1-based `line` and `column` in `text` (clamped to its end).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut at = (start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
