//! One module per subcommand, plus the setup they share.

pub mod baseline;
pub mod changed;
pub mod collect;
pub mod controls;
pub mod eval;
pub mod inputs;
pub mod merge;
pub mod poam;
pub mod program;
pub mod program_scan;
pub mod rules;
pub mod scaffold;
pub mod scan;
pub mod setup;
