//! `tollgate controls --framework ID`: automated versus manual coverage.

use super::setup;
use crate::cli::{ControlsFormat, RuleSelection};
use crate::Outcome;
use miette::{miette, Result};
use tollgate_engine::catalog::Framework;
use tollgate_engine::coverage::framework_coverage;
use tollgate_engine::RuleMeta;
use tollgate_reports::controls;

/// The framework named `id`, or a usage error listing the valid ids.
pub fn framework(id: &str) -> Result<Framework> {
    Framework::from_id(id).ok_or_else(|| {
        let ids: Vec<&str> = Framework::ALL.iter().map(|f| f.id()).collect();
        miette!(code = "tollgate::usage::framework", help = format!("known frameworks: {}", ids.join(", ")), "unknown framework `{id}`")
    })
}

pub fn run(id: &str, format: ControlsFormat, selection: &RuleSelection) -> Result<Outcome> {
    let framework = framework(id)?;
    let policy = setup::selected_policy(selection)?;
    let metas: Vec<&RuleMeta> = policy.rules().iter().map(|r| r.meta.as_ref()).collect();
    let coverage = framework_coverage(framework, &metas);
    let text = match format {
        ControlsFormat::Table => controls::table(framework, &coverage),
        ControlsFormat::Json => controls::json(framework, &coverage),
        ControlsFormat::Markdown => controls::markdown(framework, &coverage),
    };
    print!("{text}");
    Ok(Outcome::Pass)
}
