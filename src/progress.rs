//! A progress bar on stderr for long scans, only where a person is watching.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use tollgate_engine::ScanObserver;

/// Scans with fewer files than this finish before a bar would help.
const MIN_FILES_FOR_BAR: usize = 200;

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar only on a terminal, never with `-q` or in CI logs.
    pub fn new(quiet: bool) -> Self {
        let wanted = !quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress { bar: wanted.then(|| ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())) }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl ScanObserver for Progress {
    fn start(&self, files: usize) {
        if let Some(bar) = &self.bar {
            if files < MIN_FILES_FOR_BAR {
                bar.set_draw_target(ProgressDrawTarget::hidden());
            }
            bar.set_length(files as u64);
            bar.set_style(
                ProgressStyle::with_template("{spinner} scanning {pos}/{len} files {wide_bar} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
        }
    }

    fn file_done(&self, _path: &str) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}
