//! `host:sshd_config`: an Ubuntu-shaped sshd_config with an Include and two
//! Match blocks, its drop-in, and a file with lines sshd would refuse.

mod golden;

use tollgate_inputs::{detect, Format};

#[test]
fn ubuntu_sshd_config() {
    let r = golden::load("sshd", "etc/ssh/sshd_config").unwrap();
    assert_eq!(r.len(), 1);
    let cfg = &r[0];
    assert_eq!((cfg.kind.as_str(), cfg.id.as_str()), ("host:sshd_config", "/etc/ssh/sshd_config"));
    assert_eq!(cfg.attributes["role"], "main");
    let d = cfg.data.to_json();
    // First value wins, whatever the keyword's case.
    assert_eq!(d["settings"]["permitrootlogin"], "prohibit-password");
    assert_eq!(cfg.lines_of("settings.permitrootlogin").start, 29);
    assert_eq!(d["settings"]["clientaliveinterval"], "300");
    assert_eq!(d["settings"]["banner"], "/etc/issue.net");
    // Accumulating keywords gather every line.
    assert_eq!(d["settings"]["acceptenv"], "LANG LC_* COLORTERM");
    assert_eq!(d["settings"]["subsystem"], "sftp /usr/lib/openssh/sftp-server");
    // Every PermitRootLogin line is an entry (the last in a Match block); only the first global one is the setting.
    let prl: Vec<_> =
        d["entries"].as_array().unwrap().iter().filter(|e| e["keyword"] == "permitrootlogin").map(|e| e["line"].clone()).collect();
    assert_eq!(prl, vec![serde_json::json!(29), serde_json::json!(64), serde_json::json!(74)]);
    // The Include, resolved into the scan.
    assert_eq!(d["includes"][0]["pattern"], "/etc/ssh/sshd_config.d/*.conf");
    assert_eq!(d["includes"][0]["path"], "etc/ssh/sshd_config.d/*.conf");
    assert_eq!((d["includes"][0]["dir"].as_str(), d["includes"][0]["glob"].as_str()), (Some("etc/ssh/sshd_config.d"), Some("*.conf")));
    assert_eq!(cfg.lines_of("includes[0]").start, 11);
    // Match blocks stay out of the global settings.
    assert_eq!(d["match_blocks"].as_array().unwrap().len(), 2);
    assert_eq!(d["match_blocks"][0]["criteria"], "User anoncvs");
    assert_eq!(d["match_blocks"][1]["conditions"], serde_json::json!({"address": "10.0.0.0/8,192.168.0.0/16", "user": "deploy"}));
    assert_eq!(d["match_blocks"][1]["settings"]["permitrootlogin"], "without-password");
    assert_eq!(cfg.lines_of("match_blocks[1].settings.passwordauthentication").start, 75);
    assert_eq!(cfg.lines_of("match_blocks[0]"), tollgate_inputs::LineSpan::new(67, 71));
    assert_eq!(d["settings"]["x11forwarding"], "yes");
    assert_eq!(d["unparsed"], serde_json::json!([]));
    insta::assert_snapshot!("sshd_config", golden::render(&r));
}

#[test]
fn drop_in_shares_the_hosts_unit() {
    let r = golden::load("sshd", "etc/ssh/sshd_config.d/50-cloud-init.conf").unwrap();
    assert_eq!((r[0].id.as_str(), r[0].attributes["role"].as_str()), ("/etc/ssh/sshd_config.d/50-cloud-init.conf", "drop-in"));
    assert_eq!(r[0].data.to_json()["settings"], serde_json::json!({"passwordauthentication": "yes"}));
    let unit = |p: &str| detect(std::path::Path::new(p)).map(|f| f.unit(p));
    assert_eq!(unit("web1/etc/ssh/sshd_config.d/50-cloud-init.conf"), unit("web1/etc/ssh/sshd_config"));
    assert_eq!(unit("web1/etc/ssh/sshd_config"), unit("web1/etc/pam.d/sshd"));
    assert_ne!(unit("web1/etc/ssh/sshd_config"), unit("web2/etc/ssh/sshd_config"));
    assert_eq!(Format::from_name("sshd_config").map(Format::name), Some("sshd_config"));
}

#[test]
fn garbage_lines_are_kept_as_unparsed() {
    let r = golden::load("sshd", "malformed/sshd_config").unwrap();
    let d = r[0].data.to_json();
    assert_eq!(d["settings"], serde_json::json!({"port": "22", "permitrootlogin": "no", "usepam": "yes"}));
    let unparsed: Vec<(i64, String)> = d["unparsed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["line"].as_i64().unwrap(), u["reason"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        unparsed,
        vec![
            (2, "not a `Keyword value` line".to_string()),
            (4, "not a `Keyword value` line".to_string()),
            (6, "not a `Keyword value` line".to_string()),
            (7, "keyword without a value".to_string()),
            (8, "unterminated quote".to_string()),
        ]
    );
    assert_eq!(r[0].lines_of("unparsed[3]").start, 7);
}
