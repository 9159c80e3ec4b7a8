//! Rendering miette diagnostics (parse errors, rule errors, config errors)
//! as text, with or without colour, at a fixed width for stable snapshots.

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// The diagnostic drawn with its source snippet and labels.
pub fn render(diagnostic: &dyn Diagnostic, color: bool, width: usize) -> String {
    // ASCII without colour, as miette's own handler draws for non-terminals,
    // so every diagnostic of a run looks the same.
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::none() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = diagnostic.to_string();
    }
    out
}
