//! The Rhai engine every rule runs in, built once, frozen, and shared by all
//! worker threads.
//!
//! Rules are untrusted code. The engine starts from `Engine::new_raw()` (no
//! file or module access, no printing, no string interner lock) plus the
//! standard packages except time and blobs, and bounds operations, call depth, expression depth,
//! string/array/map sizes and wall-clock time. A rule that trips a limit
//! becomes an `error` result for that rule on that resource; the scan goes on.

use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, BitFieldPackage, CorePackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, Module};
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
    // The standard package minus time (`timestamp()` would make verdicts
    // depend on the wall clock; rules use the pinned scan clock of the dates
    // helpers instead) and blobs (byte buffers no rule needs).
    engine.register_global_module(standard_library());
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

/// The standard packages rules get, merged into one module.
///
/// Rhai resolves a function call by probing each global module in turn until
/// one has it (then caches the answer for the rest of that call only), so with
/// seven package modules a standard function such as `len` or `+` cost up to
/// eight hash probes on each first use in every evaluation. One merged module
/// keeps the same functions with the same precedence (later packages win,
/// as they did when each was inserted in front of the earlier ones).
fn standard_library() -> rhai::Shared<Module> {
    // Starting from a package keeps the module marked as standard library,
    // which `definitions()` and the optimizer look at.
    let mut lib: Module = (*CorePackage::new().as_shared_module()).clone();
    for package in [
        BitFieldPackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
    ] {
        lib.combine((*package).clone());
    }
    lib.build_index();
    lib.into()
}

/// Rhai definitions (`.d.rhai`) of the helper API, for editor completion.
pub fn api_definitions() -> String {
    let engine = build_engine(&Limits::default());
    let mut out = String::from("// Tollgate rule helper API. Generated by `tollgate rules api`; do not edit.\n");
    out.push_str(&engine.definitions().include_standard_packages(false).single_file());
    out
}
