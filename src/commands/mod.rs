//! One module per subcommand, plus the setup they share.

pub mod collect;
pub mod controls;
pub mod eval;
pub mod inputs;
pub mod poam;
pub mod rules;
pub mod scaffold;
pub mod scan;
pub mod setup;
