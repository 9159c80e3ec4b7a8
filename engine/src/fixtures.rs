//! Rule fixtures: the `X.tests.yaml` file beside each `X.rhai`.
//!
//! Every case feeds an input through the real parsers and states the outcome
//! the rule must reach. The same runner backs the Rust test harness (one test
//! per case, found by glob) and `tollgate rules test`.
//!
//! ```yaml
//! cases:
//!   - name: privileged container fails
//!     file: deploy.yaml        # names the input, which picks its parser
//!     input: |
//!       apiVersion: apps/v1
//!       ...
//!     expect: fail             # pass | fail | skip | error
//!     findings:                # optional: the exact failures, in line order
//!       - line: 12
//!         message: privileged  # substring of the message
//!   - name: a file beside the rule
//!     path: fixtures/ok.yaml   # relative to the cases file
//!     expect: pass
//! ```

use crate::result::{Finding, Status};
use crate::Policy;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;
use tollgate_inputs::{detect, parse_text, Format};

/// A cases file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub cases: Vec<Case>,
}

/// One input and what the rule must conclude about it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    /// File name for inline input (picks the parser; also the reported path).
    pub file: Option<String>,
    /// Inline input text.
    pub input: Option<String>,
    /// Input file, relative to the cases file.
    pub path: Option<String>,
    /// Overall outcome: error beats fail beats pass beats skip.
    pub expect: Status,
    /// When given, the exact non-passing findings, in line order.
    pub findings: Option<Vec<ExpectedFinding>>,
    /// "Now" for date helpers, as an RFC 3339 date-time or a date, so that
    /// age checks (key rotation, password age) give the same verdict forever.
    pub now: Option<String>,
    /// Param overrides for this case, as a system would set them under
    /// `[rules.params.ID]`, to test non-default thresholds.
    pub params: Option<std::collections::BTreeMap<String, serde_json::Value>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    pub line: Option<u32>,
    pub message: Option<String>,
}

/// How one case went.
#[derive(Debug)]
pub struct CaseOutcome {
    pub name: String,
    /// `None` when the case passed; otherwise what differed.
    pub failure: Option<String>,
    pub actual: Status,
}

/// Reads a cases file (YAML, via Tollgate's own parser).
pub fn read_cases(path: &Path) -> Result<CaseFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_cases(&path.display().to_string(), &text)
}

/// Parses cases-file text; `name` labels errors.
pub fn parse_cases(name: &str, text: &str) -> Result<CaseFile, String> {
    let docs = parse_text(Format::YAML, name, &Arc::from(text)).map_err(|e| e.to_string())?;
    let doc = docs.into_iter().next().ok_or_else(|| format!("{name}: no cases"))?;
    serde_json::from_value(doc.data.to_json()).map_err(|e| format!("{name}: {e}"))
}

/// The cases file that belongs beside a rule file (`x.rhai` → `x.tests.yaml`).
pub fn cases_path(rule_path: &Path) -> std::path::PathBuf {
    let name = rule_path.file_name().map(|n| n.to_string_lossy().replace(".rhai", ".tests.yaml")).unwrap_or_default();
    rule_path.with_file_name(name)
}

/// Whether a rule's cases include at least one `pass` and one `fail`.
pub fn has_pass_and_fail(cases: &CaseFile) -> bool {
    [Status::Pass, Status::Fail].iter().all(|s| cases.cases.iter().any(|c| c.expect == *s))
}

/// The overall outcome of a set of findings for one rule.
pub fn overall(findings: &[Finding]) -> Status {
    [Status::Error, Status::Fail, Status::Pass].into_iter().find(|s| findings.iter().any(|f| f.status == *s)).unwrap_or(Status::Skip)
}

/// Runs `case` for the rule `rule_id` of `policy`. `dir` resolves `path`
/// (embedded cases have no directory and must give their input inline).
pub fn run_case(policy: &Policy, rule_id: &str, case: &Case, dir: Option<&Path>) -> CaseOutcome {
    let fail = |msg: String, actual| CaseOutcome { name: case.name.clone(), failure: Some(msg), actual };
    let (name, text) = match (&case.input, &case.path) {
        (Some(text), None) => (case.file.clone().unwrap_or_else(|| "input.yaml".into()), text.clone()),
        (None, Some(p)) => {
            match dir.map(|d| std::fs::read_to_string(d.join(p))).unwrap_or_else(|| Err(std::io::ErrorKind::NotFound.into())) {
                Ok(t) => (case.file.clone().unwrap_or_else(|| p.clone()), t),
                Err(e) => return fail(format!("cannot read {p}: {e}"), Status::Error),
            }
        }
        _ => return fail("a case needs exactly one of `input` or `path`".into(), Status::Error),
    };
    let Some(format) = detect(Path::new(&name)) else {
        return fail(format!("`{name}` is not a recognised input file name"), Status::Error);
    };
    let resources = match parse_text(format, &name, &Arc::from(text)) {
        Ok(r) => r,
        Err(e) => return fail(format!("input does not parse: {e}"), Status::Error),
    };
    let now = match case.now.as_deref().map(crate::api::dates::parse_timestamp) {
        None => None,
        Some(Some(t)) => Some(t),
        Some(None) => return fail(format!("`now: {}` is not a date", case.now.as_deref().unwrap_or_default()), Status::Error),
    };
    let tuned;
    let policy = match &case.params {
        None => policy,
        Some(params) => match policy.single_rule_with_params(rule_id, params) {
            Ok(p) => {
                tuned = p;
                &tuned
            }
            Err(e) => {
                return fail(
                    format!("bad `params`: {}", e.errors.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("; ")),
                    Status::Error,
                )
            }
        },
    };
    let evaluate = || policy.evaluate_all(resources);
    let all = match now {
        Some(t) => crate::api::dates::with_scan_time(t, evaluate),
        None => evaluate(),
    };
    let findings: Vec<Finding> = all.into_iter().filter(|f| f.rule.id == rule_id).collect();
    let actual = overall(&findings);
    let describe =
        |fs: &[&Finding]| fs.iter().map(|f| format!("  {}:{} {}", f.status.as_str(), line(f), f.message)).collect::<Vec<_>>().join("\n");
    if actual != case.expect {
        let all: Vec<&Finding> = findings.iter().collect();
        return fail(format!("expected {}, got {}\n{}", case.expect.as_str(), actual.as_str(), describe(&all)), actual);
    }
    if let Some(expected) = &case.findings {
        let mut got: Vec<&Finding> = findings.iter().filter(|f| f.status != Status::Pass).collect();
        got.sort_by_key(|f| line(f));
        let matches = got.len() == expected.len()
            && got
                .iter()
                .zip(expected)
                .all(|(f, e)| e.line.is_none_or(|l| line(f) == l) && e.message.as_ref().is_none_or(|m| f.message.contains(m.as_str())));
        if !matches {
            let want = expected
                .iter()
                .map(|e| {
                    format!("  line {} message ~ {:?}", e.line.map_or("*".into(), |l| l.to_string()), e.message.as_deref().unwrap_or("*"))
                })
                .collect::<Vec<_>>()
                .join("\n");
            return fail(format!("findings differ\nexpected:\n{want}\nactual:\n{}", describe(&got)), actual);
        }
    }
    CaseOutcome { name: case.name.clone(), failure: None, actual }
}

fn line(f: &Finding) -> u32 {
    f.location.as_ref().map_or(0, |l| l.start_line)
}

/// Every case of one rule, run.
#[derive(Debug)]
pub struct RuleCases {
    pub rule_id: String,
    /// The rule file, as reports name it.
    pub source: String,
    /// The rule's text, so failures can show its `check` function.
    pub text: Arc<str>,
    pub outcomes: Vec<CaseOutcome>,
    /// Why the cases could not run at all (missing or malformed cases file).
    pub problem: Option<String>,
    pub has_pass_and_fail: bool,
}

impl RuleCases {
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| o.failure.is_some()).count() + usize::from(self.problem.is_some())
    }
}

/// Runs the cases of one rule. `cases` is the cases file text, `dir` resolves `path:` inputs.
pub fn run_rule_cases(policy: &Policy, rule_id: &str, source: &str, text: Arc<str>, cases: Option<&str>, dir: Option<&Path>) -> RuleCases {
    let mut result = RuleCases {
        rule_id: rule_id.to_string(),
        source: source.to_string(),
        text,
        outcomes: Vec::new(),
        problem: None,
        has_pass_and_fail: false,
    };
    match cases.map(|c| parse_cases(source, c)) {
        None => result.problem = Some("no .tests.yaml cases file beside the rule".into()),
        Some(Err(e)) => result.problem = Some(e),
        Some(Ok(file)) => {
            result.has_pass_and_fail = has_pass_and_fail(&file);
            result.outcomes = file.cases.iter().map(|c| run_case(policy, rule_id, c, dir)).collect();
        }
    }
    result
}
