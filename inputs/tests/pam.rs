//! `host:pam`: RHEL's authselect system-auth with faillock, and an sshd
//! service with includes, a bracketed argument, a continuation and a bad line.

mod golden;

use serde_json::json;

#[test]
fn system_auth_with_faillock() {
    let r = golden::load("pam", "etc/pam.d/system-auth").unwrap();
    let p = &r[0];
    assert_eq!((p.kind.as_str(), p.id.as_str()), ("host:pam", "system-auth"));
    assert_eq!((p.attributes["service"].as_str(), p.attributes["host_path"].as_str()), ("system-auth", "/etc/pam.d/system-auth"));
    let d = p.data.to_json();
    let entries = d["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 28);
    let faillock: Vec<(&str, &str, i64)> = entries
        .iter()
        .filter(|e| e["module_name"] == "pam_faillock")
        .map(|e| (e["type"].as_str().unwrap(), e["control"].as_str().unwrap(), e["line"].as_i64().unwrap()))
        .collect();
    assert_eq!(faillock, vec![("auth", "required", 6), ("auth", "[default=die]", 12), ("account", "required", 15)]);
    assert_eq!(entries[2]["args"], json!(["preauth", "silent", "deny=5", "unlock_time=900"]));
    assert_eq!(entries[3]["actions"], json!({"default": "1", "ignore": "ignore", "success": "ok"}));
    assert_eq!(entries[0]["actions"], json!(null));
    let systemd = entries.iter().find(|e| e["module"] == "pam_systemd.so").unwrap();
    assert_eq!((systemd["type"].as_str(), systemd["optional"].as_bool()), (Some("session"), Some(true)));
    assert_eq!(p.lines_of("entries[2].args").start, 6);
    assert_eq!(d["includes"], json!([]));
    assert_eq!(d["unparsed"], json!([]));
    insta::assert_snapshot!("pam_system_auth", golden::render(&r));
}

#[test]
fn sshd_service_includes_and_bad_lines() {
    let r = golden::load("pam", "etc/pam.d/sshd").unwrap();
    assert_eq!(r[0].id, "sshd");
    let d = r[0].data.to_json();
    assert_eq!(
        d["includes"],
        json!([
            {"service": "password-auth", "via": "substack", "line": 2},
            {"service": "postlogin", "via": "include", "line": 3},
            {"service": "password-auth", "via": "include", "line": 6},
            {"service": "password-auth", "via": "include", "line": 7},
            {"service": "common-session", "via": "@include", "line": 13}
        ])
    );
    let exec = d["entries"].as_array().unwrap().iter().find(|e| e["module_name"] == "pam_exec").unwrap().clone();
    assert_eq!(exec["args"], json!(["/usr/local/bin/log session", "quiet"]));
    assert_eq!(r[0].lines_of("entries[8]"), tollgate_inputs::LineSpan::new(11, 12));
    assert_eq!(d["entries"][9], json!({"type": "@include", "include": "common-session", "line": 13}));
    assert_eq!(d["unparsed"][0]["line"], 14);
    assert_eq!(d["unparsed"][0]["reason"], "type must be auth, account, password or session");
}

#[test]
fn backups_in_pam_d_are_not_services() {
    let format = |p: &str| tollgate_inputs::detect(std::path::Path::new(p)).map(|f| f.name());
    assert_eq!(format("etc/pam.d/common-auth"), Some("pam"));
    assert_eq!(format("etc/pam.d/common-auth.dpkg-old"), None);
    assert_eq!(format("etc/pam.d/sshd~"), None);
    assert_eq!(format("usr/lib/pam.d/login"), Some("pam"));
}
