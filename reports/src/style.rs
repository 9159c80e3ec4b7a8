//! Minimal ANSI styling, applied only when the caller asks for colour.

use tollgate_engine::{Severity, Status};

#[derive(Clone, Copy)]
pub enum Style {
    Bold,
    Dim,
    Red,
    BoldRed,
    Yellow,
    Green,
    Magenta,
    Cyan,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Bold => "1",
            Style::Dim => "2",
            Style::Red => "31",
            Style::BoldRed => "1;31",
            Style::Yellow => "33",
            Style::Green => "32",
            Style::Magenta => "35",
            Style::Cyan => "36",
        }
    }
}

/// `text` wrapped in the style's escape codes when `on`.
pub fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("\x1b[{}m{text}\x1b[0m", style.code())
    } else {
        text.to_string()
    }
}

pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => Style::BoldRed,
        Severity::High => Style::Red,
        Severity::Moderate => Style::Yellow,
        Severity::Low => Style::Cyan,
    }
}

pub fn status_style(s: Status) -> Style {
    match s {
        Status::Pass => Style::Green,
        Status::Fail => Style::Red,
        Status::Error => Style::Magenta,
        Status::Skip | Status::Suppressed => Style::Dim,
    }
}
