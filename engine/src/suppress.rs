//! Which findings an inline `tollgate:ignore` comment covers.
//!
//! A comment naming rule R covers R's failures on a resource when it is
//! written:
//! - on the line a failure points at (a trailing comment), or on its own
//!   line(s) directly above it; or
//! - inside the resource's lines, or directly above the resource: then it
//!   covers every failure of R on that resource. For files that are one
//!   resource (sshd_config, a Dockerfile), that means the whole file.
//!
//! Only failures are suppressed: a passing check stays a pass, and a rule
//! error is never hidden. A suppression that covers no failure at all (the
//! finding was fixed, or the rule id is wrong or not loaded) is reported as
//! unused, so stale comments do not pile up. A suppression whose `until` date is before the
//! scan date no longer suppresses: the failure stays a failure and carries
//! the expired suppression so every report can say so.

use crate::result::{Finding, Status, SuppressionRef};
use std::cell::Cell;
use tollgate_inputs::{Resource, Suppression};

/// The suppressions of one evaluation unit and the scan date they expire against.
pub struct UnitSuppressions<'a> {
    list: &'a [Suppression],
    /// Scan date as `YYYY-MM-DD` (compares correctly as a string).
    today: &'a str,
    /// Whether each suppression covered a failure (expired ones count).
    used: Vec<Cell<bool>>,
}

impl<'a> UnitSuppressions<'a> {
    pub fn new(list: &'a [Suppression], today: &'a str) -> Self {
        UnitSuppressions { list, today, used: list.iter().map(|_| Cell::new(false)).collect() }
    }

    /// The suppressions that covered no failure, in file order.
    pub fn unused(&self) -> impl Iterator<Item = &'a Suppression> + '_ {
        self.list.iter().zip(&self.used).filter(|(_, used)| !used.get()).map(|(s, _)| s)
    }

    /// Applies the suppressions that cover `findings`, all about `resource`.
    pub fn apply(&self, resource: &Resource, findings: &mut [Finding]) {
        if self.list.is_empty() {
            return;
        }
        for f in findings.iter_mut().filter(|f| f.status == Status::Fail) {
            let line = f.location.as_ref().map_or(0, |l| l.start_line);
            let covering = self
                .list
                .iter()
                .position(|s| s.path == resource.path && s.rules.iter().any(|r| *r == f.rule.id) && covers(s, resource, line));
            if let Some(i) = covering {
                let s = &self.list[i];
                self.used[i].set(true);
                let expired = s.until.as_deref().is_some_and(|until| until < self.today);
                if !expired {
                    f.status = Status::Suppressed;
                }
                f.suppression = Some(Box::new(SuppressionRef {
                    reason: s.reason.clone(),
                    until: s.until.clone(),
                    path: s.path.clone(),
                    line: s.line,
                    expired,
                }));
            }
        }
    }
}

/// Whether `s` covers a failure at `line` of `resource`.
fn covers(s: &Suppression, resource: &Resource, line: u32) -> bool {
    let at_finding = line != 0 && (s.line == line || s.target_line == line);
    let in_resource = resource.lines.start <= s.line && s.line <= resource.lines.end;
    at_finding || in_resource || s.target_line == resource.lines.start
}

#[cfg(test)]
mod tests {
    use super::*;
    use tollgate_inputs::{parse_text, suppress, Format};

    fn suppressions(text: &str) -> Vec<Suppression> {
        suppress::scan(Format::YAML, "pods.yaml", &std::sync::Arc::from(text)).0
    }

    fn pods() -> (Vec<Resource>, String) {
        let text = "# tollgate:ignore R-1 reason=\"above the first pod\"\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec:\n  hostPID: true # tollgate:ignore R-2 reason=\"trailing\"\n";
        (parse_text(Format::YAML, "pods.yaml", &std::sync::Arc::from(text)).unwrap(), text.to_string())
    }

    #[test]
    fn comment_above_a_resource_and_trailing_comments() {
        let (resources, text) = pods();
        let list = suppressions(&text);
        assert_eq!(list.len(), 2);
        let (a, b) = (&resources[0], &resources[1]);
        assert!(covers(&list[0], a, 3), "directly above pod a covers its failures");
        assert!(!covers(&list[0], b, 6), "but not pod b's");
        assert!(covers(&list[1], b, 10), "a trailing comment covers its line");
        assert!(covers(&list[1], b, 7), "and, being inside pod b, all of pod b");
        assert!(!covers(&list[1], a, 3));
    }
}
