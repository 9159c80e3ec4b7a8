//! One module per input format. Each implements [`Parser`]: it says which
//! files are its own (by name and path) and turns their text into resources.
//!
//! [`PARSERS`] lists them most specific first, so `main.tf.json` reaches the
//! Terraform parser before the JSON one. `--parser` and `[scan] parsers`
//! pick one by [`Parser::name`] instead of detection.

pub mod credential_report;
pub mod dockerfile;
pub mod env;
pub mod host;
pub mod ini;
pub mod json;
pub(crate) mod nodes;
pub mod terraform;
pub mod toml;
pub mod yaml;

use crate::classify::{classify, Document};
use crate::error::InputError;
use crate::resource::Resource;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A reader for one file format.
pub trait Parser: Sync {
    /// Name used by `--parser` and in docs (`json`, `yaml`, `terraform`, …).
    fn name(&self) -> &'static str;
    /// Whether a file at `path` (relative, `/`-separated) is in this format.
    fn detect(&self, path: &Path) -> bool;
    /// Reads `text` (named `path` in resources and errors) into resources.
    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<Resource>, InputError>;
    /// The evaluation unit of a file: files with the same unit are evaluated
    /// together, so rules can look up related resources across them (a
    /// Terraform module is its directory). By default a file is its own unit.
    fn unit(&self, path: &str) -> Option<String> {
        let _ = path;
        None
    }
    /// Kind patterns this parser produces itself, beyond what the content
    /// classifiers make of its documents (`docker:dockerfile`), for `rules lint`.
    fn kinds(&self) -> &'static [&'static str] {
        &[]
    }
    /// What starts a comment in this format, for inline `tollgate:ignore`
    /// suppressions; empty for formats without comments (JSON, CSV).
    fn comment_prefixes(&self) -> &'static [&'static str] {
        &["#"]
    }
}

/// Every kind pattern some parser or classifier can produce (`k8s:*` means
/// any kind in the family). A rule whose `applies_to` matches none of these
/// can never run.
pub fn known_kinds() -> Vec<&'static str> {
    let mut out: Vec<&str> = PARSERS.iter().flat_map(|p| p.kinds().iter().copied()).collect();
    out.extend(crate::classify::kinds());
    out.sort_unstable();
    out.dedup();
    out
}

/// A parser, as carried by files and named on the command line.
#[derive(Clone, Copy)]
pub struct Format(pub &'static dyn Parser);

impl Format {
    pub const JSON: Format = Format(&json::Json);
    pub const YAML: Format = Format(&yaml::Yaml);
    pub const TOML: Format = Format(&toml::Toml);
    pub const TERRAFORM: Format = Format(&terraform::Terraform);

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The parser called `name`, for `--parser`.
    pub fn from_name(name: &str) -> Option<Format> {
        PARSERS.iter().find(|p| p.name().eq_ignore_ascii_case(name)).map(|p| Format(*p))
    }

    pub fn parse(self, path: &str, text: &Arc<str>) -> Result<Vec<Resource>, InputError> {
        self.0.parse(path, text)
    }

    /// The evaluation unit of a file at `path` (see [`Parser::unit`]).
    pub fn unit(self, path: &str) -> String {
        self.0.unit(path).unwrap_or_else(|| path.to_string())
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({})", self.name())
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

/// Every parser, most specific first.
pub static PARSERS: &[&dyn Parser] = &[
    &terraform::Terraform,
    &dockerfile::Dockerfile,
    &host::sshd::SshdConfig,
    &host::login_defs::LoginDefs,
    &host::sysctl::Sysctl,
    &host::auditd_conf::AuditdConf,
    &host::audit_rules::AuditRules,
    &host::pam::Pam,
    &host::pwquality::Pwquality,
    &host::fstab::Fstab,
    &credential_report::CredentialReport,
    &ini::Ini,
    &env::Env,
    &json::Json,
    &yaml::Yaml,
    &toml::Toml,
];

/// Tollgate's own files describe the scan; they are not inputs to it.
pub const OWN_FILES: &[&str] = &["tollgate.toml", "program.toml", crate::collect::MANIFEST];

/// The parser for a file, from its name and path; `None` means "not an input".
pub fn detect(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    if OWN_FILES.contains(&name) {
        return None;
    }
    PARSERS.iter().find(|p| p.detect(path)).map(|p| Format(*p))
}

/// Whether `path` has one of `extensions` (case-insensitive, without dots).
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Runs the content classifiers over a single-document format's root.
pub(crate) fn single_document(format: &str, path: &str, root: crate::node::Node) -> Vec<Resource> {
    classify(Document { format, path, index: 0, multi: false, root })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_and_skips_own_config() {
        let name = |p: &str| detect(Path::new(p)).map(Format::name);
        assert_eq!(name("a/b.YML"), Some("yaml"));
        assert_eq!(name("x.json"), Some("json"));
        assert_eq!(name("main.tf.json"), Some("terraform"));
        assert_eq!(name("modules/net/main.tf"), Some("terraform"));
        assert_eq!(name("pyproject.toml"), Some("toml"));
        assert_eq!(name("tollgate.toml"), None);
        assert_eq!(name("README.md"), None);
        assert_eq!(name("Makefile"), None);
        assert_eq!(Format::from_name("YAML"), Some(Format::YAML));
    }
}
