//! `host:audit_rules`: a RHEL-shaped audit.rules (as augenrules writes it)
//! with watch, syscall and control rules, and a rules.d file with lines
//! auditctl would reject.

mod golden;

use serde_json::json;

#[test]
fn rhel_audit_rules() {
    let r = golden::load("audit_rules", "etc/audit/audit.rules").unwrap();
    let a = &r[0];
    assert_eq!((a.kind.as_str(), a.id.as_str()), ("host:audit_rules", "/etc/audit/audit.rules"));
    let d = a.data.to_json();
    assert_eq!(d["control"], json!({"delete_all": true, "buffer": 8192, "failure": 1, "backlog_wait_time": 60000, "enabled": 2}));
    let rules = d["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 18);
    assert_eq!(
        rules[4],
        json!({"type": "watch", "option": "-w", "line": 8, "text": "-w /etc/group -p wa -k identity", "path": "/etc/group", "perms": "wa", "key": "identity"})
    );
    let time = &rules[9];
    assert_eq!((time["action"].as_str(), time["list"].as_str(), time["arch"].as_str()), (Some("always"), Some("exit"), Some("b64")));
    assert_eq!(time["syscalls"], json!(["adjtimex", "settimeofday", "clock_settime"]));
    assert_eq!(a.lines_of("rules[9].syscalls").start, 15);
    let sudo = &rules[12];
    assert_eq!(sudo["arch"], json!(null));
    assert_eq!(
        sudo["fields"],
        json!([
            {"field": "path", "op": "=", "value": "/usr/bin/sudo"},
            {"field": "perm", "op": "=", "value": "x"},
            {"field": "auid", "op": ">=", "value": "1000"},
            {"field": "auid", "op": "!=", "value": "unset"}
        ])
    );
    assert_eq!(rules[13]["comparisons"], json!([{"left": "euid", "op": "!=", "right": "uid"}]));
    // `-a exit,always` is the same rule as `-a always,exit`.
    assert_eq!((rules[14]["action"].as_str(), rules[14]["list"].as_str()), (Some("always"), Some("exit")));
    // Repeated -S and a key given as -F key=.
    assert_eq!((rules[15]["syscalls"].clone(), rules[15]["key"].clone()), (json!(["creat", "open"]), json!("access")));
    assert_eq!((rules[16]["action"].as_str(), rules[16]["list"].as_str()), (Some("never"), Some("exclude")));
    assert_eq!(rules[17], json!({"type": "control", "option": "-e", "line": 29, "text": "-e 2", "value": 2}));
    assert_eq!(d["unparsed"], json!([]));
    insta::assert_snapshot!("audit_rules", golden::render(&r));
}

#[test]
fn rejected_lines_are_unparsed_with_reasons() {
    let r = golden::load("audit_rules", "etc/audit/rules.d/99-malformed.rules").unwrap();
    let d = r[0].data.to_json();
    assert_eq!(d["rules"].as_array().unwrap().len(), 1);
    let reasons: Vec<(i64, &str)> =
        d["unparsed"].as_array().unwrap().iter().map(|u| (u["line"].as_i64().unwrap(), u["reason"].as_str().unwrap())).collect();
    assert_eq!(
        reasons,
        vec![
            (2, "`-w` needs a value"),
            (3, "`-a always`: expected action,list"),
            (4, "unknown option `-q`"),
            (5, "`-F arch`: expected field, operator and value"),
        ]
    );
}

#[test]
fn udev_rules_are_not_audit_rules() {
    let format = |p: &str| tollgate_inputs::detect(std::path::Path::new(p)).map(|f| f.name());
    assert_eq!(format("etc/udev/rules.d/70-persistent-net.rules"), None);
    assert_eq!(format("etc/audit/rules.d/50-identity.rules"), Some("audit_rules"));
    assert_eq!(format("snap/etc/audit/audit.rules"), Some("audit_rules"));
}
