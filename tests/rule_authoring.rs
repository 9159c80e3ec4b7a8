//! Performs docs/rule-authoring.md step by step, using the code blocks of
//! the document itself, so the tutorial cannot drift from the tool.

mod common;
use common::*;

/// The fenced code blocks of the tutorial, in order, with their language.
fn blocks() -> Vec<(String, String)> {
    let doc = std::fs::read_to_string(repo_root().join("docs/rule-authoring.md")).unwrap();
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some("")) => out.push(current.take().unwrap()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn block(lang: &str, nth: usize) -> String {
    blocks().into_iter().filter(|(l, _)| l == lang).nth(nth).unwrap_or_else(|| panic!("no {lang} block #{nth}")).1
}

#[test]
fn the_tutorial_works_as_written() {
    let dir = tree(&[]);
    let d = dir.path();
    let tg = |args: &[&str]| run_in(d, args);

    // 1. Scaffold; the scaffold passes its own cases.
    let out = tg(&["rules", "new", "ACME-K8S-001", "--kind", "k8s:Deployment", "--dir", "policies"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(d.join("policies/acme_k8s_001.rhai").exists() && d.join("policies/acme_k8s_001.tests.yaml").exists());
    let out = tg(&["rules", "test", "policies"]);
    assert_eq!(code(&out), 0, "scaffold cases fail:\n{}", stdout(&out));
    assert!(stdout(&out).contains("test result: ok. 2 passed; 0 failed"), "{}", stdout(&out));
    // Scaffolding twice never overwrites.
    assert_eq!(code(&tg(&["rules", "new", "ACME-K8S-001", "--kind", "k8s:Deployment", "--dir", "policies"])), 2);

    // 2–3. The tutorial's rule and cases.
    std::fs::write(d.join("policies/acme_k8s_001.rhai"), block("rhai", 0)).unwrap();
    std::fs::write(d.join("policies/acme_k8s_001.tests.yaml"), block("yaml", 0)).unwrap();
    let out = tg(&["rules", "test", "policies"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("test result: ok. 3 passed; 0 failed"), "{}", stdout(&out));
    let out = tg(&["rules", "lint", "policies"]);
    assert_eq!(code(&out), 0, "lint: {}", stdout(&out));

    // 4. eval shows the verdict and the data.
    std::fs::create_dir(d.join("k8s")).unwrap();
    std::fs::write(
        d.join("k8s/api.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: payments\nspec:\n  replicas: 1\n",
    )
    .unwrap();
    let out = tg(&["eval", "--rule", "policies/acme_k8s_001.rhai", "k8s/"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.contains("fail  line 7") && text.contains("\"replicas\": 1"), "{text}");

    // 5. Scan with the pack, then with the config and a param override.
    let out = tg(&["scan", "k8s/", "--rules", "policies", "--no-builtin", "--format", "json"]);
    let report = json(&out);
    let f = &report["findings"][0];
    assert_eq!(
        (f["rule_id"].as_str(), f["status"].as_str(), f["location"]["start_line"].as_u64()),
        (Some("ACME-K8S-001"), Some("fail"), Some(7))
    );
    std::fs::write(d.join("tollgate.toml"), block("toml", 0)).unwrap();
    std::fs::write(
        d.join("k8s/api.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: payments}\nspec: {replicas: 2}\n",
    )
    .unwrap();
    let report = json(&tg(&["scan", "k8s/", "--format", "json"]));
    let mine: Vec<_> = report["findings"].as_array().unwrap().iter().filter(|f| f["rule_id"] == "ACME-K8S-001").collect();
    assert_eq!(mine[0]["status"], "fail", "min_replicas = 3 from tollgate.toml applies");
    assert!(mine[0]["message"].as_str().unwrap().contains("at least 3"));
}
