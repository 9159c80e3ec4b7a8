//! CloudFormation (and SAM) templates, JSON or YAML: one resource per entry
//! of `Resources`, of kind `cfn:<Type>` (`cfn:AWS::S3::Bucket`), named by its
//! logical id. The data is the whole entry (`Type`, `Properties`,
//! `DependsOn`, `Condition`, …). Short-form YAML tags (`!Ref`, `!GetAtt`,
//! `!Sub`, …) arrive in their long form (`{Ref: x}`, `{"Fn::GetAtt": [a, b]}`)
//! from the YAML parser, so rules see one shape whichever form was written.

use super::{Classifier, Document};
use crate::node::{Node, NodeValue};
use crate::resource::Resource;
use std::collections::BTreeMap;

pub struct CloudFormation;

impl Classifier for CloudFormation {
    fn classify<'a>(&self, doc: Document<'a>) -> Result<Vec<Resource>, Document<'a>> {
        if !is_template(&doc.root) {
            return Err(doc);
        }
        let NodeValue::Object(members) = doc.root.value else { return Ok(Vec::new()) };
        let Some((_, resources)) = members.into_iter().find(|(k, _)| k == "Resources") else { return Ok(Vec::new()) };
        let NodeValue::Object(entries) = resources.value else { return Ok(Vec::new()) };
        Ok(entries
            .into_iter()
            .filter_map(|(logical_id, entry)| {
                let kind = format!("cfn:{}", entry.get_str("Type")?);
                let mut attributes = BTreeMap::new();
                attributes.insert("source".to_string(), "cloudformation".to_string());
                Some(Resource { kind, id: logical_id, path: doc.path.to_string(), lines: entry.lines, data: entry, attributes })
            })
            .collect())
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["cfn:*"]
    }
}

/// A template declares `AWSTemplateFormatVersion`, or has a non-empty
/// `Resources` map whose every entry has a resource `Type` (`A::B::C`) and
/// at least one an AWS or custom type.
fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    let Some(Node { value: NodeValue::Object(entries), .. }) = root.get("Resources") else { return false };
    let types: Option<Vec<&str>> = entries.iter().map(|(_, e)| e.get_str("Type").filter(|t| t.contains("::"))).collect();
    types.is_some_and(|t| t.iter().any(|t| t.starts_with("AWS::") || t.starts_with("Custom::")))
}

#[cfg(test)]
mod tests {
    use crate::{parse_text, Format};
    use std::sync::Arc;

    #[test]
    fn recognises_templates_by_version_or_resource_types() {
        let yes = "Resources:\n  Logs:\n    Type: AWS::S3::Bucket\n  Hook:\n    Type: Custom::Thing\n";
        let r = parse_text(Format::YAML, "t.yaml", &Arc::from(yes)).unwrap();
        assert_eq!(
            r.iter().map(|r| (r.kind.as_str(), r.id.as_str())).collect::<Vec<_>>(),
            [("cfn:AWS::S3::Bucket", "Logs"), ("cfn:Custom::Thing", "Hook")]
        );
        assert_eq!(r[1].lines.start, 4);
        let no = "Resources:\n  Logs:\n    Type: bucket\n";
        assert_eq!(parse_text(Format::YAML, "t.yaml", &Arc::from(no)).unwrap()[0].kind, "yaml:document");
        let empty = "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {}}";
        assert!(parse_text(Format::JSON, "t.json", &Arc::from(empty)).unwrap().is_empty());
    }
}
