//! A rule that joins resources across the files of one Terraform module:
//! `related()` finds the encryption configurations declared in a sibling
//! file, and `refers_to()` matches their `bucket` reference to the bucket.

use std::path::PathBuf;
use std::sync::Arc;
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource, ScanOptions, Silent, Status};
use tollgate_inputs::{discover, Excludes};

const RULE: &str = r#"
const RULE = #{
    id: "EX-TF-001", title: "Buckets are encrypted", severity: "high",
    applies_to: ["terraform:aws_s3_bucket"], controls: ["SC-28"],
    rationale: "Data at rest.", remediation: "Add an encryption configuration.",
};
fn check(r) {
    if r.data.server_side_encryption_configuration != () { return pass(); }
    for c in related(r, "terraform:aws_s3_bucket_server_side_encryption_configuration") {
        if refers_to(c.data.bucket, r.id) { return pass(); }
    }
    fail(`bucket '${r.id}' has no encryption configuration`, "bucket")
}
"#;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn related_and_refers_to_join_files_of_one_module() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write(
        root,
        "main.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n\nresource \"aws_s3_bucket\" \"public\" {\n  bucket = \"acme-public\"\n}\n",
    );
    write(
        root,
        "encryption.tf",
        "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"logs\" {\n  bucket = aws_s3_bucket.logs.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = \"aws:kms\"\n    }\n  }\n}\n",
    );
    // Another module that encrypts a bucket of the same name: a different unit, so it does not count.
    write(
        root,
        "modules/other/main.tf",
        "resource \"aws_s3_bucket_server_side_encryption_configuration\" \"public\" {\n  bucket = aws_s3_bucket.public.id\n}\n",
    );
    let discovery = discover(&[PathBuf::from(root)], &Excludes::new(&[]).unwrap()).unwrap();
    assert_eq!(discovery.files.len(), 3);
    assert_eq!(discovery.files[0].unit, discovery.files[1].unit, "one module directory is one unit");

    let rule = RuleSource { path: "tf.rhai".into(), text: Arc::from(RULE) };
    let policy = Policy::load(&[rule], &RuleOverrides::default(), Limits::default()).unwrap();
    let report = policy.scan(discovery, &ScanOptions::default(), &Silent);
    assert!(report.input_errors.is_empty(), "{:?}", report.input_errors);
    let outcome: Vec<(String, Status, u32)> = report
        .findings
        .iter()
        .map(|f| (f.resource.as_ref().unwrap().id.clone(), f.status, f.location.as_ref().unwrap().start_line))
        .collect();
    assert_eq!(outcome, [("aws_s3_bucket.logs".to_string(), Status::Pass, 1), ("aws_s3_bucket.public".to_string(), Status::Fail, 6)]);
    let fail = report.findings.iter().find(|f| f.status == Status::Fail).unwrap();
    assert!(fail.message.contains("aws_s3_bucket.public"));
    assert_eq!(fail.location.as_ref().unwrap().path, "main.tf");
}
