//! `tollgate.toml`: who the system is, what to scan, and how to adjust rules.
//!
//! Unknown keys are errors that point at the key: a misspelt `exclude` that
//! silently scanned everything would be worse than a failed run.

use crate::error::ConfigError;
use crate::result::SystemInfo;
use crate::rule::RuleOverrides;
use crate::sandbox::Limits;
use crate::severity::{FailOn, Severity};
use miette::NamedSource;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub system: SystemInfo,
    #[serde(default)]
    pub scan: ScanConfig,
    #[serde(default)]
    pub rules: RulesConfig,
    /// `[poam]`: POA&M drafting and ledger settings (see docs/poam.md).
    #[serde(default)]
    pub poam: crate::poam::PoamConfig,
    #[serde(default)]
    pub report: ReportConfig,
    /// `[gate]`: what fails a CI run (see docs/ci.md and [`crate::gate`]).
    #[serde(default)]
    pub gate: GateConfig,
    /// Directory holding the config file; relative paths in it resolve here.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Paths to scan when none are given on the command line.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Globs of files and directories to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Largest input file read, in bytes.
    pub max_file_size: Option<u64>,
    /// Glob → parser name, overriding detection (`"ci/*.txt" = "yaml"`).
    #[serde(default)]
    pub parsers: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Extra rule pack directories.
    #[serde(default)]
    pub packs: Vec<String>,
    /// Whether built-in rules run (default true).
    pub builtin: Option<bool>,
    /// Rule ids not to run on this system.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Per-rule severity overrides.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Per-rule parameter overrides (thresholds).
    #[serde(default)]
    pub params: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    // Sandbox limits; unset keys keep the defaults of [`Limits`].
    pub max_operations: Option<u64>,
    pub max_call_levels: Option<usize>,
    pub max_string_size: Option<usize>,
    pub max_array_size: Option<usize>,
    pub max_map_size: Option<usize>,
    pub timeout_ms: Option<u64>,
}

/// `[report]`: how scan reports are framed.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReportConfig {
    /// Show the findings as a gap report against this framework (`--framework` wins).
    #[serde(default, deserialize_with = "framework_id")]
    pub framework: Option<crate::catalog::Framework>,
    /// Attestations file for the framework view, relative to the config (`--attestations` wins).
    pub attestations: Option<String>,
}

/// `[gate]`: the thresholds a run gates on and the baseline it compares with.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GateConfig {
    /// Default threshold (`--fail-on` wins).
    pub fail_on: Option<FailOn>,
    /// Baseline file, relative to the config (`--baseline` wins).
    pub baseline: Option<String>,
    /// Framework id → threshold for the rules mapped to that framework.
    #[serde(default, deserialize_with = "framework_thresholds")]
    pub frameworks: Vec<(crate::catalog::Framework, FailOn)>,
    /// Rule id → threshold for that rule's failures.
    #[serde(default)]
    pub rules: BTreeMap<String, FailOn>,
}

impl GateConfig {
    /// The gate for a run: `cli` (`--fail-on`) replaces the default threshold;
    /// `--fail-on never` turns the gate off altogether.
    pub fn gate(&self, cli: Option<FailOn>) -> crate::Gate {
        if cli == Some(FailOn::Never) {
            return crate::Gate::uniform(FailOn::Never);
        }
        crate::Gate {
            default: cli.or(self.fail_on).unwrap_or(FailOn::At(Severity::Low)),
            frameworks: self.frameworks.clone(),
            rules: self.rules.clone(),
        }
    }
}

fn framework_thresholds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(crate::catalog::Framework, FailOn)>, D::Error> {
    let map = BTreeMap::<String, FailOn>::deserialize(d)?;
    map.into_iter().map(|(id, t)| id.parse().map(|f| (f, t)).map_err(serde::de::Error::custom)).collect()
}

/// A framework id, checked when the config loads so the error points at it.
fn framework_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<crate::catalog::Framework>, D::Error> {
    let id = String::deserialize(d)?;
    id.parse().map(Some).map_err(serde::de::Error::custom)
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io { path: display.clone(), message: e.to_string() })?;
        let mut config = Config::parse(&display, &text)?;
        config.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(config)
    }

    /// Parses config text; `name` labels diagnostics.
    pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
        toml::from_str::<Config>(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let src: Arc<str> = Arc::from(text);
            ConfigError::Parse {
                path: name.to_string(),
                message: e.message().trim().to_string(),
                src: NamedSource::new(name, src),
                span: (span.start, span.end.saturating_sub(span.start)).into(),
            }
        })
    }

    /// A path from the config, resolved against the config's directory.
    pub fn resolve(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() || self.base_dir.as_os_str().is_empty() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    pub fn limits(&self) -> Limits {
        let d = Limits::default();
        let l = &self.rules;
        Limits {
            max_operations: l.max_operations.unwrap_or(d.max_operations),
            max_call_levels: l.max_call_levels.unwrap_or(d.max_call_levels),
            max_string_size: l.max_string_size.unwrap_or(d.max_string_size),
            max_array_size: l.max_array_size.unwrap_or(d.max_array_size),
            max_map_size: l.max_map_size.unwrap_or(d.max_map_size),
            timeout_ms: l.timeout_ms.unwrap_or(d.timeout_ms),
        }
    }

    pub fn overrides(&self) -> RuleOverrides {
        RuleOverrides { disabled: self.rules.disable.clone(), severity: self.rules.severity.clone(), params: self.rules.params.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let c = Config::parse(
            "t.toml",
            "[system]\nname = \"Demo\"\ncategorization = \"medium\"\n[scan]\nexclude = [\"vendor\"]\n[rules]\ndisable = [\"TG-X-001\"]\nmax_operations = 5\n[rules.severity]\nTG-X-002 = \"critical\"\n[rules.params.TG-X-003]\nmin = 14\n",
        )
        .unwrap();
        assert_eq!(c.system.categorization, Some(Severity::Moderate));
        assert_eq!(c.limits().max_operations, 5);
        assert_eq!(c.overrides().params["TG-X-003"]["min"], serde_json::json!(14));
    }

    #[test]
    fn report_section_names_a_framework() {
        let c = Config::parse("t.toml", "[report]\nframework = \"CMMC-L2\"\nattestations = \"attest.toml\"\n").unwrap();
        assert_eq!(c.report.framework, Some(crate::catalog::Framework::CmmcL2));
        assert_eq!(c.report.attestations.as_deref(), Some("attest.toml"));
        let text = "[report]\nframework = \"fedramp-medium\"\n";
        let ConfigError::Parse { span, message, .. } = Config::parse("t.toml", text).unwrap_err() else { panic!("wrong variant") };
        assert!(message.contains("unknown framework `fedramp-medium`"), "{message}");
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "\"fedramp-medium\"");
    }

    #[test]
    fn gate_section_sets_thresholds() {
        use crate::catalog::Framework;
        let text = "[gate]\nfail_on = \"high\"\nbaseline = \"base.json\"\n[gate.frameworks]\nfedramp-moderate = \"moderate\"\n[gate.rules]\nTG-X-001 = \"never\"\n";
        let c = Config::parse("t.toml", text).unwrap();
        let gate = c.gate.gate(None);
        assert_eq!(gate.default, FailOn::At(Severity::High));
        assert_eq!(gate.frameworks, vec![(Framework::FedrampModerate, FailOn::At(Severity::Moderate))]);
        assert_eq!(gate.rules["TG-X-001"], FailOn::Never);
        assert_eq!(c.gate.gate(Some(FailOn::At(Severity::Low))).default, FailOn::At(Severity::Low), "--fail-on wins");
        assert!(c.gate.gate(Some(FailOn::Never)).is_never(), "--fail-on never turns every threshold off");
        let bad = "[gate.frameworks]\nfedramp-mod = \"low\"\n";
        let ConfigError::Parse { message, .. } = Config::parse("t.toml", bad).unwrap_err() else { panic!("wrong variant") };
        assert!(message.contains("fedramp-mod"), "{message}");
        let bad = "[gate]\nfail_on = \"sometimes\"\n";
        let ConfigError::Parse { span, .. } = Config::parse("t.toml", bad).unwrap_err() else { panic!("wrong variant") };
        assert_eq!(&bad[span.offset()..span.offset() + span.len()], "\"sometimes\"");
    }

    #[test]
    fn unknown_keys_point_at_the_key() {
        let text = "[scan]\nexclud = [\"x\"]\n";
        let err = Config::parse("t.toml", text).unwrap_err();
        let ConfigError::Parse { span, message, .. } = err else { panic!("wrong variant") };
        assert!(message.contains("unknown field `exclud`"), "{message}");
        assert_eq!(&text[span.offset()..span.offset() + span.len()], "exclud");
    }
}
