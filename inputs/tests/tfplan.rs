//! Terraform plan JSON (`terraform show -json`): resources of the root and
//! every child module, planned values, and after-apply unknowns that carry
//! the references recorded in `configuration`.

mod common;

use common::{by_id, fixtures, load_dir, render};
use serde_json::json;
use std::sync::Arc;
use tollgate_inputs::formats::terraform::refers_to;
use tollgate_inputs::{parse_text, Format, NodeValue};

#[test]
fn planned_resources_of_every_module() {
    let (_, resources) = load_dir(&fixtures("tfplan"));
    insta::assert_snapshot!("tfplan_resources", render(&resources));
    let ids: Vec<(&str, &str)> = resources.iter().map(|r| (r.kind.as_str(), r.id.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("terraform:aws_instance", "aws_instance.web[0]"),
            ("terraform:aws_instance", "aws_instance.web[1]"),
            ("terraform:aws_s3_bucket", "aws_s3_bucket.logs"),
            ("terraform:aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_server_side_encryption_configuration.logs"),
            ("terraform:aws_s3_bucket", "module.buckets[\"audit\"].aws_s3_bucket.this"),
            ("terraform:data.aws_availability_zones", "module.net.data.aws_availability_zones.available"),
            ("terraform:aws_subnet", "module.net.aws_subnet.private[0]"),
            ("terraform:aws_subnet", "module.net.aws_subnet.private[1]"),
            ("terraform:aws_vpc", "module.net.aws_vpc.main"),
            ("terraform:aws_flow_log", "module.net.module.flow_logs.aws_flow_log.this"),
        ]
    );
    let flow = by_id(&resources, "module.net.module.flow_logs.aws_flow_log.this");
    assert_eq!(flow.attributes["source"], "plan");
    assert_eq!(flow.attributes["module_address"], "module.net.module.flow_logs");
    assert!(!by_id(&resources, "aws_s3_bucket.logs").attributes.contains_key("module_address"));
}

#[test]
fn after_unknown_values_become_unknown_with_references() {
    let (_, resources) = load_dir(&fixtures("tfplan"));
    let sse = by_id(&resources, "aws_s3_bucket_server_side_encryption_configuration.logs");
    let j = sse.data.to_json();
    assert_eq!(j["bucket"], json!({"$unknown": "aws_s3_bucket.logs.id"}));
    let default = &j["rule"][0]["apply_server_side_encryption_by_default"][0];
    assert_eq!(default["sse_algorithm"], "aws:kms");
    assert_eq!(default["kms_master_key_id"], json!({"$unknown": "aws_kms_key.logs.arn"}));
    let NodeValue::Unknown(bucket) = &sse.data.get("bucket").unwrap().value else { panic!() };
    assert!(refers_to(bucket, "aws_s3_bucket.logs"));

    let logs = by_id(&resources, "aws_s3_bucket.logs").data.to_json();
    assert_eq!(logs["server_side_encryption_configuration"], json!({"$unknown": "(known after apply)"}));
    assert_eq!(logs["bucket"], "acme-prod-logs");
    assert_eq!(logs["tags_all"]["Environment"], "prod");

    let web = by_id(&resources, "aws_instance.web[1]").data.to_json();
    assert_eq!(web["subnet_id"], json!({"$unknown": "module.net.private_subnet_ids[0]"}));
    assert_eq!(web["metadata_options"][0]["http_tokens"], "required");
    assert_eq!(web["metadata_options"][0]["http_put_response_hop_limit"], json!({"$unknown": "(known after apply)"}));
    assert_eq!(web["root_block_device"][0]["encrypted"], true);

    // References inside a module name plan addresses; variables stay as written.
    let subnet = by_id(&resources, "module.net.aws_subnet.private[1]").data.to_json();
    assert_eq!(subnet["vpc_id"], json!({"$unknown": "module.net.aws_vpc.main.id"}));
    assert_eq!(subnet["availability_zone"], json!({"$unknown": "module.net.data.aws_availability_zones.available.names, count.index"}));
    let flow = by_id(&resources, "module.net.module.flow_logs.aws_flow_log.this").data.to_json();
    assert_eq!(flow["vpc_id"], json!({"$unknown": "var.vpc_id"}));
    assert_eq!(flow["max_aggregation_interval"], 600);
    let audit = by_id(&resources, "module.buckets[\"audit\"].aws_s3_bucket.this").data.to_json();
    assert_eq!(audit["server_side_encryption_configuration"], json!({"$unknown": "(known after apply)"}));
}

#[test]
fn planned_values_keep_their_lines() {
    let (_, resources) = load_dir(&fixtures("tfplan"));
    let text = std::fs::read_to_string(fixtures("tfplan").join("plan.json")).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
    let vpc = by_id(&resources, "module.net.aws_vpc.main");
    assert_eq!(vpc.lines_of("cidr_block").start, line_of("\"cidr_block\": \"10.20.0.0/16\""));
    assert_eq!(vpc.lines.start, line_of("\"address\": \"module.net.aws_vpc.main\"") - 1);
}

#[test]
fn only_plans_are_claimed() {
    let not_plan: Arc<str> = Arc::from(r#"{"format_version": "1.0", "values": {}}"#);
    assert_eq!(parse_text(Format::JSON, "state.json", &not_plan).unwrap()[0].kind, "json:document");
    let minimal: Arc<str> = Arc::from(r#"{"terraform_version": "1.9.0", "planned_values": {"root_module": {}}}"#);
    assert!(parse_text(Format::JSON, "plan.json", &minimal).unwrap().is_empty());
}
