//! The risk model: a score from 0 to 100 and a level, from named factors.
//!
//! Deterministic and explainable: every item stores each factor's value and
//! the points it adds, and the score is their sum, clamped to 0–100. The
//! same inputs give the same score on every system. `docs/risk.md` is the
//! specification; the tables below are its code.
//!
//! ```
//! use tollgate_engine::poam::risk::{assess, RiskInputs, Weight};
//! use tollgate_engine::Severity;
//!
//! let risk = assess(&RiskInputs {
//!     severity: Severity::High,
//!     categorization: Some(Severity::Moderate),
//!     weight: Weight::Sprs { requirements: vec!["3.1.7".into()], points: 5 },
//!     internet: false,
//!     affected: 3,
//!     days_past_due: 0,
//! });
//! // 84 (high) + 0 (moderate system) + 4 (5 SPRS points) + 0 (internal) + 2 (3 resources) + 0
//! assert_eq!((risk.score, risk.level), (90, Severity::High));
//! assert_eq!(risk.factors.iter().map(|f| f.points).sum::<i32>(), 90);
//! ```

use crate::catalog::{self, Framework};
use crate::severity::Severity;
use serde::Serialize;

/// One named input of the score: its value as shown and the points it adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Factor {
    pub name: String,
    pub value: String,
    pub points: i32,
}

/// A computed rating: the factors, their clamped sum, and its level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Risk {
    pub factors: Vec<Factor>,
    pub score: u8,
    pub level: Severity,
}

/// How much the control matters, from the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Weight {
    /// The rule maps to SP 800-171 requirements: the highest SPRS deduction among them.
    Sprs { requirements: Vec<String>, points: u8 },
    /// Otherwise: the lowest NIST SP 800-53B baseline that selects one of the
    /// rule's controls (`None`: no baseline does).
    Baseline { baseline: Option<Framework>, control: Option<String> },
}

/// Everything the score depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskInputs {
    /// The rule's effective severity.
    pub severity: Severity,
    /// The system's FIPS 199 categorization (`None`: not set, scored as moderate).
    pub categorization: Option<Severity>,
    pub weight: Weight,
    /// Whether an affected resource is internet-reachable.
    pub internet: bool,
    /// Number of affected resources.
    pub affected: usize,
    /// Days past the scheduled completion date (0 when not late).
    pub days_past_due: i64,
}

/// Points of the rule's severity: the base of the score.
pub fn severity_points(s: Severity) -> i32 {
    match s {
        Severity::Low => 12,
        Severity::Moderate => 50,
        Severity::High => 84,
        Severity::Critical => 97,
    }
}

/// Points of the FIPS 199 categorization (unset counts as moderate).
pub fn categorization_points(c: Option<Severity>) -> i32 {
    match c {
        Some(Severity::Low) => -8,
        None | Some(Severity::Moderate) => 0,
        Some(Severity::High | Severity::Critical) => 8,
    }
}

/// Points of the control weight.
pub fn weight_points(w: &Weight) -> i32 {
    match w {
        Weight::Sprs { points, .. } => match points {
            5.. => 4,
            3 | 4 => 2,
            _ => 0,
        },
        Weight::Baseline { baseline, .. } => match baseline {
            Some(Framework::Nist80053R5Low) => 4,
            Some(Framework::Nist80053R5Moderate) => 2,
            Some(_) => 0,
            None => -4,
        },
    }
}

/// Points of exposure.
pub fn exposure_points(internet: bool) -> i32 {
    if internet {
        12
    } else {
        0
    }
}

/// Points of the number of affected resources: 2 × ⌊log2 n⌋, at most 8.
pub fn affected_points(n: usize) -> i32 {
    if n <= 1 {
        0
    } else {
        (2 * i32::try_from(n.ilog2()).unwrap_or(4)).min(8)
    }
}

/// Points of lateness: 2 per started 30 days past due, at most 10.
pub fn past_due_points(days: i64) -> i32 {
    if days <= 0 {
        0
    } else {
        i32::try_from((2 * ((days + 29) / 30)).min(10)).unwrap_or(10)
    }
}

/// The level of a score, on NIST SP 800-30's qualitative scale folded to
/// four levels: 0–20 low (very low and low), 21–79 moderate, 80–95 high,
/// 96–100 critical (very high).
pub fn level_for(score: u8) -> Severity {
    match score {
        0..=20 => Severity::Low,
        21..=79 => Severity::Moderate,
        80..=95 => Severity::High,
        _ => Severity::Critical,
    }
}

/// The control weight of a rule: SPRS points of its SP 800-171 requirements
/// where it names any, else the baseline level of its SP 800-53 controls.
pub fn weight_for(controls: &[String], nist_800_171: &[String]) -> Weight {
    let reqs: Vec<&catalog::Requirement> = nist_800_171.iter().filter_map(|r| catalog::requirement_171(r)).collect();
    if !reqs.is_empty() {
        // 3.12.4 has no value (no plan, no assessment): it weighs the most.
        let points = reqs.iter().map(|r| r.points.unwrap_or(5)).max().unwrap_or(1);
        return Weight::Sprs { requirements: reqs.iter().map(|r| r.id.to_string()).collect(), points };
    }
    let baselines = [Framework::Nist80053R5Low, Framework::Nist80053R5Moderate, Framework::Nist80053R5High];
    for baseline in baselines {
        if let Some(c) = controls.iter().filter_map(|c| catalog::control(c)).find(|c| c.in_baseline(baseline)) {
            return Weight::Baseline { baseline: Some(baseline), control: Some(c.id.to_string()) };
        }
    }
    Weight::Baseline { baseline: None, control: None }
}

fn weight_text(w: &Weight) -> String {
    match w {
        Weight::Sprs { requirements, points } => format!("SPRS {points} ({})", requirements.join(", ")),
        Weight::Baseline { baseline: Some(b), control } => {
            let level = match b {
                Framework::Nist80053R5Low => "LOW",
                Framework::Nist80053R5Moderate => "MODERATE",
                _ => "HIGH",
            };
            format!("baseline {level} ({})", control.as_deref().unwrap_or("-"))
        }
        Weight::Baseline { baseline: None, .. } => "no baseline".into(),
    }
}

/// Scores `inputs`.
pub fn assess(inputs: &RiskInputs) -> Risk {
    let factor = |name: &str, value: String, points: i32| Factor { name: name.to_string(), value, points };
    let factors = vec![
        factor("severity", inputs.severity.to_string(), severity_points(inputs.severity)),
        factor(
            "categorization",
            inputs.categorization.map_or_else(|| "unset".to_string(), |c| c.to_string()),
            categorization_points(inputs.categorization),
        ),
        factor("control-weight", weight_text(&inputs.weight), weight_points(&inputs.weight)),
        factor("exposure", if inputs.internet { "internet" } else { "internal" }.to_string(), exposure_points(inputs.internet)),
        factor("affected-resources", inputs.affected.to_string(), affected_points(inputs.affected)),
        factor("days-past-due", inputs.days_past_due.max(0).to_string(), past_due_points(inputs.days_past_due)),
    ];
    from_factors(factors)
}

/// The score and level of already-valued factors: their sum, clamped to 0–100.
pub fn from_factors(factors: Vec<Factor>) -> Risk {
    let sum: i32 = factors.iter().map(|f| f.points).sum();
    let score = u8::try_from(sum.clamp(0, 100)).unwrap_or(100);
    Risk { factors, score, level: level_for(score) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_come_from_the_catalog() {
        let w = weight_for(&["AC-6".into()], &["3.1.5".into(), "3.1.7".into()]);
        assert!(matches!(w, Weight::Sprs { points: 3.., .. }), "{w:?}");
        let w = weight_for(&["AC-6(9)".into()], &[]);
        assert_eq!(w, Weight::Baseline { baseline: Some(Framework::Nist80053R5Moderate), control: Some("AC-6(9)".into()) });
        assert_eq!(weight_for(&["AC-2".into(), "AC-6(9)".into()], &[]).clone(), {
            Weight::Baseline { baseline: Some(Framework::Nist80053R5Low), control: Some("AC-2".into()) }
        });
        assert_eq!(weight_for(&["XX-1".into()], &[]), Weight::Baseline { baseline: None, control: None });
    }

    #[test]
    fn levels_follow_sp_800_30() {
        for (score, level) in [(0, Severity::Low), (20, Severity::Low), (21, Severity::Moderate), (79, Severity::Moderate)] {
            assert_eq!(level_for(score), level);
        }
        for (score, level) in [(80, Severity::High), (95, Severity::High), (96, Severity::Critical), (100, Severity::Critical)] {
            assert_eq!(level_for(score), level);
        }
    }
}
