//! Safe property access by path: `get_path(v, "spec.containers[0].image")`,
//! `get_path(v, path, default)` and `has_path(v, path)`. Missing steps give
//! `()` (or the default) instead of an error, so rules stay short.
//!
//! Presence tests: `exists(v)` / `missing(v)` look only at `()` (a missing
//! property or a null): an empty string, array or map, `false` and `0`
//! exist. `blank(v)` is the looser "nothing useful here": `()`, a string of
//! only whitespace, an empty array or an empty map.

use super::common::func;
use crate::convert::Fnv;
use crate::value::{Arr, Obj};
use rhai::{Array, Dynamic, Engine, ImmutableString, Map};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;
use tollgate_inputs::node::{parse_path, PathStep};

/// The value at `path` inside `root`, if every step exists. Works on the
/// read-only views rules receive and on maps and arrays a rule built itself;
/// stepping through views copies pointers only.
pub fn lookup(root: &Dynamic, path: &str) -> Option<Dynamic> {
    with_steps(path, |steps| {
        let mut current = root.clone();
        for step in steps? {
            current = child(&current, step)?;
        }
        Some(current)
    })
}

/// Paths a thread keeps parsed, and the longest path worth keeping.
const PATH_CACHE_MAX: usize = 1024;
const PATH_MAX_LEN: usize = 256;

/// Parsed paths by text (`None`: malformed).
type PathCache = HashMap<Box<str>, Option<Rc<[PathStep]>>, BuildHasherDefault<Fnv>>;

thread_local! {
    /// Parsed paths by text. Rules pass the same few literal paths to
    /// `get_path` and `has_path` on every resource; parsing them each time
    /// allocated a step list and a string per key.
    static PATHS: RefCell<PathCache> = RefCell::default();
}

/// Calls `f` with the steps of `path` (`None` when it is malformed).
fn with_steps<T>(path: &str, f: impl FnOnce(Option<&[PathStep]>) -> T) -> T {
    if path.len() > PATH_MAX_LEN {
        return f(parse_path(path).as_deref());
    }
    let steps = PATHS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(steps) = cache.get(path) {
            return steps.clone();
        }
        let steps: Option<Rc<[PathStep]>> = parse_path(path).map(Rc::from);
        if cache.len() >= PATH_CACHE_MAX {
            cache.clear();
        }
        cache.insert(path.into(), steps.clone());
        steps
    });
    f(steps.as_deref())
}

fn child(current: &Dynamic, step: &PathStep) -> Option<Dynamic> {
    match step {
        PathStep::Key(k) => match current.read_lock::<Obj>() {
            Some(o) => o.get(k).cloned(),
            None => current.read_lock::<Map>()?.get(k.as_str()).cloned(),
        },
        PathStep::Index(i) => match current.read_lock::<Arr>() {
            Some(a) => a.items().get(*i).cloned(),
            None => current.read_lock::<Array>()?.get(*i).cloned(),
        },
    }
}

/// Whether `v` is `()`, a blank string, or an empty array or map.
pub fn is_blank(v: &Dynamic) -> bool {
    if v.is_unit() {
        return true;
    }
    if let Some(s) = v.read_lock::<ImmutableString>() {
        return s.trim().is_empty();
    }
    if let Some(a) = v.read_lock::<Arr>() {
        return a.items().is_empty();
    }
    if let Some(o) = v.read_lock::<Obj>() {
        return o.entries().is_empty();
    }
    if let Some(a) = v.read_lock::<Array>() {
        return a.is_empty();
    }
    v.read_lock::<Map>().is_some_and(|m| m.is_empty())
}

pub fn register(engine: &mut Engine) {
    func(
        "get_path",
        &["v: ?", "path: &str", "?"],
        "The value at `path` inside `v` (keys, `[index]`, `[\"quoted.key\"]`), or `()` if any step is missing.\n\
         ```rhai\n\
         let pod = #{ spec: #{ containers: [#{ image: \"nginx\" }] } };\n\
         get_path(pod, \"spec.containers[0].image\") == \"nginx\" && get_path(pod, \"spec.volumes[0]\") == ()\n\
         ```",
    )
    .register_into_engine(engine, |root: Dynamic, path: ImmutableString| lookup(&root, &path).unwrap_or(Dynamic::UNIT));
    func(
        "get_path",
        &["v: ?", "path: &str", "default: ?", "?"],
        "The value at `path` inside `v`, or `default` if any step is missing or the value is `()`.\n\
         ```rhai\n\
         get_path(#{ spec: #{} }, \"spec.replicas\", 1) == 1\n\
         ```",
    )
    .register_into_engine(engine, |root: Dynamic, path: ImmutableString, default: Dynamic| {
        lookup(&root, &path).filter(|v| !v.is_unit()).unwrap_or(default)
    });
    func(
        "has_path",
        &["v: ?", "path: &str", "bool"],
        "Whether `path` exists inside `v` and its value is not `()`.\n\
         ```rhai\n\
         has_path(#{ a: #{ b: 0 } }, \"a.b\") && !has_path(#{ a: #{ b: () } }, \"a.b\")\n\
         ```",
    )
    .register_into_engine(engine, |root: Dynamic, path: ImmutableString| lookup(&root, &path).is_some_and(|v| !v.is_unit()));
    func(
        "exists",
        &["v: ?", "bool"],
        "Whether `v` is present: anything but `()` (a missing property or a null).\n\
         An empty string, array or map, `false` and `0` exist; see `blank` for a looser test.\n\
         ```rhai\n\
         let r = #{ tags: #{}, enabled: false };\n\
         exists(r.tags) && exists(r.enabled) && !exists(r.owner)\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| !v.is_unit());
    func(
        "missing",
        &["v: ?", "bool"],
        "Whether `v` is `()` (a missing property or a null): the opposite of `exists`.\n\
         ```rhai\n\
         let r = #{ kms_key_id: () };\n\
         missing(r.kms_key_id) && missing(r.other) && !missing(\"\")\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| v.is_unit());
    func(
        "blank",
        &["v: ?", "bool"],
        "Whether `v` holds nothing useful: `()`, a string of only whitespace, an empty array or an empty map.\n\
         `false` and `0` are not blank.\n\
         ```rhai\n\
         blank(()) && blank(\"  \") && blank([]) && blank(#{}) && !blank(0) && !blank(false) && !blank(\"x\")\n\
         ```",
    )
    .register_into_engine(engine, |v: Dynamic| is_blank(&v));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_follow_keys_and_indexes() {
        let engine = crate::sandbox::build_engine(&crate::Limits::default());
        let v: Dynamic = engine.eval(r#"#{ spec: #{ containers: [ #{ image: "nginx" } ] } }"#).unwrap();
        assert_eq!(lookup(&v, "spec.containers[0].image").unwrap().into_string().unwrap(), "nginx");
        assert!(lookup(&v, "spec.containers[1]").is_none());
        let got: String =
            engine.eval(r#"let v = #{a: #{b: 1}}; `${get_path(v, "a.b")}|${get_path(v, "a.c", "d")}|${has_path(v, "a.x")}`"#).unwrap();
        assert_eq!(got, "1|d|false");
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;

    #[test]
    fn cached_paths_give_the_same_answers() {
        let engine = crate::sandbox::build_engine(&crate::Limits::default());
        let v: Dynamic = engine.eval(r#"#{ a: #{ "b.c": [10, 20] } }"#).unwrap();
        for _ in 0..3 {
            assert_eq!(lookup(&v, r#"a["b.c"][1]"#).unwrap().as_int().unwrap(), 20);
            assert!(lookup(&v, "a.missing").is_none());
            // Malformed paths find nothing, cached or not.
            assert!(lookup(&v, "a[").is_none());
            assert!(lookup(&v, "a[x]").is_none());
        }
        let long = format!("a{}", ".x".repeat(PATH_MAX_LEN));
        assert!(lookup(&v, &long).is_none());
    }
}
