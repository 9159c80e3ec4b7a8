//! Regular expressions: `matches(s, pattern)`, `capture(s, pattern)`,
//! `captures_all(s, pattern)`.
//!
//! Patterns and inputs are untrusted, so this uses the `regex` crate, whose
//! matching time is linear in the input (no backtracking, no look-around,
//! no back-references). Compiled programs are bounded by a size limit and
//! patterns by length; compiled regexes are kept in a small process-wide
//! LRU cache, as a rule calls the same few patterns on every resource.
//!
//! An invalid pattern is the rule author's bug and raises an error naming
//! the pattern; a subject that is not a string is simply no match.

use super::common::{func, text, Budget};
use ::regex::{Regex, RegexBuilder};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, NativeCallContext};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

/// Longest accepted pattern, in bytes.
pub const MAX_PATTERN_LEN: usize = 4096;
/// Limit on a compiled program's heap size (`RegexBuilder::size_limit`).
pub const COMPILED_SIZE_LIMIT: usize = 1 << 20;
/// Limit on the lazy DFA's cache per regex (`RegexBuilder::dfa_size_limit`).
pub const DFA_SIZE_LIMIT: usize = 1 << 20;
/// Compiled regexes kept; the least recently used is dropped past this.
pub const CACHE_CAPACITY: usize = 256;

/// A bounded map from pattern text to a compiled value, least recently used
/// evicted first. Lookups take a short lock; compilation happens outside it.
pub struct LruCache<V> {
    capacity: usize,
    inner: Mutex<LruInner<V>>,
}

struct LruInner<V> {
    tick: u64,
    entries: HashMap<Box<str>, (V, u64)>,
}

impl<V: Clone> LruCache<V> {
    pub fn new(capacity: usize) -> Self {
        LruCache { capacity: capacity.max(1), inner: Mutex::new(LruInner { tick: 0, entries: HashMap::new() }) }
    }

    /// The cached value for `key`, or `make()`'s, which is then cached.
    pub fn get_or_insert_with(&self, key: &str, make: impl FnOnce() -> V) -> V {
        {
            let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            inner.tick += 1;
            let tick = inner.tick;
            if let Some((value, used)) = inner.entries.get_mut(key) {
                *used = tick;
                return value.clone();
            }
        }
        let value = make();
        let mut inner = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(key) {
            let oldest = inner.entries.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone());
            if let Some(oldest) = oldest {
                inner.entries.remove(&oldest);
            }
        }
        let tick = inner.tick;
        inner.entries.insert(key.into(), (value.clone(), tick));
        value
    }

    pub fn len(&self) -> usize {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The compiled-regex cache (errors are cached too, so a bad pattern is not
/// recompiled for every resource).
pub static CACHE: LazyLock<LruCache<Result<Arc<Regex>, ImmutableString>>> = LazyLock::new(|| LruCache::new(CACHE_CAPACITY));

/// A pattern shortened for error messages.
pub fn shown(pattern: &str) -> String {
    match pattern.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &pattern[..end]),
        None => pattern.to_string(),
    }
}

fn build(pattern: &str) -> Result<Arc<Regex>, ImmutableString> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(format!("regex pattern `{}` is longer than {MAX_PATTERN_LEN} bytes", shown(pattern)).into());
    }
    let built = RegexBuilder::new(pattern).size_limit(COMPILED_SIZE_LIMIT).dfa_size_limit(DFA_SIZE_LIMIT).nest_limit(64).build();
    built.map(Arc::new).map_err(|e| format!("invalid regex pattern `{}`: {}", shown(pattern), reason(&e)).into())
}

/// A one-line reason: syntax errors repeat the pattern with a caret, so
/// only their last line is kept.
fn reason(e: &::regex::Error) -> String {
    match e {
        ::regex::Error::CompiledTooBig(limit) => format!("compiled regex exceeds the size limit of {limit} bytes"),
        other => other.to_string().lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid").trim().to_string(),
    }
}

/// `pattern` compiled (from the cache when possible), or the error a rule gets.
pub fn compile(pattern: &Dynamic) -> Result<Arc<Regex>, Box<EvalAltResult>> {
    let Some(pattern) = pattern.read_lock::<ImmutableString>().map(|p| p.clone()) else {
        return Err(format!("regex pattern must be a string, not {}", pattern.type_name()).into());
    };
    CACHE.get_or_insert_with(&pattern, || build(&pattern)).map_err(|e| e.to_string().into())
}

/// The groups of one match: the whole match first, then each group (`()`
/// where a group did not take part).
fn groups(caps: &::regex::Captures, budget: &mut Budget) -> Result<Array, Box<EvalAltResult>> {
    let mut out = Array::with_capacity(caps.len());
    for group in caps.iter() {
        budget.take(group.map_or(0, |m| m.len()))?;
        out.push(group.map_or(Dynamic::UNIT, |m| Dynamic::from(m.as_str().to_string())));
    }
    Ok(out)
}

fn capture(ctx: NativeCallContext, s: Dynamic, pattern: Dynamic) -> Result<Dynamic, Box<EvalAltResult>> {
    let re = compile(&pattern)?;
    let Some(s) = text(&s) else { return Ok(Dynamic::UNIT) };
    match re.captures(&s) {
        Some(caps) => Ok(Dynamic::from_array(groups(&caps, &mut Budget::new(&ctx))?)),
        None => Ok(Dynamic::UNIT),
    }
}

fn captures_all(ctx: NativeCallContext, s: Dynamic, pattern: Dynamic) -> Result<Array, Box<EvalAltResult>> {
    let re = compile(&pattern)?;
    let Some(s) = text(&s) else { return Ok(Array::new()) };
    let mut budget = Budget::new(&ctx);
    let mut out = Array::new();
    for caps in re.captures_iter(&s) {
        budget.take(0)?;
        out.push(Dynamic::from_array(groups(&caps, &mut budget)?));
    }
    Ok(out)
}

pub fn register(engine: &mut Engine) {
    func(
        "matches",
        &["s: &str", "pattern: &str", "bool"],
        "Whether the regular expression `pattern` matches anywhere in `s` (anchor with `^…$` for a whole-string match).\n\
         Syntax: the Rust `regex` crate (no look-around or back-references; `(?i)` for case-insensitive).\n\
         `false` if `s` is not a string; an invalid pattern is an error.\n\
         ```rhai\n\
         matches(\"nginx:1.25\", `:\\d+(\\.\\d+)*$`) && !matches(\"nginx:latest\", `:\\d`) && !matches((), \"x\")\n\
         ```",
    )
    .register_into_engine(engine, |s: Dynamic, pattern: Dynamic| -> Result<bool, Box<EvalAltResult>> {
        let re = compile(&pattern)?;
        Ok(text(&s).is_some_and(|s| re.is_match(&s)))
    });
    func(
        "capture",
        &["s: &str", "pattern: &str", "?"],
        "The first match of `pattern` in `s` as an array: the whole match, then each group\n\
         (`()` for a group that did not take part). `()` if nothing matches or `s` is not a string.\n\
         ```rhai\n\
         capture(\"registry.example.com/app:2.4\", `^([^/]+)/(.+):(.+)$`) == [\"registry.example.com/app:2.4\", \"registry.example.com\", \"app\", \"2.4\"]\n\
         ```",
    )
    .register_into_engine(engine, capture);
    func(
        "captures_all",
        &["s: &str", "pattern: &str", "Array"],
        "Every non-overlapping match of `pattern` in `s`, each as `capture` returns it. `[]` if none.\n\
         ```rhai\n\
         captures_all(\"a=1 b=22\", `(\\w)=(\\d+)`) == [[\"a=1\", \"a\", \"1\"], [\"b=22\", \"b\", \"22\"]]\n\
         ```",
    )
    .register_into_engine(engine, captures_all);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lru_evicts_the_least_recently_used() {
        let cache = LruCache::new(2);
        assert_eq!(cache.get_or_insert_with("a", || 1), 1);
        assert_eq!(cache.get_or_insert_with("b", || 2), 2);
        assert_eq!(cache.get_or_insert_with("a", || 99), 1);
        assert_eq!(cache.get_or_insert_with("c", || 3), 3);
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get_or_insert_with("a", || 99), 1);
        assert_eq!(cache.get_or_insert_with("b", || 4), 4);
    }

    #[test]
    fn oversized_patterns_are_refused() {
        assert!(build(&"a".repeat(MAX_PATTERN_LEN + 1)).unwrap_err().contains("longer than"));
        assert!(build(r"\w{1000}\w{1000}").unwrap_err().contains("size limit"));
        assert!(build("(").unwrap_err().contains("unclosed group"));
    }
}
