//! Which parser claims which file: host, container and account formats come
//! before the generic JSON/YAML/TOML ones, and stay off look-alikes.

use std::path::Path;
use tollgate_inputs::detect;

fn format(p: &str) -> Option<&'static str> {
    detect(Path::new(p)).map(|f| f.name())
}

#[test]
fn file_names_and_directories_pick_parsers() {
    let cases = [
        ("Dockerfile", Some("dockerfile")),
        ("services/api/Dockerfile.prod", Some("dockerfile")),
        ("build/api.Dockerfile", Some("dockerfile")),
        ("Containerfile", Some("dockerfile")),
        ("dockerfile", Some("dockerfile")),
        ("Dockerfile.dockerignore", None),
        ("Dockerfile.md", None),
        ("etc/ssh/sshd_config", Some("sshd_config")),
        ("snapshots/web1/etc/ssh/sshd_config.d/50-cloud-init.conf", Some("sshd_config")),
        ("etc/ssh/ssh_config", None),
        ("etc/ssh/sshd_config.d/notes.txt", None),
        ("etc/login.defs", Some("login_defs")),
        ("etc/sysctl.conf", Some("sysctl")),
        ("usr/lib/sysctl.d/50-default.conf", Some("sysctl")),
        ("etc/audit/auditd.conf", Some("auditd_conf")),
        ("etc/audit/audit.rules", Some("audit_rules")),
        ("etc/pam.d/system-auth", Some("pam")),
        ("etc/security/pwquality.conf", Some("pwquality")),
        ("etc/security/pwquality.conf.d/50-local.conf", Some("pwquality")),
        ("etc/fstab", Some("fstab")),
        ("credential-report.csv", Some("aws_credential_report")),
        ("config/app.ini", Some("ini")),
        ("setup.cfg", Some("ini")),
        ("haproxy.cfg", None),
        (".env", Some("env")),
        (".env.production", Some("env")),
        ("deploy/prod.env", Some("env")),
        (".env.json", Some("json")),
        ("aws/describe-security-groups.json", Some("json")),
        ("values.yaml", Some("yaml")),
    ];
    for (path, want) in cases {
        assert_eq!(format(path), want, "{path}");
    }
}

#[test]
fn parsers_are_named_and_declare_their_kinds() {
    let kinds = tollgate_inputs::known_kinds();
    for k in [
        "docker:dockerfile",
        "host:sshd_config",
        "host:pam",
        "host:audit_rules",
        "aws:iam_user",
        "aws:ec2_security_group",
        "ini:document",
        "env:document",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    for name in [
        "dockerfile",
        "sshd_config",
        "login_defs",
        "sysctl",
        "auditd_conf",
        "audit_rules",
        "pam",
        "pwquality",
        "fstab",
        "aws_credential_report",
        "ini",
        "env",
    ] {
        assert_eq!(tollgate_inputs::Format::from_name(name).map(|f| f.name()), Some(name));
    }
}
