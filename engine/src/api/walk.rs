//! Whole-document search: `find_keys` visits every property of a value in
//! Rust, so a rule that hunts for secret-looking keys anywhere in a config
//! does not have to recurse through the document in script. A recursive
//! walk written in Rhai costs an interpreted call, a path string and a type
//! check per node; on large documents it dominated scan time.

use super::common::{func, Budget};
use crate::value::{Arr, Obj};
use rhai::{Array, Dynamic, Engine, EvalAltResult, ImmutableString, Map, NativeCallContext};

/// Deepest level `find_keys` descends to; inputs are capped at 128 already.
const MAX_DEPTH: usize = 128;

/// `parent.key`, or `parent["key"]` when the key is not a plain name, in the
/// property-path syntax findings and `get_path` use.
fn child(parent: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$' || c == '@');
    match (parent.is_empty(), plain) {
        (true, true) => key.to_string(),
        (false, true) => format!("{parent}.{key}"),
        // `parse_path` ends a quoted key only at `"]`, so quotes inside need no escape.
        (_, false) => format!("{parent}[\"{key}\"]"),
    }
}

struct Search<'a> {
    pattern: &'a ::regex::Regex,
    budget: Budget,
    out: Array,
}

impl Search<'_> {
    fn visit(&mut self, v: &Dynamic, path: &str, depth: usize) -> Result<(), Box<EvalAltResult>> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        if let Some(o) = v.read_lock::<Obj>() {
            for (k, value) in o.entries() {
                self.entry(k, value, path, depth)?;
            }
        } else if let Some(m) = v.read_lock::<Map>() {
            for (k, value) in m.iter() {
                self.entry(&ImmutableString::from(k.as_str()), value, path, depth)?;
            }
        } else if let Some(a) = v.read_lock::<Arr>() {
            for (i, item) in a.items().iter().enumerate() {
                self.visit(item, &format!("{path}[{i}]"), depth + 1)?;
            }
        } else if let Some(a) = v.read_lock::<Array>() {
            for (i, item) in a.iter().enumerate() {
                self.visit(item, &format!("{path}[{i}]"), depth + 1)?;
            }
        }
        Ok(())
    }

    fn entry(&mut self, key: &ImmutableString, value: &Dynamic, path: &str, depth: usize) -> Result<(), Box<EvalAltResult>> {
        let at = child(path, key);
        if self.pattern.is_match(key) {
            self.budget.take(at.len() + key.len())?;
            let mut m = Map::new();
            m.insert("path".into(), at.clone().into());
            m.insert("key".into(), key.clone().into());
            m.insert("value".into(), value.clone());
            self.out.push(m.into());
        }
        self.visit(value, &at, depth + 1)
    }
}

fn find_keys(ctx: NativeCallContext, v: Dynamic, pattern: Dynamic) -> Result<Array, Box<EvalAltResult>> {
    let pattern = super::regex::compile(&pattern)?;
    let mut search = Search { pattern: &pattern, budget: Budget::new(&ctx), out: Array::new() };
    search.visit(&v, "", 0)?;
    Ok(search.out)
}

pub fn register(engine: &mut Engine) {
    func(
        "find_keys",
        &["v: ?", "key_pattern: &str", "Array"],
        "Every property anywhere inside `v` whose key matches the regular expression `key_pattern`, in document order, \
         as maps `#{ path, key, value }`: `path` is the property path (for `fail(message, path)`), `value` what it holds \
         (a map or array too, when the key names one). Matching properties are also searched inside. Use `(?i)` for a \
         case-insensitive pattern.\n\
         ```rhai\n\
         let cfg = #{ db: #{ host: \"db\", password: \"hunter2\" }, jobs: [#{ api_token: \"${TOKEN}\" }] };\n\
         let found = find_keys(cfg, \"(?i)password|token\");\n\
         found.len() == 2 && found[0].path == \"db.password\" && found[1].path == \"jobs[0].api_token\" && found[1].key == \"api_token\"\n\
         ```",
    )
    .register_into_engine(engine, find_keys);
}

#[cfg(test)]
mod tests {
    use super::child;

    #[test]
    fn child_paths_quote_keys_that_are_not_plain_names() {
        assert_eq!(child("", "db"), "db");
        assert_eq!(child("spec", "tls-cert"), "spec.tls-cert");
        assert_eq!(child("data", "app.properties"), "data[\"app.properties\"]");
        let odd = child("x", "a \"b\"");
        assert_eq!(odd, "x[\"a \"b\"\"]");
        let steps = tollgate_inputs::node::parse_path(&odd).unwrap();
        assert_eq!(steps[1], tollgate_inputs::node::PathStep::Key("a \"b\"".into()));
    }
}
