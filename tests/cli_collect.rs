//! `tollgate collect` snapshots a host so that `tollgate scan` judges it.

mod common;
use common::*;

#[test]
fn collect_then_scan_finds_host_gaps() {
    let dir = tree(&[
        ("root/etc/hostname", "bastion-1\n"),
        ("root/etc/ssh/sshd_config", "Port 22\nPermitRootLogin yes\n"),
        ("root/etc/pam.d/sshd", "auth required pam_unix.so\n"),
    ]);
    let out = run_in(dir.path(), &["collect", "--root", "root", "--out", "snap"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("collected 2 files") && stdout(&out).contains("not collected: /etc/fstab (not present)"),
        "{}",
        stdout(&out)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("snap/tollgate-collect.json")).unwrap()).unwrap();
    assert_eq!(manifest["host"], "bastion-1");

    let report = json(&run_in(dir.path(), &["scan", "snap", "--format", "json"]));
    let f = report["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == "TG-LNX-SSH-001").expect("sshd rule ran");
    assert_eq!(f["status"], "fail");
    assert_eq!(f["resource"]["id"], "/etc/ssh/sshd_config");
    assert_eq!(f["location"]["path"], "etc/ssh/sshd_config");
    assert_eq!(f["location"]["start_line"], 2);
    assert_eq!(report["summary"]["files_unrecognised"], 0, "the manifest is Tollgate's own file, not an input");
}
