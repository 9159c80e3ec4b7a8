//! Parser throughput: reads every input under DIR once, then parses each
//! group of files (by parser and resource family: `terraform`, `json/cfn`,
//! `json/terraform` for plans, …) repeatedly for about a second, and prints
//! MB/s (megabytes of input text per second, classification included).
//!
//! ```sh
//! cargo run --release -p tollgate-inputs --example parse_speed -- DIR [SECONDS]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tollgate_inputs::{discover, read_text, Excludes, Format};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: parse_speed DIR [SECONDS]");
        std::process::exit(2);
    };
    let budget = Duration::from_secs_f64(args.next().and_then(|s| s.parse().ok()).unwrap_or(1.0));
    let found = discover(&[PathBuf::from(dir)], &Excludes::new(&[]).expect("no patterns")).expect("scan root exists");
    let mut groups: BTreeMap<String, Vec<(Format, String, Arc<str>)>> = BTreeMap::new();
    for file in &found.files {
        let text = match read_text(file, 256 * 1024 * 1024) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("skipped: {e}");
                continue;
            }
        };
        let resources = match file.format.parse(&file.path, &text) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("skipped: {e}");
                continue;
            }
        };
        let family = resources.first().map(|r| r.kind.split(':').next().unwrap_or_default().to_string()).unwrap_or_default();
        let mut label =
            if family == file.format.name() || family.is_empty() { family.clone() } else { format!("{}/{family}", file.format.name()) };
        if file.format.name() == "terraform" {
            label.push_str(if file.path.ends_with(".json") { " (.tf.json)" } else { " (.tf)" });
        }
        groups.entry(label).or_default().push((file.format, file.path.clone(), text));
    }
    println!("{:<22} {:>6} {:>10} {:>11} {:>9}", "format", "files", "bytes", "resources", "MB/s");
    for (label, files) in &groups {
        let bytes: usize = files.iter().map(|(_, _, t)| t.len()).sum();
        let mut resources = 0;
        let mut rounds = 0u64;
        let started = Instant::now();
        while started.elapsed() < budget || rounds == 0 {
            resources = 0;
            for (format, path, text) in files {
                resources += std::hint::black_box(format.parse(path, text).expect("parsed before")).len();
            }
            rounds += 1;
        }
        let secs = started.elapsed().as_secs_f64();
        let mb_s = (bytes as f64 * rounds as f64) / secs / 1e6;
        println!("{label:<22} {:>6} {bytes:>10} {resources:>11} {mb_s:>9.1}", files.len());
        if label == "terraform (.tf)" {
            // Baseline: hcl-edit's parser alone, without building nodes and resources.
            let (mut rounds, started) = (0u64, Instant::now());
            while started.elapsed() < budget || rounds == 0 {
                for (_, _, text) in files {
                    std::hint::black_box(hcl::edit::parser::parse_body(text).expect("parsed before"));
                }
                rounds += 1;
            }
            let mb_s = (bytes as f64 * rounds as f64) / started.elapsed().as_secs_f64() / 1e6;
            println!("{:<22} {:>6} {bytes:>10} {:>11} {mb_s:>9.1}", "  hcl-edit parse only", files.len(), "-");
        }
    }
}
