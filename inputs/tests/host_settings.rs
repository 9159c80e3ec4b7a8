//! The key/value host files: login.defs, sysctl (conf and .d), auditd.conf,
//! pwquality.conf, and fstab.

mod golden;

use serde_json::json;

#[test]
fn login_defs_last_value_wins() {
    let r = golden::load("host", "etc/login.defs").unwrap();
    assert_eq!((r[0].kind.as_str(), r[0].id.as_str()), ("host:login_defs", "/etc/login.defs"));
    let s = r[0].data.to_json()["settings"].clone();
    assert_eq!((s["PASS_MAX_DAYS"].as_str(), s["UMASK"].as_str(), s["ENCRYPT_METHOD"].as_str()), (Some("60"), Some("077"), Some("SHA512")));
    assert_eq!(r[0].lines_of("settings.PASS_MAX_DAYS").start, 27);
    assert_eq!(r[0].data.to_json()["entries"].as_array().unwrap().len(), 13);
    insta::assert_snapshot!("login_defs", golden::render(&r));
}

#[test]
fn sysctl_keys_are_dotted() {
    let r = golden::load("host", "etc/sysctl.conf").unwrap();
    assert_eq!(r[0].kind, "host:sysctl");
    let d = r[0].data.to_json();
    assert_eq!(
        d["settings"],
        json!({"kernel.printk": "3 4 1 3", "net.ipv4.ip_forward": "1", "net.ipv4.conf.all.accept_redirects": "0", "net.ipv6.conf.all.disable_ipv6": "1"})
    );
    assert_eq!(r[0].lines_of("settings[\"net.ipv4.conf.all.accept_redirects\"]").start, 9);
    assert_eq!(d["entries"][3]["ignore_errors"], true);
    assert_eq!(d["unparsed"], json!([{"line": 12, "text": "kernel.randomize_va_space", "reason": "not a `key = value` line"}]));
    let dropin = golden::load("host", "etc/sysctl.d/99-hardening.conf").unwrap();
    assert_eq!(dropin[0].id, "/etc/sysctl.d/99-hardening.conf");
    let s = dropin[0].data.to_json()["settings"].clone();
    assert_eq!((s["net.ipv4.ip_forward"].as_str(), s["net.ipv4.conf.eth0/100.rp_filter"].as_str()), (Some("0"), Some("1")));
    insta::assert_snapshot!("sysctl", golden::render(&r));
}

#[test]
fn auditd_conf_keywords_fold_case() {
    let r = golden::load("host", "etc/audit/auditd.conf").unwrap();
    assert_eq!(r[0].kind, "host:auditd_conf");
    let d = r[0].data.to_json();
    assert_eq!(d["settings"]["admin_space_left_action"], "SUSPEND");
    assert_eq!(d["settings"]["max_log_file_action"], "keep_logs");
    assert_eq!(r[0].lines_of("settings.max_log_file_action").start, 24);
    assert_eq!(d["unparsed"][0]["line"], 25);
}

#[test]
fn pwquality_flags_and_inline_comments() {
    let r = golden::load("host", "etc/security/pwquality.conf").unwrap();
    assert_eq!(r[0].kind, "host:pwquality");
    let s = r[0].data.to_json()["settings"].clone();
    assert_eq!(
        s,
        json!({"minlen": "14", "dcredit": "-1", "ucredit": "-1", "ocredit": "-1", "lcredit": "-1", "minclass": "4", "maxrepeat": "3", "dictcheck": "1", "retry": "3", "enforce_for_root": true})
    );
    assert_eq!(r[0].lines_of("settings.enforce_for_root").start, 17);
}

#[test]
fn fstab_entries_and_mounts() {
    let r = golden::load("host", "etc/fstab").unwrap();
    assert_eq!((r[0].kind.as_str(), r[0].id.as_str()), ("host:fstab", "/etc/fstab"));
    let d = r[0].data.to_json();
    assert_eq!(d["entries"].as_array().unwrap().len(), 7);
    assert_eq!(
        d["mounts"]["/tmp"],
        json!({"device": "tmpfs", "mount_point": "/tmp", "fs_type": "tmpfs", "options": ["defaults", "rw", "nosuid", "nodev", "noexec"], "dump": 0, "pass": 0, "line": 7})
    );
    assert_eq!(d["mounts"]["/mnt/team share"]["options"], json!(["credentials=/etc/cifs.cred", "_netdev"]));
    assert_eq!(d["mounts"]["/mnt/team share"]["pass"], 0);
    assert_eq!(r[0].lines_of("mounts[\"/home\"].options").start, 6);
    assert_eq!(d["unparsed"][0]["line"], 11);
    insta::assert_snapshot!("fstab", golden::render(&r));
}
