//! The CI integrations in the repository, executed for real with the built
//! binary first on PATH: the GitHub Action (`action.yml`) and the example
//! workflow using it, the GitLab CI template and its example, and the
//! pre-commit hooks with the example config. `uses:` steps of other actions
//! are not run; what they would receive is checked instead.

mod common;
#[path = "integrations/harness.rs"]
mod harness;

use common::*;
use harness::{text, yaml, Runner};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const CLEAN_FILES: &[(&str, &str)] = &[
    ("config/app.json", "{\"name\": \"x\"}\n"),
    ("k8s/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"),
];

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_tollgate")).parent().unwrap().to_path_buf()
}

fn system_path() -> String {
    std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into())
}

/// Git with no system or user configuration, for the runners' steps too.
fn git_env(home: &Path) -> BTreeMap<String, String> {
    [("GIT_CONFIG_NOSYSTEM", "1".to_string()), ("HOME", home.display().to_string()), ("GIT_TERMINAL_PROMPT", "0".to_string())]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn git(dir: &Path, home: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir).args(args).envs(git_env(home)).env_remove("GIT_DIR").env_remove("GIT_WORK_TREE").env_remove("GIT_INDEX_FILE");
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A git repository with `files` committed on main; returns the commit.
fn repo_with(dir: &Path, home: &Path, files: &[(&str, &str)]) -> String {
    git(dir, home, &["init", "-q", "-b", "main"]);
    git(dir, home, &["config", "user.name", "Test"]);
    git(dir, home, &["config", "user.email", "test@example.com"]);
    for (path, text) in files {
        std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
        std::fs::write(dir.join(path), text).unwrap();
    }
    git(dir, home, &["add", "-A"]);
    git(dir, home, &["commit", "-q", "-m", "base"]);
    git(dir, home, &["rev-parse", "HEAD"])
}

/// This repository's action, however a workflow names it.
fn local_action(uses: &str) -> Option<PathBuf> {
    (uses == "./" || uses.starts_with("tollgate-dev/tollgate@")).then(repo_root)
}

/// Runs the action in `workspace` with `inputs`, the `path` directories first on PATH.
fn run_action(workspace: &Path, inputs: Value, path: Vec<PathBuf>, base_path: &str) -> Runner {
    let mut runner = Runner::new(workspace, path, base_path);
    runner.run_steps(&json!([{ "name": "tollgate", "id": "tollgate", "uses": "./", "with": inputs }]), &local_action);
    runner
}

fn summary(runner: &Runner) -> String {
    std::fs::read_to_string(&runner.summary).unwrap()
}

/// The SARIF file the upload step was given: it exists and is SARIF 2.1.0.
fn uploaded_sarif(runner: &Runner, workspace: &Path) -> Value {
    let upload = runner.step("Upload SARIF to code scanning");
    assert_eq!(upload.exit, Some(0), "the upload step runs");
    assert_eq!(upload.uses.as_deref(), Some("github/codeql-action/upload-sarif@v3"));
    assert_eq!(upload.with["category"], "tollgate");
    let file = workspace.join(&upload.with["sarif_file"]);
    let sarif: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["name"], "tollgate");
    sarif
}

#[test]
fn the_action_scans_summarizes_uploads_and_exits_with_tollgates_code() {
    for (inputs, code) in [(json!({}), 1), (json!({"fail-on": "critical"}), 0), (json!({"fail-on": "high", "upload-sarif": "false"}), 1)] {
        let ws = tree(&[("k8s/pod.yaml", PRIVILEGED_POD)]);
        let runner = run_action(ws.path(), inputs.clone(), vec![bin_dir()], &system_path());
        assert_eq!(runner.step("Install tollgate").exit, Some(0));
        assert_eq!(runner.step("Scan").exit, Some(0), "the scan step leaves the verdict to the last step");
        assert_eq!(runner.context["steps.tollgate.outputs.exit-code"], code.to_string(), "{inputs}: {}", runner.step("Scan").log);
        let page = summary(&runner);
        assert!(page.contains("<!-- tollgate:report -->"), "{page}");
        assert!(page.contains(if code == 0 { "Tollgate: pass" } else { "Tollgate: fail" }), "{page}");
        if inputs["upload-sarif"] == "false" {
            assert_eq!(runner.step("Upload SARIF to code scanning").exit, None, "upload-sarif: false skips it");
        } else {
            let sarif = uploaded_sarif(&runner, ws.path());
            let results = sarif["runs"][0]["results"].as_array().unwrap();
            assert!(results.iter().any(|r| r["ruleId"] == "TG-K8S-001"), "the privileged pod is reported");
        }
        assert_eq!(runner.step("Gate").exit, Some(code), "the last step exits with tollgate's code");
        assert_eq!(runner.failed(), code != 0);
    }
}

#[test]
fn the_action_reports_a_usage_error_without_uploading() {
    let ws = tree(&[("k8s/pod.yaml", PRIVILEGED_POD)]);
    let runner = run_action(ws.path(), json!({"framework": "no-such-framework"}), vec![bin_dir()], &system_path());
    assert_eq!(runner.context["steps.tollgate.outputs.exit-code"], "2");
    assert!(!ws.path().join("tollgate.sarif").exists());
    assert_eq!(runner.step("Upload SARIF to code scanning").exit, None, "nothing to upload");
    assert!(summary(&runner).contains("Tollgate wrote no report (exit code 2)"), "{}", summary(&runner));
    assert_eq!(runner.step("Gate").exit, Some(2));
}

#[test]
fn the_action_passes_its_inputs_to_tollgate() {
    let ws = tree(&[("infra/k8s/pod.yaml", PRIVILEGED_POD), ("other/pod.yaml", PRIVILEGED_POD), ("infra/k8s/skip/x.yaml", PRIVILEGED_POD)]);
    let inputs =
        json!({"path": "infra", "args": "--exclude skip", "fail-on": "never", "sarif-file": "out.sarif", "framework": "nist-800-171-r2"});
    let runner = run_action(ws.path(), inputs, vec![bin_dir()], &system_path());
    assert_eq!(runner.context["steps.tollgate.outputs.exit-code"], "0", "fail-on: never");
    assert_eq!(runner.step("Upload SARIF to code scanning").with["sarif_file"], "out.sarif");
    let sarif = uploaded_sarif(&runner, ws.path());
    let uris = result_uris(&sarif);
    assert!(!uris.is_empty() && uris.iter().all(|u| u.ends_with("k8s/pod.yaml") && !u.contains("skip")), "{uris:?}");
    assert!(summary(&runner).contains("NIST SP 800-171"), "the framework view is in the summary");
}

#[test]
fn the_install_step_uses_tollgate_on_path_or_installs_the_asked_version() {
    // A `cargo` that records what it was asked to do.
    let fake = tempfile::tempdir().unwrap();
    let log = fake.path().join("cargo.log");
    let cargo = fake.path().join("cargo");
    std::fs::write(&cargo, format!("#!/bin/sh\necho \"$*\" >> '{}'\n", log.display())).unwrap();
    std::fs::set_permissions(&cargo, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let ws = tree(CLEAN_FILES);
    let installs = |version: &str, with_tollgate: bool| -> String {
        let _ = std::fs::remove_file(&log);
        let path = if with_tollgate { vec![fake.path().to_path_buf(), bin_dir()] } else { vec![fake.path().to_path_buf()] };
        let runner = run_action(ws.path(), json!({"version": version}), path, "/usr/bin:/bin");
        assert_eq!(runner.step("Install tollgate").exit, Some(0));
        std::fs::read_to_string(&log).unwrap_or_default().trim().to_string()
    };
    assert_eq!(installs("", true), "", "an installed tollgate is used");
    assert_eq!(installs(&format!("v{}", env!("CARGO_PKG_VERSION")), true), "", "it is the asked version");
    let repo = "https://github.com/tollgate-dev/tollgate";
    assert_eq!(installs("v9.9.9", true), format!("install --locked --git {repo} --tag v9.9.9 tollgate"));
    assert_eq!(installs("", false), format!("install --locked --path {}", repo_root().display()), "the action's own checkout");
}

#[test]
fn a_failed_install_still_writes_the_summary_and_fails_the_job() {
    let fake = tempfile::tempdir().unwrap();
    let cargo = fake.path().join("cargo");
    std::fs::write(&cargo, "#!/bin/sh\necho 'error: could not compile' >&2\nexit 101\n").unwrap();
    std::fs::set_permissions(&cargo, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let ws = tree(CLEAN_FILES);
    let runner = run_action(ws.path(), json!({}), vec![fake.path().to_path_buf()], "/usr/bin:/bin");
    assert_eq!(runner.step("Install tollgate").exit, Some(101));
    assert_eq!(runner.step("Scan").exit, None, "skipped after the failure");
    assert_eq!(runner.step("Job summary").exit, Some(0), "always() runs");
    assert!(summary(&runner).contains("Tollgate wrote no report (exit code none)"), "{}", summary(&runner));
    assert_eq!(runner.step("Upload SARIF to code scanning").exit, None);
    assert_eq!(runner.step("Gate").exit, Some(1), "{}", runner.step("Gate").log);
    assert!(runner.failed());
}

#[test]
fn the_example_workflow_scans_what_a_pull_request_changed() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let base = repo_with(ws.path(), home.path(), &[("k8s/old.yaml", PRIVILEGED_POD), CLEAN_FILES[0]]);
    git(ws.path(), home.path(), &["checkout", "-q", "-b", "feature"]);
    std::fs::write(ws.path().join("k8s/new.yaml"), PRIVILEGED_POD).unwrap();
    git(ws.path(), home.path(), &["add", "-A"]);
    git(ws.path(), home.path(), &["commit", "-q", "-m", "change"]);
    let workflow = yaml(&repo_root().join("examples/ci/github-workflow.yml"));
    assert!(workflow["on"]["pull_request"].is_null() && workflow["on"].get("pull_request").is_some());
    assert_eq!(workflow["permissions"]["security-events"], "write");

    let run = |event: &str, head_repo: &str| -> Runner {
        let mut runner = Runner::new(ws.path(), vec![bin_dir()], &system_path());
        runner.env = git_env(home.path());
        let sha = if event == "pull_request" { base.clone() } else { String::new() };
        for (k, v) in [
            ("github.event_name", event),
            ("github.repository", "acme/infra"),
            ("github.event.pull_request.base.sha", &sha),
            ("github.event.pull_request.head.repo.full_name", head_repo),
        ] {
            runner.context.insert(k.into(), v.into());
        }
        runner.run_steps(&workflow["jobs"]["tollgate"]["steps"], &local_action);
        runner
    };

    let pr = run("pull_request", "acme/infra");
    assert_eq!(pr.step("actions/checkout@v4").with["fetch-depth"], "0", "history for the merge base");
    let page = summary(&pr);
    assert!(page.contains(&format!("Changed since {base}")), "{page}");
    assert!(page.contains("1 file changed"), "only k8s/new.yaml: {page}");
    let sarif = uploaded_sarif(&pr, ws.path());
    let uris = result_uris(&sarif);
    assert!(uris.iter().all(|u| u.ends_with("k8s/new.yaml")), "{uris:?}");
    assert_eq!(pr.step("Gate").exit, Some(1), "a privileged pod is a high failure");

    let fork = run("pull_request", "someone/fork");
    assert_eq!(fork.step("Upload SARIF to code scanning").exit, None, "no upload from a fork");
    assert_eq!(fork.step("Gate").exit, Some(1));

    let push = run("push", "");
    assert!(!summary(&push).contains("Changed since"), "a push scans everything");
    assert!(summary(&push).contains("FedRAMP"), "with the framework view");
    uploaded_sarif(&push, ws.path());
}

/// A GitLab job of the example, merged with the template job it extends.
struct GitlabJob {
    variables: BTreeMap<String, String>,
    lines: Vec<String>,
    artifacts: Value,
}

fn gitlab_job(name: &str) -> GitlabJob {
    let template = yaml(&repo_root().join("ci/gitlab/tollgate.gitlab-ci.yml"));
    let example = yaml(&repo_root().join("examples/ci/gitlab-ci.yml"));
    assert_eq!(example["include"][0]["file"], "ci/gitlab/tollgate.gitlab-ci.yml", "the example includes the template");
    let job = &example[name];
    let base = &template[text(&job["extends"]).as_str()];
    assert!(base.is_object(), "{name} extends a job of the template");
    let field = |key: &str| if job.get(key).is_some() { job[key].clone() } else { base[key].clone() };
    let mut variables: BTreeMap<String, String> = BTreeMap::new();
    for source in [&base["variables"], &job["variables"]] {
        variables.extend(source.as_object().into_iter().flatten().map(|(k, v)| (k.clone(), text(v))));
    }
    let lines = [field("before_script"), field("script")].iter().flat_map(|v| v.as_array().unwrap().clone()).map(|v| text(&v)).collect();
    GitlabJob { variables, lines, artifacts: field("artifacts") }
}

/// Runs a job's script lines as the GitLab runner does (one bash, stop at
/// the first failure), with `ci` as predefined variables: the exit code and the log.
fn run_gitlab(job: &GitlabJob, dir: &Path, ci: &BTreeMap<String, String>) -> (i32, String) {
    let script = format!("set -eo pipefail\n{}\n", job.lines.join("\n"));
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(script).current_dir(dir).env("PATH", format!("{}:{}", bin_dir().display(), system_path())).env("NO_COLOR", "1");
    cmd.env_remove("CI").env_remove("GIT_DIR").env_remove("GIT_WORK_TREE").env_remove("GIT_INDEX_FILE").envs(ci);
    for (k, v) in &job.variables {
        // Variables may name predefined ones (`$CI_MERGE_REQUEST_DIFF_BASE_SHA`).
        let value = v.strip_prefix('$').and_then(|name| ci.get(name)).unwrap_or(v);
        cmd.env(k, value);
    }
    let out = cmd.output().unwrap();
    (code(&out), format!("{}{}", stdout(&out), stderr(&out)))
}

/// The JUnit report is a `reports: junit` artifact kept `when: always`, and
/// valid XML; the other artifacts exist too. Returns the failures it counts.
fn check_artifacts(job: &GitlabJob, dir: &Path) -> u64 {
    assert_eq!(job.artifacts["when"], "always", "reports survive a failed gate");
    let junit = text(&job.artifacts["reports"]["junit"]);
    let xml = std::fs::read_to_string(dir.join(&junit)).unwrap_or_else(|e| panic!("{junit}: {e}"));
    let doc = roxmltree::Document::parse(&xml).expect("valid XML");
    assert_eq!(doc.root_element().tag_name().name(), "testsuites");
    for path in job.artifacts["paths"].as_array().unwrap() {
        assert!(dir.join(text(path)).is_file(), "artifact {path}");
    }
    doc.root_element().attribute("failures").and_then(|f| f.parse().ok()).unwrap_or(0)
}

#[test]
fn the_gitlab_template_keeps_a_junit_report_whatever_the_verdict() {
    let job = gitlab_job("tollgate");
    assert_eq!(job.variables["TOLLGATE_FAIL_ON"], "high", "the example's variables win over the template's");
    let failing = tree(&[("k8s/pod.yaml", PRIVILEGED_POD)]);
    assert_eq!(run_gitlab(&job, failing.path(), &BTreeMap::new()).0, 1);
    assert!(check_artifacts(&job, failing.path()) > 0);
    assert!(std::fs::read_to_string(failing.path().join("tollgate.md")).unwrap().contains("FedRAMP"), "the framework variable is used");
    let passing = tree(CLEAN_FILES);
    let (exit, log) = run_gitlab(&job, passing.path(), &BTreeMap::new());
    assert_eq!(exit, 0, "{log}");
    assert_eq!(check_artifacts(&job, passing.path()), 0);
}

#[test]
fn the_gitlab_merge_request_job_scans_the_changes_since_the_diff_base() {
    let home = tempfile::tempdir().unwrap();
    let ws = tempfile::tempdir().unwrap();
    let base = repo_with(ws.path(), home.path(), &[("k8s/old.yaml", PRIVILEGED_POD), CLEAN_FILES[1]]);
    std::fs::write(ws.path().join("k8s/cm.yaml"), CLEAN_FILES[1].1.replace("a: b", "a: c")).unwrap();
    let job = gitlab_job("tollgate-mr");
    assert_eq!(job.variables["GIT_DEPTH"], "0");
    let mut ci = git_env(home.path());
    ci.insert("CI_MERGE_REQUEST_DIFF_BASE_SHA".into(), base.clone());
    let (exit, log) = run_gitlab(&job, ws.path(), &ci);
    assert_eq!(exit, 0, "k8s/old.yaml fails, but the merge request did not touch it: {log}");
    check_artifacts(&job, ws.path());
    let md = std::fs::read_to_string(ws.path().join("tollgate.md")).unwrap();
    assert!(md.contains(&format!("Changed since {base}")), "{md}");
}

/// A hook of `.pre-commit-hooks.yaml` as the example config uses it: the
/// command pre-commit runs for `files` (entry, then args, then file names).
fn hook_command(id: &str, files: &[&str], extra: &[&str]) -> Command {
    let hooks = yaml(&repo_root().join(".pre-commit-hooks.yaml"));
    let hook = hooks.as_array().unwrap().iter().find(|h| h["id"] == id).unwrap_or_else(|| panic!("hook {id}"));
    let config = yaml(&repo_root().join("examples/ci/pre-commit-config.yaml"));
    let used = config["repos"][0]["hooks"].as_array().unwrap().iter().find(|h| h["id"] == id).cloned().unwrap_or(json!({}));
    // The user's `args` replace the hook's.
    let args = if used.get("args").is_some() { &used["args"] } else { &hook["args"] };
    let entry = text(&hook["entry"]);
    let mut words = entry.split_whitespace();
    let mut cmd = Command::new(words.next().unwrap());
    cmd.args(words).args(args.as_array().into_iter().flatten().map(text)).args(extra);
    if hook.get("pass_filenames") != Some(&json!(false)) {
        cmd.args(files);
    }
    cmd.env("PATH", format!("{}:{}", bin_dir().display(), system_path())).env("NO_COLOR", "1").env_remove("CI");
    cmd
}

#[test]
fn the_pre_commit_hook_scans_the_staged_files() {
    let ws = tree(&[
        ("k8s/pod.yaml", PRIVILEGED_POD),
        CLEAN_FILES[0],
        CLEAN_FILES[1],
        ("modules/net/main.tf", "resource \"aws_vpc\" \"v\" {\n  cidr_block = var.cidr\n}\n"),
        ("modules/net/variables.tf", "variable \"cidr\" {}\n"),
    ]);
    for id in ["tollgate", "tollgate-system"] {
        let status = |files: &[&str]| hook_command(id, files, &[]).current_dir(ws.path()).output().unwrap().status.code();
        assert_eq!(status(&["config/app.json", "k8s/cm.yaml"]), Some(0), "{id}: nothing fails");
        assert_eq!(status(&["config/app.json", "k8s/pod.yaml"]), Some(1), "{id}: a privileged pod fails");
    }
    // A staged Terraform file brings its module: both files are one unit for the rules.
    let out = hook_command("tollgate", &["modules/net/main.tf"], &["--format", "json"]).current_dir(ws.path()).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["files_scanned"], 2, "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_rules_test_hook_runs_a_packs_cases() {
    let ws = tempfile::tempdir().unwrap();
    let out = tollgate()
        .current_dir(ws.path())
        .args(["rules", "new", "ACME-K8S-001", "--kind", "k8s:Pod", "--dir", "policies"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hook =
        || hook_command("tollgate-rules-test", &["policies/acme_k8s_001.rhai"], &[]).current_dir(ws.path()).output().unwrap().status.code();
    assert_eq!(hook(), Some(0));
    let cases = ws.path().join("policies/acme_k8s_001.tests.yaml");
    let text = std::fs::read_to_string(&cases).unwrap();
    std::fs::write(&cases, text.replacen("expect: pass", "expect: fail", 1)).unwrap();
    assert_eq!(hook(), Some(1), "a wrong expectation fails the commit");
}

/// The file each SARIF result points at.
fn result_uris(sarif: &serde_json::Value) -> Vec<&str> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect()
}
