//! Rule metadata: the `const RULE = #{ ... }` map at the top of every rule.
//!
//! Metadata is data, not prose: reports, SARIF rule descriptors, POA&M items
//! and the generated rule docs all read it. So it is validated strictly when
//! a rule loads, and every problem points at the line of the field.

use crate::severity::Severity;
use rhai::{Dynamic, Map};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Lifecycle of a rule. IDs are never reused: a rule is retired, not deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleStatus {
    Active,
    /// Still runs; will be retired. Reports say so.
    Deprecated,
    /// Kept so its ID stays reserved; never runs.
    Retired,
}

/// Everything a rule says about itself.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Resource kinds the rule judges; `*` wildcards allowed (`k8s:*`).
    pub applies_to: Vec<String>,
    /// NIST SP 800-53 Rev 5 controls the configuration evidences.
    pub controls: Vec<String>,
    /// NIST SP 800-171 Rev 2 requirements, where one applies.
    pub nist_800_171: Vec<String>,
    pub rationale: String,
    pub remediation: String,
    pub references: Vec<String>,
    /// Optional path globs: the rule only sees resources from matching files.
    pub paths: Vec<String>,
    pub status: RuleStatus,
    /// Tunable thresholds with their defaults, overridable per system.
    pub params: BTreeMap<String, serde_json::Value>,
    /// Where the rule came from (`builtin/…` or a pack path).
    pub source: String,
}

impl RuleMeta {
    /// Control ids per framework id, in a fixed framework order, as every
    /// report shows them.
    pub fn controls_by_framework(&self) -> Vec<(&'static str, Vec<String>)> {
        let mut out = Vec::new();
        if !self.controls.is_empty() {
            out.push(("nist-800-53-r5", self.controls.clone()));
        }
        if !self.nist_800_171.is_empty() {
            out.push(("nist-800-171-r2", self.nist_800_171.clone()));
            out.push(("cmmc-l2", crate::coverage::cmmc_practices(&self.nist_800_171)));
        }
        out
    }

    /// The control family of the first control (`AC` of `AC-6(9)`).
    pub fn family(&self) -> &str {
        self.controls.first().and_then(|c| c.split('-').next()).unwrap_or("--")
    }
}

/// One problem with a rule's metadata: which field, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaProblem {
    pub field: String,
    pub message: String,
    pub help: Option<String>,
}

const KNOWN_FIELDS: &[&str] = &[
    "id",
    "title",
    "severity",
    "applies_to",
    "controls",
    "nist_800_171",
    "rationale",
    "remediation",
    "references",
    "paths",
    "status",
    "params",
];

fn regex(cell: &'static OnceLock<regex::Regex>, pattern: &str) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(pattern).expect("static pattern"))
}

fn id_re() -> &'static regex::Regex {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    regex(&R, r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
}

fn control_re() -> &'static regex::Regex {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    regex(&R, r"^[A-Z]{2}-[0-9]{1,2}(\([0-9]{1,2}\))?$")
}

fn req_171_re() -> &'static regex::Regex {
    static R: OnceLock<regex::Regex> = OnceLock::new();
    regex(&R, r"^3\.[0-9]{1,2}\.[0-9]{1,2}$")
}

struct Reader<'a> {
    map: &'a Map,
    problems: Vec<MetaProblem>,
}

impl Reader<'_> {
    fn problem(&mut self, field: &str, message: String, help: Option<String>) {
        self.problems.push(MetaProblem { field: field.to_string(), message, help });
    }

    fn string(&mut self, field: &str, required: bool) -> String {
        match self.map.get(field) {
            Some(v) if v.is_string() => {
                let s = v.clone().into_string().unwrap_or_default();
                if s.trim().is_empty() && required {
                    self.problem(field, format!("`{field}` is empty"), None);
                }
                s
            }
            Some(v) => {
                self.problem(field, format!("`{field}` must be a string, not {}", v.type_name()), None);
                String::new()
            }
            None if required => {
                self.problem(field, format!("missing required field `{field}`"), None);
                String::new()
            }
            None => String::new(),
        }
    }

    fn strings(&mut self, field: &str, required: bool) -> Vec<String> {
        let Some(v) = self.map.get(field) else {
            if required {
                self.problem(field, format!("missing required field `{field}`"), None);
            }
            return Vec::new();
        };
        let Some(items) = v.read_lock::<rhai::Array>() else {
            self.problem(field, format!("`{field}` must be an array of strings"), None);
            return Vec::new();
        };
        let out: Vec<String> = items.iter().filter_map(|i| i.clone().into_string().ok()).collect();
        if out.len() != items.len() {
            self.problem(field, format!("`{field}` must contain only strings"), None);
        }
        if required && out.is_empty() {
            self.problem(field, format!("`{field}` must not be empty"), None);
        }
        out
    }
}

/// Reads and validates the `RULE` map. Returns every problem found, not just the first.
pub fn read_meta(map: &Map, source: &str) -> Result<RuleMeta, Vec<MetaProblem>> {
    let mut r = Reader { map, problems: Vec::new() };
    for key in map.keys() {
        if !KNOWN_FIELDS.contains(&key.as_str()) {
            let help = crate::suggest::closest(key, KNOWN_FIELDS.iter().copied()).map(|s| format!("did you mean `{s}`?"));
            r.problem(key, format!("unknown metadata field `{key}`"), help);
        }
    }
    let id = r.string("id", true);
    if !id.is_empty() && !id_re().is_match(&id) {
        r.problem(
            "id",
            format!("rule id `{id}` is not of the form PREFIX-AREA-NNN"),
            Some("use upper-case letters, digits and dashes, e.g. TG-K8S-001".into()),
        );
    }
    let title = r.string("title", true);
    let severity_text = r.string("severity", true);
    let severity = match severity_text.parse::<Severity>() {
        Ok(s) => s,
        Err(e) => {
            if !severity_text.is_empty() {
                r.problem("severity", e, None);
            }
            Severity::Low
        }
    };
    let applies_to = r.strings("applies_to", true);
    for kind in &applies_to {
        if !kind.contains(':') {
            r.problem(
                "applies_to",
                format!("resource kind `{kind}` has no family prefix"),
                Some("kinds look like `k8s:Deployment`, `terraform:aws_s3_bucket` or `yaml:document`".into()),
            );
        }
    }
    let controls = r.strings("controls", true);
    for c in &controls {
        if !control_re().is_match(c) {
            r.problem(
                "controls",
                format!("`{c}` is not a NIST SP 800-53 Rev 5 control id"),
                Some("write controls like `AC-6` or `AC-6(9)`".into()),
            );
        }
    }
    let nist_800_171 = r.strings("nist_800_171", false);
    for c in &nist_800_171 {
        if !req_171_re().is_match(c) {
            r.problem(
                "nist_800_171",
                format!("`{c}` is not a NIST SP 800-171 requirement id"),
                Some("write requirements like `3.1.1`".into()),
            );
        }
    }
    let rationale = r.string("rationale", true);
    let remediation = r.string("remediation", true);
    let references = r.strings("references", false);
    let paths = r.strings("paths", false);
    for p in &paths {
        if let Err(e) = globset::Glob::new(p) {
            r.problem("paths", format!("bad path glob `{p}`: {e}"), None);
        }
    }
    let status = match r.string("status", false).as_str() {
        "" | "active" => RuleStatus::Active,
        "deprecated" => RuleStatus::Deprecated,
        "retired" => RuleStatus::Retired,
        other => {
            r.problem("status", format!("unknown status `{other}`; expected active, deprecated or retired"), None);
            RuleStatus::Active
        }
    };
    let params = match map.get("params") {
        None => BTreeMap::new(),
        Some(v) => match rhai::serde::from_dynamic::<BTreeMap<String, serde_json::Value>>(v) {
            Ok(p) => p,
            Err(e) => {
                r.problem("params", format!("`params` must be a map of simple values: {e}"), None);
                BTreeMap::new()
            }
        },
    };
    if !r.problems.is_empty() {
        return Err(r.problems);
    }
    Ok(RuleMeta {
        id,
        title,
        severity,
        applies_to,
        controls,
        nist_800_171,
        rationale,
        remediation,
        references,
        paths,
        status,
        params,
        source: source.to_string(),
    })
}

/// Byte range of `field:` (the key) inside the `const RULE` map of `text`,
/// for diagnostics that point at a metadata field.
pub fn field_range(text: &str, field: &str) -> Option<std::ops::Range<usize>> {
    let rule_at = text.find("const RULE")?;
    let pattern = format!(r#"(?m)(?:^|[{{,])\s*("?{}"?)\s*:"#, regex::escape(field));
    let re = regex::Regex::new(&pattern).ok()?;
    let key = re.captures_at(text, rule_at)?.get(1)?;
    Some(key.range())
}

/// Turns rule params into the Rhai map passed to `check(resource, params)`.
/// Built as the read-only views resource data uses, so passing params to
/// every evaluation copies a pointer, not the map.
pub fn params_dynamic(params: &BTreeMap<String, serde_json::Value>) -> Dynamic {
    let map: serde_json::Map<String, serde_json::Value> = params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    crate::api::json::json_to_dynamic(&serde_json::Value::Object(map))
}
