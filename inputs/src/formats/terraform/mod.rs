//! Terraform configuration: native syntax (`.tf`) and JSON syntax (`.tf.json`).
//!
//! Both syntaxes are read into top-level [`TopBlock`]s, which
//! [`blocks::resources`] turns into resources named by their Terraform
//! address (`aws_s3_bucket.logs`, `data.aws_iam_policy_document.x`,
//! `module.net`). Values that need evaluation (references, function calls,
//! interpolations with references) become [`NodeValue::Unknown`] holding the
//! expression text, so rules can tell "not set" from "set to something only
//! `terraform plan` knows", and can follow references with `refers_to`.
//!
//! A module is its directory: every file of one directory shares an
//! evaluation unit, so a rule can look up resources declared in sibling files.
//!
//! [`NodeValue::Unknown`]: crate::node::NodeValue::Unknown

mod blocks;
mod json_syntax;
mod native;

use crate::error::InputError;
use crate::resource::Resource;
use std::path::Path;
use std::sync::Arc;

pub use blocks::refers_to;

/// Terraform (and OpenTofu) configuration files.
pub struct Terraform;

/// File name suffixes of the native and JSON syntaxes, lower case.
const NATIVE: &[&str] = &[".tf", ".tofu"];
const JSON: &[&str] = &[".tf.json", ".tofu.json"];

fn ends_with_any(name: &str, suffixes: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    suffixes.iter().any(|s| lower.ends_with(s) && lower.len() > s.len())
}

impl super::Parser for Terraform {
    fn comment_prefixes(&self) -> &'static [&'static str] {
        &["#", "//", "/*"]
    }

    fn name(&self) -> &'static str {
        "terraform"
    }

    fn detect(&self, path: &Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        ends_with_any(name, NATIVE) || ends_with_any(name, JSON)
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<Resource>, InputError> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (syntax, top) =
            if ends_with_any(name, JSON) { ("hcl-json", json_syntax::parse(path, text)?) } else { ("hcl", native::parse(path, text)?) };
        blocks::resources(path, text, syntax, &module_dir(path), top)
    }

    fn unit(&self, path: &str) -> Option<String> {
        Some(format!("terraform:{}", module_dir(path)))
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["terraform:*"]
    }
}

/// The directory of a file (`.` for the scan root): the module it belongs to.
pub(crate) fn module_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) if !dir.is_empty() => dir.to_string(),
        _ => ".".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::Parser;

    #[test]
    fn detects_both_syntaxes_and_groups_by_directory() {
        let t = Terraform;
        assert!(t.detect(Path::new("modules/net/main.tf")));
        assert!(t.detect(Path::new("x/override.tf.json")));
        assert!(t.detect(Path::new("MAIN.TF")));
        assert!(!t.detect(Path::new("main.tfvars")));
        assert!(!t.detect(Path::new("x.json")));
        assert!(!t.detect(Path::new(".tf")));
        assert_eq!(t.unit("modules/net/main.tf"), t.unit("modules/net/vars.tf.json"));
        assert_ne!(t.unit("main.tf"), t.unit("modules/net/main.tf"));
        assert_eq!(module_dir("main.tf"), ".");
    }
}
