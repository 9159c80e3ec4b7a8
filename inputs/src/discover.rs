//! Finding input files under the scan roots.
//!
//! Walks each root (following symlinks, with loop detection), skips version
//! control and tool caches, applies exclude globs, and returns files in a
//! deterministic order. Unreadable directories and symlink loops become
//! [`InputError`]s; the walk continues past them.

use crate::error::InputError;
use crate::formats::{detect, Format};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Directories never descended into: VCS metadata and dependency caches.
pub const DEFAULT_SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn", ".terraform", "node_modules"];

/// One file to parse.
#[derive(Clone, Debug)]
pub struct InputFile {
    /// Where to read it.
    pub fs_path: PathBuf,
    /// How reports name it (relative to the scan root, `/`-separated).
    pub path: String,
    pub format: Format,
    /// Files sharing a unit are evaluated together (see `Parser::unit`).
    pub unit: String,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<InputFile>,
    pub errors: Vec<InputError>,
    /// Files seen but not in any recognised format.
    pub unrecognised: usize,
}

/// Exclude globs, matched against the relative path and against each name.
#[derive(Debug, Clone)]
pub struct Excludes {
    set: GlobSet,
}

impl Excludes {
    pub fn new(patterns: &[String]) -> Result<Self, globset::Error> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            b.add(Glob::new(p.trim_end_matches('/'))?);
        }
        Ok(Excludes { set: b.build()? })
    }

    pub fn matches(&self, rel_path: &str) -> bool {
        if self.set.is_match(rel_path) {
            return true;
        }
        rel_path.rsplit('/').next().is_some_and(|name| self.set.is_match(name))
    }
}

/// Walks `roots` and returns the input files found, sorted by display path.
/// A root that does not exist is an error for the caller to report.
pub fn discover(roots: &[PathBuf], excludes: &Excludes) -> Result<Discovery, InputError> {
    discover_with(roots, excludes, &ParserOverrides::default())
}

/// `--parser GLOB=FORMAT` and `[scan] parsers`: the named parser reads files
/// matching the glob (relative path or file name), whatever detection says.
#[derive(Clone, Default)]
pub struct ParserOverrides {
    rules: Vec<(globset::GlobMatcher, Format)>,
}

impl ParserOverrides {
    /// From `(glob, parser name)` pairs; errors name the bad glob or parser.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, String> {
        let mut rules = Vec::new();
        for (glob, name) in pairs {
            let format = Format::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = crate::formats::PARSERS.iter().map(|p| p.name()).collect();
                format!("unknown parser `{name}` for `{glob}`; known parsers: {}", known.join(", "))
            })?;
            let matcher = Glob::new(glob).map_err(|e| format!("bad glob `{glob}`: {e}"))?.compile_matcher();
            rules.push((matcher, format));
        }
        Ok(ParserOverrides { rules })
    }

    /// The overriding parser for a relative path, if any (the first match wins).
    pub fn format_for(&self, rel_path: &str) -> Option<Format> {
        let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
        self.rules.iter().find(|(m, _)| m.is_match(rel_path) || m.is_match(name)).map(|(_, f)| *f)
    }
}

/// [`discover`] with parser overrides.
pub fn discover_with(roots: &[PathBuf], excludes: &Excludes, parsers: &ParserOverrides) -> Result<Discovery, InputError> {
    let mut found = Discovery::default();
    for root in roots {
        if !root.exists() {
            return Err(InputError::Io { path: root.display().to_string(), message: "no such file or directory".into() });
        }
        let prefix = root_prefix(roots, root);
        walk_root(root, &prefix, excludes, parsers, &mut found);
        if root.is_file() {
            add_module_siblings(root, excludes, parsers, &mut found);
        }
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    found.files.dedup_by(|a, b| a.path == b.path);
    Ok(found)
}

fn is_own_file(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| crate::formats::OWN_FILES.contains(&n))
}

/// A Terraform module is one evaluation unit, so naming one of its files
/// (`tollgate scan modules/net/main.tf`, as pre-commit does) reads the
/// module: the other Terraform files directly beside it are added too.
fn add_module_siblings(file: &Path, excludes: &Excludes, parsers: &ParserOverrides, found: &mut Discovery) {
    let display = display_root(file);
    let is_terraform = |rel: &str, path: &Path| parsers.format_for(rel).or_else(|| detect(path)) == Some(Format::TERRAFORM);
    if !is_terraform(&display, file) {
        return;
    }
    let dir_display = display.rsplit_once('/').map_or("", |(dir, _)| dir);
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = join(dir_display, &name);
        if rel == display || !path.is_file() || excludes.matches(&rel) || !is_terraform(&rel, &path) {
            continue;
        }
        found.files.push(InputFile { fs_path: path, unit: Format::TERRAFORM.unit(&rel), path: rel, format: Format::TERRAFORM });
    }
}

/// What report paths under `root` start with: nothing when one directory is
/// scanned, else the root as given, so files of several roots stay apart.
pub(crate) fn root_prefix(roots: &[PathBuf], root: &Path) -> String {
    if roots.len() == 1 && root.is_dir() {
        String::new()
    } else {
        display_root(root)
    }
}

/// How reports name a root given on the command line (`./a/` → `a`, `.` → ``).
pub(crate) fn display_root(root: &Path) -> String {
    let s = root.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    if s == "." || s.is_empty() {
        String::new()
    } else {
        s.to_string()
    }
}

/// `prefix/rel`, either side possibly empty.
pub(crate) fn join(prefix: &str, rel: &str) -> String {
    match (prefix.is_empty(), rel.is_empty()) {
        (true, _) => rel.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}/{rel}"),
    }
}

fn walk_root(root: &Path, prefix: &str, excludes: &Excludes, parsers: &ParserOverrides, found: &mut Discovery) {
    let relative = |p: &Path| -> String {
        let rel = p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/");
        if rel.is_empty() {
            // A file given directly as a root is named as the user gave it.
            root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        } else {
            rel
        }
    };
    let walker = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if e.file_type().is_dir() && DEFAULT_SKIPPED_DIRS.contains(&name.as_ref()) {
            return false;
        }
        !excludes.matches(&relative(e.path()))
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(|p| join(prefix, &relative(p))).unwrap_or_else(|| prefix.to_string());
                let message = if err.loop_ancestor().is_some() { "symlink loop".to_string() } else { err.to_string() };
                found.errors.push(InputError::Walk { path, message });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = if entry.depth() == 0 && root.is_file() { display_root(root) } else { join(prefix, &relative(entry.path())) };
        match parsers.format_for(&rel).or_else(|| detect(entry.path())) {
            Some(format) => found.files.push(InputFile { fs_path: entry.path().to_path_buf(), unit: format.unit(&rel), path: rel, format }),
            None if is_own_file(entry.path()) => {}
            None => found.unrecognised += 1,
        }
    }
}
