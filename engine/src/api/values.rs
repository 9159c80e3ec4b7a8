//! Registers [`crate::value::Obj`] and [`crate::value::Arr`] with the engine:
//! property and index access, iteration, and the map and array functions
//! rules use. See the `value` module for why rules see views, not copies.

use crate::value::{render, same, to_array, Arr, Obj};
use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, ImmutableString, Map, NativeCallContext, AST, INT};
use std::collections::BTreeSet;

type Res<T> = Result<T, Box<EvalAltResult>>;

fn text(v: &Dynamic) -> String {
    let mut out = String::new();
    render(v, &mut out);
    out
}

fn len_int(n: usize) -> INT {
    INT::try_from(n).unwrap_or(INT::MAX)
}

/// Calls `f` on each item, stopping early when `stop` says so.
fn each(ctx: &NativeCallContext, arr: &Arr, f: &FnPtr, mut visit: impl FnMut(&Dynamic, Dynamic) -> bool) -> Res<()> {
    for item in arr.items() {
        let result: Dynamic = f.call_within_context(ctx, (item.clone(),))?;
        if !visit(item, result) {
            break;
        }
    }
    Ok(())
}

/// Registers a property getter on [`Obj`] for every property name `asts`
/// read with `.name` (in `check`, helper functions and closures alike).
///
/// Rhai resolves `x.name` on a custom type by calling the getter `get$name`
/// and, only when that is not found, falls back to the indexer; the miss
/// builds a formatted error first, which made every `r.pod` or `c.image` cost
/// an allocation and a type-name lookup. With a getter per name the first
/// lookup succeeds. Names no rule reads still work through the indexer.
pub fn register_property_getters<'a>(engine: &mut Engine, asts: impl IntoIterator<Item = &'a AST>) {
    let mut names: BTreeSet<ImmutableString> = BTreeSet::new();
    for ast in asts {
        ast.walk(&mut |path: &[rhai::ASTNode]| {
            if let Some(rhai::ASTNode::Expr(rhai::Expr::Property(x, _))) = path.last() {
                names.insert(x.2.clone());
            }
            true
        });
    }
    for name in names {
        let key = name.clone();
        engine.register_get(name.as_str(), move |o: &mut Obj| o.get(&key).cloned().unwrap_or(Dynamic::UNIT));
    }
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Obj>("map").register_type_with_name::<Arr>("array").register_iterator::<Arr>();

    // Objects: `o.key` and `o["key"]`; a missing key reads as ().
    engine.register_indexer_get(|o: &mut Obj, key: &str| o.get(key).cloned().unwrap_or(Dynamic::UNIT));
    engine.register_fn("get", |o: &mut Obj, key: &str| o.get(key).cloned().unwrap_or(Dynamic::UNIT));
    engine.register_fn("len", |o: &mut Obj| len_int(o.entries().len()));
    engine.register_fn("is_empty", |o: &mut Obj| o.entries().is_empty());
    engine.register_fn("contains", |o: &mut Obj, key: &str| o.get(key).is_some());
    engine.register_fn("keys", |o: &mut Obj| o.entries().iter().map(|(k, _)| Dynamic::from(k.clone())).collect::<Array>());
    engine.register_fn("values", |o: &mut Obj| o.entries().iter().map(|(_, v)| v.clone()).collect::<Array>());
    engine.register_fn("to_map", |o: &mut Obj| -> Map { o.to_map() });
    engine.register_fn("to_string", |o: &mut Obj| text(&Dynamic::from(o.clone())));
    engine.register_fn("to_debug", |o: &mut Obj| text(&Dynamic::from(o.clone())));

    // Arrays: `a[i]` (negative from the end; out of range reads as ()).
    engine.register_indexer_get(|a: &mut Arr, i: INT| a.at(i).cloned().unwrap_or(Dynamic::UNIT));
    engine.register_fn("get", |a: &mut Arr, i: INT| a.at(i).cloned().unwrap_or(Dynamic::UNIT));
    engine.register_fn("len", |a: &mut Arr| len_int(a.items().len()));
    engine.register_fn("is_empty", |a: &mut Arr| a.items().is_empty());
    engine.register_fn("contains", |a: &mut Arr, v: Dynamic| a.items().iter().any(|x| same(x, &v)));
    engine.register_fn("index_of", |a: &mut Arr, v: Dynamic| a.items().iter().position(|x| same(x, &v)).map_or(-1, len_int));
    engine.register_fn("first", |a: &mut Arr| a.at(0).cloned().unwrap_or(Dynamic::UNIT));
    engine.register_fn("last", |a: &mut Arr| a.at(-1).cloned().unwrap_or(Dynamic::UNIT));
    engine.register_fn("to_array", |a: &mut Arr| to_array(a));
    engine.register_fn("to_string", |a: &mut Arr| text(&Dynamic::from(a.clone())));
    engine.register_fn("to_debug", |a: &mut Arr| text(&Dynamic::from(a.clone())));
    engine.register_fn("+", |a: Arr, b: Array| -> Array { a.items().iter().cloned().chain(b).collect() });
    engine.register_fn("+", |a: Array, b: Arr| -> Array { a.into_iter().chain(b.items().iter().cloned()).collect() });
    engine.register_fn("+", |a: Arr, b: Arr| -> Array { a.items().iter().chain(b.items()).cloned().collect() });
    engine.register_fn("filter", |ctx: NativeCallContext, a: &mut Arr, f: FnPtr| -> Res<Array> {
        let mut out = Array::new();
        each(&ctx, a, &f, |item, keep| {
            if keep.as_bool().unwrap_or(false) {
                out.push(item.clone());
            }
            true
        })?;
        Ok(out)
    });
    engine.register_fn("map", |ctx: NativeCallContext, a: &mut Arr, f: FnPtr| -> Res<Array> {
        let mut out = Array::new();
        each(&ctx, a, &f, |_, mapped| {
            out.push(mapped);
            true
        })?;
        Ok(out)
    });
    engine.register_fn("any", |ctx: NativeCallContext, a: &mut Arr, f: FnPtr| -> Res<bool> {
        let mut found = false;
        each(&ctx, a, &f, |_, r| {
            found = r.as_bool().unwrap_or(false);
            !found
        })?;
        Ok(found)
    });
    engine.register_fn("all", |ctx: NativeCallContext, a: &mut Arr, f: FnPtr| -> Res<bool> {
        let mut ok = true;
        each(&ctx, a, &f, |_, r| {
            ok = r.as_bool().unwrap_or(false);
            ok
        })?;
        Ok(ok)
    });
    engine.register_fn("find", |ctx: NativeCallContext, a: &mut Arr, f: FnPtr| -> Res<Dynamic> {
        let mut found = Dynamic::UNIT;
        each(&ctx, a, &f, |item, r| {
            if r.as_bool().unwrap_or(false) {
                found = item.clone();
                return false;
            }
            true
        })?;
        Ok(found)
    });
    // Joining the items of an array a rule built (Rhai's array package has no join).
    engine.register_fn("join", |a: &mut Array, sep: &str| -> ImmutableString {
        a.iter().map(|v| v.clone().into_string().unwrap_or_else(|_| text(v))).collect::<Vec<_>>().join(sep).into()
    });
    // Joining the items of a data array.
    engine.register_fn("join", |a: &mut Arr, sep: &str| -> ImmutableString {
        a.items().iter().map(|v| v.clone().into_string().unwrap_or_else(|_| text(v))).collect::<Vec<_>>().join(sep).into()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::build_engine;
    use crate::Limits;

    fn has_getter(engine: &Engine, name: &str) -> bool {
        engine.gen_fn_signatures(false).iter().any(|s| s.starts_with(&format!("get${name}(")))
    }

    #[test]
    fn getters_are_registered_for_every_property_rules_read() {
        let mut engine = build_engine(&Limits::default());
        let ast = engine
            .compile("fn helper(c) { c.securityContext?.privileged }\nfn check(r) { r.pod.containers.filter(|c| c.image != ()).len() + helper(r) }")
            .unwrap();
        for name in ["pod", "containers", "image", "securityContext", "privileged"] {
            assert!(!has_getter(&engine, name), "{name} registered before");
        }
        register_property_getters(&mut engine, [&ast]);
        for name in ["pod", "containers", "image", "securityContext", "privileged"] {
            assert!(has_getter(&engine, name), "no getter for {name}");
        }
        assert!(!has_getter(&engine, "filter"), "method names are not properties");
    }

    #[test]
    fn getters_read_like_the_indexer() {
        let mut engine = build_engine(&Limits::default());
        let ast = engine.compile("fn check(r) { `${r.a}|${r.b}|${r.b?.x}|${r[\"b\"]}` }").unwrap();
        register_property_getters(&mut engine, [&ast]);
        let obj = Dynamic::from(Obj::new(vec![("a".into(), Dynamic::from(1_i64)), ("a".into(), Dynamic::from(2_i64))]));
        let got: String = engine.call_fn(&mut rhai::Scope::new(), &ast, "check", (obj,)).unwrap();
        // First of duplicate keys wins; a missing key reads as ().
        assert_eq!(got, "1|||");
    }
}
