//! Every case in every `*.tests.yaml` of the library becomes its own test,
//! found by glob: adding a rule or a case needs no Rust edit.

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tollgate_engine::fixtures::{read_cases, run_case};
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource};

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut trials = Vec::new();
    let sources: Vec<(PathBuf, RuleSource)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rhai"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap_or(e.path()).display().to_string();
            let text = std::fs::read_to_string(e.path()).expect("readable rule");
            (e.path().to_path_buf(), RuleSource { path: format!("builtin/{rel}"), text: Arc::from(text) })
        })
        .collect();
    // One policy holding the whole library: also proves ids are unique and all rules load.
    let all: Vec<RuleSource> = sources.iter().map(|(_, s)| s.clone()).collect();
    let policy = Arc::new(Policy::load(&all, &RuleOverrides::default(), Limits::default()).unwrap_or_else(|e| {
        for err in &e.errors {
            eprintln!("{}", tollgate_reports::diagnostic::render(err, false, 100));
        }
        panic!("the built-in library does not load")
    }));
    for (path, source) in &sources {
        let id = policy.rules().iter().find(|r| r.meta.source == source.path).map(|r| r.meta.id.clone()).expect("loaded");
        let cases_path = tollgate_engine::fixtures::cases_path(path);
        let name = source.path.trim_start_matches("builtin/").to_string();
        if !cases_path.exists() {
            trials
                .push(Trial::test(format!("{name}::has_cases"), move || Err(Failed::from(format!("{name} has no .tests.yaml beside it")))));
            continue;
        }
        let file = match read_cases(&cases_path) {
            Ok(f) => f,
            Err(e) => {
                trials.push(Trial::test(format!("{name}::cases_parse"), move || Err(Failed::from(e))));
                continue;
            }
        };
        let has_both = tollgate_engine::fixtures::has_pass_and_fail(&file);
        let n = name.clone();
        trials.push(Trial::test(format!("{name}::has_pass_and_fail_cases"), move || {
            if has_both {
                Ok(())
            } else {
                Err(Failed::from(format!("{n} needs at least one pass and one fail case")))
            }
        }));
        let dir = cases_path.parent().unwrap().to_path_buf();
        for case in file.cases {
            let (policy, id, dir) = (Arc::clone(&policy), id.clone(), dir.clone());
            trials.push(Trial::test(format!("{name}::{}", case.name), move || {
                let outcome = run_case(&policy, &id, &case, Some(&dir));
                outcome.failure.map_or(Ok(()), |f| Err(Failed::from(f)))
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
