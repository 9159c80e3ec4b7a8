//! Infrastructure-as-code helpers: values that are only known after apply,
//! and references between resources.
//!
//! - `is_unknown(v)`: whether `v` is an `Unknown` (a Terraform reference,
//!   function call, conditional or "known after apply" plan value). Its
//!   expression text is `v.expr`.
//! - `refers_to(v, address)`: whether `v` points at the resource `address`:
//!   an `Unknown` whose expression references it (`aws_s3_bucket.logs.id`
//!   refers to `aws_s3_bucket.logs`), a string equal to it, a CloudFormation
//!   `{Ref: id}` or `{"Fn::GetAtt": [id, attr]}`, or an array holding any of those.
//! - `as_list(v)`: `v` as an array: `()` is `[]`, an array is itself, anything
//!   else is `[v]`. Nested Terraform blocks are an object when written once
//!   and an array when repeated; `for b in as_list(r.data.ingress)` covers both.

use crate::convert::Unknown;
use crate::value::{Arr, Obj};
use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

fn is_text(v: &Dynamic, text: &str) -> bool {
    v.read_lock::<ImmutableString>().is_some_and(|s| s.as_str() == text)
}

/// Whether `v` refers to the resource at `address` (see the module docs).
/// Resource data arrives as read-only [`Obj`]/[`Arr`] views; values a rule
/// builds itself are Rhai maps and arrays. Both are understood.
pub fn refers_to(v: &Dynamic, address: &str) -> bool {
    if let Some(u) = v.read_lock::<Unknown>() {
        return tollgate_inputs::formats::terraform::refers_to(&u.expr, address);
    }
    if let Some(s) = v.read_lock::<ImmutableString>() {
        return s.as_str() == address;
    }
    if let Some(items) = v.read_lock::<Arr>() {
        return items.items().iter().any(|item| refers_to(item, address));
    }
    if let Some(items) = v.read_lock::<Array>() {
        return items.iter().any(|item| refers_to(item, address));
    }
    let intrinsic = |len: usize, get: &dyn Fn(&str) -> Option<Dynamic>| {
        if len != 1 {
            return false;
        }
        if let Some(target) = get("Ref") {
            return is_text(&target, address);
        }
        let Some(target) = get("Fn::GetAtt") else { return false };
        let first = match (target.read_lock::<Arr>(), target.read_lock::<Array>()) {
            (Some(parts), _) => parts.items().first().cloned(),
            (None, Some(parts)) => parts.first().cloned(),
            _ => None,
        };
        match first {
            Some(first) => is_text(&first, address),
            None => target.read_lock::<ImmutableString>().is_some_and(|s| s.split('.').next() == Some(address)),
        }
    };
    if let Some(obj) = v.read_lock::<Obj>() {
        return intrinsic(obj.entries().len(), &|k| obj.get(k).cloned());
    }
    if let Some(map) = v.read_lock::<Map>() {
        return intrinsic(map.len(), &|k| map.get(k).cloned());
    }
    false
}

/// `()` is an empty array, arrays (and array views) are themselves, anything else `[v]`.
fn as_list(v: Dynamic) -> Dynamic {
    if v.is_unit() {
        Dynamic::from_array(Array::new())
    } else if v.is::<Arr>() || v.is_array() {
        v
    } else {
        Dynamic::from_array(vec![v])
    }
}

pub fn register(engine: &mut Engine) {
    engine
        .register_type_with_name::<Unknown>("Unknown")
        .register_get("expr", |u: &mut Unknown| u.expr.clone())
        .register_fn("to_string", |u: &mut Unknown| u.expr.clone())
        .register_fn("to_debug", |u: &mut Unknown| format!("Unknown({})", u.expr));
    engine.register_fn("is_unknown", |v: Dynamic| v.is::<Unknown>());
    engine.register_fn("refers_to", |v: Dynamic, address: ImmutableString| refers_to(&v, &address));
    engine.register_fn("as_list", as_list);
}

#[cfg(test)]
mod tests {
    use crate::convert::node_to_dynamic;
    use rhai::{Dynamic, Scope};
    use tollgate_inputs::{LineSpan, Node, NodeValue};

    fn eval(script: &str, v: NodeValue) -> Dynamic {
        let engine = crate::sandbox::build_engine(&crate::Limits::default());
        let mut scope = Scope::new();
        scope.push("v", node_to_dynamic(&Node::new(v, LineSpan::single(1))));
        engine.eval_with_scope::<Dynamic>(&mut scope, script).unwrap()
    }

    fn unknown(expr: &str) -> NodeValue {
        NodeValue::Unknown(expr.into())
    }

    #[test]
    fn unknowns_are_distinguishable() {
        let got = eval(r#"[is_unknown(v), v.expr, type_of(v), `${v}`, v == "x", v == (), is_unknown("s")]"#, unknown("var.x"));
        assert_eq!(got.to_string(), r#"[true, "var.x", "Unknown", "var.x", false, false, false]"#);
    }

    #[test]
    fn refers_to_follows_references_strings_and_intrinsics() {
        let yes = |s: &str, v| eval(s, v).as_bool().unwrap();
        assert!(yes(r#"refers_to(v, "aws_s3_bucket.logs")"#, unknown("aws_s3_bucket.logs.id")));
        assert!(!yes(r#"refers_to(v, "aws_s3_bucket.log")"#, unknown("aws_s3_bucket.logs.id")));
        assert!(yes(r#"refers_to(v, "aws_s3_bucket.logs")"#, NodeValue::String("aws_s3_bucket.logs".into())));
        assert!(!yes(r#"refers_to(v, "aws_s3_bucket.logs")"#, NodeValue::String("aws_s3_bucket.logs.id".into())));
        assert!(yes(r#"refers_to(#{Ref: "Logs"}, "Logs")"#, NodeValue::Null));
        assert!(yes(r#"refers_to(#{"Fn::GetAtt": ["Logs", "Arn"]}, "Logs")"#, NodeValue::Null));
        assert!(yes(r#"refers_to(#{"Fn::GetAtt": "Logs.Arn"}, "Logs")"#, NodeValue::Null));
        assert!(yes(r#"refers_to(["a", v], "aws_s3_bucket.logs")"#, unknown("aws_s3_bucket.logs")));
        assert!(!yes(r#"refers_to((), "x")"#, NodeValue::Null));
        assert!(!yes(r#"refers_to(#{Ref: "Logs", x: 1}, "Logs")"#, NodeValue::Null));
        // Resource data, as rules receive it.
        let leaf = |v| Node::new(v, LineSpan::single(1));
        let get_att = NodeValue::Object(vec![(
            "Fn::GetAtt".into(),
            leaf(NodeValue::Array(vec![leaf(NodeValue::String("Logs".into())), leaf(NodeValue::String("Arn".into()))])),
        )]);
        assert!(yes(r#"refers_to(v, "Logs") && !refers_to(v, "Arn")"#, get_att));
        let refs = NodeValue::Array(vec![leaf(NodeValue::Object(vec![("Ref".into(), leaf(NodeValue::String("Logs".into())))]))]);
        assert!(yes(r#"refers_to(v, "Logs") && as_list(v).len() == 1"#, refs));
    }

    #[test]
    fn as_list_normalises_blocks() {
        assert_eq!(eval("[as_list(()).len(), as_list(#{a: 1}).len(), as_list([1, 2]).len()]", NodeValue::Null).to_string(), "[0, 1, 2]");
    }
}
