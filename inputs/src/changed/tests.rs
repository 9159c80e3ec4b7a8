//! Selection on real directory trees with hand-made change sets (the git
//! side is exercised end to end in `tests/cli_changed_since.rs`).

use super::*;
use crate::discover::discover_with;
use crate::error::InputError;

/// A directory tree under the system temp dir, removed on drop.
struct Tree(PathBuf);

impl Tree {
    fn new(name: &str, files: &[(&str, &str)]) -> Tree {
        let dir = std::env::temp_dir().join(format!("tollgate-changed-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let full = dir.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, text).unwrap();
        }
        Tree(dir.canonicalize().unwrap())
    }

    fn changes(&self, changed: &[&str], deleted: &[&str]) -> ChangeSet {
        let set = |paths: &[&str]| paths.iter().map(|p| p.to_string()).collect();
        ChangeSet { top: self.0.clone(), base: "0".repeat(40), changed: set(changed), deleted: set(deleted) }
    }

    /// Selects under `roots` (relative to the tree) with `exclude` globs; the kept paths.
    fn select(&self, roots: &[&str], exclude: &[&str], changes: &ChangeSet) -> (Vec<String>, Selection) {
        let roots: Vec<PathBuf> = roots.iter().map(|r| self.0.join(r)).collect();
        let excludes = Excludes::new(&exclude.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap();
        let parsers = ParserOverrides::default();
        let discovery = discover_with(&roots, &excludes, &parsers).unwrap();
        let selection = select(discovery, &Scope { roots: &roots, excludes: &excludes, parsers: &parsers }, changes);
        (selection.discovery.files.iter().map(|f| f.path.clone()).collect(), selection)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n";

/// envs/prod calls modules/net and modules/db; modules/net calls modules/sg.
fn terraform_tree(name: &str) -> Tree {
    Tree::new(
        name,
        &[
            ("envs/prod/main.tf", "module \"net\" {\n  source = \"../../modules/net\"\n}\nmodule \"db\" {\n  source = \"../../modules/db/\"\n}\nmodule \"remote\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n"),
            ("envs/prod/vars.tf", "variable \"region\" {}\n"),
            ("modules/net/main.tf", "module \"sg\" {\n  source = \"./../sg\"\n}\nresource \"aws_vpc\" \"v\" {}\n"),
            ("modules/net/vars.tf", "variable \"cidr\" {}\n"),
            ("modules/db/main.tf", "resource \"aws_db_instance\" \"d\" {}\n"),
            ("modules/sg/main.tf", "resource \"aws_security_group\" \"s\" {}\n"),
            ("modules/unused/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
            ("k8s/pod.yaml", POD),
        ],
    )
}

#[test]
fn a_changed_file_keeps_its_unit_and_nothing_else() {
    let t = Tree::new("plain", &[("k8s/a.yaml", POD), ("k8s/b.yaml", POD), ("README.md", "hi"), ("notes.txt", "x")]);
    let (kept, selection) = t.select(&["."], &[], &t.changes(&["k8s/b.yaml", "README.md"], &[]));
    assert_eq!(kept, ["k8s/b.yaml"]);
    assert_eq!(selection.changed, ["README.md", "k8s/b.yaml"]);
    assert_eq!(selection.discovery.unrecognised, 1, "the README, not notes.txt");
    let (kept, selection) = t.select(&["."], &[], &t.changes(&[], &[]));
    assert!(kept.is_empty() && selection.changed.is_empty());
}

#[test]
fn a_module_change_reaches_its_callers_and_its_own_modules() {
    let t = terraform_tree("callers");
    let (kept, _) = t.select(&["."], &[], &t.changes(&["modules/net/vars.tf"], &[]));
    assert_eq!(kept, ["envs/prod/main.tf", "envs/prod/vars.tf", "modules/net/main.tf", "modules/net/vars.tf", "modules/sg/main.tf"]);
    // A leaf module: its callers up to the root, not its siblings.
    let (kept, _) = t.select(&["."], &[], &t.changes(&["modules/sg/main.tf"], &[]));
    assert_eq!(kept, ["envs/prod/main.tf", "envs/prod/vars.tf", "modules/net/main.tf", "modules/net/vars.tf", "modules/sg/main.tf"]);
    let (kept, _) = t.select(&["."], &[], &t.changes(&["modules/unused/main.tf"], &[]));
    assert_eq!(kept, ["modules/unused/main.tf"]);
}

#[test]
fn a_root_change_reaches_every_module_it_calls() {
    let t = terraform_tree("callees");
    let (kept, _) = t.select(&["."], &[], &t.changes(&["envs/prod/vars.tf"], &[]));
    let expected = ["envs/prod/main.tf", "envs/prod/vars.tf", "modules/db/main.tf", "modules/net/main.tf", "modules/net/vars.tf"];
    assert_eq!(kept, [&expected[..], &["modules/sg/main.tf"]].concat());
}

#[test]
fn deletions_and_unread_files_in_a_module_directory_change_the_module() {
    let t = terraform_tree("deleted");
    let (kept, selection) = t.select(&["."], &[], &t.changes(&[], &["modules/db/old.tf"]));
    assert_eq!(kept, ["envs/prod/main.tf", "envs/prod/vars.tf", "modules/db/main.tf"]);
    assert_eq!(selection.changed, ["modules/db/old.tf"]);
    let (kept, _) = t.select(&["."], &[], &t.changes(&["modules/db/policy.json.tpl"], &[]));
    assert_eq!(kept, ["envs/prod/main.tf", "envs/prod/vars.tf", "modules/db/main.tf"]);
}

#[test]
fn host_files_are_kept_with_their_snapshot_including_deleted_drop_ins() {
    let t = Tree::new(
        "host",
        &[
            ("web1/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n"),
            ("web1/etc/ssh/sshd_config.d/10-x.conf", "PasswordAuthentication no\n"),
            ("web2/etc/ssh/sshd_config", "PermitRootLogin no\n"),
        ],
    );
    let (kept, _) = t.select(&["."], &[], &t.changes(&["web1/etc/ssh/sshd_config.d/10-x.conf"], &[]));
    assert_eq!(kept, ["web1/etc/ssh/sshd_config", "web1/etc/ssh/sshd_config.d/10-x.conf"]);
    let (kept, _) = t.select(&["."], &[], &t.changes(&[], &["web2/etc/ssh/sshd_config.d/99-gone.conf"]));
    assert_eq!(kept, ["web2/etc/ssh/sshd_config"]);
}

#[test]
fn paths_map_onto_subdirectory_and_file_roots_and_respect_excludes() {
    let t = Tree::new(
        "roots",
        &[("infra/k8s/a.yaml", POD), ("infra/k8s/gen/b.yaml", POD), ("infra/.terraform/m/main.tf", ""), ("other/c.yaml", POD)],
    );
    let changes = t.changes(&["infra/k8s/a.yaml", "infra/k8s/gen/b.yaml", "infra/.terraform/m/main.tf", "other/c.yaml"], &[]);
    let (kept, selection) = t.select(&["infra"], &["gen"], &changes);
    assert_eq!(kept, ["k8s/a.yaml"], "named relative to the root; excluded and skipped directories stay out");
    assert_eq!(selection.changed, ["k8s/a.yaml"]);
    // Several roots are named by their paths, as the walk names them.
    let roots = [t.0.join("infra/k8s/a.yaml"), t.0.join("other")];
    let excludes = Excludes::new(&[]).unwrap();
    let parsers = ParserOverrides::default();
    let discovery = discover_with(&roots, &excludes, &parsers).unwrap();
    let selection = select(discovery, &Scope { roots: &roots, excludes: &excludes, parsers: &parsers }, &changes);
    let kept: Vec<&str> = selection.discovery.files.iter().map(|f| f.path.as_str()).collect();
    let other = format!("{}/other/c.yaml", t.0.display());
    assert_eq!(kept, [format!("{}/infra/k8s/a.yaml", t.0.display()), other]);
}

#[test]
fn a_terraform_file_root_covers_its_module() {
    let t = terraform_tree("file-root");
    let (kept, _) = t.select(&["modules/net/main.tf"], &[], &t.changes(&["modules/net/vars.tf"], &[]));
    let dir = format!("{}/modules/net", t.0.display());
    assert_eq!(kept, [format!("{dir}/main.tf"), format!("{dir}/vars.tf")]);
}

#[test]
fn only_walk_errors_on_changed_paths_are_kept() {
    let t = Tree::new("errors", &[("a/x.yaml", POD)]);
    let roots = [t.0.clone()];
    let excludes = Excludes::new(&[]).unwrap();
    let parsers = ParserOverrides::default();
    let mut discovery = discover_with(&roots, &excludes, &parsers).unwrap();
    for path in ["a/loop", "b", "a"] {
        discovery.errors.push(InputError::Walk { path: path.into(), message: "symlink loop".into() });
    }
    let selection = select(discovery, &Scope { roots: &roots, excludes: &excludes, parsers: &parsers }, &t.changes(&["a/x.yaml"], &[]));
    let paths: Vec<&str> = selection.discovery.errors.iter().map(InputError::path).collect();
    assert_eq!(paths, ["a"], "the directory holding a changed file, not its siblings or other trees");
}

#[test]
fn local_module_sources_resolve_against_the_caller() {
    assert_eq!(local_module("envs/prod", "../../modules/net").as_deref(), Some("modules/net"));
    assert_eq!(local_module(".", "./modules/net/").as_deref(), Some("modules/net"));
    assert_eq!(local_module(".", "../shared").as_deref(), Some("../shared"));
    assert_eq!(local_module("a", "./.").as_deref(), Some("a"));
    assert_eq!(local_module("a", "../").as_deref(), Some("."));
    assert_eq!(local_module("a", ".."), None, "Terraform reads a local path only from ./ or ../");
    assert_eq!(local_module("/abs/x", "../../../y").as_deref(), Some("/y"));
    assert_eq!(local_module(".", "hashicorp/consul/aws"), None);
    assert_eq!(local_module(".", "git::https://example.com/m.git"), None);
}
