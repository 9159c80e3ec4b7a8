//! Shards: one program split across machines, and merged back.
//!
//! Systems are assigned by position in the sorted list of system paths:
//! system `i` (0-based) belongs to shard `i mod N + 1`. Round-robin by sorted
//! position gives shards that differ by at most one system, and spreads
//! neighbouring directories (often one team's similar systems) across
//! machines; it needs only the directory listing, never a system's config,
//! so even a broken system lands on exactly one shard. Adding a system can
//! move others to another shard, which is harmless: every run covers the
//! whole list, and the merge checks it did.
//!
//! A merge checks that every shard is of the same program, Tollgate version,
//! framework, gate and shard count, that each index 1..=N appears once, and
//! that the shards together hold exactly the systems each of them listed.

use super::build::ProgramInput;
use super::model::{ProgramReport, ProgramShard, ShardSpec, REPORT_KIND, SCHEMA_VERSION, SHARD_KIND};
use miette::Diagnostic;
use std::collections::BTreeSet;
use std::str::FromStr;

/// What a `--shard` run writes: its systems' results with the program's
/// identity and `all_systems` (every system path of the program), which
/// [`merge`] checks the shards against.
pub fn package(input: ProgramInput, spec: ShardSpec, all_systems: Vec<String>) -> ProgramShard {
    ProgramShard {
        kind: SHARD_KIND.into(),
        schema_version: SCHEMA_VERSION.into(),
        tool: "tollgate".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        program: input.program,
        scan_time: crate::api::dates::rfc3339(input.scan_time),
        framework: input.framework,
        fail_on: input.fail_on,
        shard: spec,
        all_systems,
        systems: input.systems,
        poam: input.poam,
    }
}

/// Why shards cannot be merged (or a file cannot be read as one).
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum MergeError {
    #[error("{file}: not a program shard: {message}")]
    #[diagnostic(code(tollgate::merge::read), help("pass the files written by `tollgate program DIR --shard I/N -o FILE`"))]
    Read { file: String, message: String },

    #[error("{file}: {what} is {found}, but {first} has {expected}")]
    #[diagnostic(code(tollgate::merge::mismatch), help("every shard must come from the same program, Tollgate version and options"))]
    Mismatch { file: String, what: &'static str, found: String, first: String, expected: String },

    #[error("shard {index}/{count} is given twice: {first} and {second}")]
    #[diagnostic(code(tollgate::merge::duplicate_shard))]
    DuplicateShard { index: u32, count: u32, first: String, second: String },

    #[error("missing shard(s) {} of {count}", missing.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))]
    #[diagnostic(code(tollgate::merge::missing_shard), help("merge needs the output of every shard 1..={count}"))]
    MissingShards { missing: Vec<u32>, count: u32 },

    #[error("{file}: system `{path}` {problem}")]
    #[diagnostic(code(tollgate::merge::systems), help("shards must be run on the same program directory"))]
    Systems { file: String, path: String, problem: String },

    #[error("no shard files given")]
    #[diagnostic(code(tollgate::merge::empty))]
    Empty,
}

impl FromStr for ShardSpec {
    type Err = String;

    /// `I/N`, 1-based: `2/4`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("expected I/N with 1 ≤ I ≤ N (e.g. 2/4), got `{s}`");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(ShardSpec { index, count })
    }
}

impl ShardSpec {
    /// Whether system `position` (0-based, in the sorted path list) is in this shard.
    pub fn owns(self, position: usize) -> bool {
        position % self.count as usize == (self.index - 1) as usize
    }

    /// The paths of `all` (sorted) in this shard.
    pub fn select(self, all: &[String]) -> Vec<String> {
        all.iter().enumerate().filter(|(i, _)| self.owns(*i)).map(|(_, p)| p.clone()).collect()
    }
}

/// Reads a shard file; `file` labels errors.
pub fn parse_shard(file: &str, bytes: &[u8]) -> Result<ProgramShard, MergeError> {
    let read = |message: String| MergeError::Read { file: file.to_string(), message };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| read(format!("invalid JSON: {e}")))?;
    match value.get("kind").and_then(|k| k.as_str()) {
        Some(SHARD_KIND) => {}
        Some(REPORT_KIND) => return Err(read("it is a program report; merge takes shard files".into())),
        other => return Err(read(format!("`kind` is {other:?}, expected \"{SHARD_KIND}\""))),
    }
    serde_json::from_value(value).map_err(|e| read(e.to_string()))
}

/// Reads an earlier program report (for `--previous`); `file` labels errors.
pub fn parse_report(file: &str, bytes: &[u8]) -> Result<ProgramReport, MergeError> {
    let read = |message: String| MergeError::Read { file: file.to_string(), message };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| read(format!("invalid JSON: {e}")))?;
    if value.get("kind").and_then(|k| k.as_str()) != Some(REPORT_KIND) {
        return Err(read(format!("not a program report (`kind` is not \"{REPORT_KIND}\")")));
    }
    serde_json::from_value(value).map_err(|e| read(e.to_string()))
}

/// Checks that `shards` (file label, shard) are the whole program and
/// combines them into the builder's input. The scan time is the earliest shard's.
pub fn merge(shards: Vec<(String, ProgramShard)>) -> Result<ProgramInput, MergeError> {
    let Some((first_file, first)) = shards.first().map(|(f, s)| (f.clone(), s.clone())) else { return Err(MergeError::Empty) };
    let count = first.shard.count;
    let mut by_index: Vec<Option<String>> = vec![None; count as usize];
    let mut scan_time = i64::MAX;
    let (mut systems, mut poam) = (Vec::new(), Vec::new());
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (file, shard) in shards {
        let mismatch = |what: &'static str, found: String, expected: String| MergeError::Mismatch {
            file: file.clone(),
            what,
            found,
            first: first_file.clone(),
            expected,
        };
        let checks: [(&'static str, String, String); 6] = [
            ("the program", format!("{:?}", shard.program), format!("{:?}", first.program)),
            ("the Tollgate version", shard.version.clone(), first.version.clone()),
            ("the schema version", shard.schema_version.clone(), first.schema_version.clone()),
            ("the framework", format!("{:?}", shard.framework), format!("{:?}", first.framework)),
            ("the gate threshold", format!("{:?}", shard.fail_on), format!("{:?}", first.fail_on)),
            ("the shard count", shard.shard.count.to_string(), count.to_string()),
        ];
        if let Some((what, found, expected)) = checks.into_iter().find(|(_, a, b)| a != b) {
            return Err(mismatch(what, found, expected));
        }
        if shard.all_systems != first.all_systems {
            return Err(mismatch("the program's system list", shard.all_systems.join(", "), first.all_systems.join(", ")));
        }
        let index = shard.shard.index;
        if index == 0 || index > count {
            return Err(MergeError::Read { file, message: format!("shard index {index} is not in 1..={count}") });
        }
        if let Some(prev) = by_index[(index - 1) as usize].replace(file.clone()) {
            return Err(MergeError::DuplicateShard { index, count, first: prev, second: file });
        }
        let expected: BTreeSet<String> = shard.shard.select(&shard.all_systems).into_iter().collect();
        let systems_err =
            |path: &str, problem: &str| MergeError::Systems { file: file.clone(), path: path.to_string(), problem: problem.to_string() };
        let mut got = BTreeSet::new();
        for s in &shard.systems {
            if !expected.contains(&s.path) {
                return Err(systems_err(&s.path, &format!("does not belong to shard {index}/{count}")));
            }
            if !got.insert(s.path.clone()) || !seen.insert(s.path.clone()) {
                return Err(systems_err(&s.path, "appears twice"));
            }
        }
        if let Some(missing) = expected.difference(&got).next() {
            return Err(systems_err(missing, &format!("belongs to shard {index}/{count} but is not in it")));
        }
        let time = crate::api::dates::parse_timestamp(&shard.scan_time)
            .ok_or_else(|| MergeError::Read { file: file.clone(), message: format!("scan_time `{}` is not a date", shard.scan_time) })?;
        scan_time = scan_time.min(time);
        systems.extend(shard.systems);
        poam.extend(shard.poam);
    }
    let missing: Vec<u32> = by_index.iter().enumerate().filter(|(_, f)| f.is_none()).map(|(i, _)| i as u32 + 1).collect();
    if !missing.is_empty() {
        return Err(MergeError::MissingShards { missing, count });
    }
    Ok(ProgramInput { program: first.program, scan_time, framework: first.framework, fail_on: first.fail_on, systems, poam })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_partition() {
        assert_eq!("2/3".parse::<ShardSpec>(), Ok(ShardSpec { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "2", "-1/2", ""] {
            assert!(bad.parse::<ShardSpec>().is_err(), "{bad}");
        }
        let all: Vec<String> = (0..7).map(|i| format!("s{i}")).collect();
        let parts: Vec<Vec<String>> = (1..=3).map(|i| ShardSpec { index: i, count: 3 }.select(&all)).collect();
        assert_eq!(parts[0], ["s0", "s3", "s6"]);
        assert_eq!(parts[1], ["s1", "s4"]);
        let mut union: Vec<String> = parts.concat();
        union.sort();
        assert_eq!(union, all, "every system in exactly one shard");
    }

    #[test]
    fn a_report_is_not_a_shard() {
        let err = parse_shard("r.json", br#"{"kind": "tollgate-program-report"}"#).unwrap_err();
        assert!(err.to_string().contains("merge takes shard files"), "{err}");
        assert!(parse_shard("x.json", b"{").is_err());
        assert!(matches!(merge(Vec::new()), Err(MergeError::Empty)));
    }
}
