//! `gen-program --out DIR [--systems 1000] [--files 50] [--seed 42]`: writes
//! a seeded program of SYSTEMS systems with about FILES inputs each (see
//! `tollgate_bench::program`), replacing DIR, and prints one JSON line with
//! what it wrote.

use std::path::PathBuf;
use tollgate_bench::program::{system_dir, system_files};
use tollgate_bench::Args;

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-program: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse(&["out", "systems", "files", "seed"])?;
    let out: PathBuf = args.get::<String>("out", None)?.into();
    let systems: usize = args.get("systems", Some(1000))?;
    let files: usize = args.get("files", Some(50))?;
    let seed: u64 = args.get("seed", Some(42))?;
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    let (mut written, mut bytes) = (0usize, 0usize);
    for i in 0..systems {
        for (path, text) in system_files(seed, i, systems, files) {
            let full = out.join(&path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&full, &text).map_err(|e| format!("{}: {e}", full.display()))?;
            written += 1;
            bytes += text.len();
        }
    }
    let program = format!("[program]\nname = \"Benchmark program\"\nid = \"BENCH-{systems}\"\nowner = \"ISSM\"\n");
    std::fs::write(out.join("program.toml"), program).map_err(|e| e.to_string())?;
    println!(
        "{{\"systems\":{systems},\"files\":{written},\"inputs\":{},\"bytes\":{bytes},\"seed\":{seed},\"first\":\"{}\"}}",
        written - systems,
        system_dir(0)
    );
    Ok(())
}
