//! The embedded catalog tables: they parse, their counts and spot values are
//! right, and (with TOLLGATE_REFERENCE set to the reference folder) they are
//! exactly what `scripts/build_catalogs.py` generates today.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use tollgate_engine::catalog::{self, CrosswalkBasis, Framework, PoamEligibility};

fn reference() -> Option<PathBuf> {
    match std::env::var_os("TOLLGATE_REFERENCE") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => {
            println!("skipped: TOLLGATE_REFERENCE unset");
            None
        }
    }
}

fn members(f: Framework) -> BTreeSet<&'static str> {
    f.members().into_iter().collect()
}

#[test]
fn sp800_53_table_parses_with_expected_counts() {
    let all = catalog::controls();
    assert_eq!(all.len(), 1189, "5.0.1 catalog: controls + enhancements, withdrawn included");
    assert_eq!(all.iter().filter(|c| c.withdrawn).count(), 182);
    assert_eq!(all.iter().filter(|c| !c.is_enhancement()).count(), 322);
    for c in all {
        assert!(std::ptr::eq(catalog::control(c.id).unwrap(), c), "{} does not look itself up", c.id);
        assert!(catalog::FAMILIES.iter().any(|(code, _)| *code == c.family), "{}: unknown family", c.id);
        assert!(!c.title.is_empty(), "{}: no title", c.id);
        assert!(!c.withdrawn || c.baselines.is_empty(), "{}: withdrawn but in a baseline", c.id);
        assert!(c.is_enhancement() || c.base_id() == c.id);
        for target in &c.replaced_by {
            assert!(catalog::control(target).is_some() || target.len() == 2, "{}: replaced by unknown {target}", c.id);
        }
    }
}

#[test]
fn sp800_53_baseline_counts() {
    let expected = [
        (Framework::Nist80053R5, 1007),
        (Framework::Nist80053R5Low, 149),
        (Framework::Nist80053R5Moderate, 287),
        (Framework::Nist80053R5High, 370),
        (Framework::Nist80053R5Privacy, 96),
        (Framework::FedrampLow, 156),
        (Framework::FedrampModerate, 323),
        (Framework::FedrampHigh, 410),
        (Framework::FedrampLiSaas, 156),
    ];
    for (f, n) in expected {
        assert_eq!(f.members().len(), n, "{f}");
    }
    let chain = |a: Framework, b: Framework| assert!(members(a).is_subset(&members(b)), "{a} is not within {b}");
    chain(Framework::Nist80053R5Low, Framework::Nist80053R5Moderate);
    chain(Framework::Nist80053R5Moderate, Framework::Nist80053R5High);
    chain(Framework::FedrampLow, Framework::FedrampModerate);
    chain(Framework::FedrampModerate, Framework::FedrampHigh);
    chain(Framework::Nist80053R5Moderate, Framework::FedrampModerate);
    chain(Framework::Nist80053R5High, Framework::FedrampHigh);
}

#[test]
fn sp800_53_spot_checks() {
    let c = catalog::control("AC-6(10)").unwrap();
    assert_eq!(c.title, "Prohibit Non-privileged Users from Executing Privileged Functions");
    assert_eq!((c.family, c.withdrawn, c.base_id()), ("AC", false, "AC-6"));
    assert!(c.in_baseline(Framework::Nist80053R5Moderate) && !c.in_baseline(Framework::Nist80053R5Low));
    assert_eq!(catalog::control("ac-6.10"), Some(c));
    assert_eq!(catalog::control("AC-06(10)"), Some(c));

    let w = catalog::control("AC-2(10)").unwrap();
    assert!(w.withdrawn && !w.in_baseline(Framework::Nist80053R5));
    assert_eq!(w.replaced_by, ["AC-2"]);
    assert_eq!(catalog::control("SA-12").unwrap().replaced_by, ["SR"]);

    let ia2 = catalog::control("IA-2").unwrap();
    assert_eq!((ia2.title, ia2.title_source), ("Identification and Authentication (Organizational Users)", "5.1.1"));
    assert_eq!(catalog::control("SC-13(1)").unwrap().title, "FIPS-validated Cryptography");
    assert_eq!(catalog::control("SC-7").unwrap().baselines.len(), 7, "every baseline but PRIVACY");
    assert!(catalog::control("AC-99").is_none() && catalog::control("nonsense").is_none());
    assert_eq!(catalog::family_name("PE"), "Physical and Environmental Protection");
}

#[test]
fn sp800_171_table_parses_with_expected_values() {
    let reqs = catalog::requirements_171();
    assert_eq!(reqs.len(), 110);
    let max: i32 = reqs.iter().map(|r| r.deduction(false)).sum();
    assert_eq!(max, 313, "sum of maximum SPRS deductions");
    assert_eq!((catalog::sprs_max(), catalog::sprs_min()), (110, -203));
    assert_eq!(reqs.iter().filter(|r| r.cmmc_level1).count(), 17);
    let by_points = |p| reqs.iter().filter(|r| r.points == Some(p)).count();
    assert_eq!((by_points(5), by_points(3), by_points(1)), (44, 14, 51));

    for (i, r) in reqs.iter().enumerate() {
        assert!(std::ptr::eq(catalog::requirement_171(r.id).unwrap(), r));
        assert!(std::ptr::eq(catalog::requirement_171(r.cmmc_practice).unwrap(), r));
        assert_eq!(r.cmmc_practice, format!("{}.L2-{}", r.family, r.id));
        let section: usize = r.id.split('.').nth(1).unwrap().parse().unwrap();
        assert_eq!(catalog::FAMILIES_171[section - 1].0, r.family, "{}", r.id);
        assert!(!r.title.is_empty() && !r.title.contains("  "), "{}: title", r.id);
        if i > 0 {
            assert!(r.id != reqs[i - 1].id);
        }
        let crosswalk_empty = r.controls_800_53.is_empty();
        assert_eq!(crosswalk_empty, r.crosswalk_basis == CrosswalkBasis::Unmapped, "{}", r.id);
        for c in &r.controls_800_53 {
            let control = catalog::control(c).unwrap_or_else(|| panic!("{}: unknown control {c}", r.id));
            assert!(!control.withdrawn && control.id == *c, "{}: {c} is withdrawn or not canonical", r.id);
        }
        let expected = match r.points {
            _ if r.id == "3.13.11" => PoamEligibility::IfPartial,
            Some(1) if !["3.1.20", "3.1.22", "3.10.3", "3.10.4", "3.10.5"].contains(&r.id) => PoamEligibility::Yes,
            _ => PoamEligibility::No,
        };
        assert_eq!(r.poam_eligible, expected, "{}", r.id);
    }
    assert_eq!(reqs.iter().filter(|r| r.poam_eligible == PoamEligibility::Yes).count(), 46);
}

#[test]
fn sp800_171_spot_checks() {
    let mfa = catalog::requirement_171("3.5.3").unwrap();
    assert_eq!((mfa.points, mfa.partial_points, mfa.poam_eligible), (Some(5), Some(3), PoamEligibility::No));
    assert_eq!((mfa.deduction(false), mfa.deduction(true)), (5, 3));
    let fips = catalog::requirement_171("SC.L2-3.13.11").unwrap();
    assert_eq!((fips.points, fips.partial_points), (Some(5), Some(3)));
    assert!(fips.poam_eligible.allows(true) && !fips.poam_eligible.allows(false));
    assert_eq!(fips.controls_800_53, ["SC-13"]);
    let ssp = catalog::requirement_171("3.12.4").unwrap();
    assert_eq!((ssp.points, ssp.deduction(false), ssp.poam_eligible), (None, 0, PoamEligibility::No));
    assert_eq!((ssp.controls_800_53.as_slice(), ssp.rev3.as_slice()), (["PL-2"].as_slice(), ["03.15.02"].as_slice()));

    // Hand-checked against SP 800-171 Rev 2 Appendix D (Rev 4 ids carried to Rev 5).
    let crosswalk = [
        ("3.1.7", &["AC-6(9)", "AC-6(10)"][..]),
        ("3.1.12", &["AC-17", "AC-17(1)"]),
        ("3.3.7", &["AU-8", "SC-45(1)"]),
        ("3.1.14", &["AC-17(3)"]),
        ("3.1.20", &["AC-20", "AC-20(1)"]),
        ("3.3.8", &["AU-9"]),
        ("3.3.9", &["AU-9(4)"]),
        ("3.4.8", &["CM-7(4)", "CM-7(5)"]),
        ("3.4.9", &["CM-11"]),
        ("3.5.4", &["IA-2(8)"]),
        ("3.13.6", &["SC-7(5)"]),
        ("3.13.8", &["SC-8", "SC-8(1)"]),
        ("3.13.16", &["SC-28"]),
        ("3.14.6", &["SI-4", "SI-4(4)"]),
    ];
    for (id, controls) in crosswalk {
        assert_eq!(catalog::requirement_171(id).unwrap().controls_800_53, controls, "{id}");
    }
    let voip = catalog::requirement_171("3.13.14").unwrap();
    assert_eq!(voip.crosswalk_basis, CrosswalkBasis::Unmapped);
    assert!(catalog::requirement_171("3.15.1").is_none() && catalog::requirement_171("03.01.01").is_none());
    assert_eq!(catalog::family_name_171("PE"), "Physical Protection");
}

#[test]
fn frameworks_round_trip() {
    for f in Framework::ALL {
        assert_eq!(Framework::from_id(f.id()), Some(f));
        assert_eq!(f.to_string().parse::<Framework>(), Ok(f));
        assert!(!f.title().is_empty());
        for m in f.members() {
            assert!(f.contains(m), "{f} does not contain its member {m}");
        }
    }
    assert_eq!(Framework::from_id(" FedRAMP-Moderate "), Some(Framework::FedrampModerate));
    assert!("fedramp".parse::<Framework>().unwrap_err().contains("fedramp-li-saas"));
    assert_eq!(Framework::Nist800171R2.members().len(), 110);
    assert_eq!(Framework::CmmcL2.members()[0], "AC.L2-3.1.1");
    assert!(Framework::CmmcL2.contains("3.1.1") && Framework::Nist800171R2.contains("AC.L2-3.1.1"));
    assert!(Framework::FedrampModerate.contains("ac-2.1") && !Framework::FedrampLow.contains("AC-2(1)"));
    assert!(!Framework::Nist80053R5.contains("AC-2(10)"), "withdrawn");
}

/// FedRAMP and NIST baseline sizes equal the `with-ids` lists in the profiles.
#[test]
fn baseline_counts_match_the_reference_profiles() {
    let Some(reference) = reference() else { return };
    let profiles = [
        (Framework::Nist80053R5Low, "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_LOW-baseline_profile.json"),
        (Framework::Nist80053R5Moderate, "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json"),
        (Framework::Nist80053R5High, "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_HIGH-baseline_profile.json"),
        (Framework::Nist80053R5Privacy, "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json"),
        (Framework::FedrampLow, "fedramp/rev5/baselines/profiles/FedRAMP_rev5_LOW-baseline_profile.json"),
        (Framework::FedrampModerate, "fedramp/rev5/baselines/profiles/FedRAMP_rev5_MODERATE-baseline_profile.json"),
        (Framework::FedrampHigh, "fedramp/rev5/baselines/profiles/FedRAMP_rev5_HIGH-baseline_profile.json"),
        (Framework::FedrampLiSaas, "fedramp/rev5/baselines/profiles/FedRAMP_rev5_LI-SaaS-baseline_profile.json"),
    ];
    for (f, path) in profiles {
        let text = std::fs::read_to_string(reference.join(path)).unwrap();
        let profile: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut ids = BTreeSet::new();
        for import in profile["profile"]["imports"].as_array().unwrap() {
            for include in import["include-controls"].as_array().into_iter().flatten() {
                for id in include["with-ids"].as_array().unwrap() {
                    ids.insert(catalog::normalize_control_id(id.as_str().unwrap()).unwrap());
                }
            }
        }
        let ours: BTreeSet<String> = f.members().into_iter().map(String::from).collect();
        assert_eq!(ours, ids, "{f} vs {path}");
    }
}

/// The committed tables are current: a fresh run of the generator gives the same bytes.
#[test]
fn committed_tables_match_a_fresh_generation() {
    let Some(reference) = reference() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = std::env::temp_dir().join(format!("tollgate-catalogs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new("python3")
        .arg(root.join("scripts/build_catalogs.py"))
        .arg(&reference)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("python3 must be on PATH when TOLLGATE_REFERENCE is set");
    assert!(status.success(), "scripts/build_catalogs.py failed");
    let names = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tsv"))
            .collect()
    };
    let committed = root.join("engine/data");
    assert_eq!(names(&committed), names(&out), "generated file set differs from engine/data");
    for name in names(&out) {
        let fresh = std::fs::read(out.join(&name)).unwrap();
        let ours = std::fs::read(committed.join(&name)).unwrap();
        assert!(fresh == ours, "engine/data/{name} is stale: run python3 scripts/build_catalogs.py");
    }
    let _ = std::fs::remove_dir_all(&out);
}
