//! Which parser reads a file, decided from its name.

use std::path::Path;

/// Input formats Tollgate can parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Json,
    Yaml,
    Toml,
}

impl Format {
    /// The family name used in generic resource kinds (`json:document`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
            Format::Toml => "toml",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "toml" => Some(Format::Toml),
            _ => None,
        }
    }
}

/// Tollgate's own files describe the scan; they are not inputs to it.
const OWN_FILES: &[&str] = &["tollgate.toml", "program.toml"];

/// Detects the format from the file name; `None` means "not an input".
pub fn detect(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    if OWN_FILES.contains(&name) {
        return None;
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "yaml" | "yml" => Some(Format::Yaml),
        "toml" => Some(Format::Toml),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_extension_and_skips_own_config() {
        assert_eq!(detect(Path::new("a/b.YML")), Some(Format::Yaml));
        assert_eq!(detect(Path::new("x.json")), Some(Format::Json));
        assert_eq!(detect(Path::new("tollgate.toml")), None);
        assert_eq!(detect(Path::new("README.md")), None);
        assert_eq!(detect(Path::new("Makefile")), None);
    }
}
