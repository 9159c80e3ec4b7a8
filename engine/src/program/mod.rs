//! Program-wide scans: many systems, one report.
//!
//! An ISSM's program is a directory of systems, each with its own
//! `tollgate.toml` and inputs. The binary scans them (in parallel, sharing
//! compiled policies) and hands each finished scan to [`reduce`]; what
//! remains is plain data:
//!
//! - [`model`]: the program report and the shard file as serde structs.
//! - [`config`]: `program.toml`, checked with spans like `tollgate.toml`.
//! - [`reduce`]: one `ScanReport` → a `SystemResult` and its POA&M items.
//! - [`build`]: the report from the systems — the one function a single run
//!   and `tollgate merge` both call, so their outputs are byte-identical.
//! - [`shard`]: which systems a `--shard I/N` run scans, and the merge checks.
//! - [`trend`]: the change against an earlier report.
//!
//! Nothing here prints or reads the clock; see `docs/program.md`.

pub mod build;
pub mod config;
pub mod model;
pub mod reduce;
pub mod shard;
pub mod trend;

pub use build::{build, ProgramInput};
pub use config::ProgramConfig;
pub use model::*;
pub use reduce::SystemScan;
pub use shard::MergeError;
