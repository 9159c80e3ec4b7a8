//! NIST SP 800-171 Rev 2 requirements, from `engine/data/nist-800-171-r2.tsv`.
//!
//! Point values are the DoD Assessment Methodology v1.2.1 (SPRS) deductions;
//! POA&M eligibility follows 32 CFR 170.21(a)(2) for CMMC Level 2; the SP
//! 800-53 Rev 5 crosswalk is derived from the SP 800-171 Rev 3 OSCAL links as
//! described in `docs/frameworks.md`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::table::{self, Row};

const NAME: &str = "nist-800-171-r2.tsv";
const TABLE: &str = include_str!("../../data/nist-800-171-r2.tsv");
const HEADER: &[&str] = &["id", "family", "points", "partial", "poam", "l1", "cmmc", "basis", "rev3", "controls", "title_src", "title"];

/// The 14 SP 800-171 Rev 2 families; family `n` is section `3.n`.
pub const FAMILIES_171: &[(&str, &str)] = &[
    ("AC", "Access Control"),
    ("AT", "Awareness and Training"),
    ("AU", "Audit and Accountability"),
    ("CM", "Configuration Management"),
    ("IA", "Identification and Authentication"),
    ("IR", "Incident Response"),
    ("MA", "Maintenance"),
    ("MP", "Media Protection"),
    ("PS", "Personnel Security"),
    ("PE", "Physical Protection"),
    ("RA", "Risk Assessment"),
    ("CA", "Security Assessment"),
    ("SC", "System and Communications Protection"),
    ("SI", "System and Information Integrity"),
];

/// "Physical Protection" for "PE" (the SP 800-171 name); the code itself when unknown.
pub fn family_name_171(code: &str) -> &str {
    FAMILIES_171.iter().find(|(c, _)| *c == code).map_or(code, |(_, n)| n)
}

/// Whether an unmet requirement may sit on a CMMC Level 2 POA&M (32 CFR 170.21(a)(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PoamEligibility {
    /// Worth 1 point and not on the rule's exclusion list.
    Yes,
    /// Only when partially implemented: 3.13.11 with encryption that is not
    /// FIPS-validated (its 3-point partial value).
    IfPartial,
    No,
}

impl PoamEligibility {
    /// True when a requirement in the given state may be on the POA&M.
    pub fn allows(self, partially_implemented: bool) -> bool {
        match self {
            PoamEligibility::Yes => true,
            PoamEligibility::IfPartial => partially_implemented,
            PoamEligibility::No => false,
        }
    }
}

/// How a requirement's SP 800-53 Rev 5 crosswalk was derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CrosswalkBasis {
    /// The Rev 3 requirement with the same number, its links as they are.
    Same,
    /// Same number, links adjusted (other Rev 3 sources, or controls dropped or added).
    Adjusted,
    /// Withdrawn in Rev 3: the part of the absorbing requirements' links that is this requirement's.
    Withdrawn,
    /// No usable Rev 3 link: curated from SP 800-171 Rev 2 Appendix D.
    Curated,
    /// No active SP 800-53 Rev 5 control (3.13.14, VoIP: SC-19 is withdrawn).
    Unmapped,
}

/// One SP 800-171 Rev 2 requirement (`3.1.1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub id: &'static str,
    /// Short title (Rev 3 title of the same number, or written from the Rev 2 text).
    pub title: &'static str,
    /// Family code: `AC`.
    pub family: &'static str,
    /// SPRS deduction when not implemented; `None` for 3.12.4 (no SSP: no assessment).
    pub points: Option<u8>,
    /// SPRS deduction when partially implemented (3.5.3 and 3.13.11: 3).
    pub partial_points: Option<u8>,
    pub poam_eligible: PoamEligibility,
    /// FAR 52.204-21 basic safeguarding, i.e. also a CMMC Level 1 requirement.
    pub cmmc_level1: bool,
    /// CMMC Level 2 practice id: `AC.L2-3.1.1` (used for all 110).
    pub cmmc_practice: &'static str,
    /// SP 800-53 Rev 5 controls, in catalog order.
    pub controls_800_53: Vec<&'static str>,
    pub crosswalk_basis: CrosswalkBasis,
    /// The SP 800-171 Rev 3 requirements (`03.01.12`) the crosswalk was taken from.
    pub rev3: Vec<&'static str>,
}

impl Requirement {
    /// SPRS points lost in this state (0 when there is no value, as for 3.12.4).
    pub fn deduction(&self, partially_implemented: bool) -> i32 {
        let partial = if partially_implemented { self.partial_points } else { None };
        i32::from(partial.or(self.points).unwrap_or(0))
    }
}

struct Index {
    list: Vec<Requirement>,
    by_id: HashMap<&'static str, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| table::expect_embedded(NAME, parse(TABLE)))
}

fn parse(text: &'static str) -> Result<Index, String> {
    let mut list = Vec::new();
    let mut by_id = HashMap::new();
    for row in table::rows(text, HEADER)? {
        let req = parse_row(&row)?;
        for key in [req.id, req.cmmc_practice] {
            if by_id.insert(key, list.len()).is_some() {
                return Err(row.error(format!("duplicate id {key}")));
            }
        }
        list.push(req);
    }
    Ok(Index { list, by_id })
}

fn parse_row(row: &Row) -> Result<Requirement, String> {
    let f = &row.fields;
    let section = f[0].strip_prefix("3.").and_then(|s| s.split_once('.')).and_then(|(s, _)| s.parse::<usize>().ok());
    if section.and_then(|s| FAMILIES_171.get(s.wrapping_sub(1))).map(|(code, _)| *code) != Some(f[1]) {
        return Err(row.error(format!("`{}` is not a requirement of family {}", f[0], f[1])));
    }
    let poam_eligible = match f[4] {
        "yes" => PoamEligibility::Yes,
        "if-partial" => PoamEligibility::IfPartial,
        "no" => PoamEligibility::No,
        s => return Err(row.error(format!("unknown poam value `{s}`"))),
    };
    let cmmc_level1 = match f[5] {
        "yes" => true,
        "no" => false,
        s => return Err(row.error(format!("unknown l1 value `{s}`"))),
    };
    let crosswalk_basis = match f[7] {
        "same" => CrosswalkBasis::Same,
        "adjusted" => CrosswalkBasis::Adjusted,
        "withdrawn" => CrosswalkBasis::Withdrawn,
        "curated" => CrosswalkBasis::Curated,
        "none" => CrosswalkBasis::Unmapped,
        s => return Err(row.error(format!("unknown basis `{s}`"))),
    };
    Ok(Requirement {
        id: f[0],
        family: f[1],
        points: table::number(row, f[2])?,
        partial_points: table::number(row, f[3])?,
        poam_eligible,
        cmmc_level1,
        cmmc_practice: f[6],
        crosswalk_basis,
        rev3: table::list(f[8]),
        controls_800_53: table::list(f[9]),
        title: f[11],
    })
}

/// All 110 requirements in document order.
pub fn requirements_171() -> &'static [Requirement] {
    &index().list
}

/// Looks a requirement up by its id (`3.1.1`) or CMMC Level 2 practice id (`AC.L2-3.1.1`).
pub fn requirement_171(id: &str) -> Option<&'static Requirement> {
    let index = index();
    index.by_id.get(id.trim()).map(|&i| &index.list[i])
}

/// The highest SPRS score: 110, one point per requirement.
pub fn sprs_max() -> i32 {
    i32::try_from(requirements_171().len()).unwrap_or(i32::MAX)
}

/// The lowest SPRS score: 110 minus every maximum deduction (−203).
pub fn sprs_min() -> i32 {
    sprs_max() - requirements_171().iter().map(|r| r.deduction(false)).sum::<i32>()
}
