//! `tollgate scan --changed-since REV` end to end, on real git repositories
//! built in temporary directories: which files a pull-request run scans, how
//! Terraform module callers and callees come along, how the report says the
//! scan was partial, and the usage errors (exit 2).

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// One finding per resource: which files the scan read resources from.
const PACK: &[(&str, &str, &str)] = &[
    (
        "X-POD-001",
        "\"k8s:Pod\"",
        "fn check(r) { if r.data.spec?.hostNetwork == true { fail(\"host network\", \"spec.hostNetwork\") } else { pass() } }",
    ),
    ("X-TF-001", "\"terraform:*\"", "fn check(r) { pass() }"),
    ("X-DOCKER-001", "\"docker:dockerfile\"", "fn check(r) { pass() }"),
];

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: false\n";
const BAD_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n";

/// Git with no system or user configuration, whatever machine runs the test
/// (and not confused by a `GIT_DIR` set by an enclosing hook).
fn isolated(cmd: &mut Command, home: &Path) {
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
}

/// A git repository in a temp dir, with its rule pack and home beside it.
struct Repo {
    tmp: tempfile::TempDir,
}

impl Repo {
    /// `files` committed on `main`.
    fn new(files: &[(&str, &str)]) -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        for dir in ["repo", "home", "pack"] {
            std::fs::create_dir(tmp.path().join(dir)).unwrap();
        }
        for (id, kinds, body) in PACK {
            std::fs::write(tmp.path().join(format!("pack/{id}.rhai")), pack_rule(id, kinds, body)).unwrap();
        }
        let repo = Repo { tmp };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.write(files);
        repo.commit("baseline");
        repo
    }

    fn dir(&self) -> std::path::PathBuf {
        self.tmp.path().join("repo")
    }

    fn git(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        isolated(cmd.current_dir(self.dir()).args(args), &self.tmp.path().join("home"));
        let out = cmd.output().expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn write(&self, files: &[(&str, &str)]) {
        for (path, text) in files {
            let full = self.dir().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
    }

    fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
    }

    /// `tollgate scan ARGS --no-builtin --rules PACK` in `cwd`.
    fn scan_in(&self, cwd: &Path, args: &[&str]) -> Output {
        let mut cmd = tollgate();
        let pack = self.tmp.path().join("pack");
        cmd.current_dir(cwd).arg("scan").args(args).arg("--no-builtin").arg("--rules").arg(pack);
        isolated(&mut cmd, &self.tmp.path().join("home"));
        cmd.output().expect("tollgate runs")
    }

    /// The JSON report of a scan of the repository since `rev`.
    fn report(&self, rev: &str) -> Value {
        let out = self.scan_in(&self.dir(), &[".", "--changed-since", rev, "--format", "json", "--fail-on", "never"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        json(&out)
    }
}

/// The files findings point at.
fn finding_paths(report: &Value) -> BTreeSet<String> {
    report["findings"].as_array().unwrap().iter().filter_map(|f| f["location"]["path"].as_str().map(str::to_string)).collect()
}

fn set(paths: &[&str]) -> BTreeSet<String> {
    paths.iter().map(|p| p.to_string()).collect()
}

/// envs/prod calls modules/net and modules/db; modules/unused is called by nobody.
fn infra() -> Vec<(&'static str, &'static str)> {
    vec![
        ("k8s/a.yaml", POD),
        ("k8s/b.yaml", BAD_POD),
        (
            "envs/prod/main.tf",
            "module \"net\" {\n  source = \"../../modules/net\"\n}\nmodule \"db\" {\n  source = \"../../modules/db\"\n}\n",
        ),
        ("modules/net/main.tf", "resource \"aws_vpc\" \"v\" {}\n"),
        ("modules/net/vars.tf", "variable \"cidr\" {}\n"),
        ("modules/db/main.tf", "resource \"aws_db_instance\" \"d\" {}\n"),
        ("modules/db/extra.tf", "variable \"size\" {}\n"),
        ("modules/unused/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        ("README.md", "# infra\n"),
        (".gitignore", "*.local.yaml\n"),
    ]
}

#[test]
fn a_pull_request_scans_committed_staged_unstaged_and_untracked_changes_and_module_callers() {
    let repo = Repo::new(&infra());
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(&[("k8s/a.yaml", &POD.replace("name: p", "name: q"))]);
    repo.commit("committed change");
    repo.write(&[("modules/net/vars.tf", "variable \"cidr\" {\n  default = \"10.0.0.0/16\"\n}\n")]); // unstaged
    repo.write(&[("k8s/new.yaml", BAD_POD), ("k8s/ignored.local.yaml", BAD_POD)]); // untracked; ignored
    repo.write(&[("README.md", "# infra, changed\n")]);
    repo.git(&["add", "README.md"]); // staged, and not an input
                                     // Work on main after the branch point is not part of the pull request.
    let main_tip = repo.git(&["rev-parse", "main"]);

    let report = repo.report("main");
    let expected = ["envs/prod/main.tf", "k8s/a.yaml", "k8s/new.yaml", "modules/net/main.tf", "modules/net/vars.tf"];
    assert_eq!(report["summary"]["files_scanned"], expected.len(), "{:#}", report["summary"]);
    assert_eq!(finding_paths(&report), set(&expected), "the caller envs/prod comes along; modules/db and unused do not");
    let changed = &report["summary"]["changed_since"];
    assert_eq!(changed["rev"], "main");
    assert_eq!(changed["base"], main_tip.as_str());
    assert_eq!(changed["files_changed"], 4, "a.yaml, vars.tf, new.yaml and README.md");
    assert_eq!(changed["policy_changed"], false);
    assert_eq!(report["summary"]["files_unrecognised"], 1, "the README");
    let skip = report["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == "X-DOCKER-001").unwrap();
    assert_eq!(skip["status"], "skip");
    assert_eq!(skip["message"], "no resource of kind docker:dockerfile in the files changed since main (a partial scan)");
}

#[test]
fn the_merge_base_not_the_tip_of_the_revision_is_compared() {
    let repo = Repo::new(&infra());
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write(&[("k8s/a.yaml", &POD.replace("name: p", "name: q"))]);
    repo.commit("feature work");
    repo.git(&["checkout", "-q", "main"]);
    repo.write(&[("k8s/b.yaml", &BAD_POD.replace("name: p", "name: r"))]);
    repo.commit("main moves on");
    repo.git(&["checkout", "-q", "feature"]);
    assert_eq!(finding_paths(&repo.report("main")), set(&["k8s/a.yaml"]), "k8s/b.yaml changed on main only");
}

#[test]
fn a_changed_root_module_brings_the_modules_it_calls() {
    let repo = Repo::new(&infra());
    repo.write(&[(
        "envs/prod/main.tf",
        "module \"net\" {\n  source = \"../../modules/net\"\n}\nmodule \"db\" {\n  source = \"../../modules/db\"\n  size = 2\n}\n",
    )]);
    let report = repo.report("HEAD");
    let expected = ["envs/prod/main.tf", "modules/db/extra.tf", "modules/db/main.tf", "modules/net/main.tf", "modules/net/vars.tf"];
    assert_eq!(finding_paths(&report), set(&expected));
}

#[test]
fn a_file_deleted_from_a_module_changes_the_module_and_its_callers() {
    let repo = Repo::new(&infra());
    repo.git(&["rm", "-q", "modules/db/extra.tf"]);
    let report = repo.report("HEAD");
    assert_eq!(finding_paths(&report), set(&["envs/prod/main.tf", "modules/db/main.tf"]));
    assert_eq!(report["summary"]["changed_since"]["files_changed"], 1);
}

#[test]
fn only_changed_failures_fail_the_gate() {
    let repo = Repo::new(&infra());
    repo.write(&[("k8s/a.yaml", &POD.replace("name: p", "name: q"))]);
    let since = |extra: &[&str]| code(&repo.scan_in(&repo.dir(), &[&[".", "--changed-since", "HEAD"], extra].concat()));
    assert_eq!(since(&[]), 0, "k8s/b.yaml fails, but it did not change");
    assert_eq!(code(&repo.scan_in(&repo.dir(), &["."])), 1, "a full scan sees it");
    repo.write(&[("k8s/c.yaml", BAD_POD)]);
    assert_eq!(since(&[]), 1, "a new failing file does fail");
}

#[test]
fn nothing_changed_is_a_clean_run_that_says_so() {
    let repo = Repo::new(&infra());
    let report = repo.report("HEAD");
    assert_eq!(report["summary"]["files_scanned"], 0);
    assert_eq!(report["summary"]["changed_since"]["files_changed"], 0);
    let out = repo.scan_in(&repo.dir(), &[".", "--changed-since", "HEAD"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("no file changed under the scan roots; nothing was scanned"), "{text}");
    // The Markdown summary says it too.
    let out = repo.scan_in(&repo.dir(), &[".", "--changed-since", "HEAD", "--format", "markdown"]);
    assert!(stdout(&out).contains("Changed since HEAD (merge base"), "{}", stdout(&out));
}

#[test]
fn the_table_report_says_the_scan_is_partial() {
    let repo = Repo::new(&infra());
    repo.write(&[("k8s/b.yaml", &BAD_POD.replace("name: p", "name: q"))]);
    let out = repo.scan_in(&repo.dir(), &[".", "--changed-since", "HEAD"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("1 file changed; 1 file scanned"), "{text}");
    assert!(text.contains("A partial scan, not a full assessment."), "{text}");
    assert!(text.contains("NOT ASSESSED (2): no matching resources in the changed files"), "{text}");
}

#[test]
fn a_scan_root_below_the_top_is_mapped_from_any_working_directory() {
    let repo = Repo::new(&[("infra/k8s/a.yaml", POD), ("infra/k8s/b.yaml", POD), ("app/pod.yaml", BAD_POD)]);
    repo.write(&[("infra/k8s/b.yaml", BAD_POD), ("app/pod.yaml", POD)]);
    let elsewhere = tempfile::tempdir().unwrap();
    let root = repo.dir().join("infra");
    for (cwd, root) in [(elsewhere.path().to_path_buf(), root.to_str().unwrap()), (repo.dir().join("app"), "../infra")] {
        let out = repo.scan_in(&cwd, &[root, "--changed-since", "HEAD", "--format", "json"]);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let report = json(&out);
        assert_eq!(finding_paths(&report), set(&["k8s/b.yaml"]), "named relative to the root, from {}", cwd.display());
        assert_eq!(report["summary"]["changed_since"]["files_changed"], 1, "app/pod.yaml is outside the root");
    }
    // Files named one by one (as pre-commit passes them) are matched too.
    let out = repo.scan_in(&repo.dir(), &["infra/k8s/b.yaml", "app/pod.yaml", "--changed-since", "HEAD", "--format", "json"]);
    assert_eq!(finding_paths(&json(&out)), set(&["app/pod.yaml", "infra/k8s/b.yaml"]));
}

#[test]
fn a_policy_change_scans_everything() {
    let repo = Repo::new(&[("k8s/a.yaml", POD), ("k8s/b.yaml", BAD_POD), ("tollgate.toml", "[system]\nname = \"Demo\"\n")]);
    repo.write(&[("tollgate.toml", "[system]\nname = \"Demo 2\"\n")]);
    let report = repo.report("HEAD");
    assert_eq!(report["summary"]["changed_since"]["policy_changed"], true);
    assert_eq!(finding_paths(&report), set(&["k8s/a.yaml", "k8s/b.yaml"]));
    assert_eq!(report["system"]["name"], "Demo 2");
}

#[test]
fn git_problems_are_usage_errors() {
    let repo = Repo::new(&infra());
    let out = repo.scan_in(&repo.dir(), &[".", "--changed-since", "no-such-branch"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::usage::changed_since") && err.contains("unknown revision `no-such-branch`"), "{err}");
    // An option-like revision is a revision, not an option to git.
    assert_eq!(code(&repo.scan_in(&repo.dir(), &[".", "--changed-since=--output=/tmp/x"])), 2);

    // A partial scan would close the ledger's weaknesses in every file it did not read.
    let out = repo.scan_in(&repo.dir(), &[".", "--changed-since", "HEAD", "--poam", "poam.json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("tollgate::usage::changed_since") && stderr(&out).contains("POA&M"), "{}", stderr(&out));
    assert!(!repo.dir().join("poam.json").exists());

    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("pod.yaml"), POD).unwrap();
    let out = repo.scan_in(plain.path(), &[".", "--changed-since", "main"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::usage::changed_since") && err.contains("is not in a git work tree"), "{err}");

    let mut cmd = tollgate();
    cmd.current_dir(repo.dir()).args(["scan", ".", "--changed-since", "main"]).env("PATH", plain.path());
    let out = cmd.output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("needs git, which could not be run"), "{}", stderr(&out));
}

#[test]
fn a_partial_scan_with_a_baseline_counts_only_what_it_read_and_create_refuses_partial_scans() {
    let repo = Repo::new(&[("k8s/a.yaml", BAD_POD), ("k8s/b.yaml", BAD_POD)]);
    let d = repo.dir();
    let pack = repo.tmp.path().join("pack");
    let mut create = tollgate();
    create.current_dir(&d).args(["baseline", "create", "-o", "../base.json", ".", "--no-builtin", "--rules"]).arg(&pack);
    isolated(&mut create, &repo.tmp.path().join("home"));
    let out = create.output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));

    // Fix a.yaml only: b.yaml is not read, so its recorded failure is neither found nor "fixed".
    repo.write(&[("k8s/a.yaml", POD)]);
    let out = repo.scan_in(&d, &[".", "--changed-since", "HEAD", "--baseline", "../base.json", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!((report["baseline"]["recorded"].as_u64(), report["baseline"]["absent"].as_u64()), (Some(2), Some(1)));

    let mut partial = tollgate();
    partial
        .current_dir(&d)
        .args(["baseline", "create", "-o", "../p.json", ".", "--changed-since", "HEAD", "--no-builtin", "--rules"])
        .arg(&pack);
    isolated(&mut partial, &repo.tmp.path().join("home"));
    let out = partial.output().unwrap();
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot come from a partial"), "{}", stderr(&out));
}
