//! The program report and the shard file as JSON.
//!
//! The report is the [`ProgramReport`] struct as serde writes it: fields in
//! declaration order, pretty-printed, with a trailing newline. Its shape is
//! documented in `docs/program.md`; its version is
//! [`tollgate_engine::program::SCHEMA_VERSION`].

use serde::Serialize;
use tollgate_engine::program::{ProgramReport, ProgramShard};

/// The program report as pretty-printed JSON with a trailing newline.
pub fn render(report: &ProgramReport) -> Vec<u8> {
    pretty(report)
}

/// A shard file (`tollgate program --shard I/N`), for `tollgate merge`.
pub fn render_shard(shard: &ProgramShard) -> Vec<u8> {
    pretty(shard)
}

fn pretty<T: Serialize>(value: &T) -> Vec<u8> {
    // Plain data with string keys: serialization cannot fail.
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}
