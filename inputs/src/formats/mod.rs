//! One module per input format; each turns text into span-carrying nodes.

pub mod json;
pub mod toml;
pub mod yaml;
