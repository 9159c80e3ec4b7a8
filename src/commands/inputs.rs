//! `tollgate inputs`: the resources found in files, as rules will see them.

use super::setup;
use crate::cli::{InputsArgs, ListFormat};
use crate::Outcome;
use miette::{miette, Result};
use std::path::PathBuf;
use tollgate_inputs::{discover, Excludes};
use tollgate_reports::inventory;

pub fn run(args: InputsArgs) -> Result<Outcome> {
    let roots = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let excludes = Excludes::new(&args.exclude).map_err(|e| miette!("bad exclude glob: {e}"))?;
    let discovery = discover(&roots, &excludes)?;
    let (resources, mut errors) = setup::load_all(&discovery.files);
    errors.extend(discovery.errors);
    if let Some(wanted) = &args.show {
        let chosen: Vec<_> = resources.into_iter().filter(|r| &r.id == wanted || format!("{}/{}", r.kind, r.id) == *wanted).collect();
        if chosen.is_empty() {
            return Err(miette!(
                code = "tollgate::usage::not_found",
                "no resource with id `{wanted}` (try `tollgate inputs` to list them)"
            ));
        }
        print!("{}", inventory::json(&chosen, &[], true));
        return Ok(Outcome::Pass);
    }
    match args.format {
        ListFormat::Table => print!("{}", inventory::table(&resources, &errors)),
        ListFormat::Json => print!("{}", inventory::json(&resources, &errors, false)),
    }
    Ok(if errors.is_empty() { Outcome::Pass } else { Outcome::Fail })
}
