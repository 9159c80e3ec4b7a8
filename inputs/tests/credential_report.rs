//! `aws:iam_user` from the IAM credential report CSV.

mod golden;

use serde_json::json;

#[test]
fn credential_report_rows() {
    let r = golden::load("credential_report", "credential-report.csv").unwrap();
    let ids: Vec<(&str, &str, u32)> = r.iter().map(|u| (u.kind.as_str(), u.id.as_str(), u.lines.start)).collect();
    assert_eq!(
        ids,
        vec![
            ("aws:iam_user", "<root_account>", 2),
            ("aws:iam_user", "alice", 3),
            ("aws:iam_user", "ci-deployer", 4),
            ("aws:iam_user", "bob", 5),
        ]
    );
    let root = r[0].data.to_json();
    assert_eq!(root["password_enabled"], json!(null));
    assert_eq!(root["mfa_active"], json!(true));
    assert_eq!(root["access_key_1_active"], json!(false));
    assert_eq!(root["password_last_used"], "2024-05-20T08:11:02+00:00");
    assert_eq!(r[0].attributes["account_id"], "123456789012");
    assert_eq!(r[0].attributes["source"], "credential_report");
    let ci = r[2].data.to_json();
    assert_eq!((ci["password_enabled"].clone(), ci["access_key_2_active"].clone()), (json!(false), json!(true)));
    assert_eq!(ci["access_key_2_last_used_date"], json!(null));
    assert_eq!(r[3].data.to_json()["password_last_used"], json!(null));
    assert_eq!(r[3].lines_of("mfa_active").start, 5);
    assert_eq!(r[1].data.to_json().as_object().unwrap().len(), 22);
    insta::assert_snapshot!("credential_report", golden::render(&r[..2]));
}

#[test]
fn short_row_is_a_parse_error_at_its_line() {
    let err = golden::load("credential_report", "bad_credential_report.csv").unwrap_err();
    assert_eq!(err.line(), Some(3));
    assert_eq!(err.message(), "row has 4 columns, the header has 5");
}

#[test]
fn detected_by_name() {
    let format = |p: &str| tollgate_inputs::detect(std::path::Path::new(p)).map(|f| f.name());
    assert_eq!(format("evidence/2024-06/credential-report.csv"), Some("aws_credential_report"));
    assert_eq!(format("acct_123_credential_report_2024.CSV"), Some("aws_credential_report"));
    assert_eq!(format("users.csv"), None);
}
