//! The `tollgate` binary: parses arguments, wires inputs → engine → reports
//! together, and maps outcomes to exit codes. All real work is in the crates.
//!
//! Exit codes: 0 the gate passed; 1 failing findings at or above `--fail-on`,
//! or inputs/rules that errored; 2 usage, configuration or rule-loading error.

mod cli;
mod commands;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// What a command concluded, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Scan(args) => commands::scan::run(args),
        cli::Command::Inputs(args) => commands::inputs::run(args),
        cli::Command::Rules { command } => commands::rules::run(command),
        cli::Command::Eval(args) => commands::eval::run(args),
        cli::Command::Collect { out, root } => commands::collect::run(&out, &root),
        cli::Command::Poam { command } => commands::poam::run(command),
        cli::Command::Baseline { command: cli::BaselineCommand::Create(args) } => commands::scan::create_baseline(args),
        cli::Command::Program(args) => commands::program::run(args),
        cli::Command::Merge(args) => commands::merge::run(args),
        cli::Command::Controls { framework, format, selection } => commands::controls::run(&framework, format, &selection),
    };
    match result {
        Ok(Outcome::Pass) => ExitCode::SUCCESS,
        Ok(Outcome::Fail) => ExitCode::from(1),
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}
