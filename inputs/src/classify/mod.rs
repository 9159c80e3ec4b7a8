//! From parsed documents to typed resources.
//!
//! JSON and YAML carry many kinds of configuration: Kubernetes objects,
//! CloudFormation templates, Terraform plans, cloud account exports. Each
//! [`Classifier`] recognises one by content and splits it into resources; the
//! first that claims a document wins, and documents no classifier claims
//! become generic `json:document` / `yaml:document` / `toml:document`
//! resources, so rules can still target them (by path glob, for instance).

pub mod aws;
pub mod cloudformation;
pub mod generic;
pub mod k8s;
pub mod tfplan;

use crate::node::Node;
use crate::resource::Resource;

/// One parsed document and where it came from.
#[derive(Debug)]
pub struct Document<'a> {
    /// Family of the parser that read it: `json`, `yaml`, `toml`.
    pub format: &'a str,
    /// File path relative to the scan root.
    pub path: &'a str,
    /// Position of the document in its stream (0 for single-document formats).
    pub index: usize,
    /// Whether the file held more than one document.
    pub multi: bool,
    pub root: Node,
}

impl Document<'_> {
    /// The file's own name, the last path segment.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }
}

/// Recognises one kind of document. Returns the document unchanged when it is
/// not of that kind, so the next classifier can look at it.
pub trait Classifier: Sync {
    fn classify<'a>(&self, doc: Document<'a>) -> Result<Vec<Resource>, Document<'a>>;
    /// Kind patterns this classifier produces (`k8s:*`), for `rules lint`.
    fn kinds(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Content classifiers, most specific first.
static CLASSIFIERS: &[&dyn Classifier] = &[&tfplan::TerraformPlan, &cloudformation::CloudFormation, &aws::Aws, &k8s::Kubernetes];

/// Kind patterns every classifier can produce, generic ones included.
pub fn kinds() -> Vec<&'static str> {
    let mut out: Vec<&str> = CLASSIFIERS.iter().flat_map(|c| c.kinds().iter().copied()).collect();
    out.extend(generic::KINDS);
    out
}

/// Resources of one document: from the first classifier that claims it, or generic.
pub fn classify(doc: Document<'_>) -> Vec<Resource> {
    let mut doc = doc;
    for c in CLASSIFIERS {
        match c.classify(doc) {
            Ok(resources) => return resources,
            Err(unclaimed) => doc = unclaimed,
        }
    }
    generic::resource(doc)
}
