//! AWS CLI JSON exports, classified by shape.

mod golden;

use serde_json::json;

fn summary(rs: &[tollgate_inputs::Resource]) -> Vec<(String, String, u32, u32)> {
    rs.iter().map(|r| (r.kind.clone(), r.id.clone(), r.lines.start, r.lines.end)).collect()
}

#[test]
fn describe_security_groups() {
    let r = golden::load("aws", "describe-security-groups.json").unwrap();
    assert_eq!(
        summary(&r),
        vec![
            ("aws:ec2_security_group".into(), "sg-0a1b2c3d4e5f60001".into(), 3, 36),
            ("aws:ec2_security_group".into(), "sg-0a1b2c3d4e5f60002".into(), 37, 70),
        ]
    );
    let ssh = &r[1];
    assert_eq!(ssh.attributes["name"], "bastion-ssh");
    assert_eq!(ssh.attributes["vpc_id"], "vpc-0abc1234def567890");
    assert_eq!(ssh.attributes["source"], "aws ec2 describe-security-groups");
    assert_eq!(ssh.data.to_json()["IpPermissions"][0]["IpRanges"][0]["CidrIp"], "0.0.0.0/0");
    assert_eq!(ssh.lines_of("IpPermissions[0].IpRanges[0].CidrIp").start, 46);
    assert_eq!(ssh.lines_of("IpPermissions[0].FromPort").start, 42);
    insta::assert_snapshot!("describe_security_groups", golden::render(&r));
}

#[test]
fn other_exports() {
    let one = |f: &str| summary(&golden::load("aws", f).unwrap());
    assert_eq!(one("password-policy.json"), vec![("aws:iam_password_policy".into(), "account".into(), 2, 13)]);
    assert_eq!(one("describe-trails.json"), vec![("aws:cloudtrail_trail".into(), "org-trail".into(), 3, 15)]);
    assert_eq!(
        one("list-buckets.json"),
        vec![("aws:s3_bucket".into(), "example-app-logs".into(), 3, 6), ("aws:s3_bucket".into(), "example-static-site".into(), 7, 10)]
    );
    assert_eq!(one("describe-db-instances.json"), vec![("aws:rds_db_instance".into(), "payments-prod".into(), 3, 15)]);
    assert_eq!(one("kms-list-keys.json"), vec![("aws:kms_key".into(), "1234abcd-12ab-34cd-56ef-1234567890ab".into(), 3, 6)]);
    assert_eq!(one("kms-describe-key.json"), vec![("aws:kms_key".into(), "1234abcd-12ab-34cd-56ef-1234567890ab".into(), 2, 14)]);
    assert_eq!(
        one("list-users.json"),
        vec![("aws:iam_user".into(), "alice".into(), 3, 10), ("aws:iam_user".into(), "ci-deployer".into(), 11, 17)]
    );
    let policy = golden::load("aws", "password-policy.json").unwrap();
    assert_eq!(policy[0].data.to_json()["MinimumPasswordLength"], json!(8));
    assert_eq!(policy[0].lines_of("MinimumPasswordLength").start, 3);
    let trail = golden::load("aws", "describe-trails.json").unwrap();
    assert_eq!(trail[0].attributes["arn"], "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail");
    let users = golden::load("aws", "list-users.json").unwrap();
    assert_eq!(users[1].attributes["source"], "aws iam list-users");
}

#[test]
fn yaml_output_is_classified_too() {
    let text = std::sync::Arc::from("Buckets:\n- Name: logs\n  CreationDate: '2022-03-01T10:15:42+00:00'\nOwner:\n  ID: abc\n");
    let r = tollgate_inputs::parse_text(tollgate_inputs::Format::YAML, "buckets.yaml", &text).unwrap();
    assert_eq!(summary(&r), vec![("aws:s3_bucket".into(), "logs".into(), 2, 3)]);
}
