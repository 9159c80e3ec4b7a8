//! Baselines: accept today's failures so a gate fails only on new ones.
//!
//! `tollgate baseline create -o FILE` records the fingerprint of every
//! failure ([`Finding::fingerprint`]: rule, resource kind, resource id, file
//! path and property path, with no line numbers, so edits that move code do
//! not make old findings new). `tollgate scan --baseline FILE` marks failures
//! found in the file as `baselined`: they are still reported, but do not fail
//! the gate. Matching counts: if the baseline holds one failure with a given
//! fingerprint and the scan finds two, one of them is new. Recorded failures
//! that are gone are counted as `absent` (fixed since the baseline).
//!
//! The file is JSON, sorted, one entry per failure with the fields the
//! fingerprint hashes, so a baseline change reads well in code review.

use crate::result::{Finding, ScanReport, Status};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// `kind` of a baseline file.
pub const KIND: &str = "tollgate-baseline";
/// Format version this build writes and reads.
pub const VERSION: u32 = 1;

/// A baseline file as written on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub kind: String,
    pub version: u32,
    /// Version of Tollgate that wrote it.
    pub tool_version: String,
    /// Scan time of the run it records (RFC 3339, UTC).
    pub created: String,
    pub findings: Vec<BaselineEntry>,
}

/// One recorded failure. Only `fingerprint` is matched; the rest say what it was.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub path: String,
    pub rule_id: String,
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    pub fingerprint: String,
    pub message: String,
}

/// How a scan's failures compare with a baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// The baseline file as the user named it.
    pub path: String,
    /// Failures the file records.
    pub recorded: usize,
    /// Failures found again (`baselined`: reported, not gating).
    pub unchanged: usize,
    /// Failures not in the baseline.
    pub new: usize,
    /// Recorded failures this scan no longer finds (in a partial scan, only
    /// among the files it read).
    pub absent: usize,
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum BaselineError {
    #[error("cannot read baseline {path}: {message}")]
    #[diagnostic(code(tollgate::baseline::io))]
    Io { path: String, message: String },

    #[error("{path} is not a Tollgate baseline: {message}")]
    #[diagnostic(code(tollgate::baseline::parse), help("create one with `tollgate baseline create -o {path}`"))]
    Parse {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{message}")]
        span: SourceSpan,
    },
}

impl BaselineFile {
    /// Records every failure of `report` (suppressed findings are not failures).
    pub fn from_report(report: &ScanReport) -> BaselineFile {
        let mut findings: Vec<BaselineEntry> = report.findings.iter().filter(|f| f.status == Status::Fail).map(entry).collect();
        findings.sort();
        BaselineFile {
            kind: KIND.into(),
            version: VERSION,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            created: crate::api::dates::rfc3339(report.scan_time),
            findings,
        }
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("baseline serializes");
        s.push('\n');
        s
    }

    /// Reads and checks a baseline file.
    pub fn load(path: &Path) -> Result<BaselineFile, BaselineError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Io { path: name.clone(), message: e.to_string() })?;
        BaselineFile::parse(&name, Arc::from(text))
    }

    /// Parses baseline JSON; errors point at the offending line.
    pub fn parse(name: &str, text: Arc<str>) -> Result<BaselineFile, BaselineError> {
        let at = |line: usize, column: usize, message: String| {
            let offset = crate::poam::error::offset_of(&text, line, column);
            BaselineError::Parse { path: name.into(), message, src: NamedSource::new(name, Arc::clone(&text)), span: (offset, 0).into() }
        };
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| at(e.line(), e.column(), e.to_string()))?;
        if file.kind != KIND {
            return Err(at(1, 1, format!("`kind` is {:?}, expected {KIND:?}", file.kind)));
        }
        if file.version != VERSION {
            return Err(at(1, 1, format!("baseline version {} is not supported (this build reads version {VERSION})", file.version)));
        }
        Ok(file)
    }

    /// Marks the failures of `report` that this baseline records and says how
    /// they compare. `scanned` names the files a partial scan read: recorded
    /// failures elsewhere were not looked for, so they are not counted absent.
    pub fn apply(&self, report: &mut ScanReport, path: &str, scanned: Option<&HashSet<String>>) -> BaselineSummary {
        let mut remaining: HashMap<&str, usize> = HashMap::new();
        for e in self.findings.iter().filter(|e| scanned.is_none_or(|files| files.contains(&e.path))) {
            *remaining.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let (mut unchanged, mut new) = (0, 0);
        for f in report.findings.iter_mut().filter(|f| f.status == Status::Fail) {
            match remaining.get_mut(f.fingerprint().as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    f.baselined = true;
                    unchanged += 1;
                }
                _ => new += 1,
            }
        }
        let summary =
            BaselineSummary { path: path.into(), recorded: self.findings.len(), unchanged, new, absent: remaining.values().sum() };
        report.baseline = Some(summary.clone());
        summary
    }
}

fn entry(f: &Finding) -> BaselineEntry {
    let (kind, id) = f.resource.as_ref().map_or((String::new(), String::new()), |r| (r.kind.clone(), r.id.clone()));
    BaselineEntry {
        path: f.location.as_ref().map(|l| l.path.clone()).unwrap_or_default(),
        rule_id: f.rule.id.clone(),
        kind,
        id,
        property: f.property_path.clone(),
        fingerprint: f.fingerprint(),
        message: f.message.clone(),
    }
}
