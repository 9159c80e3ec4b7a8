//! Bad input gets a clear diagnostic and nothing else is lost: each broken
//! file is reported and counted, and every other file is still judged.

mod common;
use common::*;

#[test]
fn hostile_files_are_reported_and_the_scan_goes_on() {
    let dir = tree(&[
        ("good/pod.yaml", PRIVILEGED_POD),
        ("tollgate.toml", "[scan]\nmax_file_size = 4096\n"),
        ("big.yaml", &"a: 1\n".repeat(2000)),
        ("bomb.yaml", "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"),
        ("deep.json", &format!("{}{}", "[".repeat(300), "]".repeat(300))),
    ]);
    let d = dir.path();
    std::fs::write(d.join("latin1.yaml"), b"name: caf\xe9\n").unwrap();
    std::fs::write(d.join("blob.json"), b"{\"a\": \"\0\0\0\"}").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", d.join("good/loop")).unwrap();

    let out = run_in(d, &["scan", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let report = json(&out);
    let errors: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string()))
        .collect();
    let has = |path: &str, code: &str| errors.iter().any(|(p, c)| p == path && c == code);
    assert!(has("big.yaml", "tollgate::input::too_large"), "{errors:?}");
    assert!(has("bomb.yaml", "tollgate::input::parse"), "{errors:?}");
    assert!(has("deep.json", "tollgate::input::parse"), "{errors:?}");
    assert!(has("latin1.yaml", "tollgate::input::encoding"), "{errors:?}");
    assert!(has("blob.json", "tollgate::input::encoding"), "{errors:?}");
    #[cfg(unix)]
    assert!(errors.iter().any(|(p, c)| p.starts_with("good/loop") && c == "tollgate::input::walk"), "{errors:?}");
    assert_eq!(report["summary"]["input_errors"].as_u64().unwrap() as usize, errors.len());
    // The good file is still judged.
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule_id"] == "TG-K8S-001" && f["status"] == "fail"));
    // Each diagnostic names its file on stderr.
    let err = stderr(&out);
    for name in ["big.yaml", "bomb.yaml", "latin1.yaml"] {
        assert!(err.contains(name), "{name} missing from stderr:\n{err}");
    }
}
