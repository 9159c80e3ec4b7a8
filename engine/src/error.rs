//! Errors from loading rules and configuration. Each is a miette diagnostic
//! with a stable code and, where there is a source file, the span to show.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::sync::Arc;
use tollgate_inputs::lines::LineIndex;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum RuleError {
    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::rule::compile))]
    Compile {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::rule::metadata))]
    Metadata {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{path}: {message}")]
    #[diagnostic(
        code(tollgate::rule::check_fn),
        help("define `fn check(resource)` (or `fn check(resource, params)`) returning pass(), fail(message, path) or a list of failures")
    )]
    CheckFn {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("rule defined here")]
        span: SourceSpan,
    },

    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::rule::runtime))]
    Runtime {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("while evaluating {resource}")]
        span: SourceSpan,
        resource: String,
        #[help]
        help: Option<String>,
    },

    #[error("duplicate rule id `{id}`: defined in {first} and in {second}")]
    #[diagnostic(
        code(tollgate::rule::duplicate_id),
        help("rule ids are unique and permanent: give the new rule a new id, or turn one off with `[rules] disable`")
    )]
    DuplicateId { id: String, first: String, second: String },

    #[error("`[rules] {section}` names `{id}`, which is not a loaded rule")]
    #[diagnostic(code(tollgate::rule::unknown_id), help("{}", help.as_deref().unwrap_or("check `tollgate rules list` for rule ids")))]
    UnknownId { section: String, id: String, help: Option<String> },

    #[error("{path}: cannot read rule: {message}")]
    #[diagnostic(code(tollgate::rule::io))]
    Io { path: String, message: String },

    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::rule::pack), help("pack.toml takes name, version, description and min_tollgate_version"))]
    Pack { path: String, message: String },
}

/// All rule-loading problems of one run, shown together.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{} problem(s) loading rules", errors.len())]
#[diagnostic(code(tollgate::rule::load))]
pub struct RuleLoadError {
    #[related]
    pub errors: Vec<RuleError>,
}

/// A byte span for 1-based `line` and 1-based character `column` of `text`.
pub(crate) fn span_at(text: &str, line: usize, column: usize, len: usize) -> SourceSpan {
    let index = LineIndex::new(text);
    let start = index.offset_of(text, line.max(1), column.saturating_sub(1));
    let len = len.min(text.len().saturating_sub(start)).max(usize::from(start < text.len()));
    (start, len).into()
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::config::parse), help("see docs/config.md for every key tollgate.toml accepts"))]
    Parse {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{message}")]
        span: SourceSpan,
    },

    #[error("{path}: cannot read configuration: {message}")]
    #[diagnostic(code(tollgate::config::io))]
    Io { path: String, message: String },
}
