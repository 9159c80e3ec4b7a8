//! Immutable, shared views of resource data for rules.
//!
//! Rhai's own maps and arrays are values: passing a resource to a rule, or
//! writing `let pod = r.pod`, deep-copies the whole subtree. With twenty rules
//! per resource that copying dominated scan time. Rules instead see [`Obj`]
//! and [`Arr`]: reference-counted, read-only views built once per resource.
//! Reading a property or an element copies a pointer, never a subtree, and a
//! rule cannot change what the next rule sees because there are no setters.
//!
//! To rules they behave like maps and arrays: `type_of` says `"map"` and
//! `"array"`, properties and `[index]` work, `?.` short-circuits on missing
//! keys, `for x in arr`, `key in obj`, `len`, `keys`, `values`, `contains`,
//! `index_of`, `filter`, `map`, `any`, `all`, `find`, and `to_map()` /
//! `to_array()` give a mutable copy when a rule really needs one.

use rhai::{Array, Dynamic, ImmutableString, Map, INT};
use std::fmt::Write;
use std::sync::Arc;

/// A read-only object; the first of duplicate keys wins.
#[derive(Clone)]
pub struct Obj(Arc<[(ImmutableString, Dynamic)]>);

/// A read-only array.
#[derive(Clone)]
pub struct Arr(Arc<[Dynamic]>);

impl Obj {
    pub fn new(entries: Vec<(ImmutableString, Dynamic)>) -> Self {
        Obj(entries.into())
    }

    /// Built straight from an exact-size iterator: one allocation, no `Vec` first.
    pub fn from_exact(entries: impl ExactSizeIterator<Item = (ImmutableString, Dynamic)>) -> Self {
        Obj(entries.collect())
    }

    pub fn get(&self, key: &str) -> Option<&Dynamic> {
        self.0.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    }

    pub fn entries(&self) -> &[(ImmutableString, Dynamic)] {
        &self.0
    }

    /// A mutable Rhai map of the top level (nested values stay views).
    pub fn to_map(&self) -> Map {
        let mut map = Map::new();
        for (k, v) in self.0.iter() {
            map.entry(k.as_str().into()).or_insert_with(|| v.clone());
        }
        map
    }
}

impl Arr {
    pub fn new(items: Vec<Dynamic>) -> Self {
        Arr(items.into())
    }

    /// Built straight from an exact-size iterator: one allocation, no `Vec` first.
    pub fn from_exact(items: impl ExactSizeIterator<Item = Dynamic>) -> Self {
        Arr(items.collect())
    }

    pub fn items(&self) -> &[Dynamic] {
        &self.0
    }

    /// Element `i`; negative indexes count from the end, as in Rhai arrays.
    pub fn at(&self, i: INT) -> Option<&Dynamic> {
        let len = INT::try_from(self.0.len()).unwrap_or(INT::MAX);
        let i = if i < 0 { len + i } else { i };
        usize::try_from(i).ok().and_then(|i| self.0.get(i))
    }
}

/// Iterates an [`Arr`] by reference count, cloning only pointers.
pub struct ArrIter {
    arr: Arc<[Dynamic]>,
    next: usize,
}

impl Iterator for ArrIter {
    type Item = Dynamic;

    fn next(&mut self) -> Option<Dynamic> {
        let item = self.arr.get(self.next).cloned();
        self.next += 1;
        item
    }
}

impl IntoIterator for Arr {
    type Item = Dynamic;
    type IntoIter = ArrIter;

    fn into_iter(self) -> ArrIter {
        ArrIter { arr: self.0, next: 0 }
    }
}

/// Equality for `contains`, `index_of` and `in`: scalars by value (integers
/// and floats compare numerically), views by identity.
pub fn same(a: &Dynamic, b: &Dynamic) -> bool {
    if let (Some(x), Some(y)) = (a.read_lock::<ImmutableString>(), b.read_lock::<ImmutableString>()) {
        return x.as_str() == y.as_str();
    }
    if let (Ok(x), Ok(y)) = (a.as_bool(), b.as_bool()) {
        return x == y;
    }
    let num = |d: &Dynamic| d.as_int().map(|i| i as f64).or_else(|_| d.as_float());
    if let (Ok(x), Ok(y)) = (num(a), num(b)) {
        return x == y;
    }
    if a.is_unit() || b.is_unit() {
        return a.is_unit() && b.is_unit();
    }
    match (a.read_lock::<Obj>(), b.read_lock::<Obj>()) {
        (Some(x), Some(y)) => Arc::ptr_eq(&x.0, &y.0),
        _ => match (a.read_lock::<Arr>(), b.read_lock::<Arr>()) {
            (Some(x), Some(y)) => Arc::ptr_eq(&x.0, &y.0),
            _ => false,
        },
    }
}

/// JSON-like text of a value, for string interpolation and debugging.
pub fn render(value: &Dynamic, out: &mut String) {
    if let Some(o) = value.read_lock::<Obj>() {
        out.push('{');
        for (i, (k, v)) in o.entries().iter().enumerate() {
            let _ = write!(out, "{}{k:?}: ", if i > 0 { ", " } else { "" });
            render(v, out);
        }
        out.push('}');
    } else if let Some(a) = value.read_lock::<Arr>() {
        out.push('[');
        for (i, v) in a.items().iter().enumerate() {
            out.push_str(if i > 0 { ", " } else { "" });
            render(v, out);
        }
        out.push(']');
    } else if let Some(s) = value.read_lock::<ImmutableString>() {
        let _ = write!(out, "{:?}", s.as_str());
    } else if value.is_unit() {
        out.push_str("()");
    } else {
        let _ = write!(out, "{value}");
    }
}

/// Converts a plain Rhai array of values for callers that need owned items.
pub fn to_array(a: &Arr) -> Array {
    a.items().to_vec()
}
