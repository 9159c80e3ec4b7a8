//! Affected assets: the resources an item fails on, identified by kind and
//! id (never by file, so a moved resource is the same asset), with where
//! they fail as `path:line` text the ledger can read back.

use super::Day;
use crate::result::Location;
use serde::Serialize;
use std::fmt;

/// The identity of an affected asset: the resource, never the file it is in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AssetKey {
    pub kind: String,
    pub id: String,
}

impl fmt::Display for AssetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

/// One affected resource of an item, with where it fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asset {
    pub kind: String,
    pub id: String,
    /// Every failing location, sorted (a resource can fail one rule at several lines).
    pub locations: Vec<Location>,
    /// The rule's message for the first location.
    pub message: String,
    pub first_seen: Day,
}

impl Asset {
    pub fn key(&self) -> AssetKey {
        AssetKey { kind: self.kind.clone(), id: self.id.clone() }
    }

    /// `path:line` (or `path:start-end`) of every location, joined with `, `.
    pub fn where_(&self) -> String {
        self.locations.iter().map(location_text).collect::<Vec<_>>().join(", ")
    }

    /// The FedRAMP "Asset Identifier": `kind id (path:line)`.
    pub fn identifier(&self) -> String {
        if self.locations.is_empty() {
            format!("{} {}", self.kind, self.id)
        } else {
            format!("{} {} ({})", self.kind, self.id, self.where_())
        }
    }
}

/// `path:line` or `path:start-end`.
pub fn location_text(l: &Location) -> String {
    if l.end_line > l.start_line {
        format!("{}:{}-{}", l.path, l.start_line, l.end_line)
    } else {
        format!("{}:{}", l.path, l.start_line)
    }
}

/// Reads [`location_text`] back.
pub fn parse_location(s: &str) -> Option<Location> {
    let (path, lines) = s.rsplit_once(':')?;
    let (start, end) = match lines.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let n = lines.parse().ok()?;
            (n, n)
        }
    };
    (!path.is_empty()).then(|| Location { path: path.to_string(), start_line: start, end_line: end })
}
