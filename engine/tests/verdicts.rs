//! How `check` return values become findings, and how metadata is validated.

use std::sync::Arc;
use tollgate_engine::{Limits, Policy, RuleError, RuleOverrides, RuleSource, Severity, Status};
use tollgate_inputs::{parse_text, Format};

const META: &str = r#"const RULE = #{ id: "T-VER-001", title: "Replicas are at least two", severity: "moderate", applies_to: ["k8s:Deployment"], controls: ["CP-10"], rationale: "r", remediation: "m", params: #{ min: 2 } };"#;

fn policy(body: &str, overrides: &RuleOverrides) -> Policy {
    let src = RuleSource { path: "v.rhai".into(), text: Arc::from(format!("{META}\n{body}")) };
    Policy::load(&[src], overrides, Limits::default()).unwrap()
}

fn deployment() -> tollgate_inputs::Resource {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n        - name: a\n          image: nginx:latest\n";
    parse_text(Format::YAML, "d.yaml", &Arc::from(yaml)).unwrap().remove(0)
}

fn statuses(body: &str) -> Vec<(Status, String, Option<u32>)> {
    policy(body, &RuleOverrides::default())
        .evaluate(&deployment())
        .into_iter()
        .map(|f| (f.status, f.message, f.location.map(|l| l.start_line)))
        .collect()
}

#[test]
fn return_values_map_to_statuses() {
    assert_eq!(statuses("fn check(r) { }")[0].0, Status::Pass);
    assert_eq!(statuses("fn check(r) { true }")[0].0, Status::Pass);
    assert_eq!(statuses("fn check(r) { [] }")[0].0, Status::Pass);
    let f = &statuses("fn check(r) { false }")[0];
    assert_eq!((f.0, f.1.as_str()), (Status::Fail, "Replicas are at least two"));
    assert_eq!(statuses("fn check(r) { \"too few\" }")[0].1, "too few");
    assert_eq!(statuses("fn check(r) { skip(\"not mine\") }")[0].0, Status::Skip);
    let err = &statuses("fn check(r) { 42 }")[0];
    assert_eq!(err.0, Status::Error);
    assert!(err.1.contains("must return"), "{}", err.1);
}

#[test]
fn failures_point_at_the_property_line() {
    let many = statuses(
        r#"fn check(r) { let out = []; for (c, i) in r.pod.containers { if c.image.ends_with(":latest") { out.push(fail("latest tag", `${r.pod_path}.containers[${i}].image`)); } } out.push(fail("replicas", "spec.replicas")); out }"#,
    );
    assert_eq!(many, vec![(Status::Fail, "latest tag".into(), Some(12)), (Status::Fail, "replicas".into(), Some(7))]);
    // A path that does not exist points at its nearest parent.
    assert_eq!(statuses(r#"fn check(r) { fail("no limits", "spec.template.spec.containers[0].resources.limits") }"#)[0].2, Some(11));
}

#[test]
fn params_have_defaults_and_per_system_overrides() {
    let body = "fn check(r, p) { if r.data.spec.replicas < p.min { fail(`replicas below ${p.min}`) } else { pass() } }";
    assert_eq!(policy(body, &RuleOverrides::default()).evaluate(&deployment())[0].message, "replicas below 2");
    let mut o = RuleOverrides::default();
    o.params.insert("T-VER-001".into(), [("min".to_string(), serde_json::json!(1))].into());
    o.severity.insert("T-VER-001".into(), Severity::Critical);
    let f = policy(body, &o).evaluate(&deployment()).remove(0);
    assert_eq!((f.status, f.severity), (Status::Pass, Severity::Critical));
}

#[test]
fn metadata_problems_are_all_reported_with_spans() {
    let text = "const RULE = #{\n  id: \"bad id\",\n  title: \"\",\n  severty: \"high\",\n  applies_to: [\"Deployment\"],\n  controls: [\"AC-6(9)\", \"ac6\"],\n  rationale: \"r\", remediation: \"m\",\n};\nfn check(r) { pass() }\n";
    let src = RuleSource { path: "bad.rhai".into(), text: Arc::from(text) };
    let err = Policy::load(&[src], &RuleOverrides::default(), Limits::default()).err().unwrap();
    let messages: Vec<String> = err.errors.iter().map(|e| e.to_string()).collect();
    let all = messages.join("\n");
    for expected in [
        "unknown metadata field `severty`",
        "not of the form",
        "`title` is empty",
        "missing required field `severity`",
        "no family prefix",
        "`ac6` is not",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    let typo = err.errors.iter().find(|e| e.to_string().contains("severty")).unwrap();
    let RuleError::Metadata { span, help, .. } = typo else { panic!("wrong variant") };
    assert_eq!(&text[span.offset()..span.offset() + 7], "severty");
    assert_eq!(help.as_deref(), Some("did you mean `severity`?"));
}

#[test]
fn compile_errors_and_duplicates_are_load_errors() {
    let broken = RuleSource { path: "broken.rhai".into(), text: Arc::from(format!("{META}\nfn check(r) {{ let = 1; }}")) };
    let err = Policy::load(&[broken], &RuleOverrides::default(), Limits::default()).err().unwrap();
    let RuleError::Compile { span, .. } = &err.errors[0] else { panic!("{:?}", err.errors[0]) };
    assert!(span.offset() > META.len(), "span should be on the check line");

    let a = RuleSource { path: "a.rhai".into(), text: Arc::from(format!("{META}\nfn check(r) {{ pass() }}")) };
    let b = RuleSource { path: "b.rhai".into(), ..a.clone() };
    let err = Policy::load(&[a, b], &RuleOverrides::default(), Limits::default()).err().unwrap();
    assert!(err.errors[0].to_string().contains("defined in a.rhai and in b.rhai"), "{}", err.errors[0]);

    let mut o = RuleOverrides::default();
    o.disabled.push("T-VER-01".into());
    let c = RuleSource { path: "c.rhai".into(), text: Arc::from(format!("{META}\nfn check(r) {{ pass() }}")) };
    let err = Policy::load(&[c], &o, Limits::default()).err().unwrap();
    assert!(matches!(&err.errors[0], RuleError::UnknownId { help: Some(h), .. } if h.contains("T-VER-001")));
}

#[test]
fn related_finds_resources_of_the_same_unit() {
    let meta = META.replace("T-VER-001", "T-REL-001");
    let body = r#"fn check(r) { let svcs = related(r, "k8s:Service"); let peers = related(r, "k8s:Deployment"); if svcs.len() == 1 && peers.len() == 1 && svcs[0].id == "web" { pass() } else { fail(`svcs ${svcs.len()} peers ${peers.len()}`) } }"#;
    let src = RuleSource { path: "rel.rhai".into(), text: Arc::from(format!("{meta}\n{body}")) };
    let policy = Policy::load(&[src], &RuleOverrides::default(), Limits::default()).unwrap();
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n";
    let resources = parse_text(Format::YAML, "all.yaml", &Arc::from(yaml)).unwrap();
    let findings = policy.evaluate_all(resources.clone());
    assert_eq!(findings.iter().map(|f| f.status).collect::<Vec<_>>(), vec![Status::Pass, Status::Pass], "{findings:?}");
    // Evaluated alone, a resource has no relatives.
    assert_eq!(policy.evaluate(&resources[0])[0].message, "svcs 0 peers 0");
}

#[test]
fn params_are_read_only_views_that_behave_like_maps_and_arrays() {
    let meta = r#"const RULE = #{ id: "T-PAR-001", title: "t", severity: "low", applies_to: ["k8s:Deployment"], controls: ["CM-6"], rationale: "r", remediation: "m", params: #{ a: [1, 2], b: [3], name: "x" } };"#;
    let body = r#"fn check(r, p) { let all = p.a + p.b; if type_of(p) == "map" && all.len() == 3 && all.contains(3) && p.name == "x" { pass() } else { fail(`${all}`) } }"#;
    let src = RuleSource { path: "par.rhai".into(), text: Arc::from(format!("{meta}\n{body}")) };
    let policy = Policy::load(&[src], &RuleOverrides::default(), Limits::default()).unwrap();
    let f = policy.evaluate(&deployment()).remove(0);
    assert_eq!(f.status, Status::Pass, "{}", f.message);
    // Writing to params is refused like writing to a resource.
    let body = "fn check(r, p) { p.name = \"y\"; pass() }";
    let src = RuleSource { path: "par.rhai".into(), text: Arc::from(format!("{meta}\n{body}")) };
    let policy = Policy::load(&[src], &RuleOverrides::default(), Limits::default()).unwrap();
    assert_eq!(policy.evaluate(&deployment()).remove(0).status, Status::Error);
}
