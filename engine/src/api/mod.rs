//! The helper API rules call, one file per family (as regorus groups its
//! builtins). `register` adds every family to the engine.

pub mod path;
pub mod related;
pub mod verdict;

pub use verdict::{Verdict, VerdictKind};

/// Registers every helper family on `engine`.
pub fn register(engine: &mut rhai::Engine) {
    verdict::register(engine);
    path::register(engine);
    related::register(engine);
}
