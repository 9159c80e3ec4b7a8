//! Version comparison: `version_cmp(a, b)` and `version_lt/le/gt/ge`.
//!
//! A version is an optional `v`, dot-separated numeric parts, an optional
//! `-pre.release` and an optional `+build` (ignored), as in SemVer, but with
//! any number of parts (`1.2` = `1.2.0`, `1.2.3.4`) and parts that may end in
//! letters, compared after the number (`1.1.1` < `1.1.1a` < `1.1.1k`, as
//! OpenSSL numbers its releases). Numbers compare as numbers (`1.2.10` >
//! `1.2.9`) at any length; a pre-release sorts before its release, its
//! identifiers compared as SemVer says.

use super::common::{func, text};
use rhai::{Dynamic, Engine, INT};
use std::cmp::Ordering;

/// Longest version string read, in bytes.
const MAX_LEN: usize = 256;

#[derive(Debug)]
struct Version<'a> {
    /// (digits, letter suffix) per part.
    parts: Vec<(&'a str, &'a str)>,
    pre: Vec<&'a str>,
}

fn parse(s: &str) -> Option<Version<'_>> {
    let s = s.trim();
    if s.len() > MAX_LEN {
        return None;
    }
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let s = s.split_once('+').map_or(s, |(v, _build)| v);
    let (core, pre) = match s.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (s, None),
    };
    let mut parts = Vec::new();
    for part in core.split('.') {
        let split = part.find(|c: char| !c.is_ascii_digit()).unwrap_or(part.len());
        let (digits, suffix) = part.split_at(split);
        if digits.is_empty() || !suffix.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        parts.push((digits, suffix));
    }
    let pre = match pre {
        Some(pre) => {
            let ids: Vec<&str> = pre.split('.').collect();
            if ids.iter().any(|id| id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) {
                return None;
            }
            ids
        }
        None => Vec::new(),
    };
    Some(Version { parts, pre })
}

/// Compares digit strings as numbers of any length.
fn cmp_numeric(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn cmp_pre(a: &[&str], b: &[&str]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    for (x, y) in a.iter().zip(b) {
        let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let order = match (numeric(x), numeric(y)) {
            (true, true) => cmp_numeric(x, y),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => x.cmp(y),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// The order of two version strings, or `None` if either is not a version.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    let (a, b) = (parse(a)?, parse(b)?);
    for i in 0..a.parts.len().max(b.parts.len()) {
        let (x, y) = (a.parts.get(i).copied().unwrap_or(("0", "")), b.parts.get(i).copied().unwrap_or(("0", "")));
        let order = cmp_numeric(x.0, y.0).then_with(|| x.1.cmp(y.1));
        if order != Ordering::Equal {
            return Some(order);
        }
    }
    Some(cmp_pre(&a.pre, &b.pre))
}

/// A version argument: a string, or a number written as one (`3`, `1.5`).
fn version_text(v: &Dynamic) -> Option<String> {
    if let Some(s) = text(v) {
        return Some(s.to_string());
    }
    if let Ok(i) = v.as_int() {
        return Some(i.to_string());
    }
    v.as_float().ok().filter(|f| f.is_finite()).map(|f| f.to_string())
}

fn compare_values(a: &Dynamic, b: &Dynamic) -> Option<Ordering> {
    compare(&version_text(a)?, &version_text(b)?)
}

pub fn register(engine: &mut Engine) {
    func(
        "version_cmp",
        &["a: &str", "b: &str", "int"],
        "`-1`, `0` or `1` as version `a` is older than, the same as, or newer than `b`; `()` if either is not a version.\n\
         Numeric parts compare as numbers, missing parts are 0, a leading `v` and `+build` are ignored,\n\
         a `-pre-release` is older than its release, and letters after a number sort after it (`1.1.1k` > `1.1.1`).\n\
         ```rhai\n\
         version_cmp(\"1.2.10\", \"1.2.9\") == 1 && version_cmp(\"v1.2\", \"1.2.0\") == 0\n\
             && version_cmp(\"1.0.0-rc.1\", \"1.0.0\") == -1 && version_cmp(\"1.0\", \"latest\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |a: Dynamic, b: Dynamic| {
        compare_values(&a, &b).map_or(Dynamic::UNIT, |o| Dynamic::from_int(o as i8 as INT))
    });
    type Comparison = (&'static str, &'static str, fn(Ordering) -> bool, &'static str);
    let comparisons: [Comparison; 4] = [
        (
            "version_lt",
            "older than",
            Ordering::is_lt,
            "version_lt(\"1.2.9\", \"1.2.10\") && !version_lt(\"2.0\", \"2.0.0\") && !version_lt(\"x\", \"1.0\")",
        ),
        (
            "version_le",
            "older than or the same as",
            Ordering::is_le,
            "version_le(\"2.0\", \"2.0.0\") && version_le(\"2.0.0-beta\", \"2.0.0\")",
        ),
        ("version_gt", "newer than", Ordering::is_gt, "version_gt(\"v1.25.3\", \"1.24\") && !version_gt(\"1.0.0-rc.1\", \"1.0.0\")"),
        ("version_ge", "newer than or the same as", Ordering::is_ge, "version_ge(\"1.1.1k\", \"1.1.1\") && version_ge(3, \"3.0\")"),
    ];
    for (name, meaning, test, example) in comparisons {
        let doc = format!(
            "Whether version `a` is {meaning} `b` (see `version_cmp`); `false` if either is not a version.\n```rhai\n{example}\n```"
        );
        func(name, &["a: &str", "b: &str", "bool"], &doc)
            .register_into_engine(engine, move |a: Dynamic, b: Dynamic| compare_values(&a, &b).is_some_and(test));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_precedence() {
        // The SemVer 2.0 example chain.
        let chain =
            ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
        for pair in chain.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Some(Ordering::Less), "{pair:?}");
        }
        assert_eq!(compare("1.0.0+build.5", "1.0.0"), Some(Ordering::Equal));
        assert_eq!(compare("99999999999999999999999.0", "1.0"), Some(Ordering::Greater));
        assert_eq!(compare("1..2", "1.2"), None);
        assert_eq!(compare("1.0-", "1.0"), None);
    }
}
