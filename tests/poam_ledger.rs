//! End to end: a sequence of `tollgate scan --poam` runs over a changing
//! system (fix a gap, add one, move a file, rename a resource, add a
//! deviation, let it expire), checking the ledger after each step.
//!
//! The rules are a small pack of the test's own (`--no-builtin`), so the
//! ledger does not change when the built-in library does.

mod common;

use common::{code, run_in, stderr, stdout, tollgate};
use std::path::{Path, PathBuf};
use tollgate_engine::poam::model::{DeviationKind, DeviationState, Event, FlagKind, Item, ItemStatus, Ledger};
use tollgate_engine::poam::store;
use tollgate_engine::Severity;

const PRIVILEGED: &str = r#"
const RULE = #{
    id: "TT-K8S-001", title: "Containers do not run privileged", severity: "high",
    applies_to: ["k8s:Pod"], controls: ["AC-6(10)"], nist_800_171: ["3.1.7"],
    rationale: "A privileged container is root on the node.", remediation: "Set securityContext.privileged to false.",
};
fn check(r) {
    let failures = [];
    for (c, i) in r.pod.containers {
        if c.securityContext?.privileged == true {
            failures.push(fail(`container '${c.name}' runs privileged`, `${r.pod_path}.containers[${i}].securityContext.privileged`));
        }
    }
    failures
}
"#;

const HOST_NETWORK: &str = r#"
const RULE = #{
    id: "TT-K8S-002", title: "Pods do not use the host network", severity: "high",
    applies_to: ["k8s:Pod"], controls: ["SC-7"], nist_800_171: ["3.13.1"],
    rationale: "Host networking bypasses network policy.", remediation: "Set spec.hostNetwork to false.",
};
fn check(r) {
    if r.pod?.hostNetwork == true { return fail("pod uses the host network", `${r.pod_path}.hostNetwork`); }
    pass()
}
"#;

const TEAM_LABEL: &str = r#"
const RULE = #{
    id: "TT-K8S-003", title: "Pods carry a team label", severity: "low",
    applies_to: ["k8s:Pod"], controls: ["CM-8"],
    rationale: "The inventory names an owner for every component.", remediation: "Add metadata.labels.team.",
};
fn check(r) {
    if r.data.metadata?.labels?.team == () { return fail("pod has no team label", "metadata.labels"); }
    pass()
}
"#;

const CONFIG: &str = r#"[system]
name = "Ledger Test"
id = "LT-01"
categorization = "moderate"
owner = "Platform Team"

[poam]
point_of_contact = "Jane Doe <jane@example.com>"
"#;

fn pod(name: &str, privileged: bool, host_network: bool, team: bool) -> String {
    let labels = if team { "\n  labels:\n    team: payments" } else { "" };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: prod{labels}\nspec:\n  hostNetwork: {host_network}\n  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: {privileged}\n"
    )
}

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = common::tree(&[
            ("rules/privileged.rhai", PRIVILEGED),
            ("rules/host_network.rhai", HOST_NETWORK),
            ("rules/team_label.rhai", TEAM_LABEL),
            ("sys/tollgate.toml", CONFIG),
        ]);
        Fixture { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// Scans `sys` as of `date` into `poam.json`; returns stderr.
    fn scan(&self, date: &str) -> String {
        let out = run_in(
            self.dir.path(),
            &["scan", "sys", "--no-builtin", "--rules", "rules", "--now", date, "--fail-on", "never", "--poam", "poam.json"],
        );
        assert_eq!(code(&out), 0, "scan on {date} failed:\n{}", stderr(&out));
        // Keep each version for `poam diff`.
        std::fs::copy(self.path("poam.json"), self.path(&format!("poam-{date}.json"))).unwrap();
        stderr(&out)
    }

    fn ledger(&self) -> Ledger {
        store::read(&self.path("poam.json")).unwrap()
    }

    fn poam(&self, args: &[&str]) -> std::process::Output {
        let mut full = vec!["poam"];
        full.extend_from_slice(args);
        run_in(self.dir.path(), &full)
    }
}

fn item<'a>(l: &'a Ledger, rule: &str) -> &'a Item {
    l.item_for_rule(rule).unwrap_or_else(|| panic!("no item for {rule}"))
}

fn asset_ids(i: &Item) -> Vec<String> {
    i.assets.iter().map(|a| a.id.clone()).collect()
}

fn events(i: &Item) -> Vec<Event> {
    i.log.iter().map(|e| e.event).collect()
}

fn day(s: &str) -> tollgate_engine::poam::Day {
    tollgate_engine::poam::Day::parse(s).unwrap()
}

/// The whole life of a ledger, one step per scan.
#[test]
fn a_ledger_remembers_across_scans() {
    let f = Fixture::new();
    f.write("sys/k8s/web.yaml", &pod("web", true, false, false));
    f.write("sys/k8s/api.yaml", &pod("api", true, true, true));

    // 1. First scan: one item per failing rule, every affected resource listed.
    let err = f.scan("2025-01-01");
    assert!(err.contains("3 opened, 0 closed, 0 reopened; 3 open, 0 overdue"), "{err}");
    let l = f.ledger();
    assert_eq!((l.system_id.as_str(), l.system_name.as_str(), l.items.len()), ("LT-01", "Ledger Test", 3));
    let ids: Vec<(&str, &str)> = l.items.iter().map(|i| (i.poam_id.as_str(), i.rule_id.as_str())).collect();
    assert_eq!(ids, [("POAM-0001", "TT-K8S-001"), ("POAM-0002", "TT-K8S-002"), ("POAM-0003", "TT-K8S-003")]);
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!(asset_ids(privileged), ["prod/api", "prod/web"]);
    let web = &privileged.assets[1];
    assert_eq!((web.kind.as_str(), web.where_().as_str()), ("k8s:Pod", "k8s/web.yaml:12"));
    assert_eq!(web.identifier(), "k8s:Pod prod/web (k8s/web.yaml:12)");
    assert_eq!((privileged.detected, privileged.due), (day("2025-01-01"), day("2025-01-31")), "high: 30 days (FedRAMP)");
    assert_eq!(item(&l, "TT-K8S-003").due, day("2025-06-30"), "low: 180 days");
    assert_eq!(privileged.point_of_contact, "Jane Doe <jane@example.com>");
    assert_eq!(privileged.controls, ["AC-6(10)"]);
    assert_eq!(privileged.milestones.iter().map(|m| m.title.as_str()).collect::<Vec<_>>(), ["Triage", "Fix in code", "Verify by re-scan"]);
    assert_eq!(privileged.milestones[2].due, privileged.due);
    assert_eq!(events(privileged), [Event::Opened]);
    // 84 high + 0 moderate system + 0 (3.1.7 is a 1-point SPRS requirement) + 0 internal + 2 (two resources) + 0 = 86.
    assert_eq!((privileged.risk.score, privileged.risk.level), (86, Severity::High));
    assert!(!f.path("poam.json.bak").exists(), "no previous version yet");
    assert!(!f.path("poam.json.lock").exists(), "lock released");

    // 2. Fix one gap (api leaves the host network), add one (a new privileged pod).
    f.write("sys/k8s/api.yaml", &pod("api", true, false, true));
    f.write("sys/k8s/worker.yaml", &pod("worker", true, false, true));
    let err = f.scan("2025-01-10");
    assert!(err.contains("0 opened, 1 closed, 0 reopened; 2 open"), "{err}");
    let l = f.ledger();
    let host = item(&l, "TT-K8S-002");
    assert_eq!((host.status, host.closed), (ItemStatus::Closed, Some(day("2025-01-10"))));
    assert_eq!(asset_ids(host), ["prod/api"], "a closed item keeps the assets of its last detection");
    assert_eq!(events(host), [Event::Opened, Event::Closed]);
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!(asset_ids(privileged), ["prod/api", "prod/web", "prod/worker"]);
    assert_eq!((privileged.poam_id.as_str(), privileged.detected), ("POAM-0001", day("2025-01-01")), "same id and detection date");
    assert_eq!(privileged.last_seen, day("2025-01-10"));
    assert_eq!(events(privileged), [Event::Opened, Event::AssetAdded]);
    assert!(privileged.log[1].text.contains("k8s:Pod prod/worker fails at k8s/worker.yaml:14"), "{}", privileged.log[1].text);
    let previous = store::read(&f.path("poam.json.bak")).unwrap();
    assert_eq!(previous.updated, day("2025-01-01"), "the previous version is kept as poam.json.bak");

    // 3. Move a file: the resource is the same asset, not a new one.
    let text = std::fs::read_to_string(f.path("sys/k8s/web.yaml")).unwrap();
    f.remove("sys/k8s/web.yaml");
    f.write("sys/k8s/apps/web-pod.yaml", &format!("# moved\n{text}"));
    f.scan("2025-01-20");
    let l = f.ledger();
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!(asset_ids(privileged), ["prod/api", "prod/web", "prod/worker"], "no duplicate after a move");
    assert_eq!(privileged.assets[1].where_(), "k8s/apps/web-pod.yaml:13");
    assert_eq!(privileged.assets[1].first_seen, day("2025-01-01"));
    let moved = privileged.log.last().unwrap();
    assert_eq!(moved.event, Event::AssetMoved);
    assert_eq!(moved.text, "k8s:Pod prod/web moved from k8s/web.yaml:12 to k8s/apps/web-pod.yaml:13");
    assert_eq!(events(item(&l, "TT-K8S-003")), [Event::Opened, Event::AssetMoved], "web lacks the label too");

    // 4. Rename a resource: a close of that asset plus an open, and the log says so.
    f.write("sys/k8s/worker.yaml", &pod("worker-2", true, false, true));
    f.scan("2025-01-25");
    let l = f.ledger();
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!(asset_ids(privileged), ["prod/api", "prod/web", "prod/worker-2"]);
    let tail: Vec<_> = privileged.log.iter().rev().take(2).rev().collect();
    assert_eq!((tail[0].event, tail[1].event), (Event::AssetRemoved, Event::AssetAdded));
    assert!(tail[0].text.contains("k8s:Pod prod/worker no longer fails") && tail[0].text.contains("prod/worker-2 fails at the same place"));
    assert!(tail[0].text.contains("renamed"), "{}", tail[0].text);

    // 5. Deviations, and the fixed gap comes back.
    f.write("sys/k8s/api.yaml", &pod("api", true, true, true));
    f.write(
        "sys/poam-deviations.toml",
        r#"
[[deviation]]
rule = "TT-K8S-001"
type = "risk-adjustment"
adjusted_risk = "moderate"
justification = "Nodes run gVisor; a privileged container stays in the sandbox."
approver = "A. Official (AO)"
approved = 2025-02-01
expires = 2025-02-20

[[deviation]]
item = "POAM-0003"
type = "false-positive"
justification = "Team ownership is set by the namespace, not a label."
approver = "A. Official (AO)"
approved = 2025-02-01
expires = 2025-12-31
"#,
    );
    let err = f.scan("2025-02-01");
    assert!(err.contains("0 opened, 0 closed, 1 reopened"), "{err}");
    let l = f.ledger();
    let host = item(&l, "TT-K8S-002");
    assert_eq!((host.status, host.closed, host.detected, host.opened), (ItemStatus::Open, None, day("2025-01-01"), day("2025-02-01")));
    assert_eq!(events(host), [Event::Opened, Event::Closed, Event::Reopened, Event::Rescheduled]);
    assert_eq!(host.due, day("2025-03-03"));
    assert!(host.log[3].text.contains("from 2025-01-31 to 2025-03-03"), "{}", host.log[3].text);
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!((privileged.risk.level, privileged.adjusted_risk), (Severity::High, Some(Severity::Moderate)));
    assert_eq!(privileged.applied(DeviationKind::RiskAdjustment).map(|d| d.expires), Some(day("2025-02-20")));
    assert_eq!(privileged.log.last().unwrap().event, Event::DeviationApplied);
    assert!(privileged.flag(FlagKind::Overdue), "due 2025-01-31, still failing: a risk adjustment does not stop the clock");
    let label = item(&l, "TT-K8S-003");
    assert_eq!((label.risk_status(), label.on_closed_sheet()), ("deviation-approved", true));
    assert_eq!(label.status, ItemStatus::Open, "a false positive changes the status, never the history");

    // 6. The risk adjustment expires: it stops applying and is flagged.
    let err = f.scan("2025-03-01");
    assert!(err.contains("risk-adjustment expired on 2025-02-20: it no longer applies"), "{err}");
    let l = f.ledger();
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!(privileged.adjusted_risk, None);
    assert_eq!(privileged.deviations[0].state, DeviationState::Expired);
    assert!(privileged.flag(FlagKind::DeviationExpired) && privileged.flag(FlagKind::Overdue));
    assert_eq!(privileged.log.last().unwrap().event, Event::DeviationExpired);
    let late = privileged.risk.factors.iter().find(|x| x.name == "days-past-due").unwrap();
    assert_eq!((late.value.as_str(), late.points), ("29", 2));
    assert_eq!(privileged.risk.factors.iter().map(|x| x.points).sum::<i32>(), i32::from(privileged.risk.score));

    // The same scan again changes nothing: same bytes.
    let before = std::fs::read(f.path("poam.json")).unwrap();
    f.scan("2025-03-01");
    assert_eq!(std::fs::read(f.path("poam.json")).unwrap(), before, "same inputs, same ledger");

    // poam show: overdue items as JSON, and the whole ledger as a table.
    let out = f.poam(&["show", "poam.json", "--status", "overdue", "--format", "json", "--now", "2025-03-01"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let overdue: Vec<&str> = doc["items"].as_array().unwrap().iter().map(|i| i["poam_id"].as_str().unwrap()).collect();
    assert_eq!(overdue, ["POAM-0001"]);
    assert_eq!(doc["items"][0]["days_overdue"], 29);
    assert_eq!(doc["items"][0]["risk"]["score"], 88, "86 + 2 for 29 days past due");
    let table = f.poam(&["show", "poam.json", "--now", "2025-03-01"]);
    insta::assert_snapshot!("poam_show_table", stdout(&table));
    let closed = f.poam(&["show", "poam.json", "--status", "closed", "--now", "2025-03-01"]);
    assert!(stdout(&closed).contains("POAM-0003") && !stdout(&closed).contains("POAM-0001"), "{}", stdout(&closed));

    // poam diff: opened, closed, reopened, rescheduled.
    let out = f.poam(&["diff", "poam-2025-01-25.json", "poam-2025-02-01.json", "--format", "json"]);
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["reopened"][0]["poam_id"], "POAM-0002");
    assert_eq!((d["rescheduled"][0]["from"].as_str(), d["rescheduled"][0]["to"].as_str()), (Some("2025-01-31"), Some("2025-03-03")));
    let out = f.poam(&["diff", "poam-2025-01-01.json", "poam-2025-01-10.json"]);
    insta::assert_snapshot!("poam_diff_table", stdout(&out));
}

/// A scan that cannot read a file, or a rule that does not run, closes nothing.
#[test]
fn what_the_scan_did_not_judge_stays_open() {
    let f = Fixture::new();
    f.write("sys/k8s/web.yaml", &pod("web", true, false, true));
    f.scan("2025-01-01");
    // The file breaks: its resource was not judged, so the item stays open with it.
    f.write("sys/k8s/web.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web\n");
    f.scan("2025-01-02");
    let l = f.ledger();
    let privileged = item(&l, "TT-K8S-001");
    assert_eq!((privileged.status, asset_ids(privileged)), (ItemStatus::Open, vec!["prod/web".to_string()]));
    assert_eq!(events(privileged), [Event::Opened]);
    // The rule is not in this run's pack: its item is left as it is.
    f.remove("rules/privileged.rhai");
    f.write("sys/k8s/web.yaml", &pod("web", false, false, true));
    f.scan("2025-01-03");
    assert_eq!(item(&f.ledger(), "TT-K8S-001").status, ItemStatus::Open);
}

/// Identity is (system, rule) and (kind, id): a ledger of another system is refused.
#[test]
fn a_ledger_belongs_to_one_system() {
    let f = Fixture::new();
    f.write("sys/k8s/web.yaml", &pod("web", true, false, true));
    f.scan("2025-01-01");
    f.write("sys/tollgate.toml", &CONFIG.replace("LT-01", "OTHER-02"));
    let out = run_in(f.dir.path(), &["scan", "sys", "--no-builtin", "--rules", "rules", "--poam", "poam.json", "-q"]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::poam::system_mismatch") && err.contains("`LT-01`") && err.contains("`OTHER-02`"), "{err}");
}

/// A clean system writes no ledger: an OSCAL POA&M needs at least one item.
#[test]
fn no_weaknesses_no_ledger() {
    let f = Fixture::new();
    f.write("sys/k8s/web.yaml", &pod("web", false, false, true));
    let out = tollgate()
        .current_dir(f.dir.path())
        .args(["scan", "sys", "--no-builtin", "--rules", "rules", "--poam", "poam.json", "--now", "2025-01-01"])
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("no weaknesses; poam.json not created"), "{}", stderr(&out));
    assert!(!Path::new(&f.path("poam.json")).exists());
}

/// `schedule = "cmmc"`: 180 days for everything, and requirements that may
/// not be on a CMMC Level 2 POA&M are flagged. Exposure comes from the config.
#[test]
fn cmmc_schedule_and_exposure() {
    let f = Fixture::new();
    f.write("sys/tollgate.toml", &format!("{CONFIG}schedule = \"cmmc\"\ninternet_facing = [\"k8s:Pod/prod/web\"]\n"));
    f.write("sys/k8s/web.yaml", &pod("web", true, true, true));
    f.write("sys/k8s/api.yaml", &pod("api", true, false, true));
    let err = f.scan("2025-01-01");
    let l = f.ledger();
    let host = item(&l, "TT-K8S-002");
    assert_eq!(host.due, day("2025-06-30"), "CMMC: 180 days whatever the level");
    // 3.13.1 is worth 5 SPRS points: never on a CMMC Level 2 POA&M.
    assert!(host.flag(FlagKind::CmmcNotEligible), "{:?}", host.flags);
    assert!(err.contains("SC.L2-3.13.1 (3.13.1, 5 SPRS points) may not be on a POA&M"), "{err}");
    // 3.1.7 is a 1-point requirement: eligible.
    let privileged = item(&l, "TT-K8S-001");
    assert!(!privileged.flag(FlagKind::CmmcNotEligible));
    // web is internet-facing: +12. 84 + 0 + 0 + 12 + 2 (two pods) = 98, critical.
    let exposure = privileged.risk.factors.iter().find(|x| x.name == "exposure").unwrap();
    assert_eq!((exposure.value.as_str(), exposure.points), ("internet", 12));
    assert_eq!((privileged.risk.score, privileged.risk.level), (98, Severity::Critical));
    // A bad [poam] table stops the run before the scan.
    f.write("sys/tollgate.toml", &format!("{CONFIG}schedule = \"custom\"\n"));
    let out = run_in(f.dir.path(), &["scan", "sys", "--no-builtin", "--rules", "rules", "--poam", "poam.json", "-q"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("custom_days"), "{}", stderr(&out));
}
