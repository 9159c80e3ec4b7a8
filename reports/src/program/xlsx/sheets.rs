//! The program workbook's sheets, one function each (see [`super`]).

use super::{put, table, Formats, Val};
use crate::assessed::framework_title;
use crate::program::text::{error_line, status, verdict, Heat};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use tollgate_engine::catalog::family_name;
use tollgate_engine::program::{ProgramReport, SeverityCounts, SystemResult, SystemStatus};

pub(super) fn rate(r: Option<f64>) -> Val {
    r.map_or(Val::Blank, Val::Rate)
}

pub(super) fn score(s: Option<i32>) -> Val {
    s.map_or(Val::Blank, |n| Val::Num(f64::from(n)))
}

fn levels(c: &SeverityCounts) -> [(&'static str, usize); 4] {
    [("critical", c.critical), ("high", c.high), ("moderate", c.moderate), ("low", c.low)]
}

/// The program, the scan and the totals as label–value pairs.
pub fn summary(ws: &mut Worksheet, r: &ProgramReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Summary")?;
    ws.set_column_width(0, 38)?;
    ws.set_column_width(1, 44)?;
    let t = &r.totals;
    let mut rows: Vec<(String, Val)> = vec![
        ("Program".into(), r.program.name.as_str().into()),
        ("Program id".into(), r.program.id.clone().into()),
        ("Owner".into(), r.program.owner.clone().into()),
        ("Scan time (UTC)".into(), r.scan_time.as_str().into()),
        ("Framework".into(), r.framework.as_deref().map(|fw| format!("{} ({fw})", framework_title(fw))).into()),
        ("Gate threshold".into(), r.fail_on.clone().unwrap_or_else(|| "each system's own [gate]".into()).into()),
        ("Program gate".into(), verdict(r.gate).into()),
        ("Tollgate version".into(), r.version.as_str().into()),
        (String::new(), Val::Blank),
        ("Systems".into(), t.systems.into()),
        ("Systems scanned".into(), t.systems_ok.into()),
        ("Systems broken".into(), t.systems_broken.into()),
        ("Systems failing the gate (broken included)".into(), t.systems_failing.into()),
        ("Failing findings".into(), t.findings.fail.into()),
        ("Errored findings".into(), t.findings.error.into()),
        ("Passing findings".into(), t.findings.pass.into()),
        ("Skipped".into(), t.findings.skip.into()),
        ("Suppressed".into(), t.findings.suppressed.into()),
        ("Pass rate (%)".into(), rate(t.pass_rate)),
        ("Input errors".into(), t.input_errors.into()),
        ("Rule errors".into(), t.rule_errors.into()),
    ];
    rows.extend(levels(&t.failures_by_severity).map(|(l, n)| (format!("Failing findings, {l}"), n.into())));
    rows.push(("POA&M items".into(), t.poam_items.into()));
    rows.extend(levels(&t.poam_by_level).map(|(l, n)| (format!("POA&M items, risk {l}"), n.into())));
    if let Some(s) = &t.sprs {
        rows.extend([
            ("SPRS: systems scored".into(), s.systems_scored.into()),
            ("SPRS: systems not scored (3.12.4 unmet)".into(), s.systems_unscored.into()),
            ("SPRS: lowest".into(), score(s.lowest)),
            ("SPRS: highest".into(), score(s.highest)),
            ("SPRS: average".into(), rate(s.average)),
            ("CMMC Level 2 conditional reachable".into(), s.conditional_l2.into()),
        ]);
    }
    ws.write_string_with_format(0, 0, "Tollgate program report", &f.bold)?;
    for (row, (label, value)) in (2u32..).zip(rows) {
        ws.write_string_with_format(row, 0, label, &f.bold)?;
        put(ws, row, 1, value, f)?;
    }
    Ok(())
}

const SYSTEM_COLUMNS: [(&str, f64); 24] = [
    ("Id", 16.0),
    ("Name", 28.0),
    ("Path", 24.0),
    ("Categorization", 14.0),
    ("Owner", 22.0),
    ("ISSO", 22.0),
    ("Status", 10.0),
    ("Gate", 8.0),
    ("Error", 48.0),
    ("Pass rate (%)", 11.0),
    ("Failing", 10.0),
    ("Errored", 10.0),
    ("Passing", 10.0),
    ("Skipped", 10.0),
    ("Suppressed", 11.0),
    ("Critical", 10.0),
    ("High", 10.0),
    ("Moderate", 10.0),
    ("Low", 10.0),
    ("Files scanned", 11.0),
    ("Resources", 11.0),
    ("Rules run", 10.0),
    ("Input errors", 11.0),
    ("Rule errors", 11.0),
];
const FRAMEWORK_COLUMNS: [(&str, f64); 7] = [
    ("Controls", 10.0),
    ("Satisfied", 10.0),
    ("Not satisfied", 12.0),
    ("Not assessed", 12.0),
    ("Manual", 10.0),
    ("Not applicable", 13.0),
    ("Satisfied (%)", 12.0),
];
const SPRS_COLUMNS: [(&str, f64); 3] = [("SPRS score", 11.0), ("SPRS deducted", 12.0), ("CMMC L2 conditional", 14.0)];

fn system_row(s: &SystemResult, framework: bool, sprs: bool) -> Vec<Val> {
    let (c, fs) = (&s.findings, &s.failures_by_severity);
    let mut row: Vec<Val> = vec![
        s.id.as_str().into(),
        s.name.as_str().into(),
        s.path.as_str().into(),
        s.categorization.map(|c| c.as_str()).into(),
        s.owner.clone().into(),
        s.isso.clone().into(),
        status(s.status).into(),
        verdict(s.gate).into(),
        (s.status == SystemStatus::Broken).then(|| error_line(s)).into(),
        rate(s.pass_rate),
    ];
    row.extend([c.fail, c.error, c.pass, c.skip, c.suppressed, fs.critical, fs.high, fs.moderate, fs.low].map(Val::from));
    row.extend([s.files_scanned, s.resources, s.rules_run, s.input_errors, s.rule_errors].map(Val::from));
    if framework {
        match &s.framework {
            Some(t) => {
                row.extend([t.total, t.satisfied, t.not_satisfied, t.not_assessed, t.manual, t.not_applicable].map(Val::from));
                row.push(Val::Rate(t.percent_satisfied));
            }
            None => row.extend((0..FRAMEWORK_COLUMNS.len()).map(|_| Val::Blank)),
        }
    }
    if sprs {
        row.push(score(s.sprs.and_then(|x| x.score)));
        row.push(score(s.sprs.map(|x| x.deducted)));
        row.push(s.sprs.map(|x| if x.conditional_l2 { "yes" } else { "no" }).into());
    }
    row.push(s.poam_items.into());
    row.push(score(s.max_risk.map(i32::from)));
    row
}

/// One row per system with every number the JSON row has.
pub fn systems(ws: &mut Worksheet, r: &ProgramReport, f: &Formats) -> Result<(), XlsxError> {
    let (framework, sprs) = (r.framework.is_some(), r.totals.sprs.is_some());
    let mut columns = SYSTEM_COLUMNS.to_vec();
    if framework {
        columns.extend(FRAMEWORK_COLUMNS);
    }
    if sprs {
        columns.extend(SPRS_COLUMNS);
    }
    columns.extend([("POA&M items", 11.0), ("Max risk", 10.0)]);
    let rows = r.systems.iter().map(|s| system_row(s, framework, sprs)).collect();
    table(ws, "Systems", &columns, rows, f)
}

/// Systems × families: failing findings per cell, filled by the failing
/// share (as on the HTML page), with the scale beside the table.
pub fn heat_map(ws: &mut Worksheet, r: &ProgramReport, f: &Formats) -> Result<(), XlsxError> {
    let mut columns: Vec<(&str, f64)> = vec![("System", 28.0), ("Id", 16.0), ("Status", 10.0)];
    columns.extend(r.families.iter().map(|fam| (fam.as_str(), 7.0)));
    let rows = r
        .systems
        .iter()
        .map(|s| {
            // A broken system's family cells stay empty; its error is on the Systems sheet.
            vec![s.name.as_str().into(), s.id.as_str().into(), status(s.status).into()]
        })
        .collect();
    table(ws, "Heat map", &columns, rows, f)?;
    let fills: Vec<Format> = Heat::ALL.iter().map(|h| f.text.clone().set_background_color(h.rgb())).collect();
    for (row, s) in (1u32..).zip(&r.systems) {
        for (col, fam) in (3u16..).zip(&r.families) {
            if let (SystemStatus::Ok, Some(cell)) = (s.status, s.families.get(fam)) {
                let heat = Heat::of(cell);
                ws.write_number_with_format(row, col, cell.fail as f64, &fills[heat as usize])?;
            }
        }
    }
    // What the cells mean, the scale and the families' names, right of the table.
    let col = u16::try_from(columns.len() + 1).unwrap_or(u16::MAX);
    ws.set_column_width(col, 64)?;
    ws.write_string_with_format(0, col, "Cells: failing findings of the family's rules", &f.header)?;
    ws.write_string(1, col, "Fill: the share of the family's findings (pass, fail, error) that fail")?;
    for (row, h) in (2u32..).zip(Heat::ALL) {
        ws.write_string_with_format(row, col, h.label(), &fills[h as usize])?;
    }
    for (row, fam) in (9u32..).zip(&r.families) {
        ws.write_string(row, col, format!("{fam}: {}", family_name(fam)))?;
    }
    Ok(())
}

/// Controls failing in the most systems first.
pub fn worst_controls(ws: &mut Worksheet, r: &ProgramReport, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        ("Control", 12.0),
        ("Family", 8.0),
        ("Family name", 30.0),
        ("Systems failing", 12.0),
        ("Systems", 48.0),
        ("Rules", 40.0),
        ("Max risk", 10.0),
        ("Affected resources", 12.0),
    ];
    let rows = r
        .worst_controls
        .iter()
        .map(|c| {
            vec![
                c.control.as_str().into(),
                c.family.as_str().into(),
                family_name(&c.family).into(),
                c.systems_failing.into(),
                c.systems.join(", ").into(),
                c.rules.join(", ").into(),
                Val::Num(f64::from(c.max_risk)),
                c.affected.into(),
            ]
        })
        .collect();
    table(ws, "Worst controls", &columns, rows, f)
}

/// Every POA&M item of the rollup, highest risk first.
pub fn poam(ws: &mut Worksheet, r: &ProgramReport, f: &Formats) -> Result<(), XlsxError> {
    let columns = [
        ("System", 16.0),
        ("System name", 24.0),
        ("Rule", 18.0),
        ("Title", 44.0),
        ("Severity", 10.0),
        ("Risk score", 10.0),
        ("Risk level", 10.0),
        ("Controls", 22.0),
        ("NIST SP 800-171", 16.0),
        ("Affected resources", 12.0),
        ("Assets (first ten)", 48.0),
        ("Due", 12.0),
        ("Point of contact", 22.0),
        ("Remediation", 60.0),
        ("UUID", 38.0),
    ];
    let rows = r
        .poam
        .iter()
        .map(|i| {
            vec![
                i.system.as_str().into(),
                i.system_name.as_str().into(),
                i.rule_id.as_str().into(),
                i.title.as_str().into(),
                i.severity.as_str().into(),
                Val::Num(f64::from(i.risk.score)),
                i.risk.level.as_str().into(),
                i.controls.join(", ").into(),
                i.nist_800_171.join(", ").into(),
                i.affected.into(),
                i.assets.join("; ").into(),
                Val::Date(i.due.clone()),
                i.point_of_contact.as_str().into(),
                i.remediation.trim().into(),
                i.uuid.as_str().into(),
            ]
        })
        .collect();
    table(ws, "POA&M", &columns, rows, f)
}
