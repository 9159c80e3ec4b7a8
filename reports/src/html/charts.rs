//! The HTML report's charts: horizontal stacked bars, laid out here and drawn
//! as inline SVG by the template (no script, no library, works offline and
//! in print).
//!
//! Geometry is computed in whole tenths of a pixel and formatted with one
//! decimal, so the same counts always give the same bytes.

use serde::Serialize;

/// Width of the label column, in px: room for [`MAX_LABEL_CHARS`] at 12 px.
const LABEL_WIDTH: u32 = 300;
/// Width of the longest bar, in px.
const BAR_WIDTH: u32 = 360;
/// Room after the longest bar for its total.
const TOTAL_WIDTH: u32 = 60;
const ROW_HEIGHT: u32 = 26;
const BAR_HEIGHT: u32 = 18;
const PAD: u32 = 6;
/// Longer labels are cut with `…` (the bar's tooltip has the whole label).
const MAX_LABEL_CHARS: usize = 42;

/// One coloured part of a bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// CSS class suffix: `fail`, `pass`, `not-satisfied`, ...
    pub key: &'static str,
    pub label: &'static str,
    pub n: usize,
    pub x: String,
    pub width: String,
}

/// One row of a chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    pub label: String,
    /// The hover text: label and every count.
    pub tooltip: String,
    pub y: u32,
    pub text_y: u32,
    pub total: usize,
    pub total_x: String,
    pub segments: Vec<Segment>,
}

/// A legend entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Legend {
    pub key: &'static str,
    pub label: &'static str,
}

/// A chart, ready for the template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub caption: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bar_height: u32,
    pub bars: Vec<Bar>,
    pub legend: Vec<Legend>,
}

/// One row before layout: its label and a count per series.
pub struct Row {
    pub label: String,
    pub counts: Vec<usize>,
}

/// Tenths of a pixel as `12.3`.
fn px(tenths: u64) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Lays out `rows` over `series` (key, label), every bar on one scale: the
/// longest total spans [`BAR_WIDTH`].
pub fn stacked(id: &'static str, title: &str, caption: &str, series: &[(&'static str, &'static str)], rows: Vec<Row>) -> Chart {
    let max = rows.iter().map(|r| r.counts.iter().sum::<usize>()).max().unwrap_or(0).max(1) as u64;
    let bars = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let y = PAD + ROW_HEIGHT * u32::try_from(i).unwrap_or(u32::MAX / ROW_HEIGHT - 1);
            let total: usize = row.counts.iter().sum();
            // Segment ends are rounded from the running total, so the parts always add up to the bar.
            let end = |upto: usize| u64::from(LABEL_WIDTH) * 10 + (upto as u64 * u64::from(BAR_WIDTH) * 10 + max / 2) / max;
            let mut running = 0;
            let mut segments = Vec::new();
            for ((key, label), n) in series.iter().zip(&row.counts) {
                let (from, to) = (end(running), end(running + n));
                running += n;
                if *n > 0 {
                    segments.push(Segment { key, label, n: *n, x: px(from), width: px(to - from) });
                }
            }
            let parts: Vec<String> = series.iter().zip(&row.counts).map(|((_, label), n)| format!("{n} {label}")).collect();
            Bar {
                tooltip: format!("{}: {}", row.label, parts.join(", ")),
                label: crate::clip(&row.label, MAX_LABEL_CHARS),
                y,
                text_y: y + BAR_HEIGHT / 2 + 4,
                total,
                total_x: px(end(total) + 60),
                segments,
            }
        })
        .collect::<Vec<_>>();
    let height = PAD * 2 + ROW_HEIGHT * u32::try_from(bars.len()).unwrap_or(0).max(1);
    Chart {
        id,
        title: title.to_string(),
        caption: caption.to_string(),
        width: LABEL_WIDTH + BAR_WIDTH + TOTAL_WIDTH,
        height,
        label_width: LABEL_WIDTH - 8,
        bar_height: BAR_HEIGHT,
        bars,
        legend: series.iter().map(|(key, label)| Legend { key, label }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_share_one_scale_and_parts_add_up() {
        let series = [("fail", "failed"), ("pass", "passed")];
        let rows = vec![Row { label: "AC".into(), counts: vec![1, 2] }, Row { label: "SC".into(), counts: vec![3, 3] }];
        let c = stacked("x", "T", "C", &series, rows);
        assert_eq!(c.bars.len(), 2);
        let sc = &c.bars[1];
        assert_eq!((sc.segments[0].x.as_str(), sc.segments[0].width.as_str()), ("300.0", "180.0"));
        assert_eq!((sc.segments[1].x.as_str(), sc.segments[1].width.as_str()), ("480.0", "180.0"));
        let ac = &c.bars[0];
        assert_eq!((ac.segments[0].width.as_str(), ac.segments[1].width.as_str()), ("60.0", "120.0"), "half the longest bar");
        assert_eq!(ac.tooltip, "AC: 1 failed, 2 passed");
        assert_eq!(c.height, 6 * 2 + 26 * 2);
    }

    #[test]
    fn zero_counts_draw_nothing() {
        let c = stacked("x", "T", "C", &[("fail", "failed")], vec![Row { label: "AC".into(), counts: vec![0] }]);
        assert!(c.bars[0].segments.is_empty());
        assert_eq!(c.bars[0].total, 0);
    }
}
