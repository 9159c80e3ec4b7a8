//! Safe property access by path: `get_path(v, "spec.containers[0].image")`,
//! `get_path(v, path, default)` and `has_path(v, path)`. Missing steps give
//! `()` (or the default) instead of an error, so rules stay short.

use rhai::{Array, Dynamic, Engine, ImmutableString, Map};
use tollgate_inputs::node::{parse_path, PathStep};

/// The value at `path` inside `root`, if every step exists.
pub fn lookup(root: &Dynamic, path: &str) -> Option<Dynamic> {
    let steps = parse_path(path)?;
    let mut current = root.clone();
    for step in steps {
        current = match step {
            PathStep::Key(k) => current.read_lock::<Map>()?.get(k.as_str())?.clone(),
            PathStep::Index(i) => current.read_lock::<Array>()?.get(i)?.clone(),
        };
    }
    Some(current)
}

pub fn register(engine: &mut Engine) {
    engine.register_fn("get_path", |root: Dynamic, path: ImmutableString| lookup(&root, &path).unwrap_or(Dynamic::UNIT));
    engine.register_fn("get_path", |root: Dynamic, path: ImmutableString, default: Dynamic| {
        lookup(&root, &path).filter(|v| !v.is_unit()).unwrap_or(default)
    });
    engine.register_fn("has_path", |root: Dynamic, path: ImmutableString| lookup(&root, &path).is_some_and(|v| !v.is_unit()));
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
