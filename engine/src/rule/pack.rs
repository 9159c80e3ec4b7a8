//! Rule packs: a directory of rules, optionally described by `pack.toml`.
//!
//! ```toml
//! name = "acme-kubernetes"
//! version = "1.4.0"
//! description = "ACME's Kubernetes controls"
//! min_tollgate_version = "0.1.0"
//! ```
//! A pack that needs a newer Tollgate is refused with a clear error rather
//! than half-loaded.

use crate::error::RuleError;
use serde::Deserialize;
use std::path::Path;

/// File name of a pack manifest.
pub const MANIFEST: &str = "pack.toml";

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PackManifest {
    pub name: String,
    pub version: Option<String>,
    pub description: Option<String>,
    pub min_tollgate_version: Option<String>,
}

/// `major.minor.patch` as numbers; missing parts are 0, pre-release tags ignored.
fn version_key(v: &str) -> Option<(u64, u64, u64)> {
    let core = v.trim().trim_start_matches('v').split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

/// Reads `dir/pack.toml` if present and checks it against this Tollgate.
pub fn read_manifest(dir: &Path) -> Result<Option<PackManifest>, RuleError> {
    let path = dir.join(MANIFEST);
    let display = path.display().to_string();
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
    let manifest: PackManifest =
        toml::from_str(&text).map_err(|e| RuleError::Pack { path: display.clone(), message: e.message().to_string() })?;
    if let Some(min) = &manifest.min_tollgate_version {
        let needed =
            version_key(min).ok_or_else(|| RuleError::Pack { path: display.clone(), message: format!("`{min}` is not a version") })?;
        let ours = version_key(env!("CARGO_PKG_VERSION")).unwrap_or_default();
        if needed > ours {
            return Err(RuleError::Pack {
                path: display,
                message: format!("pack `{}` needs Tollgate {min} or newer; this is {}", manifest.name, env!("CARGO_PKG_VERSION")),
            });
        }
    }
    Ok(Some(manifest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(version_key("0.10.0") > version_key("0.9.3"));
        assert_eq!(version_key("v1.2"), Some((1, 2, 0)));
        assert_eq!(version_key("1.2.3-rc1"), Some((1, 2, 3)));
        assert_eq!(version_key("x"), None);
    }

    #[test]
    fn manifests_are_checked() {
        let dir = std::env::temp_dir().join(format!("tollgate-pack-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(read_manifest(&dir).unwrap(), None);
        std::fs::write(dir.join(MANIFEST), "name = \"p\"\nmin_tollgate_version = \"999.0.0\"\n").unwrap();
        assert!(read_manifest(&dir).unwrap_err().to_string().contains("needs Tollgate 999.0.0"));
        std::fs::write(dir.join(MANIFEST), "name = \"p\"\nversion = \"1.0.0\"\nauthor = \"me\"\n").unwrap();
        assert!(read_manifest(&dir).unwrap_err().to_string().contains("unknown field `author`"));
        std::fs::write(dir.join(MANIFEST), "name = \"p\"\nversion = \"1.0.0\"\nmin_tollgate_version = \"0.0.1\"\n").unwrap();
        assert_eq!(read_manifest(&dir).unwrap().unwrap().version.as_deref(), Some("1.0.0"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
