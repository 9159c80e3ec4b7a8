//! `program.toml`: who the program is and which directories are its systems.
//!
//! ```toml
//! [program]
//! name = "Payments"
//! id = "PAY"
//! owner = "J. Smith (ISSM)"
//! systems = ["ledger", "gateway", "teams/reporting"]  # default: every subdirectory with a tollgate.toml
//! framework = "fedramp-moderate"                    # default: none
//! fail_on = "high"                                  # default: each system's own [gate]
//! ```
//!
//! Like `tollgate.toml`, unknown keys are errors that point at the key, and
//! so are absolute or repeated system paths: a program must scan the same
//! systems on every machine, so paths are relative to the program directory.

use crate::catalog::Framework;
use crate::error::ConfigError;
use crate::severity::FailOn;
use miette::NamedSource;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

/// The program configuration file's name.
pub const PROGRAM_FILE: &str = "program.toml";

/// `program.toml` as written.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProgramConfig {
    /// `[program]`.
    #[serde(default)]
    pub program: ProgramTable,
}

/// The `[program]` table.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProgramTable {
    /// Program name (default: the program directory's name).
    pub name: Option<String>,
    /// Program id.
    pub id: Option<String>,
    /// Who owns the program (the ISSM).
    pub owner: Option<String>,
    /// System directories relative to the program directory (default: every
    /// immediate subdirectory holding a `tollgate.toml`).
    pub systems: Option<Vec<toml::Spanned<String>>>,
    /// Framework every system is viewed against.
    #[serde(default, deserialize_with = "framework_id")]
    pub framework: Option<Framework>,
    /// Program-wide gate threshold (`--fail-on` wins).
    pub fail_on: Option<FailOn>,
}

fn framework_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Framework>, D::Error> {
    let id = String::deserialize(d)?;
    id.parse().map(Some).map_err(serde::de::Error::custom)
}

impl ProgramConfig {
    /// Reads `program.toml` from `dir`, or defaults when there is none.
    pub fn load_dir(dir: &Path) -> Result<ProgramConfig, ConfigError> {
        let path = dir.join(PROGRAM_FILE);
        if !path.is_file() {
            return Ok(ProgramConfig::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Io { path: PROGRAM_FILE.into(), message: e.to_string() })?;
        ProgramConfig::parse(PROGRAM_FILE, &text)
    }

    /// Parses and checks program.toml text; `name` labels diagnostics.
    pub fn parse(name: &str, text: &str) -> Result<ProgramConfig, ConfigError> {
        let error = |message: String, span: std::ops::Range<usize>| ConfigError::Parse {
            path: name.to_string(),
            message,
            src: NamedSource::new(name, Arc::from(text)),
            span: (span.start, span.end.saturating_sub(span.start)).into(),
        };
        let config: ProgramConfig = toml::from_str(text).map_err(|e| error(e.message().trim().to_string(), e.span().unwrap_or(0..0)))?;
        let mut seen: Vec<String> = Vec::new();
        for entry in config.program.systems.iter().flatten() {
            let path = normalize(entry.get_ref());
            if path.is_empty() || Path::new(entry.get_ref()).is_absolute() || entry.get_ref().starts_with('/') {
                return Err(error("a system path must be a directory relative to the program directory".into(), entry.span()));
            }
            if seen.contains(&path) {
                return Err(error(format!("system `{path}` is listed twice"), entry.span()));
            }
            seen.push(path);
        }
        Ok(config)
    }

    /// The listed system paths, normalized, or `None` to discover them.
    pub fn system_paths(&self) -> Option<Vec<String>> {
        self.program.systems.as_ref().map(|list| list.iter().map(|s| normalize(s.get_ref())).collect())
    }
}

/// A system path as reports show it: `/`-separated, without `./` or a trailing `/`.
pub fn normalize(path: &str) -> String {
    path.replace('\\', "/").split('/').filter(|p| !p.is_empty() && *p != ".").collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_text<'a>(text: &'a str, err: &ConfigError) -> &'a str {
        let ConfigError::Parse { span, .. } = err else { panic!("wrong variant: {err:?}") };
        &text[span.offset()..span.offset() + span.len()]
    }

    #[test]
    fn full_table_parses() {
        let text = "[program]\nname = \"Pay\"\nid = \"PAY\"\nowner = \"ISSM\"\nsystems = [\"./a/\", \"teams/b\"]\nframework = \"cmmc-l2\"\nfail_on = \"high\"\n";
        let c = ProgramConfig::parse("program.toml", text).unwrap();
        assert_eq!(c.program.name.as_deref(), Some("Pay"));
        assert_eq!(c.program.framework, Some(Framework::CmmcL2));
        assert_eq!(c.program.fail_on, Some(FailOn::At(crate::Severity::High)));
        assert_eq!(c.system_paths(), Some(vec!["a".to_string(), "teams/b".to_string()]));
        assert_eq!(ProgramConfig::parse("p", "").unwrap().system_paths(), None);
    }

    #[test]
    fn mistakes_point_at_the_key_or_entry() {
        let text = "[program]\nnmae = \"x\"\n";
        assert_eq!(span_text(text, &ProgramConfig::parse("p", text).unwrap_err()), "nmae");
        let text = "[program]\nsystems = [\"a\", \"./a\"]\n";
        assert_eq!(span_text(text, &ProgramConfig::parse("p", text).unwrap_err()), "\"./a\"");
        let text = "[program]\nsystems = [\"/etc\"]\n";
        assert_eq!(span_text(text, &ProgramConfig::parse("p", text).unwrap_err()), "\"/etc\"");
        let text = "[program]\nframework = \"fedramp-mod\"\n";
        assert_eq!(span_text(text, &ProgramConfig::parse("p", text).unwrap_err()), "\"fedramp-mod\"");
        let text = "[programme]\n";
        assert!(span_text(text, &ProgramConfig::parse("p", text).unwrap_err()).contains("programme"));
    }
}
