//! `tollgate program` and `tollgate merge` end to end: a program with a
//! broken system, system discovery and listing, program.toml diagnostics,
//! shards merged back byte for byte, merge errors, the trend, the POA&M
//! rollup order, policy sharing, and a golden report.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const SSHD: &str = "PermitRootLogin yes\nPasswordAuthentication yes\n";
/// The system security plan is attested, so WEB has an SPRS score (3.12.4 met).
const ATTEST: &str = "[[attestation]]\ncontrol = \"3.12.4\"\nstatus = \"satisfied\"\nevidence = \"SSP v1\"\nattested_by = \"A. Officer\"\ndate = 2025-12-01\n";
const BUCKET: &str = "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"logs\"\n}\n";

/// Four systems on the built-in rules, one of them with a misspelt key,
/// and a directory that is not a system.
fn program() -> tempfile::TempDir {
    tree(&[
        (
            "web/tollgate.toml",
            "[system]\nname = \"Web\"\nid = \"WEB\"\ncategorization = \"high\"\nowner = \"Web team\"\nisso = \"A. Officer\"\n[poam]\nexposure = \"internet\"\n[report]\nattestations = \"attest.toml\"\n",
        ),
        ("web/pod.yaml", PRIVILEGED_POD),
        ("web/attest.toml", ATTEST),
        ("hosts/tollgate.toml", "[system]\nname = \"Hosts\"\ncategorization = \"low\"\n"),
        ("hosts/sshd_config", SSHD),
        ("storage/tollgate.toml", "[system]\nname = \"Storage\"\nid = \"STO\"\n"),
        ("storage/main.tf", BUCKET),
        ("broken/tollgate.toml", "[system]\nnme = \"Broken\"\n"),
        ("notes/readme.md", "not a system: no tollgate.toml\n"),
    ])
}

fn run_json(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = run_in(dir, args);
    let value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (code(&out), value, stderr(&out))
}

fn system<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["systems"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no system {id}"))
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect()
}

#[test]
fn a_broken_system_is_reported_and_the_rest_finish() {
    let dir = program();
    let (code, report, err) = run_json(dir.path(), &["program", ".", "--now", "2026-01-01"]);
    assert_eq!(code, 1, "{err}");
    let systems: Vec<&str> = report["systems"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(systems, ["STO", "WEB", "broken", "hosts"], "sorted by id; notes/ is not a system");
    let broken = system(&report, "broken");
    assert_eq!((broken["status"].as_str(), broken["gate"].as_str()), (Some("broken"), Some("fail")));
    let error = broken["error"].as_str().unwrap();
    assert!(
        error.contains("broken/tollgate.toml") && error.contains("unknown field `nme`") && error.contains("nme = \"Broken\""),
        "{error}"
    );
    assert_eq!(broken["findings"]["fail"], 0);
    for id in ["STO", "WEB", "hosts"] {
        let s = system(&report, id);
        assert_eq!(s["status"], "ok", "{id}");
        assert!(s["findings"]["fail"].as_u64().unwrap() > 0 && s["poam_items"].as_u64().unwrap() > 0, "{id} was scanned: {s}");
        assert_eq!(s["rules_run"], system(&report, "WEB")["rules_run"]);
    }
    let web = system(&report, "WEB");
    assert_eq!((web["name"].as_str(), web["path"].as_str(), web["isso"].as_str()), (Some("Web"), Some("web"), Some("A. Officer")));
    assert!(web["families"]["AC"]["fail"].as_u64().unwrap() > 0, "privileged pods fail AC-6(10): {}", web["families"]);
    let totals = &report["totals"];
    assert_eq!((totals["systems"].as_u64(), totals["systems_ok"].as_u64(), totals["systems_broken"].as_u64()), (Some(4), Some(3), Some(1)));
    let fails: u64 = report["systems"].as_array().unwrap().iter().map(|s| s["findings"]["fail"].as_u64().unwrap()).sum();
    assert_eq!(totals["findings"]["fail"].as_u64(), Some(fails));
    assert_eq!(report["gate"], "fail");
    assert_eq!(report["families"], serde_json::json!(totals["families"].as_object().unwrap().keys().collect::<Vec<_>>()));
    assert!(err.contains("system broken is broken: broken/tollgate.toml: unknown field `nme`"), "{err}");
    // Nothing host-specific: no absolute path of the temp dir anywhere.
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains(&dir.path().display().to_string()), "absolute path leaked");

    // Without the broken system and with the gate off, the program passes.
    std::fs::remove_dir_all(dir.path().join("broken")).unwrap();
    let (code, report, _) = run_json(dir.path(), &["program", ".", "--fail-on", "never"]);
    assert_eq!((code, report["gate"].as_str(), report["fail_on"].as_str()), (0, Some("pass"), Some("never")));
}

#[test]
fn systems_come_from_program_toml_or_subdirectories() {
    let dir = program();
    std::fs::create_dir_all(dir.path().join(".hidden")).unwrap();
    std::fs::write(dir.path().join(".hidden/tollgate.toml"), "").unwrap();
    let (_, report, _) = run_json(dir.path(), &["program"]);
    assert_eq!(report["program"]["name"], dir.path().canonicalize().unwrap().file_name().unwrap().to_str().unwrap());
    assert_eq!(report["totals"]["systems"], 4, "hidden and config-less directories are not systems");

    let toml = "[program]\nname = \"Payments\"\nid = \"PAY\"\nowner = \"I. Manager\"\nsystems = [\"./web/\", \"notes\", \"gone\", \"teams/api\"]\n";
    std::fs::write(dir.path().join("program.toml"), toml).unwrap();
    std::fs::create_dir_all(dir.path().join("teams/api")).unwrap();
    std::fs::write(dir.path().join("teams/api/tollgate.toml"), "[system]\nid = \"API\"\n").unwrap();
    std::fs::write(dir.path().join("teams/api/sshd_config"), SSHD).unwrap();
    let (code, report, _) = run_json(dir.path(), &["program", "."]);
    assert_eq!(code, 1);
    assert_eq!(report["program"], serde_json::json!({"name": "Payments", "id": "PAY", "owner": "I. Manager"}));
    let paths: Vec<&str> = report["systems"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["teams/api", "web", "gone", "notes"], "only the listed systems, sorted by id");
    assert_eq!(system(&report, "gone")["error"], "gone: not a directory");
    let notes = system(&report, "notes")["error"].as_str().unwrap().to_string();
    assert!(notes.starts_with("notes/tollgate.toml: cannot read the system's configuration"), "{notes}");
    assert_eq!(system(&report, "API")["status"], "ok");
}

#[test]
fn program_toml_mistakes_are_usage_errors_with_spans() {
    let dir = program();
    std::fs::write(dir.path().join("program.toml"), "[program]\nname = \"P\"\nsytems = [\"web\"]\n").unwrap();
    let out = run_in(dir.path(), &["program", "."]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains("tollgate::config::parse") && err.contains("unknown field `sytems`"), "{err}");
    assert!(err.contains("program.toml:3") && err.contains("sytems = [\"web\"]"), "the span shows the line: {err}");
    assert!(out.stdout.is_empty());

    std::fs::write(dir.path().join("program.toml"), "[program]\nsystems = [\"web\", \"web/\"]\n").unwrap();
    let err = stderr(&run_in(dir.path(), &["program", "."]));
    assert!(err.contains("system `web` is listed twice"), "{err}");
    std::fs::write(dir.path().join("program.toml"), "[program]\nsystems = []\n").unwrap();
    let out = run_in(dir.path(), &["program", "."]);
    assert!(code(&out) == 2 && stderr(&out).contains("has no systems"), "{}", stderr(&out));
    for bad in
        [&["program", ".", "--shard", "4/3"][..], &["program", ".", "--shard", "1/2", "--previous", "x.json"], &["program", "missing-dir"]]
    {
        assert_eq!(code(&run_in(dir.path(), bad)), 2, "{bad:?}");
    }
}

/// The program report formats, as `--report` targets and file extensions.
const FORMATS: [&str; 3] = ["json", "html", "xlsx"];

/// `--report FORMAT=STEM.FORMAT` for the HTML and xlsx reports (JSON goes to `-o STEM.json`).
fn report_args(stem: &str) -> Vec<String> {
    FORMATS[1..].iter().flat_map(|f| ["--report".to_string(), format!("{f}={stem}.{f}")]).collect()
}

/// The bytes of `STEM.json`, `STEM.html` and `STEM.xlsx`.
fn outputs(dir: &Path, stem: &str) -> Vec<Vec<u8>> {
    FORMATS.iter().map(|f| std::fs::read(dir.join(format!("{stem}.{f}"))).unwrap_or_else(|e| panic!("{stem}.{f}: {e}"))).collect()
}

/// Runs `--shard i/n` for every i, then `merge` (shards given in reverse),
/// and returns the merged reports in every format (see [`outputs`]); the
/// merge's stdout in each format is checked against its files too.
fn shard_and_merge(dir: &Path, n: u32, extra: &[&str]) -> Vec<Vec<u8>> {
    let mut files = Vec::new();
    for i in (1..=n).rev() {
        let file = format!("shard-{i}-of-{n}.json");
        let spec = format!("{i}/{n}");
        let out = run_in(dir, &[&["program", "systems", "--now", "2026-01-01", "--shard", &spec, "-o", &file][..], extra].concat());
        assert!(code(&out) <= 1, "{}", stderr(&out));
        files.push(file);
    }
    let reports = report_args("merged");
    let mut args = vec!["merge", "-o", "merged.json"];
    args.extend(reports.iter().map(String::as_str));
    args.extend(files.iter().map(String::as_str));
    let out = run_in(dir, &args);
    assert_eq!(code(&out), 1, "a broken system fails the merged gate too: {}", stderr(&out));
    let merged = outputs(dir, "merged");
    for (format, bytes) in FORMATS.iter().zip(&merged) {
        let mut args = vec!["merge", "-q", "--format", format];
        args.extend(files.iter().map(String::as_str));
        assert!(run_in(dir, &args).stdout == *bytes, "merge --format {format} differs from --report {format}=…");
    }
    merged
}

#[test]
fn shards_merge_to_the_same_bytes_as_a_single_run() {
    let dir = program();
    let root = tempfile::tempdir().unwrap();
    std::fs::rename(dir.path(), root.path().join("systems")).unwrap();
    let d = root.path();
    let single_args = |stem: &str, extra: &[&str]| {
        let (json, reports) = (format!("{stem}.json"), report_args(stem));
        let mut args = vec!["program", "systems", "--now", "2026-01-01", "-o", &json];
        args.extend(reports.iter().map(String::as_str));
        args.extend(extra);
        let out = run_in(d, &args);
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        outputs(d, stem)
    };
    let single = single_args("single", &["--threads", "1"]);
    for n in [1, 2, 3, 6] {
        let merged = shard_and_merge(d, n, &[]);
        for ((format, a), b) in FORMATS.iter().zip(&merged).zip(&single) {
            assert!(a == b, "{format}: merge of {n} shards differs from the single run");
        }
    }
    // The main output in each format is the same bytes as a --report target.
    for (format, bytes) in FORMATS.iter().zip(&single) {
        let out = run_in(d, &["program", "systems", "--now", "2026-01-01", "-q", "--format", format]);
        assert!(out.stdout == *bytes, "program --format {format} differs from --report {format}=…");
    }
    // Each system is scanned by exactly one shard.
    let shard: Value = serde_json::from_slice(&std::fs::read(d.join("shard-2-of-3.json")).unwrap()).unwrap();
    assert_eq!(shard["kind"], "tollgate-program-shard");
    assert_eq!(shard["shard"], serde_json::json!({"index": 2, "count": 3}));
    assert_eq!(ids(&shard["all_systems"]), ["broken", "hosts", "storage", "web"]);
    assert_eq!(shard["systems"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap()).collect::<Vec<_>>(), ["hosts"]);
    // With a framework, the SPRS rollup merges identically as well.
    let single = single_args("single-171", &["--framework", "nist-800-171-r2"]);
    assert!(shard_and_merge(d, 3, &["--framework", "nist-800-171-r2"]) == single, "with a framework, in every format");
    let report: Value = serde_json::from_slice(&single[0]).unwrap();
    assert_eq!(
        report["totals"]["sprs"]["systems_scored"].as_u64().unwrap() + report["totals"]["sprs"]["systems_unscored"].as_u64().unwrap(),
        3
    );
    assert!(system(&report, "WEB")["sprs"]["max"] == 110 && system(&report, "WEB")["framework"]["total"] == 110);
}

#[test]
fn merge_rejects_missing_duplicate_and_foreign_shards() {
    let root = tempfile::tempdir().unwrap();
    std::fs::rename(program().path(), root.path().join("systems")).unwrap();
    let d = root.path();
    for spec in ["1/3", "2/3", "3/3", "1/2"] {
        let file = format!("s{}.json", spec.replace('/', "of"));
        run_in(d, &["program", "systems", "--now", "2026-01-01", "--shard", spec, "-o", &file]);
    }
    let merge_err = |args: &[&str]| {
        let out = run_in(d, &[&["merge"][..], args].concat());
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(out.stdout.is_empty());
        stderr(&out)
    };
    assert!(merge_err(&["s1of3.json", "s3of3.json"]).contains("missing shard(s) 2 of 3"));
    assert!(merge_err(&["s1of3.json", "s2of3.json", "s2of3.json", "s3of3.json"]).contains("shard 2/3 is given twice"));
    assert!(merge_err(&["s1of3.json", "s2of3.json", "s1of2.json"]).contains("the shard count is 2, but s1of3.json has 3"));
    let err = merge_err(&["s1of3.json", "no-such.json"]);
    assert!(err.contains("cannot read shard no-such.json"), "{err}");

    // A shard of another program (here: renamed) does not merge.
    std::fs::write(d.join("systems/program.toml"), "[program]\nname = \"Other\"\n").unwrap();
    run_in(d, &["program", "systems", "--now", "2026-01-01", "--shard", "2/3", "-o", "other.json"]);
    assert!(merge_err(&["s1of3.json", "other.json", "s3of3.json"]).contains("the program is"));
    // A program report is not a shard; a shard that lost a system is caught.
    run_in(d, &["program", "systems", "-o", "report.json"]);
    assert!(merge_err(&["report.json"]).contains("it is a program report"));
    let mut s1: Value = serde_json::from_slice(&std::fs::read(d.join("s1of3.json")).unwrap()).unwrap();
    s1["systems"].as_array_mut().unwrap().pop();
    std::fs::write(d.join("tampered.json"), serde_json::to_vec(&s1).unwrap()).unwrap();
    assert!(merge_err(&["tampered.json", "s2of3.json", "s3of3.json"]).contains("belongs to shard 1/3 but is not in it"));
}

#[test]
fn the_trend_compares_with_a_previous_report() {
    let dir = program();
    let d = dir.path();
    let args = ["program", ".", "--framework", "nist-800-171-r2"];
    run_in(d, &[&args[..], &["--now", "2026-01-01", "-o", "jan.json"]].concat());
    // A month later: the pod is fixed, storage is retired, a new system joins, broken is repaired.
    std::fs::write(d.join("web/pod.yaml"), PRIVILEGED_POD.replace("privileged: true", "privileged: false")).unwrap();
    std::fs::remove_dir_all(d.join("storage")).unwrap();
    std::fs::create_dir_all(d.join("edge")).unwrap();
    std::fs::write(d.join("edge/tollgate.toml"), "[system]\nid = \"EDGE\"\n").unwrap();
    std::fs::write(d.join("edge/sshd_config"), SSHD).unwrap();
    std::fs::write(d.join("broken/tollgate.toml"), "[system]\nname = \"Broken\"\n").unwrap();
    std::fs::write(d.join("broken/sshd_config"), SSHD).unwrap();
    let (_, jan, _) = run_json(d, &["program", "--format", "json", "--now", "2026-01-01", "--framework", "nist-800-171-r2"]);
    let (_, feb, err) = run_json(d, &[&args[..], &["--now", "2026-02-01", "--previous", "jan.json"]].concat());
    assert_eq!(jan["trend"], Value::Null);
    let trend = &feb["trend"];
    assert_eq!(trend["previous_scan_time"], "2026-01-01T00:00:00Z", "{err}");
    assert_eq!((ids(&trend["systems_added"]), ids(&trend["systems_removed"])), (vec!["EDGE"], vec!["STO"]));
    let prev: Value = serde_json::from_slice(&std::fs::read(d.join("jan.json")).unwrap()).unwrap();
    let web = trend["systems"].as_array().unwrap().iter().find(|s| s["id"] == "WEB").unwrap();
    let (before, now) = (system(&prev, "WEB"), system(&feb, "WEB"));
    assert_eq!(web["failures"]["previous"], before["findings"]["fail"]);
    assert_eq!(web["failures"]["current"], now["findings"]["fail"]);
    assert!(web["failures"]["change"].as_i64().unwrap() < 0, "fixing the pod removes failures: {web}");
    assert!(web["pass_rate"]["change"].as_f64().unwrap() > 0.0);
    let sprs_change = now["sprs"]["score"].as_i64().zip(before["sprs"]["score"].as_i64()).map(|(a, b)| a - b);
    assert_eq!(web["sprs"]["change"].as_i64(), sprs_change);
    let fixed = trend["systems"].as_array().unwrap().iter().find(|s| s["id"] == "broken").unwrap();
    assert_eq!(fixed["previous_status"], "broken");
    assert_eq!(web["previous_status"], Value::Null);
    let p = &trend["program"];
    let fail = |r: &Value| r["totals"]["findings"]["fail"].as_i64().unwrap();
    assert_eq!(p["failures"]["change"].as_i64(), Some(fail(&feb) - fail(&prev)));
    assert_eq!((p["systems_broken"]["previous"].as_u64(), p["systems_broken"]["current"].as_u64()), (Some(1), Some(0)));
    assert!(web["sprs"]["previous"].is_number() && web["sprs"]["current"].is_number(), "WEB attests its SSP: {web}");
    assert_eq!(p["sprs_average"]["previous"].as_f64(), system(&prev, "WEB")["sprs"]["score"].as_f64(), "the only scored system");
    // --previous must be a program report.
    let out = run_in(d, &["program", ".", "--previous", "web/pod.yaml"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn the_poam_rollup_sorts_items_of_all_systems_by_risk() {
    let dir = program();
    let (_, report, _) = run_json(dir.path(), &["program", ".", "--now", "2026-01-01"]);
    let items = report["poam"].as_array().unwrap();
    let key = |i: &Value| (std::cmp::Reverse(i["risk"]["score"].as_u64().unwrap()), i["system"].to_string(), i["rule_id"].to_string());
    assert!(items.windows(2).all(|w| key(&w[0]) <= key(&w[1])), "score desc, then system, then rule");
    // Items of different systems interleave: the order is by risk, not by system.
    let runs = items.windows(2).filter(|w| w[0]["system"] != w[1]["system"]).count() + 1;
    let systems: std::collections::BTreeSet<&str> = items.iter().map(|i| i["system"].as_str().unwrap()).collect();
    assert!(runs > systems.len(), "{runs} runs of {} systems: items are grouped by system", systems.len());
    // The same risk model as the ledger: high categorization and internet exposure count.
    let top = &items[0];
    assert_eq!((top["system"].as_str(), top["rule_id"].as_str()), (Some("WEB"), Some("TG-K8S-001")));
    let factor =
        |i: &Value, name: &str| i["risk"]["factors"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap()["points"].clone();
    assert_eq!((factor(top, "categorization"), factor(top, "exposure")), (Value::from(8), Value::from(12)));
    let sum: i64 = top["risk"]["factors"].as_array().unwrap().iter().map(|f| f["points"].as_i64().unwrap()).sum();
    assert_eq!(top["risk"]["score"].as_i64(), Some(sum.clamp(0, 100)));
    assert_eq!(top["due"], "2026-01-31", "critical: 30 days (FedRAMP schedule)");
    assert!(items.iter().filter(|i| i["system"] == "hosts").all(|i| factor(i, "categorization") == -8), "hosts is a low system");
    for s in report["systems"].as_array().unwrap() {
        let mine: Vec<&Value> = items.iter().filter(|i| i["system"] == s["id"]).collect();
        assert_eq!(s["poam_items"].as_u64(), Some(mine.len() as u64));
        assert_eq!(s["max_risk"].as_u64(), mine.iter().map(|i| i["risk"]["score"].as_u64().unwrap()).max());
    }
    // Worst controls: most systems first.
    let worst = report["worst_controls"].as_array().unwrap();
    assert!(worst.windows(2).all(|w| w[0]["systems_failing"].as_u64() >= w[1]["systems_failing"].as_u64()));
}

#[test]
fn systems_with_the_same_rules_share_one_compiled_policy() {
    let dir = program();
    let out = run_in(dir.path(), &["program", "."]);
    assert!(stderr(&out).contains("1 policy compiled for 4 system(s)"), "{}", stderr(&out));
    std::fs::write(dir.path().join("hosts/tollgate.toml"), "[system]\nname = \"Hosts\"\n[rules]\ndisable = [\"TG-LNX-SSH-001\"]\n")
        .unwrap();
    let out = run_in(dir.path(), &["program", "."]);
    assert!(stderr(&out).contains("2 policies compiled for 4 system(s)"), "{}", stderr(&out));
    assert!(stderr(&run_in(dir.path(), &["program", ".", "-q"])).is_empty(), "-q is quiet");
}

#[test]
fn systems_with_the_same_id_are_broken() {
    let dir = program();
    std::fs::write(dir.path().join("hosts/tollgate.toml"), "[system]\nid = \"WEB\"\n").unwrap();
    let (code, report, _) = run_json(dir.path(), &["program", "."]);
    assert_eq!(code, 1);
    let dupes: Vec<&Value> = report["systems"].as_array().unwrap().iter().filter(|s| s["id"] == "WEB").collect();
    assert_eq!(dupes.len(), 2);
    for s in dupes {
        assert_eq!(s["status"], "broken");
        assert!(s["error"].as_str().unwrap().contains("system id `WEB` is used by 2 systems (hosts, web)"), "{s}");
    }
    assert!(report["poam"].as_array().unwrap().iter().all(|i| i["system"] != "WEB"));
}

#[test]
fn html_and_xlsx_program_reports_tell_the_same_truth_as_json() {
    let dir = program();
    let d = dir.path();
    let (code, report, _) = run_json(d, &["program", ".", "--now", "2026-01-01", "--report", "html=p.html", "--report", "xlsx=p.xlsx"]);
    assert_eq!(code, 1);
    let systems = report["systems"].as_array().unwrap();
    let families = report["families"].as_array().unwrap();

    let page = std::fs::read_to_string(d.join("p.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("data-verdict=\"fail\""));
    let heat = &page[page.find("<table class=\"heatmap\"").unwrap()..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(heat.matches("<tr data-system=").count(), systems.len(), "a heat map row per system");
    assert_eq!(heat.matches("<th scope=\"col\"").count(), families.len() + 1, "a column per family");
    for s in systems {
        let id = s["id"].as_str().unwrap();
        let row = &page[page.find(&format!("<tr class=\"system\" data-id=\"{id}\"")).unwrap_or_else(|| panic!("no row {id}"))..];
        let status = format!("data-status=\"{}\" data-gate=\"{}\"", s["status"].as_str().unwrap(), s["gate"].as_str().unwrap());
        assert!(row[..row.find('>').unwrap()].contains(&status), "{id}: {status}");
    }
    let broken = &heat[heat.find("<tr data-system=\"broken\"").unwrap()..];
    assert!(broken[..broken.find("</tr>").unwrap()].contains("unknown field `nme`"), "the broken row says why");
    assert_eq!(page.matches("<tr class=\"poam-item\"").count(), report["poam"].as_array().unwrap().len(), "few items: all shown");

    let bytes = std::fs::read(d.join("p.xlsx")).unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    assert_eq!(wb.sheet_names(), ["Summary", "Systems", "Heat map", "Worst controls", "POA&M"]);
    let sheet = wb.worksheet_range("Systems").unwrap();
    assert_eq!(sheet.height(), systems.len() + 1);
    let ids: Vec<String> = (1..sheet.height() as u32).map(|r| sheet.get_value((r, 0)).unwrap().to_string()).collect();
    assert_eq!(ids, systems.iter().map(|s| s["id"].as_str().unwrap().to_string()).collect::<Vec<_>>());
    assert_eq!(wb.worksheet_range("POA&M").unwrap().height(), report["poam"].as_array().unwrap().len() + 1, "every item");
    let heat = wb.worksheet_range("Heat map").unwrap();
    assert_eq!(heat.width(), 3 + families.len() + 2, "system, id, status, the families, a gap and the legend");

    // The same report, rendered again from the same scan clock: the same bytes.
    let out = run_in(d, &["program", ".", "--now", "2026-01-01", "-q", "--format", "xlsx"]);
    assert!(out.stdout == std::fs::read(d.join("p.xlsx")).unwrap(), "xlsx bytes depend only on the report");
}

/// A small program on a two-rule pack (not the built-in library, so the
/// golden does not move when built-in rules change).
#[test]
fn program_json_golden() {
    let rule = |id: &str, sev: &str, kinds: &str, controls: &str, body: &str| {
        format!(
            "const RULE = #{{ id: \"{id}\", title: \"{id} title\", severity: \"{sev}\", applies_to: [{kinds}], controls: [{controls}], nist_800_171: [\"3.4.2\"], rationale: \"r\", remediation: \"fix it\" }};\n{body}\n"
        )
    };
    let k8s = rule(
        "X-K8S-001",
        "high",
        "\"k8s:Pod\"",
        "\"AC-6(10)\", \"CM-7\"",
        "fn check(r) { if r.pod?.containers?[0]?.securityContext?.privileged == true { fail(\"privileged\", \"spec\") } else { pass() } }",
    );
    let cfg = rule(
        "X-CFG-001",
        "moderate",
        "\"json:document\"",
        "\"SC-8\"",
        "fn check(r) { if r.data.tls == true { pass() } else { fail(\"TLS is off\", \"tls\") } }",
    );
    let system = |extra: &str| format!("{extra}[rules]\nbuiltin = false\npacks = [\"../rules\"]\n");
    let dir = tree(&[
        ("program.toml", "[program]\nname = \"Golden\"\nid = \"GLD\"\nowner = \"ISSM\"\nsystems = [\"a\", \"b\", \"c\"]\n"),
        ("rules/k8s.rhai", &k8s),
        ("rules/cfg.rhai", &cfg),
        ("a/tollgate.toml", &system("[system]\nname = \"A\"\ncategorization = \"high\"\nisso = \"I. Sso\"\n")),
        ("a/pod.yaml", PRIVILEGED_POD),
        ("a/app.json", "{\"tls\": false}"),
        ("b/tollgate.toml", &system("[system]\nid = \"B-1\"\ncategorization = \"low\"\n")),
        ("b/app.json", "{\"tls\": true}"),
        ("b/other.json", "{\"tls\": false}"),
        ("c/tollgate.toml", "[system\n"),
    ]);
    run_in(dir.path(), &["program", ".", "--now", "2026-01-01", "-o", "jan.json"]);
    let out = run_in(dir.path(), &["program", ".", "--now", "2026-02-01", "--previous", "jan.json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out).replace(&format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")), "\"version\": \"[version]\"");
    insta::assert_snapshot!("program_report_json", text);
}

#[test]
fn program_items_score_like_the_systems_own_ledger() {
    let dir = program();
    let d = dir.path();
    let (_, report, _) = run_json(d, &["program", ".", "--now", "2026-01-01"]);
    for (id, path) in [("WEB", "web"), ("hosts", "hosts")] {
        let out = run_in(
            d,
            &["scan", path, "--now", "2026-01-01", "--framework", "nist-800-171-r2", "--poam", "ledger.json", "-q", "-f", "json"],
        );
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let ledger: Value = serde_json::from_slice(&std::fs::read(d.join("ledger.json")).unwrap()).unwrap();
        let mut ledger_uuids: Vec<&str> =
            ledger["plan-of-action-and-milestones"]["poam-items"].as_array().unwrap().iter().map(|i| i["uuid"].as_str().unwrap()).collect();
        let shown = json(&run_in(d, &["poam", "show", "ledger.json", "--format", "json", "--now", "2026-01-01"]));
        let mine: Vec<&Value> = report["poam"].as_array().unwrap().iter().filter(|i| i["system"] == id).collect();
        assert_eq!(mine.len(), shown["items"].as_array().unwrap().len(), "{id}");
        for item in shown["items"].as_array().unwrap() {
            let ours = mine.iter().find(|i| i["rule_id"] == item["rule_id"]).unwrap_or_else(|| panic!("{id}: {}", item["rule_id"]));
            assert_eq!((&ours["risk"], &ours["due"], &ours["severity"]), (&item["risk"], &item["due"], &item["severity"]), "{id}");
        }
        let mut ours: Vec<&str> = mine.iter().map(|i| i["uuid"].as_str().unwrap()).collect();
        ours.sort();
        ledger_uuids.sort();
        assert_eq!(ours, ledger_uuids, "{id}: the same item UUIDs as the ledger");
        std::fs::remove_file(d.join("ledger.json")).unwrap();
    }
}

#[test]
fn a_rule_pack_that_fails_to_load_breaks_only_its_system() {
    let dir = program();
    let d = dir.path();
    std::fs::create_dir_all(d.join("storage/policies")).unwrap();
    std::fs::write(d.join("storage/policies/bad.rhai"), pack_rule("X-BAD-001", "\"json:document\"", "fn check(r) { pass( }")).unwrap();
    std::fs::write(d.join("storage/tollgate.toml"), "[system]\nid = \"STO\"\n[rules]\npacks = [\"policies\"]\n").unwrap();
    std::fs::write(d.join("hosts/tollgate.toml"), "[system]\n[rules]\npacks = [\"no-such-pack\"]\n").unwrap();
    let (code, report, err) = run_json(d, &["program", "."]);
    assert_eq!(code, 1, "{err}");
    let sto = system(&report, "STO")["error"].as_str().unwrap().to_string();
    assert!(sto.contains("storage/policies/bad.rhai") && sto.contains("fn check(r) { pass( }"), "the compile error with its line: {sto}");
    let hosts = system(&report, "hosts")["error"].as_str().unwrap().to_string();
    assert!(hosts.contains("hosts/no-such-pack") && hosts.contains("not a directory"), "{hosts}");
    assert!(!sto.contains(&d.canonicalize().unwrap().display().to_string()), "paths are relative to the program: {sto}");
    assert_eq!(system(&report, "WEB")["status"], "ok");
    assert!(err.contains("2 policies compiled for 4 system(s)"), "the broken pack does not cost the others their shared policy: {err}");
}
