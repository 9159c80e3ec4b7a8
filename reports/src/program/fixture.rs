//! A small program for the renderers' tests, built with the engine's own
//! [`build`] so totals, worst controls and the trend are what a real run
//! would compute: WEB (scored for SPRS, failing AC and CM), `hosts` (no
//! SPRS score, failing SC only), `broken` (its config does not parse) and,
//! in [`with_trend`], last month's report with STO, since retired.

use tollgate_engine::program::reduce::broken;
use tollgate_engine::program::{
    build, FamilyCell, GateVerdict, ItemRisk, ProgramInfo, ProgramInput, ProgramPoamItem, ProgramReport, RiskFactor, SeverityCounts,
    StatusCounts, SystemResult, SystemSprs, SystemStatus,
};
use tollgate_engine::Severity;

/// 2026-02-01T00:00:00Z.
pub const NOW: i64 = 1_769_904_000;
/// 2026-01-01T00:00:00Z.
pub const LAST_MONTH: i64 = 1_767_225_600;

/// An ok system with `(family, pass, fail, error)` cells; counts follow from them.
pub fn system(id: &str, name: &str, families: &[(&str, usize, usize, usize)], high: usize, sprs: Option<i32>) -> SystemResult {
    let mut s = broken(id, None, String::new());
    s.name = name.to_string();
    s.status = SystemStatus::Ok;
    s.error = None;
    s.families = families.iter().map(|&(f, pass, fail, error)| (f.to_string(), FamilyCell { pass, fail, error })).collect();
    let sum = |pick: fn(&FamilyCell) -> usize| s.families.values().map(pick).sum::<usize>();
    s.findings = StatusCounts { fail: sum(|c| c.fail), error: sum(|c| c.error), pass: sum(|c| c.pass), skip: 1, suppressed: 0 };
    s.failures_by_severity = SeverityCounts { high, moderate: s.findings.fail - high, ..SeverityCounts::default() };
    s.gate = if s.findings.fail > 0 { GateVerdict::Fail } else { GateVerdict::Pass };
    (s.files_scanned, s.resources, s.rules_run) = (3, 4, 5);
    s.sprs = sprs.map(|score| SystemSprs { score: Some(score), max: 110, deducted: 110 - score, conditional_l2: score >= 88 });
    s
}

/// A POA&M item of `system` for `rule`, scored `score`.
pub fn item(system: &str, rule: &str, score: u8, controls: &[&str]) -> ProgramPoamItem {
    ProgramPoamItem {
        system: system.to_string(),
        system_name: format!("{system} name"),
        uuid: format!("00000000-0000-4000-8000-{:012}", u64::from(score) * 1000 + rule.len() as u64),
        rule_id: rule.to_string(),
        title: format!("{rule} <title>"),
        severity: if score >= 70 { Severity::High } else { Severity::Moderate },
        controls: controls.iter().map(|c| c.to_string()).collect(),
        nist_800_171: vec!["3.1.7".into()],
        risk: ItemRisk {
            score,
            level: if score >= 70 { Severity::High } else { Severity::Moderate },
            factors: vec![RiskFactor { name: "severity".into(), value: "high".into(), points: i32::from(score) }],
        },
        affected: 2,
        assets: vec!["k8s:Pod ns/a (pod.yaml:1)".into()],
        due: "2026-03-03".into(),
        point_of_contact: "Web team".into(),
        remediation: "Fix it.".into(),
    }
}

fn input(scan_time: i64, systems: Vec<SystemResult>, poam: Vec<ProgramPoamItem>) -> ProgramInput {
    ProgramInput {
        program: ProgramInfo { name: "Payments <P>".into(), id: Some("PAY".into()), owner: Some("I. Manager (ISSM)".into()) },
        scan_time,
        framework: Some("nist-800-171-r2".into()),
        fail_on: Some("high".into()),
        systems,
        poam,
    }
}

/// This month's systems and items.
fn current() -> ProgramInput {
    let mut web = system("WEB", "Web <front>", &[("AC", 1, 3, 0), ("CM", 4, 1, 1)], 2, Some(97));
    web.categorization = Some(Severity::High);
    web.owner = Some("Web team".into());
    web.isso = Some("A. Officer".into());
    let hosts = system("hosts", "Hosts", &[("SC", 9, 1, 0)], 0, None);
    let broken = broken("broken", None, "tollgate::config::parse\n\n  x broken/tollgate.toml: unknown field `nme`\n  <script>".into());
    let poam = vec![
        item("WEB", "TG-K8S-001", 92, &["AC-6(10)", "CM-7"]),
        item("hosts", "TG-LNX-SSH-001", 61, &["SC-8", "AC-6(10)"]),
        item("WEB", "TG-K8S-002", 40, &["AC-3"]),
    ];
    input(NOW, vec![web, hosts, broken], poam)
}

/// The program without a previous report.
pub fn sample() -> ProgramReport {
    build(current(), None)
}

/// The program against last month's report, in which STO still existed,
/// `broken` was fine and WEB failed more.
pub fn with_trend() -> ProgramReport {
    let web = system("WEB", "Web", &[("AC", 0, 6, 0)], 6, Some(80));
    let sto = system("STO", "Storage", &[("SC", 1, 1, 0)], 1, None);
    let fine = system("broken", "broken", &[("CM", 2, 0, 0)], 0, None);
    let previous = build(input(LAST_MONTH, vec![web, sto, fine], vec![item("WEB", "TG-K8S-001", 92, &["AC-6(10)"])]), None);
    build(current(), Some(&previous))
}

/// `n` ok systems with `items` POA&M items spread over them.
pub fn large(n: usize, items: usize) -> ProgramReport {
    let systems = (0..n).map(|i| system(&format!("S{i:04}"), &format!("System {i}"), &[("AC", 1, 1, 0)], 1, None)).collect();
    let poam = (0..items).map(|i| item(&format!("S{:04}", i % n), &format!("R-{i:05}"), (i % 100) as u8, &["AC-2"])).collect();
    build(input(NOW, systems, poam), None)
}
