//! Linux host configuration: one parser per file type, each found by file
//! name and directory, wherever it sits (a `tollgate collect` snapshot keeps
//! the host's layout under its own directory: `web1/etc/ssh/sshd_config`).
//!
//! Every host file of one snapshot is one evaluation unit, so a rule can see
//! the other files of the same host with `related(r, kind)` (an sshd_config
//! and the drop-ins it includes). The snapshot root is the part of the path
//! before its first `etc`, `usr`, `lib` or `run` directory, and the resource
//! id is the file's path on the host (`/etc/ssh/sshd_config`), so ids do not
//! change when the snapshot directory does.
//!
//! Lines these parsers cannot read do not fail the file: the daemons that
//! read them skip or warn too, and an assessor still wants the rest. They are
//! kept under `unparsed` as `{line, text, reason}`, where a rule can flag them.

pub mod audit_rules;
pub mod auditd_conf;
pub mod fstab;
pub mod kv;
pub mod login_defs;
pub mod pam;
pub mod pwquality;
pub mod sshd;
pub mod sysctl;

use crate::formats::nodes;
use crate::node::Node;
use crate::resource::Resource;
use std::collections::BTreeMap;
use std::path::Path;

/// Directories that start a host's file system layout inside a path.
const HOST_DIRS: &[&str] = &["etc", "usr", "lib", "run"];

/// A file's name and the names of its parent and grandparent directories.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Place<'a> {
    pub name: &'a str,
    pub parent: &'a str,
    pub grandparent: &'a str,
}

/// Where `path` sits; `None` for paths that are not UTF-8.
pub(crate) fn place(path: &Path) -> Option<Place<'_>> {
    let name = path.file_name()?.to_str()?;
    let parent_path = path.parent();
    let parent = parent_path.and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or("");
    let grandparent = parent_path.and_then(Path::parent).and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or("");
    Some(Place { name, parent, grandparent })
}

/// Editor and package-manager leftovers that sit beside live configuration.
pub(crate) fn is_backup(name: &str) -> bool {
    const SUFFIXES: &[&str] =
        &["~", ".bak", ".orig", ".old", ".swp", ".save", ".rpmnew", ".rpmsave", ".dpkg-old", ".dpkg-new", ".dpkg-dist"];
    name.starts_with('.') || SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// Whether `place` is a `*.<ext>` file directly in a directory called `dir`.
pub(crate) fn in_dir_with_ext(place: &Place<'_>, dir: &str, ext: &str) -> bool {
    place.parent == dir
        && place.name.len() > ext.len() + 1
        && place.name.ends_with(ext)
        && place.name[..place.name.len() - ext.len()].ends_with('.')
}

/// Splits a scan path into the snapshot root and the file's path on the host:
/// `snap/web1/etc/ssh/sshd_config` → (`snap/web1`, `/etc/ssh/sshd_config`).
/// A path with no host directory in it is its own host path, under root `""`.
pub fn split_host_path(path: &str) -> (&str, String) {
    let mut offset = 0;
    for part in path.split('/') {
        if HOST_DIRS.contains(&part) {
            let root = path[..offset].trim_end_matches('/');
            return (root, format!("/{}", &path[offset..]));
        }
        offset += part.len() + 1;
    }
    ("", path.to_string())
}

/// The evaluation unit of a host file: its snapshot.
pub fn unit(path: &str) -> String {
    format!("host:{}", split_host_path(path).0)
}

/// A whole-file resource of `kind`, with the host path as id (and attribute).
pub(crate) fn file_resource(kind: &str, path: &str, data: Node, extra: &[(&str, &str)]) -> Resource {
    let host_path = split_host_path(path).1;
    let mut attributes = BTreeMap::new();
    attributes.insert("host_path".to_string(), host_path.clone());
    for (k, v) in extra {
        attributes.insert((*k).to_string(), (*v).to_string());
    }
    nodes::resource(kind, host_path, path, data, attributes)
}

/// Joins scan-relative path pieces with `/`, skipping empty ones.
pub(crate) fn join(dir: &str, rest: &str) -> String {
    match (dir.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => dir.to_string(),
        (false, false) => format!("{}/{}", dir.trim_end_matches('/'), rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_paths_and_units() {
        assert_eq!(split_host_path("snap/web1/etc/ssh/sshd_config"), ("snap/web1", "/etc/ssh/sshd_config".to_string()));
        assert_eq!(split_host_path("etc/fstab"), ("", "/etc/fstab".to_string()));
        assert_eq!(split_host_path("/etc/fstab"), ("", "/etc/fstab".to_string()));
        assert_eq!(split_host_path("ssh/sshd_config"), ("", "ssh/sshd_config".to_string()));
        assert_eq!(split_host_path("h/usr/lib/sysctl.d/50-default.conf").1, "/usr/lib/sysctl.d/50-default.conf");
        assert_eq!(unit("a/etc/pam.d/sshd"), unit("a/etc/ssh/sshd_config"));
        assert_ne!(unit("a/etc/pam.d/sshd"), unit("b/etc/pam.d/sshd"));
        let p = place(Path::new("x/etc/audit/rules.d/10-base.rules")).unwrap();
        assert_eq!((p.name, p.parent, p.grandparent), ("10-base.rules", "rules.d", "audit"));
        assert!(in_dir_with_ext(&p, "rules.d", "rules"));
        assert!(!in_dir_with_ext(&place(Path::new("rules.d/.rules")).unwrap(), "rules.d", "rules"));
        assert!(is_backup("sshd.rpmnew") && is_backup("common-auth~") && !is_backup("common-auth"));
    }
}
