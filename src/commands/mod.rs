//! One module per subcommand, plus the setup they share.

pub mod scan;
pub mod setup;
