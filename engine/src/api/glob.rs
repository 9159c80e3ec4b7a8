//! Glob matching: `glob_match(path, pattern)` via `globset`.
//!
//! `*` and `?` stay within one path segment, `**` crosses segments,
//! `{a,b}` is an alternation and `[abc]` a class; `\` escapes. Compiled
//! globs share the bounded LRU cache design of the regex family.

use super::common::{func, text};
use super::regex::{shown, LruCache, CACHE_CAPACITY, MAX_PATTERN_LEN};
use globset::{GlobBuilder, GlobMatcher};
use rhai::{Dynamic, Engine, EvalAltResult, ImmutableString};
use std::sync::{Arc, LazyLock};

static CACHE: LazyLock<LruCache<Result<Arc<GlobMatcher>, ImmutableString>>> = LazyLock::new(|| LruCache::new(CACHE_CAPACITY));

fn build(pattern: &str) -> Result<Arc<GlobMatcher>, ImmutableString> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(format!("glob pattern `{}` is longer than {MAX_PATTERN_LEN} bytes", shown(pattern)).into());
    }
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map(|g| Arc::new(g.compile_matcher()))
        .map_err(|e| format!("invalid glob pattern `{}`: {}", shown(pattern), e.kind()).into())
}

/// `pattern` compiled (from the cache when possible), or the error a rule gets.
pub fn compile(pattern: &Dynamic) -> Result<Arc<GlobMatcher>, Box<EvalAltResult>> {
    let Some(pattern) = pattern.read_lock::<ImmutableString>().map(|p| p.clone()) else {
        return Err(format!("glob pattern must be a string, not {}", pattern.type_name()).into());
    };
    CACHE.get_or_insert_with(&pattern, || build(&pattern)).map_err(|e| e.to_string().into())
}

pub fn register(engine: &mut Engine) {
    func(
        "glob_match",
        &["path: &str", "pattern: &str", "bool"],
        "Whether `path` matches the glob `pattern` as a whole. `*` and `?` do not cross `/`,\n\
         `**` does (`**/x` also matches `x`), `{a,b}` is either, `[abc]` a class, `\\` escapes.\n\
         `false` if `path` is not a string; an invalid pattern is an error.\n\
         ```rhai\n\
         glob_match(\"modules/vpc/main.tf\", \"**/*.tf\") && !glob_match(\"modules/vpc/main.tf\", \"*.tf\")\n\
         ```",
    )
    .register_into_engine(engine, |path: Dynamic, pattern: Dynamic| -> Result<bool, Box<EvalAltResult>> {
        let glob = compile(&pattern)?;
        Ok(text(&path).is_some_and(|p| glob.is_match(p.as_str())))
    });
}
