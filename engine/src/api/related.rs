//! Related resources: `related(r, kind)` returns the resources of `kind` in
//! the same evaluation unit as `r` (for Terraform, the same module directory),
//! so a rule about a bucket can find the encryption configuration that lives
//! in a separate resource.
//!
//! The scan installs the unit being evaluated in a thread-local for the
//! duration of its evaluation; Rhai native functions have no other way to
//! see per-call context, and each rayon worker evaluates one unit at a time.

use crate::value::Obj;
use rhai::{Array, Dynamic, Engine, ImmutableString};
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};
use tollgate_inputs::Resource;

/// The resources of one evaluation unit, each converted to a Rhai value at
/// most once, on first use.
pub struct UnitIndex {
    pub resources: Vec<Resource>,
    values: Vec<OnceLock<Dynamic>>,
}

impl UnitIndex {
    pub fn new(resources: Vec<Resource>) -> Self {
        let values = resources.iter().map(|_| OnceLock::new()).collect();
        UnitIndex { resources, values }
    }

    /// The Rhai value of resource `i`, converted on first use.
    pub fn value(&self, i: usize) -> &Dynamic {
        self.values[i].get_or_init(|| crate::convert::resource_to_dynamic(&self.resources[i]))
    }

    fn of_kind(&self, kind: &str, except: Option<(&str, &str)>) -> Array {
        self.resources
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == kind && except != Some((r.kind.as_str(), r.id.as_str())))
            .map(|(i, _)| self.value(i).clone())
            .collect()
    }
}

thread_local! {
    static CURRENT: RefCell<Option<Arc<UnitIndex>>> = const { RefCell::new(None) };
}

/// Runs `f` with `unit` as this thread's current evaluation unit.
pub fn with_unit<T>(unit: &Arc<UnitIndex>, f: impl FnOnce() -> T) -> T {
    let previous = CURRENT.with(|c| c.replace(Some(Arc::clone(unit))));
    let out = f();
    CURRENT.with(|c| *c.borrow_mut() = previous);
    out
}

fn related(r: &Obj, kind: &str) -> Array {
    let text = |k: &str| r.get(k).and_then(|v| v.clone().into_string().ok()).unwrap_or_default();
    let (own_kind, own_id) = (text("kind"), text("id"));
    CURRENT.with(|c| c.borrow().as_ref().map(|u| u.of_kind(kind, Some((&own_kind, &own_id)))).unwrap_or_default())
}

pub fn register(engine: &mut Engine) {
    engine.register_fn("related", |r: &mut Obj, kind: ImmutableString| related(r, &kind));
}
