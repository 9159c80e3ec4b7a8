//! Shared driver for the fuzz targets: feed arbitrary bytes to one parser
//! entry point, exactly as `tollgate scan` would after reading a file.
//! Any panic, hang or unbounded allocation is a bug; parse errors are fine.

use std::sync::Arc;
use tollgate_inputs::Format;

/// Parses `data` (when it is UTF-8, as `read_text` guarantees) with the
/// parser named `parser`, under the file name `path`, and walks the result.
pub fn run(parser: &str, path: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let format = Format::from_name(parser).expect("known parser");
    if let Ok(resources) = format.parse(path, &Arc::from(text)) {
        for r in resources {
            // Exercise line lookups and JSON conversion too.
            let _ = r.lines_of("a.b[0].c");
            let _ = r.data.to_json();
        }
    }
}
