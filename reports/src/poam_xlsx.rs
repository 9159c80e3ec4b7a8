//! The ledger as a FedRAMP POA&M workbook: the template's "Open POA&M
//! Items" and "Closed POA&M Items" sheets, laid out as the template lays
//! them out: a title in row 1, the system (CSP, System Name, Impact Level,
//! POAM Date) in rows 2–3, the 31 column headers in row 5, items from row 6.
//!
//! Items on the closed sheet are closed items and approved false positives.
//! Dates are real dates (`yyyy-mm-dd`). The workbook's creation date is the
//! ledger's date, so the same ledger gives the same bytes.

use crate::csv::defuse;
use crate::poam_fields::{fedramp_row, rating, Cell, CLOSED_SHEET, FEDRAMP_COLUMNS, OPEN_SHEET};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use tollgate_engine::poam::{Day, Ledger};

/// Row (0-based) of the column headers: row 5, as in the template.
pub const HEADER_ROW: u32 = 4;

fn excel_date(d: Day) -> Result<ExcelDateTime, XlsxError> {
    let (y, m, day) = d.ymd();
    ExcelDateTime::from_ymd(u16::try_from(y).unwrap_or(1900), u8::try_from(m).unwrap_or(1), u8::try_from(day).unwrap_or(1))
}

/// Widths (characters) of the columns: wide for prose, narrow for flags.
fn width(column: usize) -> f64 {
    match column {
        2 | 3 | 6 | 9 | 12 | 13 | 23 | 25 => 48.0,
        4 | 7 | 8 => 30.0,
        _ => 16.0,
    }
}

fn sheet(ws: &mut Worksheet, name: &str, ledger: &Ledger, closed: bool) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let header = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("yyyy-mm-dd").set_align(FormatAlign::Top);
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, "Tollgate Plan of Action and Milestones (POA&M)", &bold)?;
    for (col, label) in ["CSP", "System Name", "Impact Level", "POAM Date"].into_iter().enumerate() {
        ws.write_string_with_format(1, u16::try_from(col).unwrap_or(0), label, &bold)?;
    }
    ws.write_string(2, 0, defuse(&ledger.system_id))?;
    ws.write_string(2, 1, defuse(&ledger.system_name))?;
    ws.write_string(2, 2, ledger.categorization.map(rating).unwrap_or_default())?;
    ws.write_datetime_with_format(2, 3, excel_date(ledger.updated)?, &date)?;
    for (col, h) in FEDRAMP_COLUMNS.iter().enumerate() {
        let col16 = u16::try_from(col).unwrap_or(0);
        ws.write_string_with_format(HEADER_ROW, col16, *h, &header)?;
        ws.set_column_width(col16, width(col))?;
    }
    let items = ledger.items.iter().filter(|i| i.on_closed_sheet() == closed);
    for (row, item) in (HEADER_ROW + 1..).zip(items) {
        for (col, cell) in fedramp_row(ledger, item).into_iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(0);
            match cell {
                Cell::Text(s) if s.is_empty() => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(row, col, defuse(&s), &wrap)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(row, col, excel_date(d)?, &date)?;
                }
            }
        }
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    Ok(())
}

/// The workbook bytes.
pub fn render(ledger: &Ledger) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = excel_date(ledger.updated)?;
    wb.set_properties(&DocProperties::new().set_title("Plan of Action and Milestones").set_creation_datetime(&created));
    sheet(wb.add_worksheet(), OPEN_SHEET, ledger, false)?;
    sheet(wb.add_worksheet(), CLOSED_SHEET, ledger, true)?;
    wb.save_to_buffer()
}
