//! The compliance frameworks Tollgate reports against, by their stable ids.
//!
//! SP 800-53 frameworks scope control ids (`AC-2(1)`); `nist-800-171-r2`
//! scopes requirement ids (`3.1.1`); `cmmc-l2` scopes CMMC Level 2 practice
//! ids (`AC.L2-3.1.1`), one per SP 800-171 Rev 2 requirement.

use std::fmt;
use std::str::FromStr;

use super::{control, controls, requirement_171, requirements_171};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Framework {
    /// `nist-800-53-r5`: every active SP 800-53 Rev 5 control and enhancement.
    Nist80053R5,
    Nist80053R5Low,
    Nist80053R5Moderate,
    Nist80053R5High,
    Nist80053R5Privacy,
    FedrampLow,
    FedrampModerate,
    FedrampHigh,
    FedrampLiSaas,
    Nist800171R2,
    CmmcL2,
}

impl Framework {
    /// Every framework, in the order reports list them.
    pub const ALL: [Framework; 11] = [
        Framework::Nist80053R5,
        Framework::Nist80053R5Low,
        Framework::Nist80053R5Moderate,
        Framework::Nist80053R5High,
        Framework::Nist80053R5Privacy,
        Framework::FedrampLow,
        Framework::FedrampModerate,
        Framework::FedrampHigh,
        Framework::FedrampLiSaas,
        Framework::Nist800171R2,
        Framework::CmmcL2,
    ];

    /// The framework with this id (ASCII case-insensitive).
    pub fn from_id(id: &str) -> Option<Framework> {
        let id = id.trim();
        Framework::ALL.into_iter().find(|f| f.id().eq_ignore_ascii_case(id))
    }

    pub fn id(self) -> &'static str {
        match self {
            Framework::Nist80053R5 => "nist-800-53-r5",
            Framework::Nist80053R5Low => "nist-800-53-r5-low",
            Framework::Nist80053R5Moderate => "nist-800-53-r5-moderate",
            Framework::Nist80053R5High => "nist-800-53-r5-high",
            Framework::Nist80053R5Privacy => "nist-800-53-r5-privacy",
            Framework::FedrampLow => "fedramp-low",
            Framework::FedrampModerate => "fedramp-moderate",
            Framework::FedrampHigh => "fedramp-high",
            Framework::FedrampLiSaas => "fedramp-li-saas",
            Framework::Nist800171R2 => "nist-800-171-r2",
            Framework::CmmcL2 => "cmmc-l2",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Framework::Nist80053R5 => "NIST SP 800-53 Rev 5",
            Framework::Nist80053R5Low => "NIST SP 800-53 Rev 5 LOW baseline",
            Framework::Nist80053R5Moderate => "NIST SP 800-53 Rev 5 MODERATE baseline",
            Framework::Nist80053R5High => "NIST SP 800-53 Rev 5 HIGH baseline",
            Framework::Nist80053R5Privacy => "NIST SP 800-53 Rev 5 PRIVACY baseline",
            Framework::FedrampLow => "FedRAMP Rev 5 Low",
            Framework::FedrampModerate => "FedRAMP Rev 5 Moderate",
            Framework::FedrampHigh => "FedRAMP Rev 5 High",
            Framework::FedrampLiSaas => "FedRAMP Rev 5 LI-SaaS",
            Framework::Nist800171R2 => "NIST SP 800-171 Rev 2",
            Framework::CmmcL2 => "CMMC Level 2",
        }
    }

    /// True for the frameworks whose members are SP 800-53 control ids.
    pub fn is_800_53(self) -> bool {
        !matches!(self, Framework::Nist800171R2 | Framework::CmmcL2)
    }

    /// The ids in scope, in catalog order: SP 800-53 control ids, SP 800-171
    /// requirement ids, or CMMC practice ids (see the module docs).
    pub fn members(self) -> Vec<&'static str> {
        match self {
            Framework::Nist800171R2 => requirements_171().iter().map(|r| r.id).collect(),
            Framework::CmmcL2 => requirements_171().iter().map(|r| r.cmmc_practice).collect(),
            f => controls().iter().filter(|c| c.in_baseline(f)).map(|c| c.id).collect(),
        }
    }

    /// True when `id` is in scope. SP 800-53 ids may be written in any form
    /// [`super::normalize_control_id`] accepts; `nist-800-171-r2` and `cmmc-l2`
    /// accept a requirement id or a practice id.
    pub fn contains(self, id: &str) -> bool {
        if self.is_800_53() {
            control(id).is_some_and(|c| c.in_baseline(self))
        } else {
            requirement_171(id).is_some()
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Framework {
    type Err = String;

    fn from_str(s: &str) -> Result<Framework, String> {
        Framework::from_id(s).ok_or_else(|| {
            let ids: Vec<&str> = Framework::ALL.iter().map(|f| f.id()).collect();
            format!("unknown framework `{s}`; expected one of {}", ids.join(", "))
        })
    }
}
