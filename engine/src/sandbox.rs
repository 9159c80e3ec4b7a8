//! The Rhai engine every rule runs in, built once, frozen, and shared by all
//! worker threads.
//!
//! Rules are untrusted code. The engine starts from `Engine::new_raw()` (no
//! file or module access, no printing, no string interner lock) plus the
//! standard package, and bounds operations, call depth, expression depth,
//! string/array/map sizes and wall-clock time. A rule that trips a limit
//! becomes an `error` result for that rule on that resource; the scan goes on.

use rhai::packages::{Package, StandardPackage};
use rhai::{Dynamic, Engine};
use serde::Deserialize;
use std::cell::Cell;
use std::time::{Duration, Instant};

/// Sandbox limits, settable under `[rules]` in tollgate.toml.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Rhai operations one rule may spend on one resource.
    pub max_operations: u64,
    /// Nested function calls (bounds recursion).
    pub max_call_levels: usize,
    /// Longest string a rule may build, in bytes.
    pub max_string_size: usize,
    /// Largest array a rule may build, counting nested items.
    pub max_array_size: usize,
    /// Largest map a rule may build, counting nested entries.
    pub max_map_size: usize,
    /// Wall-clock limit for one rule on one resource.
    pub timeout_ms: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 1_000_000,
            max_call_levels: 48,
            max_string_size: 1 << 20,
            max_array_size: 100_000,
            max_map_size: 100_000,
            timeout_ms: 2_000,
        }
    }
}

thread_local! {
    /// Deadline of the rule call running on this thread, checked from Rhai's
    /// progress callback (which is engine-wide, hence the thread-local).
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Token the progress callback returns when the deadline passes.
pub const TIMEOUT_TOKEN: &str = "tollgate:timeout";

/// Runs `f` with this thread's rule deadline set to now + `timeout`.
pub fn with_deadline<T>(timeout: Duration, f: impl FnOnce() -> T) -> T {
    DEADLINE.with(|d| d.set(Some(Instant::now() + timeout)));
    let out = f();
    DEADLINE.with(|d| d.set(None));
    out
}

/// Builds the frozen rule engine with `limits` and the Tollgate helper API.
pub fn build_engine(limits: &Limits) -> Engine {
    let mut engine = Engine::new_raw();
    engine.register_global_module(StandardPackage::new().as_shared_module());
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_levels)
        .set_max_expr_depths(64, 32)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(10_000)
        .set_max_functions(1_000);
    // `eval` would let a rule compile code at run time, outside the checks above.
    engine.disable_symbol("eval");
    engine.on_progress(|ops| {
        if ops % 512 != 0 {
            return None;
        }
        let expired = DEADLINE.with(|d| d.get().is_some_and(|deadline| Instant::now() > deadline));
        expired.then(|| Dynamic::from(TIMEOUT_TOKEN))
    });
    crate::api::register(&mut engine);
    engine
}
