//! `tollgate collect --out DIR`: snapshot host configuration for a later scan.

use crate::Outcome;
use miette::{miette, Result};
use std::path::Path;
use tollgate_inputs::collect::{collect, MANIFEST};

pub fn run(out: &Path, root: &Path) -> Result<Outcome> {
    let manifest = collect(root, out, root == Path::new("/"))
        .map_err(|e| miette!(code = "tollgate::collect::io", "cannot write to {}: {e}", out.display()))?;
    println!(
        "collected {} files and {} command outputs from {} into {}",
        manifest.files.len(),
        manifest.commands.len(),
        root.display(),
        out.display()
    );
    for n in &manifest.not_collected {
        println!("  not collected: {} ({})", n.path, n.reason);
    }
    println!("manifest: {}; scan it with `tollgate scan {}`", out.join(MANIFEST).display(), out.display());
    Ok(Outcome::Pass)
}
