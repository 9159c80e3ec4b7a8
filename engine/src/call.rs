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
//! cache lives: entries are keyed by the address of the rule's function
//! library and hold a weak reference to it, which keeps that address from
//! being reused (without keeping the functions alive), so another rule can
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
use std::sync::{Arc, Weak};

/// Scope names the driver reads; rules cannot see the caller's scope.
const RESOURCE: &str = "__tollgate_resource";
const PARAMS: &str = "__tollgate_params";

/// Entries kept per thread before the map is cleared (it only grows past
/// the number of rules when many policies are loaded in one process, as in
/// tests).
const MAX_SITES: usize = 1024;

/// What one thread keeps for one rule.
struct Site {
    /// The rule's function library: identity of the entry. The weak
    /// reference keeps its address from being reused while the entry exists.
    lib: Weak<Module>,
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
            Entry::Occupied(e) if std::ptr::eq(e.get().lib.as_ptr(), Arc::as_ptr(lib)) => e.into_mut(),
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
        global.lib.push(lib.clone());
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
        Site { lib: Arc::downgrade(ast.shared_lib()), source: ast.source().map(ImmutableString::from), caches: Caches::new() }
    }
}

fn driver(engine: &Engine, text: &str) -> AST {
    // A fixed one-line script; it cannot fail to compile.
    engine.compile(text).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::build_engine;
    use crate::Limits;
    use rhai::CallFnOptions;

    /// What `Engine::call_fn` gives, as text, for comparison.
    fn via_call_fn(engine: &Engine, ast: &AST, value: &Dynamic) -> String {
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let out = engine.call_fn_with_options::<Dynamic>(options, &mut Scope::new(), ast, "check", (value.clone(),));
        describe(out)
    }

    fn describe(out: Result<Dynamic, Box<EvalAltResult>>) -> String {
        match out {
            Ok(v) => format!("ok {v:?}"),
            Err(e) => format!("err {e:?} at {:?}", e.position()),
        }
    }

    fn compile(engine: &Engine, text: &str) -> AST {
        let mut ast = engine.compile(text).unwrap();
        ast.set_source("rule.rhai");
        ast
    }

    #[test]
    fn results_and_errors_match_call_fn() {
        let limits = Limits { max_operations: 2_000, max_call_levels: 16, ..Limits::default() };
        let engine = build_engine(&limits);
        let value = Dynamic::from(7_i64);
        let scripts = [
            "fn check(r) { r + 1 }",
            "fn check(r) { return r * 2; }",
            "fn check(r) { exit(r - 1); 0 }",
            "fn check(r) { if r > 1 { throw \"boom\"; } 1 }",
            "fn check(r) {\n  let x = r;\n  x.no_such_method()\n}",
            "fn helper(n) { n.no_such_method() }\nfn check(r) { helper(r) }",
            "fn check(r) { let n = 0; loop { n += 1; } }",
            "fn deep(n) { deep(n + 1) }\nfn check(r) { deep(r) }",
            "fn check(r) { let s = \"x\"; for i in 0..40 { s += s; } s.len() }",
        ];
        for script in scripts {
            let ast = compile(&engine, script);
            let expected = via_call_fn(&engine, &ast, &value);
            // Twice: the second call runs with a warm cache.
            for _ in 0..2 {
                assert_eq!(describe(call_check(&engine, &ast, &value, None)), expected, "{script}");
            }
        }
    }

    #[test]
    fn each_rule_keeps_its_own_functions() {
        // Same helper name, different bodies: a cache shared across rules
        // would send the second rule to the first rule's helper.
        let engine = build_engine(&Limits::default());
        let a = compile(&engine, "fn helper() { \"a\" }\nfn check(r) { helper() }");
        let b = compile(&engine, "fn helper() { \"b\" }\nfn check(r) { helper() }");
        for _ in 0..3 {
            assert_eq!(call_check(&engine, &a, &Dynamic::UNIT, None).unwrap().into_string().unwrap(), "a");
            assert_eq!(call_check(&engine, &b, &Dynamic::UNIT, None).unwrap().into_string().unwrap(), "b");
        }
        // A rule whose AST was dropped and another compiled (perhaps at the same
        // address) still gets its own functions.
        drop(a);
        let c = compile(&engine, "fn helper() { \"c\" }\nfn check(r) { helper() }");
        assert_eq!(call_check(&engine, &c, &Dynamic::UNIT, None).unwrap().into_string().unwrap(), "c");
    }

    #[test]
    fn params_reach_the_second_argument_and_operations_count_per_call() {
        let limits = Limits { max_operations: 500, ..Limits::default() };
        let engine = build_engine(&limits);
        let ast = compile(&engine, "fn check(r, p) { let n = 0; while n < 40 { n += 1; } r + p }");
        // Each call fits the budget on its own; a budget shared across calls would run out.
        for _ in 0..20 {
            let out = call_check(&engine, &ast, &Dynamic::from(2_i64), Some(&Dynamic::from(3_i64)));
            assert_eq!(out.unwrap().as_int().unwrap(), 5);
        }
    }
}
