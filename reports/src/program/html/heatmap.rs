//! The systems × control families heat map, laid out for the template.
//!
//! A real table: one row per system (its name as the row header), one
//! column per family of the report (the code as the column header, the
//! family's name in its `title`), and in each cell the failing findings of
//! that family over all its findings (`3/12`), with the counts in words in
//! the cell's `title`. The cell's colour is the failure share's step on
//! [`Heat`]'s scale, explained by a legend; it only repeats what the text
//! says. A broken system's row is one cell across every column saying so,
//! with its error.

use crate::program::text::{cell_words, error_line, Heat};
use serde::Serialize;
use tollgate_engine::catalog::family_name;
use tollgate_engine::program::{FamilyCell, ProgramReport, SystemStatus};

#[derive(Serialize)]
pub struct Column {
    code: String,
    name: String,
}

#[derive(Serialize)]
pub struct Cell {
    heat: &'static str,
    text: String,
    title: String,
}

#[derive(Serialize)]
pub struct Row {
    id: String,
    name: String,
    /// Empty for a working system; a broken one's row is [`Row::error`] alone.
    cells: Vec<Cell>,
    broken: bool,
    error: String,
    /// The whole diagnostic of a broken system.
    details: String,
}

#[derive(Serialize)]
pub struct LegendEntry {
    heat: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
pub struct HeatMap {
    columns: Vec<Column>,
    rows: Vec<Row>,
    legend: Vec<LegendEntry>,
}

fn cell(system: &str, code: &str, c: &FamilyCell) -> Cell {
    let total = c.pass + c.fail + c.error;
    Cell {
        heat: Heat::of(c).key(),
        text: if total == 0 { "–".to_string() } else { format!("{}/{total}", c.fail) },
        title: format!("{system} · {code} {}: {}", family_name(code), cell_words(c)),
    }
}

/// The heat map of `report`: rows in the report's order (by id), columns
/// in `report.families` order.
pub fn build(report: &ProgramReport) -> HeatMap {
    let empty = FamilyCell::default();
    let rows = report
        .systems
        .iter()
        .map(|s| {
            let broken = s.status == SystemStatus::Broken;
            Row {
                id: s.id.clone(),
                name: s.name.clone(),
                cells: if broken {
                    Vec::new()
                } else {
                    report.families.iter().map(|f| cell(&s.name, f, s.families.get(f).unwrap_or(&empty))).collect()
                },
                broken,
                error: if broken { error_line(s) } else { String::new() },
                details: s.error.clone().unwrap_or_default(),
            }
        })
        .collect();
    HeatMap {
        columns: report.families.iter().map(|f| Column { code: f.clone(), name: family_name(f).to_string() }).collect(),
        rows,
        legend: Heat::ALL.iter().map(|h| LegendEntry { heat: h.key(), label: h.label() }).collect(),
    }
}
