//! The deviations file (`poam-deviations.toml`): false positives, risk
//! adjustments, operational requirements and vendor dependencies, each
//! with a justification, an approver, an approval date and a mandatory
//! expiry. Deviations change an item's status and adjusted rating on the
//! scans where they apply; they never delete an item or its history.
//!
//! ```toml
//! [[deviation]]
//! rule = "TG-K8S-006"              # or item = "POAM-0003"
//! type = "risk-adjustment"         # false-positive | risk-adjustment | operational-requirement | vendor-dependency
//! adjusted_risk = "low"            # risk-adjustment only
//! justification = "Images are pinned by digest in the admission controller."
//! approver = "J. Doe, AO"
//! approved = 2025-01-10
//! expires = 2025-07-10
//! # vendor-dependency only:
//! # vendor_checkin = 2025-01-20
//! # vendor_product = "statsd-exporter"
//! ```

use super::error::PoamError;
use super::model::{Day, DeviationKind, DeviationState, ItemDeviation};
use crate::severity::Severity;
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

/// Longest gap FedRAMP allows between vendor check-ins.
pub const VENDOR_CHECKIN_DAYS: i64 = 30;

/// Which item a deviation is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The item of this rule on the system.
    Rule(String),
    /// The item with this POA&M id.
    Item(String),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Rule(r) => write!(f, "rule {r}"),
            Target::Item(i) => write!(f, "item {i}"),
        }
    }
}

/// One deviation as the file states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deviation {
    pub target: Target,
    pub kind: DeviationKind,
    pub justification: String,
    pub approver: String,
    pub approved: Day,
    pub expires: Day,
    pub adjusted_risk: Option<Severity>,
    pub vendor_checkin: Option<Day>,
    pub vendor_product: Option<String>,
    /// Where it is in the file (its `[[deviation]]` table).
    pub span: Range<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRaw {
    #[serde(default)]
    deviation: Vec<Spanned<Raw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    rule: Option<String>,
    item: Option<String>,
    #[serde(rename = "type")]
    kind: DeviationKind,
    justification: Spanned<String>,
    approver: Spanned<String>,
    approved: Spanned<toml::Value>,
    expires: Spanned<toml::Value>,
    adjusted_risk: Option<Spanned<Severity>>,
    vendor_checkin: Option<Spanned<toml::Value>>,
    vendor_product: Option<Spanned<String>>,
}

/// Reads a deviations file.
pub fn load(path: &Path) -> Result<Vec<Deviation>, PoamError> {
    let text = std::fs::read_to_string(path).map_err(|e| PoamError::io(path, e))?;
    parse(&path.display().to_string(), &text)
}

/// Parses deviations text; `name` labels diagnostics. Every deviation is
/// checked: a missing expiry, an empty justification or approver, a date that
/// is not a date, or fields of another type are errors at their line.
pub fn parse(name: &str, text: &str) -> Result<Vec<Deviation>, PoamError> {
    let src: Arc<str> = Arc::from(text);
    let file: FileRaw =
        toml::from_str(text).map_err(|e| PoamError::deviations(name, &src, e.span().unwrap_or(0..0), e.message().trim()))?;
    let err = |span: Range<usize>, msg: String| PoamError::deviations(name, &src, span, msg);
    let mut out: Vec<Deviation> = Vec::new();
    for spanned in file.deviation {
        let span = spanned.span();
        let raw = spanned.into_inner();
        let target = match (raw.rule, raw.item) {
            (Some(r), None) => Target::Rule(r),
            (None, Some(i)) => Target::Item(i),
            _ => return Err(err(span, "a deviation names exactly one of `rule` (a rule id) or `item` (a POA&M id)".into())),
        };
        let date = |v: &Spanned<toml::Value>, field: &str| -> Result<Day, PoamError> {
            let text = match v.get_ref() {
                toml::Value::Datetime(d) => d.to_string(),
                toml::Value::String(s) => s.clone(),
                _ => String::new(),
            };
            Day::parse(&text).ok_or_else(|| err(v.span(), format!("`{field}` must be a date (YYYY-MM-DD)")))
        };
        for (field, value) in [("justification", &raw.justification), ("approver", &raw.approver)] {
            if value.get_ref().trim().is_empty() {
                return Err(err(value.span(), format!("`{field}` must not be empty")));
            }
        }
        let approved = date(&raw.approved, "approved")?;
        let expires = date(&raw.expires, "expires")?;
        if expires < approved {
            return Err(err(raw.expires.span(), format!("expires {expires} is before approved {approved}")));
        }
        let is = |k: DeviationKind| raw.kind == k;
        let adjusted_risk = match (&raw.adjusted_risk, is(DeviationKind::RiskAdjustment)) {
            (Some(a), true) => Some(*a.get_ref()),
            (None, true) => return Err(err(span, "a risk-adjustment needs `adjusted_risk` (low, moderate, high or critical)".into())),
            (Some(a), false) => return Err(err(a.span(), "`adjusted_risk` is only for type = \"risk-adjustment\"".into())),
            (None, false) => None,
        };
        let vendor = is(DeviationKind::VendorDependency);
        let vendor_checkin = match (&raw.vendor_checkin, vendor) {
            (Some(v), true) => Some(date(v, "vendor_checkin")?),
            (None, true) => {
                return Err(err(span, "a vendor-dependency needs `vendor_checkin`, the date of the last vendor check-in".into()))
            }
            (Some(v), false) => return Err(err(v.span(), "`vendor_checkin` is only for type = \"vendor-dependency\"".into())),
            (None, false) => None,
        };
        let vendor_product = match (raw.vendor_product, vendor) {
            (Some(p), true) => Some(p.into_inner()),
            (None, true) => {
                return Err(err(span, "a vendor-dependency needs `vendor_product`, the product that waits on the vendor".into()))
            }
            (Some(p), false) => return Err(err(p.span(), "`vendor_product` is only for type = \"vendor-dependency\"".into())),
            (None, false) => None,
        };
        if out.iter().any(|d| d.target == target && d.kind == raw.kind) {
            return Err(err(span, format!("a second {} for {target}: give each item at most one of each type", raw.kind.as_str())));
        }
        out.push(Deviation {
            target,
            kind: raw.kind,
            justification: raw.justification.into_inner().trim().to_string(),
            approver: raw.approver.into_inner().trim().to_string(),
            approved,
            expires,
            adjusted_risk,
            vendor_checkin,
            vendor_product,
            span,
        });
    }
    Ok(out)
}

/// Decides which of an item's deviations apply on `today`, in FedRAMP's
/// order: risk adjustment first (an operational requirement depends on it),
/// then the others. `original` is the item's computed risk level.
pub fn evaluate(devs: &[&Deviation], original: Severity, today: Day) -> Vec<ItemDeviation> {
    let mut out: Vec<ItemDeviation> = Vec::new();
    for kind in DeviationKind::ALL {
        let Some(d) = devs.iter().find(|d| d.kind == kind) else { continue };
        let adjusted = out
            .iter()
            .find(|x| x.kind == DeviationKind::RiskAdjustment && x.state == DeviationState::Applied)
            .and_then(|x| x.adjusted_risk);
        let (state, reason) = judge(d, original, adjusted, today);
        out.push(ItemDeviation {
            kind,
            state,
            reason,
            justification: d.justification.clone(),
            approver: d.approver.clone(),
            approved: d.approved,
            expires: d.expires,
            adjusted_risk: d.adjusted_risk,
            vendor_checkin: d.vendor_checkin,
            vendor_product: d.vendor_product.clone(),
        });
    }
    out.sort_by_key(|d| d.kind);
    out
}

fn judge(d: &Deviation, original: Severity, adjusted: Option<Severity>, today: Day) -> (DeviationState, Option<String>) {
    let reject = |why: String| (DeviationState::Rejected, Some(why));
    if today > d.expires {
        return (DeviationState::Expired, Some(format!("expired on {}", d.expires)));
    }
    if d.approved > today {
        return reject(format!("approved {} is after the scan date {today}", d.approved));
    }
    match d.kind {
        DeviationKind::RiskAdjustment => match d.adjusted_risk {
            Some(a) if a < original => (DeviationState::Applied, None),
            Some(a) => reject(format!("a risk adjustment lowers the rating; {a} is not below the original {original}")),
            None => reject("no adjusted_risk".into()),
        },
        DeviationKind::OperationalRequirement => {
            let level = adjusted.unwrap_or(original);
            if level >= Severity::High {
                reject(format!(
                    "FedRAMP allows no operational requirement on a {level} risk; approve a risk adjustment to moderate or low first"
                ))
            } else {
                (DeviationState::Applied, None)
            }
        }
        DeviationKind::VendorDependency => match d.vendor_checkin {
            Some(c) if c > today => reject(format!("vendor check-in {c} is after the scan date {today}")),
            Some(c) if today.days_since(c) > VENDOR_CHECKIN_DAYS => reject(format!(
                "last vendor check-in {c} is {} days old; FedRAMP needs one at least every {VENDOR_CHECKIN_DAYS} days",
                today.days_since(c)
            )),
            Some(_) => (DeviationState::Applied, None),
            None => reject("no vendor_checkin".into()),
        },
        DeviationKind::FalsePositive => (DeviationState::Applied, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[deviation]]
rule = "TG-X-001"
type = "risk-adjustment"
adjusted_risk = "moderate"
justification = "Only reachable from the admin VPN."
approver = "AO"
approved = 2025-01-10
expires = "2025-07-10"

[[deviation]]
item = "POAM-0002"
type = "vendor-dependency"
justification = "Waiting for the vendor's fixed image."
approver = "AO"
approved = 2025-01-10
expires = 2025-03-01
vendor_checkin = 2025-01-20
vendor_product = "statsd-exporter"
"#;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn parses_and_judges() {
        let devs = parse("d.toml", GOOD).unwrap();
        assert_eq!(devs.len(), 2);
        assert_eq!(devs[0].target, Target::Rule("TG-X-001".into()));
        assert_eq!(devs[0].expires, day("2025-07-10"));
        let states = evaluate(&[&devs[0]], Severity::High, day("2025-02-01"));
        assert_eq!(states[0].state, DeviationState::Applied);
        let states = evaluate(&[&devs[0]], Severity::Moderate, day("2025-02-01"));
        assert_eq!(states[0].state, DeviationState::Rejected, "must lower the rating");
        let states = evaluate(&[&devs[0]], Severity::High, day("2025-07-11"));
        assert_eq!(states[0].state, DeviationState::Expired);
        let vd = evaluate(&[&devs[1]], Severity::Low, day("2025-02-19"));
        assert_eq!(vd[0].state, DeviationState::Applied);
        let vd = evaluate(&[&devs[1]], Severity::Low, day("2025-02-20"));
        assert_eq!(vd[0].state, DeviationState::Rejected, "{:?}", vd[0].reason);
    }

    #[test]
    fn operational_requirements_on_high_risks_need_an_adjustment() {
        let text =
            GOOD.replace("item = \"POAM-0002\"\ntype = \"vendor-dependency\"", "rule = \"TG-X-001\"\ntype = \"operational-requirement\"");
        let text = text.replace("vendor_checkin = 2025-01-20\nvendor_product = \"statsd-exporter\"\n", "");
        let devs = parse("d.toml", &text).unwrap();
        let or_only = evaluate(&[&devs[1]], Severity::High, day("2025-02-01"));
        assert_eq!(or_only[0].state, DeviationState::Rejected);
        let both = evaluate(&[&devs[1], &devs[0]], Severity::High, day("2025-02-01"));
        assert_eq!(both.iter().map(|d| d.state).collect::<Vec<_>>(), [DeviationState::Applied, DeviationState::Applied]);
    }

    #[test]
    fn errors_point_at_the_field() {
        let no_expiry = GOOD.replace("expires = \"2025-07-10\"\n", "");
        let e = parse("d.toml", &no_expiry).unwrap_err();
        assert!(e.to_string().contains("missing field `expires`"), "{e}");
        let bad_date = GOOD.replace("expires = \"2025-07-10\"", "expires = \"someday\"");
        let PoamError::Deviations { span, message, .. } = parse("d.toml", &bad_date).unwrap_err() else { panic!() };
        assert!(message.contains("`expires` must be a date"));
        assert_eq!(&bad_date[span.offset()..span.offset() + span.len()], "\"someday\"");
        let both = GOOD.replace("rule = \"TG-X-001\"", "rule = \"TG-X-001\"\nitem = \"POAM-0001\"");
        assert!(parse("d.toml", &both).unwrap_err().to_string().contains("exactly one"));
        let odd = GOOD.replace("adjusted_risk = \"moderate\"", "adjusted_risk = \"moderate\"\nvendor_product = \"x\"");
        assert!(parse("d.toml", &odd).unwrap_err().to_string().contains("only for type"));
        let typo = GOOD.replace(
            "approver = \"AO\"\napproved = 2025-01-10\nexpires = \"2025",
            "aprover = \"AO\"\napproved = 2025-01-10\nexpires = \"2025",
        );
        assert!(parse("d.toml", &typo).unwrap_err().to_string().contains("unknown field `aprover`"));
    }
}
