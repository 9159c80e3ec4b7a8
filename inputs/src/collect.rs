//! `tollgate collect`: snapshot a Linux host's security configuration into a
//! directory that `tollgate scan` reads like any other input.
//!
//! Files keep their absolute paths under the output directory
//! (`OUT/etc/ssh/sshd_config`), so the host parsers detect them and findings
//! name the real host path. Live state that has no file (`sysctl -a`,
//! installed packages, enabled services) is saved under `OUT/commands/` as
//! evidence. Nothing that cannot be read stops the collection: it is recorded
//! in the manifest with the reason, as an assessor would note it.

use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Name of the manifest written at the top of the output directory.
pub const MANIFEST: &str = "tollgate-collect.json";

/// Files (and glob-like directory listings) collected, relative to the host root.
const FILES: &[&str] = &[
    "etc/ssh/sshd_config",
    "etc/ssh/sshd_config.d/*.conf",
    "etc/login.defs",
    "etc/sysctl.conf",
    "etc/sysctl.d/*.conf",
    "usr/lib/sysctl.d/*.conf",
    "etc/audit/auditd.conf",
    "etc/audit/audit.rules",
    "etc/audit/rules.d/*.rules",
    "etc/pam.d/*",
    "etc/security/pwquality.conf",
    "etc/security/pwquality.conf.d/*.conf",
    "etc/security/faillock.conf",
    "etc/fstab",
];

/// Commands whose output is kept as evidence: (file name, program, args).
const COMMANDS: &[(&str, &str, &[&str])] = &[
    ("sysctl-a.txt", "sysctl", &["-a"]),
    ("packages-dpkg.txt", "dpkg-query", &["-W", "-f=${Package} ${Version}\\n"]),
    ("packages-rpm.txt", "rpm", &["-qa", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n"]),
    ("services-enabled.txt", "systemctl", &["list-unit-files", "--state=enabled", "--no-legend", "--no-pager"]),
];

/// What was collected, and what could not be.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub tool: &'static str,
    pub version: &'static str,
    pub host: String,
    pub collected_at: String,
    pub files: Vec<String>,
    pub commands: Vec<String>,
    pub not_collected: Vec<NotCollected>,
}

#[derive(Debug, Serialize)]
pub struct NotCollected {
    pub path: String,
    pub reason: String,
}

/// The host paths a pattern names under `root` (only `dir/*` and `dir/*.ext` wildcards).
fn expand(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let Some((dir, file_glob)) = pattern.rsplit_once('/').filter(|(_, f)| f.contains('*')) else {
        return vec![root.join(pattern)];
    };
    let suffix = file_glob.trim_start_matches('*');
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else { return Vec::new() };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().ends_with(suffix)))
        .collect();
    found.sort();
    found
}

/// Copies the host configuration under `root` (normally `/`) into `out`.
/// `run_commands` is off in tests, which must not depend on the machine.
pub fn collect(root: &Path, out: &Path, run_commands: bool) -> std::io::Result<Manifest> {
    std::fs::create_dir_all(out)?;
    let mut manifest = Manifest {
        tool: "tollgate",
        version: env!("CARGO_PKG_VERSION"),
        host: std::fs::read_to_string(root.join("etc/hostname")).map(|h| h.trim().to_string()).unwrap_or_default(),
        collected_at: jiff::Timestamp::now().to_string(),
        files: Vec::new(),
        commands: Vec::new(),
        not_collected: Vec::new(),
    };
    for pattern in FILES {
        let paths = expand(root, pattern);
        if paths.is_empty() && pattern.contains('*') {
            continue;
        }
        for source in paths {
            let host_path = format!("/{}", source.strip_prefix(root).unwrap_or(&source).to_string_lossy());
            if !source.exists() {
                manifest.not_collected.push(NotCollected { path: host_path, reason: "not present".into() });
                continue;
            }
            let dest = out.join(host_path.trim_start_matches('/'));
            let copied = dest
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::read(&source))
                .and_then(|b| std::fs::write(&dest, b));
            match copied {
                Ok(()) => manifest.files.push(host_path),
                Err(e) => manifest.not_collected.push(NotCollected { path: host_path, reason: e.to_string() }),
            }
        }
    }
    if run_commands {
        let dir = out.join("commands");
        std::fs::create_dir_all(&dir)?;
        for (file, program, args) in COMMANDS {
            let command_line = format!("{program} {}", args.join(" "));
            match Command::new(program).args(*args).output() {
                Ok(o) if o.status.success() => {
                    std::fs::write(dir.join(file), &o.stdout)?;
                    manifest.commands.push(command_line);
                }
                Ok(o) => manifest.not_collected.push(NotCollected { path: command_line, reason: format!("exited with {}", o.status) }),
                Err(e) => manifest.not_collected.push(NotCollected { path: command_line, reason: e.to_string() }),
            }
        }
    }
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    std::fs::write(out.join(MANIFEST), json)?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_present_files_and_records_the_rest() {
        let base = std::env::temp_dir().join(format!("tollgate-collect-{}", std::process::id()));
        let (root, out) = (base.join("root"), base.join("out"));
        std::fs::create_dir_all(root.join("etc/ssh/sshd_config.d")).unwrap();
        std::fs::create_dir_all(root.join("etc/pam.d")).unwrap();
        std::fs::write(root.join("etc/hostname"), "bastion-1\n").unwrap();
        std::fs::write(root.join("etc/ssh/sshd_config"), "PermitRootLogin no\n").unwrap();
        std::fs::write(root.join("etc/ssh/sshd_config.d/50-cloud.conf"), "PasswordAuthentication no\n").unwrap();
        std::fs::write(root.join("etc/pam.d/sshd"), "auth required pam_unix.so\n").unwrap();
        // A directory where a file is expected cannot be read: recorded, not fatal.
        std::fs::create_dir_all(root.join("etc/login.defs")).unwrap();
        let m = collect(&root, &out, false).unwrap();
        assert_eq!(m.host, "bastion-1");
        assert_eq!(m.files, vec!["/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/50-cloud.conf", "/etc/pam.d/sshd"]);
        assert!(m.not_collected.iter().any(|n| n.path == "/etc/login.defs" && !n.reason.is_empty()));
        assert!(m.not_collected.iter().any(|n| n.path == "/etc/fstab" && n.reason == "not present"));
        assert_eq!(std::fs::read_to_string(out.join("etc/ssh/sshd_config")).unwrap(), "PermitRootLogin no\n");
        assert!(out.join(MANIFEST).exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
