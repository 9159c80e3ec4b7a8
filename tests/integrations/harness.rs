//! Just enough of the GitHub Actions runner to execute a workflow job or a
//! composite action for real: `run:` steps go to `bash --noprofile --norc
//! -eo pipefail` as on a hosted runner, with `GITHUB_OUTPUT`, `GITHUB_PATH`
//! and `GITHUB_STEP_SUMMARY` files; `uses:` steps are recorded, not run
//! (except this repository's own action, which is run step by step); `if:`
//! and `${{ }}` expressions are evaluated over the contexts tests give.
//!
//! YAML is read with Tollgate's own parser (`tollgate_inputs`), as JSON.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Reads a YAML file of the repository as JSON.
pub fn yaml(path: &Path) -> Value {
    let text: std::sync::Arc<str> = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).into();
    let resources = tollgate_inputs::parse_text(tollgate_inputs::Format::YAML, &path.display().to_string(), &text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(resources.len(), 1, "{}: one document", path.display());
    resources[0].data.to_json()
}

/// A YAML scalar as the runner sees it: a string.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One step as it went.
#[derive(Debug, Clone)]
pub struct StepRun {
    pub name: String,
    /// `None`: skipped by its `if:`.
    pub exit: Option<i32>,
    /// For `uses:` steps: the action and its evaluated `with:`.
    pub uses: Option<String>,
    pub with: BTreeMap<String, String>,
    /// What a `run:` step printed (stdout, then stderr).
    pub log: String,
}

/// The runner's state for one job.
pub struct Runner {
    pub workspace: PathBuf,
    /// `name → value` for `github.*`, `inputs.*`, `steps.*.outputs.*`, `env.*`.
    pub context: BTreeMap<String, String>,
    /// Directories prepended to PATH (the tollgate binary's, then `GITHUB_PATH` lines).
    pub path: Vec<PathBuf>,
    /// PATH after them.
    pub base_path: String,
    pub summary: PathBuf,
    /// Environment of every `run:` step, besides the runner's own variables.
    pub env: BTreeMap<String, String>,
    pub steps: Vec<StepRun>,
    /// `RUNNER_TEMP`, which also holds the step scripts and command files.
    temp: tempfile::TempDir,
    failed: bool,
}

impl Runner {
    pub fn new(workspace: &Path, path: Vec<PathBuf>, base_path: &str) -> Runner {
        let temp = tempfile::tempdir().unwrap();
        let summary = temp.path().join("step-summary.md");
        std::fs::write(&summary, "").unwrap();
        Runner {
            workspace: workspace.to_path_buf(),
            context: BTreeMap::new(),
            path,
            base_path: base_path.to_string(),
            summary,
            env: BTreeMap::new(),
            steps: Vec::new(),
            temp,
            failed: false,
        }
    }

    /// Whether any step failed: the job's (or action's) result.
    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn step(&self, name: &str) -> &StepRun {
        self.steps.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("no step {name}: {:?}", self.steps))
    }

    /// Runs `steps` (a workflow job's or a composite action's). `local_action`
    /// maps a `uses:` value to the directory of an action to run in place.
    pub fn run_steps(&mut self, steps: &Value, local_action: &dyn Fn(&str) -> Option<PathBuf>) {
        for (i, step) in steps.as_array().expect("steps").iter().enumerate() {
            let name = step.get("name").map(text).or_else(|| step.get("uses").map(text)).unwrap_or_else(|| format!("step {i}"));
            let condition = step.get("if").map(text).unwrap_or_default();
            if !self.condition(&condition) {
                self.steps.push(StepRun { name, exit: None, uses: None, with: BTreeMap::new(), log: String::new() });
                continue;
            }
            let with: BTreeMap<String, String> = step
                .get("with")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), self.expand(&text(v))))
                .collect();
            let mut log = String::new();
            let exit = if let Some(uses) = step.get("uses").map(text) {
                match local_action(&uses) {
                    Some(dir) => {
                        let (exit, outputs) = self.run_action(&dir, &with);
                        if let Some(id) = step.get("id").map(text) {
                            self.context.extend(outputs.into_iter().map(|(k, v)| (format!("steps.{id}.outputs.{k}"), v)));
                        }
                        exit
                    }
                    None => 0,
                }
            } else {
                let (exit, printed) = self.run_script(step);
                log = printed;
                exit
            };
            if exit != 0 {
                self.failed = true;
            }
            self.steps.push(StepRun { name, exit: Some(exit), uses: step.get("uses").map(text), with, log });
        }
    }

    /// Runs the composite action in `dir` with `with` as its inputs, in a
    /// nested context: its exit (1 if a step failed) and its outputs.
    fn run_action(&mut self, dir: &Path, with: &BTreeMap<String, String>) -> (i32, Vec<(String, String)>) {
        let action = yaml(&dir.join("action.yml"));
        assert_eq!(action["runs"]["using"], "composite");
        let outer = std::mem::take(&mut self.context);
        self.context = outer.iter().filter(|(k, _)| k.starts_with("github.")).map(|(k, v)| (k.clone(), v.clone())).collect();
        self.context.insert("github.action_path".into(), dir.display().to_string());
        for (name, spec) in action["inputs"].as_object().expect("inputs") {
            let value = with.get(name).cloned().unwrap_or_else(|| text(&spec["default"]));
            self.context.insert(format!("inputs.{name}"), value);
        }
        let (outer_failed, outer_steps) = (self.failed, std::mem::take(&mut self.steps));
        self.failed = false;
        self.run_steps(&action["runs"]["steps"], &|_| None);
        let failed = self.failed;
        let outputs: Vec<(String, String)> =
            action["outputs"].as_object().into_iter().flatten().map(|(k, v)| (k.clone(), self.expand(&text(&v["value"])))).collect();
        let inner = std::mem::replace(&mut self.steps, outer_steps);
        self.steps.extend(inner);
        self.context = outer;
        self.failed = outer_failed;
        (i32::from(failed), outputs)
    }

    fn run_script(&mut self, step: &Value) -> (i32, String) {
        assert_eq!(text(&step["shell"]), "bash", "composite run steps must name their shell");
        let temp = self.temp.path();
        let script = temp.join("step.sh");
        std::fs::write(&script, self.expand(&text(&step["run"]))).unwrap();
        let (output, path_file) = (temp.join("output"), temp.join("path"));
        std::fs::write(&output, "").unwrap();
        std::fs::write(&path_file, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"]).arg(&script).current_dir(&self.workspace);
        let path: Vec<String> = self.path.iter().map(|p| p.display().to_string()).chain([self.base_path.clone()]).collect();
        cmd.env("PATH", path.join(":"))
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("GITHUB_WORKSPACE", &self.workspace)
            .env("RUNNER_TEMP", temp)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            // Not the repository of an enclosing git hook.
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .envs(&self.env);
        if let Some(dir) = self.context.get("github.action_path") {
            cmd.env("GITHUB_ACTION_PATH", dir);
        }
        for (k, v) in step.get("env").and_then(Value::as_object).into_iter().flatten() {
            cmd.env(k, self.expand(&text(v)));
        }
        let out = cmd.output().expect("bash runs");
        let id = step.get("id").map(text);
        for line in std::fs::read_to_string(&output).unwrap().lines() {
            if let (Some(id), Some((k, v))) = (&id, line.split_once('=')) {
                self.context.insert(format!("steps.{id}.outputs.{k}"), v.to_string());
            }
        }
        let added = std::fs::read_to_string(&path_file).unwrap();
        let mut added: Vec<PathBuf> = added.lines().filter(|l| !l.is_empty()).map(PathBuf::from).collect();
        added.reverse();
        added.append(&mut self.path);
        self.path = added;
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap_or(-1), log)
    }

    /// `if:` with GitHub's rule: without a status function, `success() && (…)`.
    fn condition(&self, expr: &str) -> bool {
        let expr = expr.trim().trim_start_matches("${{").trim_end_matches("}}").trim();
        if expr.is_empty() {
            return !self.failed;
        }
        let has_status = ["always()", "success()", "failure()", "cancelled()"].iter().any(|f| expr.contains(f));
        let value = truthy(&self.eval(expr));
        if has_status {
            value
        } else {
            !self.failed && value
        }
    }

    /// Replaces every `${{ expr }}` in `s` with its value as a string.
    pub fn expand(&self, s: &str) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(start) = rest.find("${{") {
            let end = rest[start..].find("}}").map(|e| start + e).expect("closed expression");
            out.push_str(&rest[..start]);
            out.push_str(&self.eval(rest[start + 3..end].trim()).to_string());
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    fn eval(&self, expr: &str) -> Val {
        let tokens = tokenize(expr);
        let mut p = Parser { tokens: &tokens, at: 0, runner: self };
        let v = p.or();
        assert_eq!(p.at, tokens.len(), "unparsed expression: {expr}");
        v
    }
}

/// An expression value: GitHub's strings and booleans.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Str(String),
    Bool(bool),
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Str(s) => f.write_str(s),
            Val::Bool(b) => write!(f, "{b}"),
        }
    }
}

fn truthy(v: &Val) -> bool {
    match v {
        Val::Bool(b) => *b,
        Val::Str(s) => !s.is_empty(),
    }
}

fn tokenize(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '\'' => {
                let mut s = String::from("'");
                s.extend(chars.by_ref().take_while(|&c| c != '\''));
                out.push(s + "'");
            }
            '&' | '|' | '=' => {
                assert_eq!(chars.next(), Some(c), "`{c}{c}` in {expr}");
                out.push(format!("{c}{c}"));
            }
            '!' if chars.peek() == Some(&'=') => {
                chars.next();
                out.push("!=".into());
            }
            '(' | ')' | '!' => out.push(c.to_string()),
            c => {
                let mut word = c.to_string();
                while let Some(&n) = chars.peek().filter(|n| n.is_alphanumeric() || "._-".contains(**n)) {
                    word.push(n);
                    chars.next();
                }
                out.push(word);
            }
        }
    }
    out
}

/// `||` < `&&` < `==`/`!=` < `!` < primary, as in GitHub's expressions.
struct Parser<'a> {
    tokens: &'a [String],
    at: usize,
    runner: &'a Runner,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn or(&mut self) -> Val {
        let mut v = self.and();
        while self.peek() == Some("||") {
            self.at += 1;
            let rhs = self.and();
            v = if truthy(&v) { v } else { rhs };
        }
        v
    }

    fn and(&mut self) -> Val {
        let mut v = self.cmp();
        while self.peek() == Some("&&") {
            self.at += 1;
            let rhs = self.cmp();
            v = if truthy(&v) { rhs } else { v };
        }
        v
    }

    fn cmp(&mut self) -> Val {
        let lhs = self.unary();
        match self.peek() {
            Some(op @ ("==" | "!=")) => {
                let eq = op == "==";
                self.at += 1;
                let rhs = self.unary();
                Val::Bool((lhs.to_string().eq_ignore_ascii_case(&rhs.to_string())) == eq)
            }
            _ => lhs,
        }
    }

    fn unary(&mut self) -> Val {
        if self.peek() == Some("!") {
            self.at += 1;
            return Val::Bool(!truthy(&self.unary()));
        }
        let token = self.tokens[self.at].clone();
        self.at += 1;
        if token == "(" {
            let v = self.or();
            assert_eq!(self.peek(), Some(")"));
            self.at += 1;
            return v;
        }
        if self.peek() == Some("(") {
            assert_eq!(self.tokens.get(self.at + 1).map(String::as_str), Some(")"), "functions take no arguments here");
            self.at += 2;
            return Val::Bool(match token.as_str() {
                "always" => true,
                "success" => !self.runner.failed,
                "failure" => self.runner.failed,
                "cancelled" => false,
                other => panic!("unsupported function {other}()"),
            });
        }
        match token.as_str() {
            "true" => Val::Bool(true),
            "false" => Val::Bool(false),
            t if t.starts_with('\'') => Val::Str(t.trim_matches('\'').to_string()),
            name => Val::Str(self.runner.context.get(name).cloned().unwrap_or_default()),
        }
    }
}
