//! Embeds every `*.rhai` rule (and its `*.tests.yaml` cases) under this
//! directory into the crate, so the binary needs no rule files at run time.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "src" | "tests" | "target") && !name.starts_with('.') {
                collect(&path, out);
            }
        } else if name.ends_with(".rhai") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut rules = Vec::new();
    collect(&root, &mut rules);
    rules.sort();
    let mut code = String::from("&[\n");
    for path in &rules {
        let rel = path.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
        let cases = path.with_file_name(path.file_name().expect("file").to_string_lossy().replace(".rhai", ".tests.yaml"));
        let cases_expr = if cases.exists() { format!("Some(include_str!({:?}))", cases.display().to_string()) } else { "None".into() };
        writeln!(
            code,
            "    EmbeddedRule {{ path: {:?}, source: include_str!({:?}), cases: {cases_expr} }},",
            format!("builtin/{rel}"),
            path.display().to_string()
        )
        .expect("write to string");
    }
    code.push(']');
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("builtin.rs");
    std::fs::write(out, code).expect("write generated file");
    // Cargo rescans a directory given here for any change below it.
    println!("cargo:rerun-if-changed={}", root.display());
}
