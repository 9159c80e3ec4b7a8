//! Terraform configuration: a root module and `modules/net`, each several
//! `.tf` files plus a `.tf.json`, with `count`, `for_each`, dynamic blocks,
//! locals, variables, outputs, providers and the settings block.

mod common;

use common::{by_id, fixtures, load_dir, render};
use std::sync::Arc;
use tollgate_inputs::{parse_text, Format, InputError, NodeValue};

#[test]
fn a_module_layout_becomes_addressed_resources() {
    let (files, resources) = load_dir(&fixtures("terraform"));
    insta::assert_snapshot!("terraform_resources", render(&resources));

    // Files of one directory share a unit; the child module is another.
    let unit = |path: &str| files.iter().find(|f| f.path == path).unwrap().unit.clone();
    assert_eq!(unit("main.tf"), unit("cloudtrail.tf.json"));
    assert_eq!(unit("main.tf"), unit("variables.tf"));
    assert_eq!(unit("modules/net/main.tf"), unit("modules/net/endpoints.tf.json"));
    assert_ne!(unit("main.tf"), unit("modules/net/main.tf"));

    let ids: Vec<(&str, &str)> = resources.iter().filter(|r| r.path == "main.tf").map(|r| (r.kind.as_str(), r.id.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("terraform:settings", "terraform"),
            ("terraform:provider", "provider.aws"),
            ("terraform:provider", "provider.aws.replica"),
            ("terraform:local", "local.name_prefix"),
            ("terraform:local", "local.common_tags"),
            ("terraform:local", "local.retention_days"),
            ("terraform:module", "module.net"),
            ("terraform:aws_s3_bucket", "aws_s3_bucket.logs"),
            ("terraform:aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_server_side_encryption_configuration.logs"),
            ("terraform:aws_kms_key", "aws_kms_key.logs"),
            ("terraform:aws_s3_bucket", "aws_s3_bucket.data"),
            ("terraform:data.aws_iam_policy_document", "data.aws_iam_policy_document.deny_insecure"),
            ("terraform:aws_s3_bucket_policy", "aws_s3_bucket_policy.logs"),
        ]
    );
}

#[test]
fn values_are_known_or_unknown() {
    let (_, resources) = load_dir(&fixtures("terraform"));
    let sse = by_id(&resources, "aws_s3_bucket_server_side_encryption_configuration.logs");
    let j = sse.data.to_json();
    assert_eq!(j["bucket"], serde_json::json!({"$unknown": "aws_s3_bucket.logs.id"}));
    assert_eq!(j["rule"]["apply_server_side_encryption_by_default"]["sse_algorithm"], "aws:kms");
    assert_eq!(j["rule"]["bucket_key_enabled"], true);

    let logs = by_id(&resources, "aws_s3_bucket.logs").data.to_json();
    assert_eq!(logs["bucket"], serde_json::json!({"$unknown": "\"${local.name_prefix}-logs\""}));
    assert_eq!(logs["tags"]["$unknown"], "merge(local.common_tags, { Purpose = \"access-logs\" })");

    let data = by_id(&resources, "aws_s3_bucket.data").data.to_json();
    assert_eq!(data["for_each"]["$unknown"], "toset([\"raw\", \"curated\"])");
    assert_eq!(data["lifecycle"]["prevent_destroy"], true);

    let subnet = by_id(&resources, "aws_subnet.private");
    assert_eq!(subnet.data.to_json()["count"]["$unknown"], "var.az_count");
    assert_eq!(subnet.data.to_json()["map_public_ip_on_launch"], false);
    assert_eq!(by_id(&resources, "aws_flow_log.main").data.to_json()["max_aggregation_interval"], 600);

    let sg = by_id(&resources, "aws_security_group.web").data.to_json();
    assert_eq!(sg["ingress"][0]["cidr_blocks"], serde_json::json!(["0.0.0.0/0"]));
    assert_eq!(sg["ingress"][1]["$for_each"]["$unknown"], "var.extra_ports");
    assert_eq!(sg["ingress"][1]["from_port"]["$unknown"], "port.value");
    assert_eq!(sg["egress"]["protocol"], "-1");

    let settings = by_id(&resources, "terraform").data.to_json();
    assert_eq!(settings["backend"]["s3"]["encrypt"], true);
    assert_eq!(settings["required_providers"]["aws"]["source"], "hashicorp/aws");

    let var = by_id(&resources, "var.allowed_cidrs");
    assert_eq!(var.data.to_json()["type"], "list(string)");
    assert_eq!(by_id(&resources, "local.retention_days").data.to_json(), serde_json::json!({"value": 90}));
    assert_eq!(by_id(&resources, "module.net").attributes["module_source"], "./modules/net");
}

#[test]
fn json_syntax_reads_like_native() {
    let (_, resources) = load_dir(&fixtures("terraform"));
    let trail = by_id(&resources, "aws_cloudtrail.main");
    assert_eq!(trail.kind, "terraform:aws_cloudtrail");
    assert_eq!(trail.attributes["source"], "hcl-json");
    let j = trail.data.to_json();
    assert_eq!(j["s3_bucket_name"], serde_json::json!({"$unknown": "aws_s3_bucket.logs.id"}));
    assert_eq!(j["tags"]["Name"], serde_json::json!({"$unknown": "\"${local.name_prefix}-trail\""}));
    assert_eq!(j["depends_on"], serde_json::json!([{"$unknown": "aws_s3_bucket_policy.logs"}]));
    assert_eq!(j["event_selector"][1]["read_write_type"], "WriteOnly");
    assert!(j.get("//").is_none());
    assert_eq!(trail.lines_of("event_selector[1]").start, 14);
    assert_eq!(trail.lines_of("kms_key_id").start, 10);
    assert_eq!(by_id(&resources, "var.trail_enabled").data.to_json(), serde_json::json!({"type": "bool", "default": true}));

    let acl = by_id(&resources, "aws_network_acl.private").data.to_json();
    assert_eq!(acl["ingress"][0]["$for_each"]["$unknown"], "var.acl_rules");
    assert_eq!(acl["ingress"][0]["rule_no"]["$unknown"], "ingress.value.rule_no");
    assert_eq!(acl["ingress"][0]["action"], "allow");
    assert_eq!(by_id(&resources, "local.endpoint_count").path, "modules/net/endpoints.tf.json");
}

#[test]
fn property_paths_resolve_to_lines() {
    let (_, resources) = load_dir(&fixtures("terraform"));
    let sse = by_id(&resources, "aws_s3_bucket_server_side_encryption_configuration.logs");
    assert_eq!((sse.lines.start, sse.lines.end), (50, 60));
    assert_eq!(sse.lines_of("bucket").start, 51);
    assert_eq!(sse.lines_of("rule.apply_server_side_encryption_by_default.sse_algorithm").start, 55);
    assert_eq!(sse.lines_of("rule.apply_server_side_encryption_by_default").start, 54);
    // A missing property points at its nearest existing parent.
    assert_eq!(sse.lines_of("rule.missing").start, 53);
    let policy = by_id(&resources, "data.aws_iam_policy_document.deny_insecure");
    assert_eq!(policy.lines_of("statement.resources[1]").start, 84);
    assert_eq!(policy.lines_of("statement.condition.values").start, 93);
    let sg = by_id(&resources, "aws_security_group.web");
    assert_eq!(sg.lines_of("ingress[1].cidr_blocks").start, 21);
    assert_eq!(sg.lines_of("egress.cidr_blocks").start, 29);
    let region = by_id(&resources, "provider.aws");
    assert_eq!(region.lines_of("default_tags.tags").start, 20);
}

#[test]
fn malformed_hcl_is_a_parse_error_on_its_line() {
    let text: Arc<str> = Arc::from("resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"x\"\n  tags = {\n    Name = \"a\"\n  \n}\n");
    let err = parse_text(Format::TERRAFORM, "modules/x/main.tf", &text).unwrap_err();
    let InputError::Parse(parse) = &err else { panic!("not a parse error: {err}") };
    assert_eq!(parse.path, "modules/x/main.tf");
    // The block never closes: the error sits where its `}` should have been.
    assert_eq!(parse.line, 6, "{err}");
    assert!(parse.message.contains("expected"), "{err}");

    let text: Arc<str> = Arc::from("variable \"a\" {}\n\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\" \"y\"\n}\n");
    assert_eq!(parse_text(Format::TERRAFORM, "main.tf", &text).unwrap_err().line(), Some(4));

    let text: Arc<str> = Arc::from("locals {}\nresource \"only_one_label\" {\n}\n");
    let err = parse_text(Format::TERRAFORM, "main.tf", &text).unwrap_err();
    assert_eq!(err.line(), Some(2), "{err}");
    assert!(err.message().contains("2 label"), "{err}");

    let text: Arc<str> = Arc::from("{\n  \"resource\": {\n    \"aws_s3_bucket\": {\n      \"a\": {\"bucket\": \"x\",}\n    \n}\n");
    assert!(matches!(parse_text(Format::TERRAFORM, "main.tf.json", &text), Err(InputError::Parse(_))));
}

#[test]
fn unknown_is_its_own_value() {
    let text: Arc<str> = Arc::from("resource \"a\" \"b\" {\n  x = var.y\n}\n");
    let r = &parse_text(Format::TERRAFORM, "main.tf", &text).unwrap()[0];
    assert_eq!(r.data.get("x").unwrap().value, NodeValue::Unknown("var.y".into()));
}
