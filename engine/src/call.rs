//! Calling a rule's `check` with Rhai's function-resolution cache kept
//! between calls.
//!
//! `Engine::call_fn` starts every call with an empty resolution cache, so
//! each evaluation looked up every function it used (`len`, `==`, a
//! property getter, the rule's own helpers) again, probing every global
//! module, and a lookup is cached only on its second use in a call. With
//! about twenty such lookups per evaluation that was a sizeable part of the
//! cost of a short rule.
//!
//! Here each worker thread keeps, per rule, the [`Caches`] of previous calls
//! and runs a one-statement driver, `check(r)` or `check(r, params)`, with
//! the rule's functions installed, through Rhai's statement evaluator, the
//! one entry point that takes caches from the caller. A cache entry depends
//! only on the rule's functions and the engine, which never change while the
//! cache lives: entries are keyed by the rule's function library and hold
//! it, so a library freed and another allocated at the same address can
//! never meet a stale entry.
//!
//! Everything else matches `call_fn`: a fresh [`GlobalRuntimeState`] per call
//! (so `max_operations` counts per evaluation), the rule's source name for
//! errors, `exit()` and `return` giving the value, and errors shaped the way
//! `call_fn` shapes them (see [`call_check`]).

use rhai::{Caches, Dynamic, Engine, EvalAltResult, ImmutableString, Module, Position, Scope, AST};
use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

/// Scope names the driver reads; rules cannot see the caller's scope.
const RESOURCE: &str = "__tollgate_resource";
const PARAMS: &str = "__tollgate_params";

/// Entries kept per thread before the map is cleared (it only grows when
/// many policies are loaded in one process, as in tests).
const MAX_SITES: usize = 4096;

/// What one thread keeps for one rule.
struct Site {
    /// The rule's function library: identity of the entry, held so that its
    /// address cannot be reused while the entry exists.
    lib: Arc<Module>,
    source: Option<ImmutableString>,
    caches: Caches,
}

/// Per thread: the two drivers (compiled on first use with the engine that
/// runs them), a [`Site`] per rule library address and a scope to reuse.
#[derive(Default)]
struct Sites {
    drivers: Option<[AST; 2]>,
    sites: HashMap<usize, Site>,
    scope: Scope<'static>,
}

thread_local! {
    static SITES: RefCell<Sites> = RefCell::new(Sites::default());
}

/// Calls `check(value)` (or `check(value, params)`) of the rule compiled as
/// `ast` and returns what it returned, or the error `Engine::call_fn` would
/// have given: an error raised inside `check` is not wrapped in "in function
/// `check`", and sandbox errors (operations, call depth, sizes, time) carry
/// no position of their own, as they cross `call_fn`'s boundary.
pub fn call_check(engine: &Engine, ast: &AST, value: &Dynamic, params: Option<&Dynamic>) -> Result<Dynamic, Box<EvalAltResult>> {
    let result = SITES.with(|cell| match cell.try_borrow_mut() {
        Ok(mut sites) => sites.call(engine, ast, value, params),
        // Only if a rule call ever led to another on the same thread: run that one uncached.
        Err(_) => Sites::default().call(engine, ast, value, params),
    });
    result.map_err(|err| match *err {
        EvalAltResult::ErrorInFunctionCall(name, _, inner, _) if name == "check" => inner,
        mut other => {
            if other.is_system_exception() {
                other.set_position(Position::NONE);
            }
            other.into()
        }
    })
}

impl Sites {
    fn call(&mut self, engine: &Engine, ast: &AST, value: &Dynamic, params: Option<&Dynamic>) -> Result<Dynamic, Box<EvalAltResult>> {
        let lib = ast.shared_lib();
        if self.sites.len() >= MAX_SITES {
            self.sites.clear();
        }
        let site = match self.sites.entry(Arc::as_ptr(lib) as usize) {
            Entry::Occupied(e) if Arc::ptr_eq(&e.get().lib, lib) => e.into_mut(),
            Entry::Occupied(e) => {
                let site = e.into_mut();
                *site = Site::new(ast);
                site
            }
            Entry::Vacant(e) => e.insert(Site::new(ast)),
        };
        let drivers = self.drivers.get_or_insert_with(|| {
            [driver(engine, &format!("check({RESOURCE})")), driver(engine, &format!("check({RESOURCE}, {PARAMS})"))]
        });

        let mut global = engine.new_global_runtime_state();
        global.lib.push(site.lib.clone());
        global.source = site.source.clone();
        let scope = &mut self.scope;
        scope.push_constant_dynamic(RESOURCE, value.clone());
        if let Some(p) = params {
            scope.push_constant_dynamic(PARAMS, p.clone());
        }
        let statements = drivers[usize::from(params.is_some())].statements();
        #[allow(deprecated)] // internals API of rhai 1.x; the only call that takes the caller's caches
        let result = engine.eval_statements_raw(&mut global, &mut site.caches, scope, statements);
        scope.clear();
        result
    }
}

impl Site {
    fn new(ast: &AST) -> Self {
        Site { lib: ast.shared_lib().clone(), source: ast.source().map(ImmutableString::from), caches: Caches::new() }
    }
}

fn driver(engine: &Engine, text: &str) -> AST {
    // A fixed one-line script; it cannot fail to compile.
    engine.compile(text).unwrap_or_default()
}
