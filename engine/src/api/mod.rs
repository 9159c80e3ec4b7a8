//! The helper API rules call, one file per family (as regorus groups its
//! builtins). `register` adds every family to the engine.

pub mod common;
pub mod dates;
pub mod glob;
pub mod json;
pub mod net;
pub mod path;
pub mod ports;
pub mod regex;
pub mod related;
pub mod strings;
pub mod terraform;
pub mod units;
pub mod values;
pub mod verdict;
pub mod version;
pub mod walk;

pub use verdict::{Verdict, VerdictKind};

/// Registers every helper family on `engine`.
pub fn register(engine: &mut rhai::Engine) {
    values::register(engine);
    verdict::register(engine);
    path::register(engine);
    walk::register(engine);
    related::register(engine);
    terraform::register(engine);
    strings::register(engine);
    regex::register(engine);
    glob::register(engine);
    json::register(engine);
    units::register(engine);
    net::register(engine);
    ports::register(engine);
    version::register(engine);
    dates::register(engine);
}
