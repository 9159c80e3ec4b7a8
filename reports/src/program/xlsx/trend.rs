//! The Trend and Trend by system sheets (with a previous report).

use super::sheets::{rate, score};
use super::{table, Formats, Val};
use crate::program::text::status;
use rust_xlsxwriter::{Worksheet, XlsxError};
use tollgate_engine::program::{CountChange, ProgramReport, RateChange, ScoreChange, Trend};

fn count(c: &CountChange) -> [Val; 3] {
    [c.previous.into(), c.current.into(), Val::Num(c.change as f64)]
}

fn rates(c: &RateChange) -> [Val; 3] {
    [rate(c.previous), rate(c.current), rate(c.change)]
}

fn scores(c: &ScoreChange) -> [Val; 3] {
    [score(c.previous), score(c.current), score(c.change)]
}

/// The program's measures then and now, and the systems added and removed.
pub fn program(ws: &mut Worksheet, t: &Trend, f: &Formats) -> Result<(), XlsxError> {
    let p = &t.program;
    let measures: [(&str, [Val; 3]); 5] = [
        ("Failing findings", count(&p.failures)),
        ("Pass rate (%)", rates(&p.pass_rate)),
        ("Mean SPRS score", rates(&p.sprs_average)),
        ("POA&M items", count(&p.poam_items)),
        ("Broken systems", count(&p.systems_broken)),
    ];
    let mut rows: Vec<Vec<Val>> = measures.into_iter().map(|(label, vals)| std::iter::once(label.into()).chain(vals).collect()).collect();
    rows.push(vec![Val::Blank]);
    rows.push(vec!["Previous report's scan time".into(), t.previous_scan_time.as_str().into()]);
    rows.push(vec!["Systems added".into(), t.systems_added.join(", ").into()]);
    rows.push(vec!["Systems removed".into(), t.systems_removed.join(", ").into()]);
    table(ws, "Trend", &[("Measure", 30.0), ("Previous", 14.0), ("Current", 14.0), ("Change", 12.0)], rows, f)?;
    // The autofilter belongs to the measures only.
    ws.autofilter(0, 0, 5, 3)?;
    Ok(())
}

/// Each system in both reports: previous, current and change of every measure.
pub fn by_system(ws: &mut Worksheet, t: &Trend, r: &ProgramReport, f: &Formats) -> Result<(), XlsxError> {
    let mut columns: Vec<(&str, f64)> = vec![("Id", 16.0), ("Name", 28.0)];
    for measure in [
        ["Failing, previous", "Failing, now", "Failing, change"],
        ["Pass rate, previous (%)", "Pass rate, now (%)", "Pass rate, change"],
        ["SPRS, previous", "SPRS, now", "SPRS, change"],
        ["POA&M items, previous", "POA&M items, now", "POA&M items, change"],
    ] {
        columns.extend(measure.map(|m| (m, 12.0)));
    }
    columns.push(("Previous status", 14.0));
    let names: std::collections::BTreeMap<&str, &str> = r.systems.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
    let rows = t
        .systems
        .iter()
        .map(|s| {
            let mut row: Vec<Val> = vec![s.id.as_str().into(), names.get(s.id.as_str()).copied().into()];
            row.extend(count(&s.failures));
            row.extend(rates(&s.pass_rate));
            row.extend(scores(&s.sprs));
            row.extend(count(&s.poam_items));
            row.push(s.previous_status.map(status).into());
            row
        })
        .collect();
    table(ws, "Trend by system", &columns, rows, f)
}
