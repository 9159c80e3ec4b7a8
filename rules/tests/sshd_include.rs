//! TG-LNX-SSH-001 across files: an sshd_config and the drop-ins its
//! `Include` reads form one evaluation unit, and the first value sshd reads
//! (possibly in a drop-in) decides.

use std::sync::Arc;
use tollgate_engine::{Finding, Limits, Policy, RuleOverrides, RuleSource};
use tollgate_inputs::{detect, parse_text, Resource};

fn policy() -> Policy {
    let rule = tollgate_rules::BUILTIN.iter().find(|r| r.path.ends_with("linux/sshd_permit_root_login.rhai")).expect("embedded");
    let source = RuleSource { path: rule.path.to_string(), text: Arc::from(rule.source) };
    Policy::load(&[source], &RuleOverrides::default(), Limits::default()).expect("rule loads")
}

fn host(files: &[(&str, &str)]) -> Vec<Resource> {
    files
        .iter()
        .filter_map(|(path, text)| {
            detect(std::path::Path::new(path)).map(|format| parse_text(format, path, &Arc::from(*text)).expect("parses"))
        })
        .flatten()
        .collect()
}

fn outcome(findings: &[Finding]) -> Vec<(String, &'static str, u32, String)> {
    findings
        .iter()
        .map(|f| {
            let status = f.status.as_str();
            let id = f.resource.as_ref().map_or(String::new(), |r| r.id.clone());
            (id, status, f.location.as_ref().map_or(0, |l| l.start_line), f.message.clone())
        })
        .collect()
}

const MAIN: &str = "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\nPermitRootLogin no\n";

#[test]
fn a_drop_in_read_first_decides() {
    let findings = policy().evaluate_all(host(&[
        ("web1/etc/ssh/sshd_config", MAIN),
        ("web1/etc/ssh/sshd_config.d/10-root.conf", "PermitRootLogin yes\n"),
        ("web1/etc/ssh/sshd_config.d/README", "not a drop-in, not parsed\n"),
    ]));
    let got = outcome(&findings);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        got[0],
        (
            "/etc/ssh/sshd_config".to_string(),
            "fail",
            1,
            "PermitRootLogin is 'yes' (web1/etc/ssh/sshd_config.d/10-root.conf, included here), not 'no'".to_string()
        )
    );
    assert_eq!((got[1].0.as_str(), got[1].1), ("/etc/ssh/sshd_config.d/10-root.conf", "skip"));
    assert!(got[1].3.contains("judged with web1/etc/ssh/sshd_config"), "{}", got[1].3);
}

#[test]
fn drop_ins_that_do_not_set_it_leave_the_main_value() {
    let findings = policy()
        .evaluate_all(host(&[("etc/ssh/sshd_config", MAIN), ("etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n")]));
    let got = outcome(&findings);
    assert_eq!(got[0].1, "pass", "{got:?}");
    assert_eq!(got[1].1, "skip");
}

#[test]
fn another_hosts_drop_in_does_not_count() {
    let findings = policy()
        .evaluate_all(host(&[("web1/etc/ssh/sshd_config", MAIN), ("web2/etc/ssh/sshd_config.d/10-root.conf", "PermitRootLogin yes\n")]));
    let got = outcome(&findings);
    assert_eq!((got[0].1, got[1].1), ("pass", "fail"), "{got:?}");
}
