//! `tollgate rules …`: the rule author's kit.

use super::{scaffold, setup};
use crate::cli::{ListFormat, RulesCommand, TestFormat};
use crate::Outcome;
use miette::{miette, IntoDiagnostic, Result};
use tollgate_engine::fixtures::{run_rule_cases, RuleCases};
use tollgate_engine::lint::{lint, LintInput};
use tollgate_engine::RuleMeta;
use tollgate_reports::{fixtures, ruledoc, rules};

pub fn run(command: RulesCommand) -> Result<Outcome> {
    match command {
        RulesCommand::List { selection, framework, format } => {
            let policy = setup::selected_policy(&selection)?;
            let metas: Vec<&RuleMeta> = policy
                .rules()
                .iter()
                .map(|r| r.meta.as_ref())
                .filter(|m| framework.as_deref().is_none_or(|f| in_framework(m, f)))
                .collect();
            match format {
                ListFormat::Table => print!("{}", rules::list_table(&metas)),
                ListFormat::Json => print!("{}", rules::list_json(&metas)),
            }
            Ok(Outcome::Pass)
        }
        RulesCommand::Show { id, selection } => {
            let policy = setup::selected_policy(&selection)?;
            let rule = policy.rules().iter().find(|r| r.meta.id.eq_ignore_ascii_case(&id)).ok_or_else(|| {
                let ids = policy.rules().iter().map(|r| r.meta.id.as_str());
                let hint = tollgate_engine::suggest::closest(&id, ids).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
                miette!(code = "tollgate::usage::not_found", "no rule `{id}`{hint}")
            })?;
            let cases = setup::builtin_rule_files()
                .into_iter()
                .find(|f| f.source.path == rule.meta.source)
                .and_then(|f| f.cases)
                .and_then(|c| tollgate_engine::fixtures::parse_cases(&rule.meta.source, &c).ok())
                .map(|c| c.cases.len());
            print!("{}", rules::show_text(&rule.meta, cases));
            Ok(Outcome::Pass)
        }
        RulesCommand::Test { dirs, coverage, format } => test(&dirs, coverage, format),
        RulesCommand::New { id, kind, dir } => {
            let written = scaffold::write(&id, &kind, &dir)?;
            for path in written {
                println!("created {}", path.display());
            }
            Ok(Outcome::Pass)
        }
        RulesCommand::Lint { dirs } => lint_rules(&dirs),
        RulesCommand::Doc { selection, out } => {
            let policy = setup::selected_policy(&selection)?;
            std::fs::create_dir_all(&out).into_diagnostic()?;
            let metas: Vec<&RuleMeta> = policy.rules().iter().map(|r| r.meta.as_ref()).collect();
            for m in &metas {
                std::fs::write(out.join(ruledoc::page_name(m)), ruledoc::page(m)).into_diagnostic()?;
            }
            std::fs::write(out.join("README.md"), ruledoc::index(&metas)).into_diagnostic()?;
            println!("wrote {} rule pages and README.md to {}", metas.len(), out.display());
            Ok(Outcome::Pass)
        }
        RulesCommand::Api => {
            print!("{}", tollgate_engine::sandbox::api_definitions());
            Ok(Outcome::Pass)
        }
    }
}

/// Whether a rule evidences any member of `framework`.
fn in_framework(m: &RuleMeta, framework: &str) -> bool {
    let Some(f) = tollgate_engine::catalog::Framework::from_id(framework) else { return false };
    if f.is_800_53() {
        m.controls.iter().any(|c| f.contains(c))
    } else {
        m.nist_800_171.iter().any(|r| f.contains(r))
    }
}

fn test(dirs: &[std::path::PathBuf], coverage: bool, format: TestFormat) -> Result<Outcome> {
    let files = setup::rule_files_or_builtin(dirs)?;
    let policy = setup::policy_of(&files)?;
    let runs: Vec<RuleCases> = files
        .iter()
        .filter_map(|f| {
            let rule = policy.rules().iter().find(|r| r.meta.source == f.source.path)?;
            Some(run_rule_cases(&policy, &rule.meta.id, &f.source.path, f.source.text.clone(), f.cases.as_deref(), f.dir.as_deref()))
        })
        .collect();
    match format {
        TestFormat::Text => print!("{}", fixtures::text(&runs)),
        TestFormat::Junit => print!("{}", fixtures::junit(&runs)),
    }
    if coverage {
        eprint!("{}", coverage_text(&runs));
        eprint!("{}", framework_gaps(&policy));
    }
    let failed = runs.iter().any(|r| r.failed() > 0) || (coverage && runs.iter().any(|r| !r.has_pass_and_fail));
    Ok(if failed { Outcome::Fail } else { Outcome::Pass })
}

/// Per rule: how many cases, and whether both a pass and a fail are covered.
fn coverage_text(runs: &[RuleCases]) -> String {
    let mut out = String::from("\ncoverage (a rule needs at least one pass and one fail case):\n");
    let mut complete = 0;
    for r in runs {
        let mark = if r.has_pass_and_fail {
            complete += 1;
            "ok     "
        } else {
            "MISSING"
        };
        out.push_str(&format!("  {mark}  {:<24} {:>3} cases  {}\n", r.rule_id, r.outcomes.len(), r.source));
    }
    out.push_str(&format!("{complete} of {} rules have both pass and fail cases\n", runs.len()));
    out
}

/// Per framework: how many members have at least one rule.
fn framework_gaps(policy: &tollgate_engine::Policy) -> String {
    use tollgate_engine::catalog::Framework;
    use tollgate_engine::coverage::{automated_share, framework_coverage};
    let metas: Vec<&RuleMeta> = policy.rules().iter().map(|r| r.meta.as_ref()).collect();
    let mut out = String::from("\ncontrols with a rule, per framework (`tollgate controls --framework ID` lists the rest):\n");
    for f in Framework::ALL {
        let (automated, total) = automated_share(&framework_coverage(f, &metas));
        out.push_str(&format!("  {:26} {automated:>4} of {total:<4} have a rule; {} have none\n", f.id(), total - automated));
    }
    out
}

fn lint_rules(dirs: &[std::path::PathBuf]) -> Result<Outcome> {
    let files = setup::rule_files_or_builtin(dirs)?;
    let policy = match setup::policy_of(&files) {
        Ok(p) => p,
        Err(report) => {
            eprintln!("{report:?}");
            return Ok(Outcome::Fail);
        }
    };
    let inputs: Vec<LintInput> = files
        .iter()
        .filter_map(|f| {
            let rule = policy.rules().iter().find(|r| r.meta.source == f.source.path)?;
            Some(LintInput { rule, text: &f.source.text, cases: f.cases.as_deref() })
        })
        .collect();
    let known = tollgate_inputs::known_kinds();
    let problems = lint(&inputs, &known, &|id| tollgate_engine::catalog::control(id).is_some());
    for p in &problems {
        let at = p.line.map_or_else(|| p.path.clone(), |l| format!("{}:{l}", p.path));
        println!("{at}: {} [{}] {}", p.rule_id, p.code, p.message);
    }
    println!("{} rules linted, {} problems", inputs.len(), problems.len());
    Ok(if problems.is_empty() { Outcome::Pass } else { Outcome::Fail })
}
