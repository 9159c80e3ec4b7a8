//! Results of `tollgate rules test`: cargo-test-style text, and JUnit XML for CI.

use crate::diagnostic;
use miette::{Diagnostic, NamedSource, SourceSpan};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::fmt::Write;
use std::sync::Arc;
use tollgate_engine::fixtures::RuleCases;

/// A failing case, drawn against the rule's `check` function.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{case}: {message}")]
#[diagnostic(code(tollgate::rule::test))]
struct CaseFailure {
    case: String,
    message: String,
    #[source_code]
    src: NamedSource<Arc<str>>,
    #[label("the rule under test")]
    span: SourceSpan,
}

fn check_span(text: &str) -> SourceSpan {
    let start = text.find("fn check").unwrap_or(0);
    let len = text[start..].find('\n').unwrap_or(text.len() - start);
    (start, len).into()
}

/// Cargo-test-style output; the last line is `test result: ok. N passed; M failed`.
pub fn text(runs: &[RuleCases]) -> String {
    let total: usize = runs.iter().map(|r| r.outcomes.len()).sum();
    let mut out = format!("running {total} cases for {} rules\n\n", runs.len());
    let mut failures = String::new();
    for run in runs {
        if let Some(problem) = &run.problem {
            let _ = writeln!(out, "test {} ... FAILED", run.source);
            let _ = writeln!(failures, "---- {} ----\n{problem}\n", run.source);
        }
        for o in &run.outcomes {
            let verdict = if o.failure.is_some() { "FAILED" } else { "ok" };
            let _ = writeln!(out, "test {} :: {} ... {verdict}", run.source, o.name);
            if let Some(message) = &o.failure {
                let failure = CaseFailure {
                    case: format!("{} :: {}", run.source, o.name),
                    message: message.clone(),
                    src: NamedSource::new(&run.source, Arc::clone(&run.text)),
                    span: check_span(&run.text),
                };
                let _ = writeln!(failures, "---- {} :: {} ----\n{}", run.source, o.name, diagnostic::render(&failure, false, 100));
            }
        }
    }
    let failed: usize = runs.iter().map(RuleCases::failed).sum();
    let passed = total - runs.iter().map(|r| r.outcomes.iter().filter(|o| o.failure.is_some()).count()).sum::<usize>();
    if !failures.is_empty() {
        let _ = write!(out, "\nfailures:\n\n{failures}");
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(out, "\ntest result: {verdict}. {passed} passed; {failed} failed");
    out
}

/// JUnit XML: one suite per rule, one test case per case.
pub fn junit(runs: &[RuleCases]) -> String {
    let mut report = Report::new("tollgate rules test");
    for run in runs {
        let mut suite = TestSuite::new(run.rule_id.as_str());
        if let Some(problem) = &run.problem {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(problem.as_str());
            suite.add_test_case(TestCase::new("cases", status));
        }
        for o in &run.outcomes {
            let status = match &o.failure {
                None => TestCaseStatus::success(),
                Some(message) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(message.lines().next().unwrap_or_default());
                    s.set_description(message.as_str());
                    s
                }
            };
            let mut case = TestCase::new(o.name.as_str(), status);
            case.set_classname(run.source.as_str());
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string().unwrap_or_default()
}
