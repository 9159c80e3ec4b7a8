//! Control catalog facts the engine and reports need.
//!
//! Everything here is embedded in the binary: compact tab-separated tables
//! in `engine/data/`, generated from public NIST, FedRAMP and DoD sources by
//! `scripts/build_catalogs.py` (see `docs/frameworks.md`), are parsed once on
//! first use and then borrowed for the life of the program.
//!
//! - [`control`] / [`controls`]: every NIST SP 800-53 Rev 5 control and
//!   enhancement (`AC-2(1)`), withdrawn ones included, with its short title
//!   and its NIST and FedRAMP baseline membership.
//! - [`requirement_171`] / [`requirements_171`]: the 110 NIST SP 800-171
//!   Rev 2 requirements with SPRS point values, CMMC Level 2 practice ids,
//!   POA&M eligibility and the crosswalk to SP 800-53 Rev 5.
//! - [`Framework`]: the framework ids used everywhere (`fedramp-moderate`,
//!   `cmmc-l2`, ...) and the ids each one puts in scope.
//! - [`FAMILIES`] / [`family_name`]: SP 800-53 family names by code.
//!
//! ```
//! use tollgate_engine::catalog::{self, Framework};
//!
//! let c = catalog::control("ac-6.10").unwrap();
//! assert_eq!(c.id, "AC-6(10)");
//! assert!(c.in_baseline(Framework::FedrampModerate));
//! let r = catalog::requirement_171("AC.L2-3.1.7").unwrap();
//! assert!(r.controls_800_53.contains(&"AC-6(10)"));
//! assert_eq!(Framework::from_id("nist-800-53-r5-low").unwrap().members().len(), 149);
//! ```

mod controls;
mod framework;
mod requirements;
mod table;

pub use controls::{control, controls, normalize_control_id, Control};
pub use framework::Framework;
pub use requirements::{
    family_name_171, requirement_171, requirements_171, sprs_max, sprs_min, CrosswalkBasis, PoamEligibility, Requirement, FAMILIES_171,
};

/// The 20 control families of NIST SP 800-53 Rev 5.
pub const FAMILIES: &[(&str, &str)] = &[
    ("AC", "Access Control"),
    ("AT", "Awareness and Training"),
    ("AU", "Audit and Accountability"),
    ("CA", "Assessment, Authorization, and Monitoring"),
    ("CM", "Configuration Management"),
    ("CP", "Contingency Planning"),
    ("IA", "Identification and Authentication"),
    ("IR", "Incident Response"),
    ("MA", "Maintenance"),
    ("MP", "Media Protection"),
    ("PE", "Physical and Environmental Protection"),
    ("PL", "Planning"),
    ("PM", "Program Management"),
    ("PS", "Personnel Security"),
    ("PT", "PII Processing and Transparency"),
    ("RA", "Risk Assessment"),
    ("SA", "System and Services Acquisition"),
    ("SC", "System and Communications Protection"),
    ("SI", "System and Information Integrity"),
    ("SR", "Supply Chain Risk Management"),
];

/// "Access Control" for "AC"; the code itself when unknown.
pub fn family_name(code: &str) -> &str {
    FAMILIES.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n)
}
