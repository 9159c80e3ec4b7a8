//! AWS account exports: the JSON (or YAML) the AWS CLI prints for the calls an
//! assessor makes. Each item of a collection becomes one resource whose data
//! is the item as AWS returned it, with the item's lines:
//!
//! | command | top-level key | kind | id |
//! |---|---|---|---|
//! | `aws iam get-account-password-policy` | `PasswordPolicy` | `aws:iam_password_policy` | `account` |
//! | `aws cloudtrail describe-trails` | `trailList` | `aws:cloudtrail_trail` | `Name` (else `TrailARN`) |
//! | `aws s3api list-buckets` | `Buckets` | `aws:s3_bucket` | `Name` |
//! | `aws ec2 describe-security-groups` | `SecurityGroups` | `aws:ec2_security_group` | `GroupId` |
//! | `aws rds describe-db-instances` | `DBInstances` | `aws:rds_db_instance` | `DBInstanceIdentifier` |
//! | `aws kms list-keys` | `Keys` | `aws:kms_key` | `KeyId` |
//! | `aws kms describe-key` | `KeyMetadata` | `aws:kms_key` | `KeyId` |
//! | `aws iam list-users` | `Users` | `aws:iam_user` | `UserName` |
//!
//! A document is claimed only when its top-level keys are the collection and
//! the CLI's paging and owner keys, and every item has its id field, so that
//! an unrelated `{"Users": [...]}` stays a generic document.

use super::{Classifier, Document};
use crate::node::{Node, NodeValue};
use crate::resource::Resource;
use std::collections::BTreeMap;

pub struct Aws;

/// One AWS CLI output shape.
struct Shape {
    key: &'static str,
    kind: &'static str,
    /// Fields tried in order for the id; the first must be present.
    id: &'static [&'static str],
    command: &'static str,
    /// Whether `key` holds one item (an object) rather than a list.
    single: bool,
}

const SHAPES: &[Shape] = &[
    Shape { key: "PasswordPolicy", kind: "aws:iam_password_policy", id: &[], command: "aws iam get-account-password-policy", single: true },
    Shape {
        key: "trailList",
        kind: "aws:cloudtrail_trail",
        id: &["Name", "TrailARN"],
        command: "aws cloudtrail describe-trails",
        single: false,
    },
    Shape { key: "Buckets", kind: "aws:s3_bucket", id: &["Name"], command: "aws s3api list-buckets", single: false },
    Shape {
        key: "SecurityGroups",
        kind: "aws:ec2_security_group",
        id: &["GroupId"],
        command: "aws ec2 describe-security-groups",
        single: false,
    },
    Shape {
        key: "DBInstances",
        kind: "aws:rds_db_instance",
        id: &["DBInstanceIdentifier"],
        command: "aws rds describe-db-instances",
        single: false,
    },
    Shape { key: "Keys", kind: "aws:kms_key", id: &["KeyId"], command: "aws kms list-keys", single: false },
    Shape { key: "KeyMetadata", kind: "aws:kms_key", id: &["KeyId"], command: "aws kms describe-key", single: true },
    Shape { key: "Users", kind: "aws:iam_user", id: &["UserName"], command: "aws iam list-users", single: false },
];

/// Top-level keys the CLI prints beside a collection.
const PAGING: &[&str] = &["NextToken", "Marker", "IsTruncated", "NextMarker", "ContinuationToken", "Prefix", "Owner", "ResponseMetadata"];

/// Fields that hold an item's ARN, copied to the `arn` attribute.
const ARN_FIELDS: &[&str] = &["Arn", "TrailARN", "KeyArn", "DBInstanceArn", "SecurityGroupArn"];

/// Fields that hold a friendly name, copied to the `name` attribute.
const NAME_FIELDS: &[&str] = &["GroupName", "UserName", "Name"];

fn shape_of(root: &Node) -> Option<&'static Shape> {
    let NodeValue::Object(members) = &root.value else { return None };
    let shape = SHAPES.iter().find(|s| members.iter().any(|(k, _)| k == s.key))?;
    if !members.iter().all(|(k, _)| k == shape.key || PAGING.contains(&k.as_str())) {
        return None;
    }
    let has_id = |item: &Node| shape.id.first().is_none_or(|f| item.get_str(f).is_some());
    match &root.get(shape.key)?.value {
        NodeValue::Object(_) if shape.single => has_id(root.get(shape.key)?).then_some(shape),
        NodeValue::Array(items) if !shape.single => {
            items.iter().all(|i| matches!(i.value, NodeValue::Object(_)) && has_id(i)).then_some(shape)
        }
        _ => None,
    }
}

fn resource(shape: &Shape, path: &str, item: Node) -> Resource {
    let id = shape.id.iter().find_map(|f| item.get_str(f)).unwrap_or("account").to_string();
    let mut attributes = BTreeMap::new();
    attributes.insert("source".to_string(), shape.command.to_string());
    if let Some(arn) = ARN_FIELDS.iter().find_map(|f| item.get_str(f)) {
        attributes.insert("arn".to_string(), arn.to_string());
    }
    if let Some(name) = NAME_FIELDS.iter().find_map(|f| item.get_str(f)) {
        attributes.insert("name".to_string(), name.to_string());
    }
    if let Some(vpc) = item.get_str("VpcId") {
        attributes.insert("vpc_id".to_string(), vpc.to_string());
    }
    Resource { kind: shape.kind.to_string(), id, path: path.to_string(), lines: item.lines, data: item, attributes }
}

impl Classifier for Aws {
    fn classify<'a>(&self, doc: Document<'a>) -> Result<Vec<Resource>, Document<'a>> {
        let Some(shape) = shape_of(&doc.root) else { return Err(doc) };
        let NodeValue::Object(members) = doc.root.value else { return Ok(Vec::new()) };
        let Some((_, value)) = members.into_iter().find(|(k, _)| k == shape.key) else { return Ok(Vec::new()) };
        Ok(match value.value {
            NodeValue::Array(items) => items.into_iter().map(|item| resource(shape, doc.path, item)).collect(),
            _ => vec![resource(shape, doc.path, value)],
        })
    }

    fn kinds(&self) -> &'static [&'static str] {
        &[
            "aws:iam_password_policy",
            "aws:cloudtrail_trail",
            "aws:s3_bucket",
            "aws:ec2_security_group",
            "aws:rds_db_instance",
            "aws:kms_key",
            "aws:iam_user",
        ]
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse_text, Format};
    use std::sync::Arc;

    fn kinds(text: &str) -> Vec<(String, String, u32)> {
        let r = parse_text(Format::JSON, "out.json", &Arc::from(text)).unwrap();
        r.into_iter().map(|r| (r.kind, r.id, r.lines.start)).collect()
    }

    #[test]
    fn claims_cli_shapes_only() {
        assert_eq!(
            kinds("{\"PasswordPolicy\": {\"MinimumPasswordLength\": 14}}"),
            vec![("aws:iam_password_policy".into(), "account".into(), 1)]
        );
        assert_eq!(
            kinds("{\n\"Buckets\": [\n{\"Name\": \"a\"},\n{\"Name\": \"b\"}\n],\n\"Owner\": {\"ID\": \"x\"}\n}"),
            vec![("aws:s3_bucket".into(), "a".into(), 3), ("aws:s3_bucket".into(), "b".into(), 4)]
        );
        assert_eq!(kinds("{\"KeyMetadata\": {\"KeyId\": \"k1\"}}")[0].0, "aws:kms_key");
        assert_eq!(kinds("{\"Users\": [{\"name\": \"x\"}]}")[0].0, "json:document");
        assert_eq!(kinds("{\"Users\": [], \"other\": 1}")[0].0, "json:document");
        assert!(kinds("{\"Users\": []}").is_empty());
    }
}
