//! Everything that can go wrong while finding and reading one input file.
//!
//! Each variant is a `miette` diagnostic with a stable code. Parse errors carry
//! the file text and the byte span, so the renderer can show the offending line.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::sync::Arc;

/// Largest nesting depth accepted in any document; deeper input is rejected
/// rather than risking stack exhaustion in the parsers or in rules.
pub const MAX_DEPTH: usize = 128;

/// A syntax error (or a limit hit while parsing) at a span of the file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}: {message}")]
#[diagnostic(code(tollgate::input::parse))]
pub struct ParseError {
    pub path: String,
    pub line: u32,
    pub message: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("{message}")]
    pub span: SourceSpan,
}

/// A `tollgate:ignore` comment that cannot be honoured (no reason, bad date…).
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{path}:{line}: {message}")]
#[diagnostic(code(tollgate::input::suppression), help("{help}"))]
pub struct SuppressionError {
    pub path: String,
    pub line: u32,
    pub message: String,
    pub help: String,
    #[source_code]
    pub src: NamedSource<Arc<str>>,
    #[label("{message}")]
    pub span: SourceSpan,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum InputError {
    /// Boxed: it carries the file text, and errors travel in `Result`s on hot paths.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(Box<ParseError>),

    /// A malformed inline suppression; boxed like `Parse`.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Suppression(Box<SuppressionError>),

    #[error("{path}: cannot read: {message}")]
    #[diagnostic(code(tollgate::input::io))]
    Io { path: String, message: String },

    #[error("{path}: not valid UTF-8 (first bad byte at offset {offset})")]
    #[diagnostic(
        code(tollgate::input::encoding),
        help("Tollgate reads UTF-8 text; convert the file (for example with iconv) or exclude it")
    )]
    Encoding { path: String, offset: usize },

    #[error("{path}: {size} bytes is over the {limit}-byte input limit")]
    #[diagnostic(code(tollgate::input::too_large), help("raise `[scan] max_file_size` in tollgate.toml, or exclude the file"))]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::input::walk))]
    Walk { path: String, message: String },
}

impl InputError {
    /// Path of the input, relative to the scan root, as shown in reports.
    pub fn path(&self) -> &str {
        match self {
            InputError::Parse(p) => &p.path,
            InputError::Suppression(s) => &s.path,
            InputError::Io { path, .. }
            | InputError::Encoding { path, .. }
            | InputError::TooLarge { path, .. }
            | InputError::Walk { path, .. } => path,
        }
    }

    /// 1-based line of the problem, where one is known.
    pub fn line(&self) -> Option<u32> {
        match self {
            InputError::Parse(p) => Some(p.line),
            InputError::Suppression(s) => Some(s.line),
            _ => None,
        }
    }

    /// The one-line message without the path prefix.
    pub fn message(&self) -> String {
        match self {
            InputError::Parse(p) => p.message.clone(),
            InputError::Suppression(s) => s.message.clone(),
            other => {
                let full = other.to_string();
                let prefix = format!("{}: ", other.path());
                full.strip_prefix(&prefix).map(str::to_string).unwrap_or(full)
            }
        }
    }

    /// The stable diagnostic code, e.g. `tollgate::input::parse`.
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }

    /// A parse error at a byte span of `text`.
    pub fn parse(path: &str, text: &Arc<str>, span: std::ops::Range<usize>, message: impl Into<String>) -> Self {
        let index = crate::lines::LineIndex::new(text);
        let start = span.start.min(text.len());
        let len = span.end.saturating_sub(span.start).min(text.len() - start);
        InputError::Parse(Box::new(ParseError {
            path: path.to_string(),
            line: index.line_of(start),
            message: message.into(),
            src: NamedSource::new(path, Arc::clone(text)),
            span: (start, len).into(),
        }))
    }
}
