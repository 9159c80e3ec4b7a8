//! Reader for the generated tab-separated tables in `engine/data/`.
//!
//! Format: UTF-8 lines; `#` lines are provenance comments; the first other
//! line is the header; every row has exactly the header's fields; `-` marks
//! an empty field and lists are comma-separated. Fields borrow from the
//! embedded text, so nothing is copied.

/// One data row with its 1-based line number for error messages.
pub(crate) struct Row {
    pub line: usize,
    pub fields: Vec<&'static str>,
}

impl Row {
    pub fn error(&self, msg: impl std::fmt::Display) -> String {
        format!("line {}: {msg}", self.line)
    }
}

/// The data rows of `text`, after checking the header is exactly `header`.
pub(crate) fn rows(text: &'static str, header: &[&str]) -> Result<Vec<Row>, String> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let (n, head) = lines.next().ok_or("no header line")?;
    let got: Vec<&str> = head.split('\t').collect();
    if got != header {
        return Err(format!("line {}: header {got:?}, expected {header:?}", n + 1));
    }
    lines
        .map(|(n, l)| {
            let fields: Vec<&'static str> = l.split('\t').collect();
            if fields.len() == header.len() {
                Ok(Row { line: n + 1, fields })
            } else {
                Err(format!("line {}: {} fields, expected {}", n + 1, fields.len(), header.len()))
            }
        })
        .collect()
}

/// A comma-separated list; `-` is the empty list.
pub(crate) fn list(field: &'static str) -> Vec<&'static str> {
    if field == "-" {
        Vec::new()
    } else {
        field.split(',').collect()
    }
}

/// A small non-negative number; `-` is none.
pub(crate) fn number(row: &Row, field: &str) -> Result<Option<u8>, String> {
    if field == "-" {
        return Ok(None);
    }
    field.parse().map(Some).map_err(|_| row.error(format!("`{field}` is not a number")))
}

/// Panics with a message naming the table; used only for the embedded tables,
/// which `engine/tests/catalog.rs` parses in full.
pub(crate) fn expect_embedded<T>(name: &str, parsed: Result<T, String>) -> T {
    parsed.unwrap_or_else(|e| panic!("embedded table engine/data/{name} is malformed: {e}; regenerate it with scripts/build_catalogs.py"))
}
