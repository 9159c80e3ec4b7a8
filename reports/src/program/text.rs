//! How the HTML and xlsx program reports word and colour the same numbers:
//! rates, signed changes, the heat map's scale and a broken system's error
//! in one line. One place, so the two formats never disagree.

use tollgate_engine::program::{FamilyCell, GateVerdict, SystemResult, SystemStatus};

/// `pass` or `fail`, as the JSON report writes a gate.
pub fn verdict(g: GateVerdict) -> &'static str {
    match g {
        GateVerdict::Pass => "pass",
        GateVerdict::Fail => "fail",
    }
}

/// `ok` or `broken`, as the JSON report writes a system's status.
pub fn status(s: SystemStatus) -> &'static str {
    match s {
        SystemStatus::Ok => "ok",
        SystemStatus::Broken => "broken",
    }
}

/// A percentage with one decimal (`66.7%`), or `–` when there is none.
pub fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "–".to_string(), |r| format!("{r:.1}%"))
}

/// `+3`, `−2` (a real minus sign) or `0`.
pub fn signed(n: i64) -> String {
    match n.signum() {
        1 => format!("+{n}"),
        -1 => format!("−{}", n.unsigned_abs()),
        _ => "0".to_string(),
    }
}

/// A change of a rate or mean, one decimal and signed; `–` when unknown.
pub fn signed_rate(change: Option<f64>) -> String {
    match change {
        None => "–".to_string(),
        Some(c) if c > 0.0 => format!("+{c:.1}"),
        Some(c) if c < 0.0 => format!("−{:.1}", -c),
        Some(_) => "0.0".to_string(),
    }
}

/// Whether a change is good news, bad news or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Better,
    Worse,
    Same,
}

impl Direction {
    /// For a measure where `higher_is_better` (pass rate, SPRS) or lower (failures, items).
    pub fn of(change: f64, higher_is_better: bool) -> Direction {
        if change == 0.0 || change.is_nan() {
            Direction::Same
        } else if (change > 0.0) == higher_is_better {
            Direction::Better
        } else {
            Direction::Worse
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Better => "better",
            Direction::Worse => "worse",
            Direction::Same => "same",
        }
    }
}

/// The heat map's scale: the share of a family's findings (pass, fail and
/// error) that fail, in five steps, plus cells with no findings at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Heat {
    Empty,
    Clean,
    UpTo10,
    UpTo25,
    UpTo50,
    Over50,
}

impl Heat {
    pub const ALL: [Heat; 6] = [Heat::Empty, Heat::Clean, Heat::UpTo10, Heat::UpTo25, Heat::UpTo50, Heat::Over50];

    /// The step of one cell (integer arithmetic: no rounding at the edges).
    pub fn of(cell: &FamilyCell) -> Heat {
        let total = cell.pass + cell.fail + cell.error;
        match cell.fail {
            _ if total == 0 => Heat::Empty,
            0 => Heat::Clean,
            f if f * 10 <= total => Heat::UpTo10,
            f if f * 4 <= total => Heat::UpTo25,
            f if f * 2 <= total => Heat::UpTo50,
            _ => Heat::Over50,
        }
    }

    /// CSS class suffix.
    pub fn key(self) -> &'static str {
        match self {
            Heat::Empty => "empty",
            Heat::Clean => "0",
            Heat::UpTo10 => "1",
            Heat::UpTo25 => "2",
            Heat::UpTo50 => "3",
            Heat::Over50 => "4",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Heat::Empty => "no findings",
            Heat::Clean => "none failing",
            Heat::UpTo10 => "up to 10% failing",
            Heat::UpTo25 => "10–25% failing",
            Heat::UpTo50 => "25–50% failing",
            Heat::Over50 => "over 50% failing",
        }
    }

    /// Fill colour (RGB), the same as `.heat-*` in `program.css`.
    pub fn rgb(self) -> u32 {
        match self {
            Heat::Empty => 0xFFFFFF,
            Heat::Clean => 0xD1F0D8,
            Heat::UpTo10 => 0xFFF1B8,
            Heat::UpTo25 => 0xFFD8A8,
            Heat::UpTo50 => 0xFFABA3,
            Heat::Over50 => 0xD1242F,
        }
    }
}

/// `3 failed, 9 passed, 0 errored (25.0% failing)`: a cell in words.
pub fn cell_words(cell: &FamilyCell) -> String {
    let total = cell.pass + cell.fail + cell.error;
    if total == 0 {
        return "no findings".to_string();
    }
    let share = cell.fail as f64 * 100.0 / total as f64;
    format!("{} failed, {} passed, {} errored ({share:.1}% failing)", cell.fail, cell.pass, cell.error)
}

/// A broken system's error in one line: the diagnostic's message (the line
/// after its `x ` marker), else its first non-empty line.
pub fn error_line(system: &SystemResult) -> String {
    let error = system.error.as_deref().unwrap_or("");
    let lines = || error.lines().map(str::trim);
    let line = lines().find_map(|l| l.strip_prefix("x ")).or_else(|| lines().find(|l| !l.is_empty()));
    line.unwrap_or("not scanned").to_string()
}

/// The gate rule in a sentence.
pub fn gate_rule(fail_on: Option<&str>) -> String {
    match fail_on {
        None => "Each system gates by its own [gate] table (default: any failure of severity low or above, and any error).".to_string(),
        Some("never") => "Failing findings never fail a system's gate (--fail-on never); input and rule errors still do.".to_string(),
        Some(sev) => format!("A system fails its gate on any failure of severity {sev} or above, and on any error."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_worded_once() {
        assert_eq!((rate(Some(66.66)), rate(None)), ("66.7%".to_string(), "–".to_string()));
        assert_eq!((signed(3), signed(-2), signed(0)), ("+3".into(), "−2".into(), "0".into()));
        assert_eq!(signed_rate(Some(-0.25)), "−0.2");
        assert_eq!(Direction::of(-2.0, false), Direction::Better);
        assert_eq!(Direction::of(1.5, false), Direction::Worse);
        let cell = |pass, fail, error| FamilyCell { pass, fail, error };
        let steps: Vec<Heat> =
            [cell(0, 0, 0), cell(4, 0, 1), cell(9, 1, 0), cell(3, 1, 0), cell(1, 1, 0), cell(1, 2, 0)].iter().map(Heat::of).collect();
        assert_eq!(steps, Heat::ALL, "10% and 25% and 50% fall in the lower step");
        assert_eq!(cell_words(&cell(9, 3, 0)), "3 failed, 9 passed, 0 errored (25.0% failing)");
    }
}
