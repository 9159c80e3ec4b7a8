//! The program report as a workbook for the ISSM.
//!
//! Sheets: **Summary** (the program and its totals), **Systems** (one row
//! per system, every number of the JSON row), **Heat map** (systems ×
//! control families: failing findings, filled by the failing share on the
//! HTML page's scale), **Worst controls**, **POA&M** (every rollup item,
//! not capped as on the HTML page) and, with a previous report, **Trend**
//! and **Trend by system**. Table sheets have a bold header row that stays
//! in view, an autofilter and widths that fit their content; numbers are
//! numbers and due dates are dates, so the sheets sort and filter.
//!
//! Deterministic bytes: the workbook's creation time (`docProps/core.xml`)
//! is the report's scan time, never the clock, so the same report always
//! gives the same file and a merged run matches a single one.

mod sheets;
mod trend;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use tollgate_engine::program::ProgramReport;

/// Excel's limit on the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// One cell's value.
pub(crate) enum Val {
    Text(String),
    Num(f64),
    /// A percentage or mean, shown with one decimal.
    Rate(f64),
    /// `YYYY-MM-DD`, written as a date when it parses.
    Date(String),
    Blank,
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(s.to_string())
    }
}

impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(s)
    }
}

impl From<usize> for Val {
    fn from(n: usize) -> Val {
        Val::Num(n as f64)
    }
}

impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Blank, Into::into)
    }
}

/// The formats every sheet shares.
pub(crate) struct Formats {
    pub header: Format,
    pub bold: Format,
    pub text: Format,
    pub date: Format,
    pub rate: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(0xF6F8FA)
                .set_border_bottom(FormatBorder::Thin),
            bold: Format::new().set_bold(),
            text: Format::new().set_align(FormatAlign::Top),
            date: Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top),
            rate: Format::new().set_num_format("0.0").set_align(FormatAlign::Top),
        }
    }
}

/// Writes `value` at (`row`, `col`); text is defused (no leading `=`) and
/// cut to Excel's cell limit.
pub(crate) fn put(ws: &mut Worksheet, row: u32, col: u16, value: Val, f: &Formats) -> Result<(), XlsxError> {
    match value {
        Val::Text(s) if s.is_empty() => {}
        Val::Text(s) => {
            let s = crate::csv::defuse(&s);
            let s = if s.chars().count() > MAX_CELL_CHARS { crate::clip(&s, MAX_CELL_CHARS) } else { s };
            ws.write_string_with_format(row, col, s, &f.text)?;
        }
        Val::Num(n) => {
            ws.write_number_with_format(row, col, n, &f.text)?;
        }
        Val::Rate(n) => {
            ws.write_number_with_format(row, col, n, &f.rate)?;
        }
        Val::Date(d) => match ExcelDateTime::parse_from_str(&d) {
            Ok(date) if d.len() == 10 => {
                ws.write_datetime_with_format(row, col, date, &f.date)?;
            }
            _ => {
                ws.write_string_with_format(row, col, d, &f.text)?;
            }
        },
        Val::Blank => {}
    }
    Ok(())
}

/// A table sheet: `columns` (header, width) in row 1, kept in view with the
/// first column, `rows` below, and an autofilter over them all.
pub(crate) fn table(ws: &mut Worksheet, name: &str, columns: &[(&str, f64)], rows: Vec<Vec<Val>>, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    for (col, (header, width)) in (0u16..).zip(columns) {
        ws.write_string_with_format(0, col, *header, &f.header)?;
        ws.set_column_width(col, *width)?;
    }
    let mut last = 0;
    for (row, cells) in (1u32..).zip(rows) {
        for (col, value) in (0u16..).zip(cells) {
            put(ws, row, col, value, f)?;
        }
        last = row;
    }
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, last, u16::try_from(columns.len().max(1) - 1).unwrap_or(0))?;
    Ok(())
}

/// The workbook bytes.
pub fn render(report: &ProgramReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::parse_from_str(&report.scan_time)?;
    wb.set_properties(&DocProperties::new().set_title(format!("Program report: {}", report.program.name)).set_creation_datetime(&created));
    let f = Formats::new();
    sheets::summary(wb.add_worksheet(), report, &f)?;
    sheets::systems(wb.add_worksheet(), report, &f)?;
    sheets::heat_map(wb.add_worksheet(), report, &f)?;
    sheets::worst_controls(wb.add_worksheet(), report, &f)?;
    sheets::poam(wb.add_worksheet(), report, &f)?;
    if let Some(trend) = &report.trend {
        trend::program(wb.add_worksheet(), trend, &f)?;
        trend::by_system(wb.add_worksheet(), trend, report, &f)?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests;
