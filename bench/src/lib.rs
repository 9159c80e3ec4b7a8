//! Shared pieces of Tollgate's benchmark binaries.
//!
//! * `gen-corpus` writes a seeded, deterministic corpus of Kubernetes
//!   manifests and JSON/YAML application configs.
//! * `bench-scan` times parsing alone and full scans over such a corpus at a
//!   chosen number of threads, and reports throughput and peak memory.
//! * `gen-program` writes a seeded program of many systems ([`program`]) for
//!   `bench/program.sh`, which times `tollgate program` on it.
//!
//! This library holds what both need: a tiny dependency-free PRNG, a minimal
//! `--flag value` argument reader, peak-RSS and CPU-time measurement, and the
//! timing splits of [`diag`] that explain where scan time goes. See
//! `bench/README.md` for what is measured and how to run it.
#![forbid(unsafe_code)]

pub mod diag;
pub mod program;

use std::collections::BTreeMap;
use std::fmt::Display;
use std::str::FromStr;

/// SplitMix64: turns a seed (and a stream number) into well-mixed state.
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xorshift64* generator: small, fast and fully determined by its seed.
/// Not for cryptography; only for reproducible test data.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator for stream `stream` of `seed`; different streams are independent.
    pub fn new(seed: u64, stream: u64) -> Self {
        let state = splitmix64(splitmix64(seed) ^ splitmix64(stream.wrapping_add(0x5DEE_CE66)));
        Rng { state: if state == 0 { 0x2545_F491_4F6C_DD1D } else { state } }
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        debug_assert!(lo <= hi);
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// Uniform in `0..n` as a usize (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Rounds to three decimals, for readable JSON output.
pub fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `--name value` pairs and bare `--flag`s from the command line.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, String>,
}

impl Args {
    /// Reads `std::env::args()`. `known` lists accepted names (without `--`);
    /// anything else is an error, as is a missing value.
    pub fn parse(known: &[&str]) -> Result<Args, String> {
        Args::from_iter(std::env::args().skip(1), known)
    }

    pub fn from_iter(args: impl IntoIterator<Item = String>, known: &[&str]) -> Result<Args, String> {
        let mut values = BTreeMap::new();
        let mut it = args.into_iter();
        while let Some(arg) = it.next() {
            let Some(name) = arg.strip_prefix("--") else {
                return Err(format!("unexpected argument `{arg}`"));
            };
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => {
                    if !known.contains(&name) {
                        return Err(format!("unknown option `--{name}`; expected one of: --{}", known.join(", --")));
                    }
                    let v = it.next().ok_or_else(|| format!("`--{name}` needs a value"))?;
                    (name.to_string(), v)
                }
            };
            if !known.contains(&name.as_str()) {
                return Err(format!("unknown option `--{name}`; expected one of: --{}", known.join(", --")));
            }
            values.insert(name, value);
        }
        Ok(Args { values })
    }

    /// The value of `--name`, parsed, or `default` when absent.
    pub fn get<T: FromStr>(&self, name: &str, default: Option<T>) -> Result<T, String>
    where
        T::Err: Display,
    {
        match self.values.get(name) {
            Some(v) => v.parse().map_err(|e| format!("bad value `{v}` for --{name}: {e}")),
            None => default.ok_or_else(|| format!("missing required option --{name}")),
        }
    }
}

/// Peak resident set size of this process in MiB (`VmHWM` in
/// `/proc/self/status`); `None` where that file does not exist.
pub fn peak_rss_mb() -> Option<f64> {
    proc_status_kb("VmHWM:").map(|kb| kb as f64 / 1024.0)
}

/// Current resident set size in MiB (`VmRSS`).
pub fn current_rss_mb() -> Option<f64> {
    proc_status_kb("VmRSS:").map(|kb| kb as f64 / 1024.0)
}

/// CPU time consumed so far by all live threads of this process, in seconds
/// (sum of the first field of `/proc/self/task/*/schedstat`, nanoseconds).
/// Unlike wall time, it is not inflated when other processes compete for the
/// CPUs, so it shows how much work a run did.
pub fn process_cpu_seconds() -> Option<f64> {
    let mut total: u64 = 0;
    for entry in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let stat = std::fs::read_to_string(entry.path().join("schedstat")).unwrap_or_default();
        total += stat.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    }
    Some(total as f64 / 1e9)
}

/// A fixed amount of pure CPU work (no allocation, no shared memory), for
/// measuring how much parallelism the machine actually delivers right now.
pub fn spin(iterations: u64) -> u64 {
    let mut x = iterations | 1;
    for _ in 0..iterations {
        x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407));
    }
    x
}

fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].trim().trim_end_matches("kB").trim().parse().ok()
}

/// Median of a non-empty list (mean of the middle two for even lengths).
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rng_is_deterministic_per_seed_and_stream() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(42, 7);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(42, 7);
                move |_| r.next_u64()
            })
            .collect();
        let c = Rng::new(42, 8).next_u64();
        assert_eq!(a, b);
        assert_ne!(a[0], c);
        let mut r = Rng::new(1, 0);
        assert!((0..1000).map(|_| r.range(3, 5)).all(|x| (3..=5).contains(&x)));
    }

    #[test]
    fn args_and_median() {
        let args = Args::from_iter(["--files".to_string(), "10".into(), "--out=x".into()], &["files", "out", "seed"]).unwrap();
        assert_eq!(args.get::<usize>("files", None).unwrap(), 10);
        assert_eq!(args.get::<String>("out", None).unwrap(), "x");
        assert_eq!(args.get::<u64>("seed", Some(42)).unwrap(), 42);
        assert!(Args::from_iter(["--nope".to_string(), "1".into()], &["files"]).is_err());
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
