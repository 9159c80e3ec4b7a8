//! Reading one input file into resources.

use crate::discover::InputFile;
use crate::error::InputError;
use crate::formats::Format;
use crate::resource::Resource;
use std::io::Read;
use std::sync::Arc;

/// Default largest input file, in bytes (10 MiB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Reads, decodes and parses `file`, returning its resources.
pub fn load(file: &InputFile, max_size: u64) -> Result<Vec<Resource>, InputError> {
    let text = read_text(file, max_size)?;
    parse_text(file.format, &file.path, &text)
}

/// A file's resources together with its inline suppressions.
#[derive(Debug, Default)]
pub struct Loaded {
    pub resources: Vec<Resource>,
    pub suppressions: Vec<crate::suppress::Suppression>,
    /// Malformed `tollgate:ignore` comments: reported, never honoured.
    pub suppression_errors: Vec<InputError>,
}

/// Like [`load`], and also reads the file's `tollgate:ignore` comments.
pub fn load_with_suppressions(file: &InputFile, max_size: u64) -> Result<Loaded, InputError> {
    let text = read_text(file, max_size)?;
    let resources = parse_text(file.format, &file.path, &text)?;
    let (suppressions, suppression_errors) = crate::suppress::scan(file.format, &file.path, &text);
    Ok(Loaded { resources, suppressions, suppression_errors })
}

/// Parses already-read text as `format`; `path` names it in resources and errors.
pub fn parse_text(format: Format, path: &str, text: &Arc<str>) -> Result<Vec<Resource>, InputError> {
    format.parse(path, text)
}

/// Reads `file` as UTF-8 text within the size limit. A leading BOM is dropped.
pub fn read_text(file: &InputFile, max_size: u64) -> Result<Arc<str>, InputError> {
    let io_err = |e: std::io::Error| InputError::Io { path: file.path.clone(), message: e.to_string() };
    let handle = std::fs::File::open(&file.fs_path).map_err(io_err)?;
    let size = handle.metadata().map_err(io_err)?.len();
    if size > max_size {
        return Err(InputError::TooLarge { path: file.path.clone(), size, limit: max_size });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read one byte past the limit so a file that grew since stat is still caught.
    handle.take(max_size + 1).read_to_end(&mut bytes).map_err(io_err)?;
    if bytes.len() as u64 > max_size {
        return Err(InputError::TooLarge { path: file.path.clone(), size: bytes.len() as u64, limit: max_size });
    }
    let text =
        String::from_utf8(bytes).map_err(|e| InputError::Encoding { path: file.path.clone(), offset: e.utf8_error().valid_up_to() })?;
    if let Some(nul) = text.find('\0') {
        return Err(InputError::Encoding { path: file.path.clone(), offset: nul });
    }
    Ok(Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text)))
}
