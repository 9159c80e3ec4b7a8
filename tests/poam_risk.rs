//! The risk model against its documentation: every worked example of
//! docs/risk.md is recomputed twice, by the engine and by the documented
//! formula written out here, and the two must agree with the table.

mod common;

use tollgate_engine::catalog::Framework;
use tollgate_engine::poam::risk::{assess, level_for, RiskInputs, Weight};
use tollgate_engine::Severity;

/// One row of the "Worked examples" table.
struct Example {
    line: String,
    inputs: RiskInputs,
    score: u8,
    level: Severity,
}

fn weight(text: &str) -> Weight {
    if let Some(points) = text.strip_prefix("SPRS ") {
        return Weight::Sprs { requirements: vec!["3.x.y".into()], points: points.parse().unwrap() };
    }
    let baseline = match text {
        "baseline LOW" => Some(Framework::Nist80053R5Low),
        "baseline MODERATE" => Some(Framework::Nist80053R5Moderate),
        "baseline HIGH" => Some(Framework::Nist80053R5High),
        "no baseline" => None,
        other => panic!("unknown weight `{other}`"),
    };
    Weight::Baseline { baseline, control: baseline.map(|_| "AC-1".to_string()) }
}

fn examples() -> Vec<Example> {
    let doc = std::fs::read_to_string(common::repo_root().join("docs/risk.md")).unwrap();
    let section = doc.split("## Worked examples").nth(1).expect("docs/risk.md has a Worked examples section");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with('|')).skip(2).collect();
    assert!(rows.len() >= 10, "the examples table has rows");
    rows.into_iter()
        .map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            assert_eq!(cells.len(), 8, "{line}");
            let categorization = if cells[1] == "unset" { None } else { Some(cells[1].parse().unwrap()) };
            Example {
                line: line.to_string(),
                inputs: RiskInputs {
                    severity: cells[0].parse().unwrap(),
                    categorization,
                    weight: weight(cells[2]),
                    internet: match cells[3] {
                        "internet" => true,
                        "internal" => false,
                        other => panic!("unknown exposure `{other}`"),
                    },
                    affected: cells[4].parse().unwrap(),
                    days_past_due: cells[5].parse().unwrap(),
                },
                score: cells[6].parse().unwrap(),
                level: cells[7].parse().unwrap(),
            }
        })
        .collect()
}

/// The formula exactly as docs/risk.md states it, independent of the engine's code.
fn documented(i: &RiskInputs) -> (i64, Severity) {
    let s = match i.severity {
        Severity::Low => 12,
        Severity::Moderate => 50,
        Severity::High => 84,
        Severity::Critical => 97,
    };
    let c = match i.categorization {
        Some(Severity::Low) => -8,
        Some(Severity::High) => 8,
        _ => 0,
    };
    let w = match &i.weight {
        Weight::Sprs { points: 5, .. } => 4,
        Weight::Sprs { points: 3, .. } => 2,
        Weight::Sprs { .. } => 0,
        Weight::Baseline { baseline: Some(Framework::Nist80053R5Low), .. } => 4,
        Weight::Baseline { baseline: Some(Framework::Nist80053R5Moderate), .. } => 2,
        Weight::Baseline { baseline: Some(_), .. } => 0,
        Weight::Baseline { baseline: None, .. } => -4,
    };
    let e = if i.internet { 12 } else { 0 };
    let n = if i.affected <= 1 { 0 } else { (2 * i64::from(usize::BITS - 1 - i.affected.leading_zeros())).min(8) };
    let a = if i.days_past_due <= 0 { 0 } else { (2 * ((i.days_past_due + 29) / 30)).min(10) };
    let score = (s + c + w + e + n + a).clamp(0, 100);
    let level = match score {
        0..=20 => Severity::Low,
        21..=79 => Severity::Moderate,
        80..=95 => Severity::High,
        _ => Severity::Critical,
    };
    (score, level)
}

#[test]
fn the_documented_examples_hold() {
    for ex in examples() {
        let risk = assess(&ex.inputs);
        assert_eq!((risk.score, risk.level), (ex.score, ex.level), "engine disagrees with docs/risk.md: {}", ex.line);
        assert_eq!(documented(&ex.inputs), (i64::from(ex.score), ex.level), "the documented formula disagrees with its table: {}", ex.line);
        // Explainable: the factors are all there, and their clamped sum is the score.
        let names: Vec<&str> = risk.factors.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["severity", "categorization", "control-weight", "exposure", "affected-resources", "days-past-due"]);
        let sum: i32 = risk.factors.iter().map(|f| f.points).sum();
        assert_eq!(u8::try_from(sum.clamp(0, 100)).unwrap(), risk.score, "{}", ex.line);
    }
}

/// Every combination of the discrete inputs, against the documented formula.
#[test]
fn the_formula_holds_everywhere() {
    let weights = [
        Weight::Sprs { requirements: vec![], points: 1 },
        Weight::Sprs { requirements: vec![], points: 3 },
        Weight::Sprs { requirements: vec![], points: 5 },
        Weight::Baseline { baseline: Some(Framework::Nist80053R5Low), control: None },
        Weight::Baseline { baseline: Some(Framework::Nist80053R5Moderate), control: None },
        Weight::Baseline { baseline: Some(Framework::Nist80053R5High), control: None },
        Weight::Baseline { baseline: None, control: None },
    ];
    let mut checked = 0;
    for severity in Severity::ALL {
        for categorization in [None, Some(Severity::Low), Some(Severity::Moderate), Some(Severity::High)] {
            for weight in &weights {
                for internet in [false, true] {
                    for affected in [0, 1, 2, 3, 4, 7, 8, 15, 16, 1000] {
                        for days_past_due in [-5, 0, 1, 30, 31, 60, 61, 150, 151, 10_000] {
                            let inputs = RiskInputs { severity, categorization, weight: weight.clone(), internet, affected, days_past_due };
                            let risk = assess(&inputs);
                            assert_eq!((i64::from(risk.score), risk.level), documented(&inputs), "{inputs:?}");
                            assert_eq!(level_for(risk.score), risk.level);
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 4 * 4 * 7 * 2 * 10 * 10);
}

/// Severity alone, on the typical system, lands in the level of the same name.
#[test]
fn severity_sets_the_level_on_a_typical_system() {
    for severity in Severity::ALL {
        let risk = assess(&RiskInputs {
            severity,
            categorization: Some(Severity::Moderate),
            weight: Weight::Sprs { requirements: vec![], points: 1 },
            internet: false,
            affected: 1,
            days_past_due: 0,
        });
        assert_eq!(risk.level, severity, "{risk:?}");
    }
}
