//! Plans of action and milestones (POA&M): weaknesses drafted from scans,
//! scored, and remembered in a ledger across scans.
//!
//! - [`model`]: the ledger as plain data (items, assets, deviations, log).
//! - [`identity`]: what makes an item or an asset the same across scans,
//!   and the deterministic UUIDs derived from it.
//! - [`risk`]: the explainable 0–100 risk score (`docs/risk.md`).
//! - [`draft`] and [`merge`]: one scan merged into the ledger.
//! - [`deviations`]: the deviations file and FedRAMP's rules for it.
//! - [`oscal`]: the ledger file, an OSCAL 1.1.3 POA&M.
//! - [`store`]: locking, atomic writes, backups.
//! - [`diff`]: what changed between two ledgers.
//!
//! Nothing here prints; the reports crate renders ledgers and the binary
//! wires it together (`tollgate scan --poam`, `tollgate poam ...`).

pub mod config;
pub mod deviations;
pub mod diff;
pub mod draft;
pub mod error;
pub mod identity;
pub mod merge;
pub mod model;
pub mod oscal;
pub mod risk;
pub mod store;

pub use config::{PoamConfig, PoamSettings};
pub use error::PoamError;
pub use merge::{update, UpdateInput, UpdateSummary};
pub use model::{Day, Item, Ledger};

use crate::Config;
use std::path::PathBuf;

/// The deviations file a system uses: `[poam] deviations` (which must
/// exist), else `poam-deviations.toml` beside the config when present.
pub fn deviations_path(config: &Config) -> Result<Option<PathBuf>, PoamError> {
    match &config.poam.deviations {
        Some(p) => {
            let path = config.resolve(p);
            if path.is_file() {
                Ok(Some(path))
            } else {
                Err(PoamError::Config { message: format!("`[poam] deviations` names {}, which does not exist", path.display()) })
            }
        }
        None => {
            let path = config.resolve(DEFAULT_DEVIATIONS);
            Ok(path.is_file().then_some(path))
        }
    }
}

pub const DEFAULT_DEVIATIONS: &str = "poam-deviations.toml";
