//! NIST SP 800-53 Rev 5 controls and enhancements, from
//! `engine/data/nist-800-53-r5.tsv`.
//!
//! Ids, titles and withdrawn status come from the 5.0.1 OSCAL catalog (the
//! newest full catalog available); titles of baseline controls come from the
//! 5.1.1 resolved baselines. Baseline membership is NIST LOW / MODERATE /
//! HIGH / PRIVACY (5.1.1) and FedRAMP Rev 5 LOW / MODERATE / HIGH / LI-SaaS.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::table::{self, Row};
use super::Framework;

const NAME: &str = "nist-800-53-r5.tsv";
const TABLE: &str = include_str!("../../data/nist-800-53-r5.tsv");
const HEADER: &[&str] = &["id", "family", "status", "nist", "fedramp", "replaced_by", "title_src", "title"];

/// One control (`AC-2`) or enhancement (`AC-2(1)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// Display id: `AC-2`, `AC-2(1)`.
    pub id: &'static str,
    pub title: &'static str,
    /// Family code: `AC`.
    pub family: &'static str,
    pub withdrawn: bool,
    /// For a withdrawn control: where it was incorporated or moved
    /// (`AC-2`; a family code such as `SR` for SA-12).
    pub replaced_by: Vec<&'static str>,
    /// The baseline frameworks (never [`Framework::Nist80053R5`] itself) that
    /// select this control, in [`Framework::ALL`] order.
    pub baselines: Vec<Framework>,
    /// Where the title came from: `5.1.1`, `5.0.1` or `5.0.1+case`.
    pub title_source: &'static str,
}

impl Control {
    /// True when `framework` puts this control in scope: any active control
    /// for [`Framework::Nist80053R5`], baseline membership otherwise.
    pub fn in_baseline(&self, framework: Framework) -> bool {
        match framework {
            Framework::Nist80053R5 => !self.withdrawn,
            f => self.baselines.contains(&f),
        }
    }

    pub fn is_enhancement(&self) -> bool {
        self.id.ends_with(')')
    }

    /// The base control of an enhancement (`AC-2` for `AC-2(1)`).
    pub fn base_id(&self) -> &'static str {
        self.id.split_once('(').map_or(self.id, |(base, _)| base)
    }
}

struct Index {
    list: Vec<Control>,
    by_id: HashMap<&'static str, usize>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| table::expect_embedded(NAME, parse(TABLE)))
}

fn parse(text: &'static str) -> Result<Index, String> {
    let mut list = Vec::new();
    let mut by_id = HashMap::new();
    for row in table::rows(text, HEADER)? {
        let control = parse_row(&row)?;
        if by_id.insert(control.id, list.len()).is_some() {
            return Err(row.error(format!("duplicate id {}", control.id)));
        }
        list.push(control);
    }
    Ok(Index { list, by_id })
}

fn parse_row(row: &Row) -> Result<Control, String> {
    let f = &row.fields;
    let id = f[0];
    if normalize_control_id(id).as_deref() != Some(id) {
        return Err(row.error(format!("`{id}` is not a canonical control id")));
    }
    if !id.starts_with(f[1]) {
        return Err(row.error(format!("family {} does not match {id}", f[1])));
    }
    let withdrawn = match f[2] {
        "active" => false,
        "withdrawn" => true,
        s => return Err(row.error(format!("unknown status `{s}`"))),
    };
    let mut baselines = Vec::new();
    for (field, codes) in [(f[3], NIST_CODES), (f[4], FEDRAMP_CODES)] {
        for letter in field.chars().filter(|&c| c != '-') {
            let fw = codes.iter().find(|(c, _)| *c == letter).ok_or_else(|| row.error(format!("unknown baseline letter `{letter}`")))?.1;
            baselines.push(fw);
        }
    }
    baselines.sort();
    Ok(Control { id, family: f[1], withdrawn, baselines, replaced_by: table::list(f[5]), title_source: f[6], title: f[7] })
}

const NIST_CODES: &[(char, Framework)] = &[
    ('L', Framework::Nist80053R5Low),
    ('M', Framework::Nist80053R5Moderate),
    ('H', Framework::Nist80053R5High),
    ('P', Framework::Nist80053R5Privacy),
];
const FEDRAMP_CODES: &[(char, Framework)] =
    &[('L', Framework::FedrampLow), ('M', Framework::FedrampModerate), ('H', Framework::FedrampHigh), ('S', Framework::FedrampLiSaas)];

/// Every control and enhancement, withdrawn ones included, in catalog order.
pub fn controls() -> &'static [Control] {
    &index().list
}

/// Looks a control up by id: `AC-2(1)`, or any spelling
/// [`normalize_control_id`] accepts (`ac-2.1`, `AC-02(01)`).
pub fn control(id: &str) -> Option<&'static Control> {
    let index = index();
    let i = match index.by_id.get(id) {
        Some(i) => *i,
        None => *index.by_id.get(normalize_control_id(id)?.as_str())?,
    };
    Some(&index.list[i])
}

/// The display form `AC-2(1)` of a control id written as `AC-2(1)`,
/// `ac-2(1)`, `AC-02(01)`, `AC-2 (1)` or OSCAL `ac-2.1`; `None` when `id`
/// does not have that shape (whether the control exists is not checked).
pub fn normalize_control_id(id: &str) -> Option<String> {
    let id = id.trim();
    let (family, rest) = id.split_once('-')?;
    if family.len() != 2 || !family.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let (base, enhancement) = match rest.find(['(', '.']) {
        Some(i) => {
            let tail = &rest[i..];
            let inner = match tail.strip_prefix('(') {
                Some(t) => t.strip_suffix(')')?,
                None => &tail[1..],
            };
            (rest[..i].trim_end(), Some(inner.trim()))
        }
        None => (rest, None),
    };
    let mut out = format!("{}-{}", family.to_ascii_uppercase(), number(base)?);
    if let Some(e) = enhancement {
        out.push_str(&format!("({})", number(e)?));
    }
    Some(out)
}

/// A 1–3 digit decimal, leading zeros allowed.
fn number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::normalize_control_id as n;

    #[test]
    fn normalizes_common_spellings() {
        assert_eq!(n("AC-2").as_deref(), Some("AC-2"));
        assert_eq!(n("ac-2.1").as_deref(), Some("AC-2(1)"));
        assert_eq!(n("AC-02(01)").as_deref(), Some("AC-2(1)"));
        assert_eq!(n(" AC-6 (10) ").as_deref(), Some("AC-6(10)"));
        for bad in ["", "AC", "AC-", "A-1", "AC-x", "AC-2(", "AC-2()", "AC-2(1", "3.1.1", "AC-2(1)(2)"] {
            assert_eq!(n(bad), None, "{bad}");
        }
    }
}
