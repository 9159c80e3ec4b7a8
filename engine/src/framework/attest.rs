//! The attestations file: manual evidence for controls no rule can judge.
//!
//! A TOML file of `[[attestation]]` tables, given by `--attestations FILE` or
//! `[report] attestations`:
//!
//! ```toml
//! [[attestation]]
//! control = "3.12.4"                  # SP 800-53 id, SP 800-171 id or CMMC practice id
//! status = "satisfied"                # satisfied | not-satisfied | not-applicable | partial
//! evidence = "SSP v3.2, section 1"    # where the evidence is
//! attested_by = "J. Smith, ISSO"
//! date = 2026-01-15                   # a TOML date or a "YYYY-MM-DD" string
//! expires = 2027-01-15                # optional; before the scan date, it counts for nothing
//! ```
//!
//! Every problem (unknown keys, unknown or withdrawn control ids, `partial`
//! on a requirement without a partial SPRS value, bad or inverted dates, the
//! same control twice) is an error pointing at the value, like config errors.

use crate::api::dates::parse_timestamp;
use crate::catalog::{control, normalize_control_id, requirement_171, requirements_171};
use jiff::civil::Date;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

/// What an attestation says about its control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttestedStatus {
    Satisfied,
    NotSatisfied,
    NotApplicable,
    /// Partially implemented: only for SP 800-171 3.5.3 and 3.13.11 (and
    /// their CMMC practices), the two requirements with a partial SPRS value.
    Partial,
}

impl AttestedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttestedStatus::Satisfied => "satisfied",
            AttestedStatus::NotSatisfied => "not-satisfied",
            AttestedStatus::NotApplicable => "not-applicable",
            AttestedStatus::Partial => "partial",
        }
    }
}

/// One checked `[[attestation]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attestation {
    /// The id as written in the file.
    pub control: String,
    /// What it is matched on: the SP 800-53 display id (`AC-2(1)`) or the
    /// SP 800-171 requirement id (`3.1.1`, also for a CMMC practice id).
    pub key: String,
    pub status: AttestedStatus,
    pub evidence: String,
    pub attested_by: String,
    pub date: Date,
    pub expires: Option<Date>,
}

impl Attestation {
    /// True when it expired before `scan_date` (an attestation expiring on
    /// the scan date is still valid that day).
    pub fn expired_on(&self, scan_date: Date) -> bool {
        self.expires.is_some_and(|e| e < scan_date)
    }
}

/// Every attestation of one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attestations {
    /// The file, as given (for reports).
    pub path: String,
    /// In file order.
    pub entries: Vec<Attestation>,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AttestationError {
    #[error("{path}: cannot read attestations: {message}")]
    #[diagnostic(code(tollgate::attestation::io))]
    Io { path: String, message: String },

    #[error("{path}: {message}")]
    #[diagnostic(
        code(tollgate::attestation::parse),
        help("see docs/config.md, \"Attestations file\", for the keys an [[attestation]] takes")
    )]
    Parse {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{message}")]
        span: SourceSpan,
    },

    #[error("{path}: unknown control `{control}`")]
    #[diagnostic(code(tollgate::attestation::unknown_control))]
    UnknownControl {
        path: String,
        control: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("not an SP 800-53 Rev 5 control, SP 800-171 Rev 2 requirement or CMMC Level 2 practice")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{path}: {message}")]
    #[diagnostic(code(tollgate::attestation::invalid))]
    Invalid {
        path: String,
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("{path}: {} problems in the attestations file", errors.len())]
    #[diagnostic(code(tollgate::attestation::load))]
    Many {
        path: String,
        #[related]
        errors: Vec<AttestationError>,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    attestation: Vec<RawAttestation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAttestation {
    control: Spanned<String>,
    status: Spanned<AttestedStatus>,
    evidence: Spanned<String>,
    attested_by: Spanned<String>,
    date: Spanned<toml::Value>,
    expires: Option<Spanned<toml::Value>>,
}

/// Builds diagnostics that share the file's name and text.
struct Source<'a> {
    path: &'a str,
    text: Arc<str>,
}

impl Source<'_> {
    fn named(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(self.path, self.text.clone())
    }

    fn span(range: Range<usize>) -> SourceSpan {
        (range.start, range.end.saturating_sub(range.start)).into()
    }

    fn invalid(&self, range: Range<usize>, message: String, help: Option<String>) -> AttestationError {
        AttestationError::Invalid { path: self.path.to_string(), message, src: self.named(), span: Self::span(range), help }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())].matches('\n').count() + 1
    }
}

impl Attestations {
    /// Reads and checks an attestations file.
    pub fn load(path: &Path) -> Result<Attestations, AttestationError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| AttestationError::Io { path: display.clone(), message: e.to_string() })?;
        Attestations::parse(&display, &text)
    }

    /// Parses and checks attestations text; `name` labels diagnostics.
    pub fn parse(name: &str, text: &str) -> Result<Attestations, AttestationError> {
        let src = Source { path: name, text: Arc::from(text) };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            AttestationError::Parse {
                path: name.to_string(),
                message: e.message().trim().to_string(),
                src: src.named(),
                span: Source::span(span),
            }
        })?;
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in raw.attestation {
            match check(&src, r) {
                Ok((a, control_span)) => {
                    if let Some(first) = seen.get(&a.key) {
                        let message = format!("`{}` is attested twice (first on line {first})", a.control);
                        let help = Some(
                            "keep one attestation per control; a CMMC practice and its SP 800-171 requirement are the same control".into(),
                        );
                        errors.push(src.invalid(control_span, message, help));
                    } else {
                        seen.insert(a.key.clone(), src.line_of(control_span.start));
                        entries.push(a);
                    }
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        match errors.len() {
            0 => Ok(Attestations { path: name.to_string(), entries }),
            1 => Err(errors.remove(0)),
            _ => Err(AttestationError::Many { path: name.to_string(), errors }),
        }
    }

    /// The attestation of the control with this key (see [`Attestation::key`]).
    pub fn get(&self, key: &str) -> Option<&Attestation> {
        self.entries.iter().find(|a| a.key == key)
    }
}

/// Every problem of one `[[attestation]]`, or the attestation and its control's span.
fn check(src: &Source, r: RawAttestation) -> Result<(Attestation, Range<usize>), Vec<AttestationError>> {
    let mut errors = Vec::new();
    let control_span = r.control.span();
    let written = r.control.get_ref().trim().to_string();
    let key = match resolve(&written) {
        Ok(key) => Some(key),
        Err(Unknown::Withdrawn(help)) => {
            errors.push(src.invalid(control_span.clone(), format!("control `{written}` is withdrawn from SP 800-53 Rev 5"), Some(help)));
            None
        }
        Err(Unknown::Missing) => {
            errors.push(AttestationError::UnknownControl {
                path: src.path.to_string(),
                control: written.clone(),
                src: src.named(),
                span: Source::span(control_span.clone()),
                help: Some(unknown_help(&written)),
            });
            None
        }
    };
    let status = *r.status.get_ref();
    if let (AttestedStatus::Partial, Some(key)) = (status, &key) {
        if requirement_171(key).and_then(|req| req.partial_points).is_none() {
            errors.push(src.invalid(
                r.status.span(),
                format!("`partial` does not apply to `{written}`"),
                Some("only SP 800-171 3.5.3 and 3.13.11 (IA.L2-3.5.3, SC.L2-3.13.11) have a partial SPRS value; record any other partial implementation as `not-satisfied`".into()),
            ));
        }
    }
    for (field, value) in [("evidence", &r.evidence), ("attested_by", &r.attested_by)] {
        if value.get_ref().trim().is_empty() {
            errors.push(src.invalid(value.span(), format!("`{field}` is empty"), None));
        }
    }
    let date = date_field(src, "date", &r.date, &mut errors);
    let expires = r.expires.as_ref().and_then(|e| date_field(src, "expires", e, &mut errors).map(|d| (d, e.span())));
    if let (Some(date), Some((exp, span))) = (date, &expires) {
        if *exp < date {
            errors.push(src.invalid(span.clone(), format!("`expires` ({exp}) is before `date` ({date})"), None));
        }
    }
    match (key, date) {
        (Some(key), Some(date)) if errors.is_empty() => Ok((
            Attestation {
                control: written,
                key,
                status,
                evidence: r.evidence.into_inner().trim().to_string(),
                attested_by: r.attested_by.into_inner().trim().to_string(),
                date,
                expires: expires.map(|(d, _)| d),
            },
            control_span,
        )),
        _ => Err(errors),
    }
}

enum Unknown {
    /// With a help text naming where it went.
    Withdrawn(String),
    Missing,
}

/// The matching key of a control id written in any accepted form.
fn resolve(id: &str) -> Result<String, Unknown> {
    if let Some(req) = requirement_171(id) {
        return Ok(req.id.to_string());
    }
    let c = normalize_control_id(id).and_then(|_| control(id)).ok_or(Unknown::Missing)?;
    if c.withdrawn {
        let help = match c.replaced_by.as_slice() {
            [] => format!("{} has no successor; remove the attestation", c.id),
            to => format!("{} was incorporated into {}; attest that instead", c.id, to.join(", ")),
        };
        return Err(Unknown::Withdrawn(help));
    }
    Ok(c.id.to_string())
}

fn unknown_help(id: &str) -> String {
    let reqs = requirements_171().iter().flat_map(|r| [r.id, r.cmmc_practice]);
    let controls = crate::catalog::controls().iter().filter(|c| !c.withdrawn).map(|c| c.id);
    match crate::suggest::closest(id, reqs.chain(controls)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "write an SP 800-53 Rev 5 control (`AC-2(1)`), an SP 800-171 Rev 2 requirement (`3.1.1`) or a CMMC Level 2 practice (`AC.L2-3.1.1`)"
            .into(),
    }
}

/// A TOML date (`2026-01-15`) or a date string; a datetime counts as its date.
fn date_field(src: &Source, field: &str, value: &Spanned<toml::Value>, errors: &mut Vec<AttestationError>) -> Option<Date> {
    let date = match value.get_ref() {
        toml::Value::Datetime(d) => {
            d.date.and_then(|d| Date::new(i16::try_from(d.year).ok()?, i8::try_from(d.month).ok()?, i8::try_from(d.day).ok()?).ok())
        }
        toml::Value::String(s) => s.trim().parse::<Date>().ok().or_else(|| parse_timestamp(s).and_then(utc_date)),
        _ => None,
    };
    if date.is_none() {
        errors.push(src.invalid(value.span(), format!("`{field}` is not a date"), Some("write a date such as 2026-01-15".into())));
    }
    date
}

/// The UTC calendar date of a time in Unix seconds.
pub fn utc_date(unix_seconds: i64) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(unix_seconds).ok()?;
    Some(jiff::tz::Offset::UTC.to_datetime(ts).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[attestation]]
control = "3.12.4"
status = "satisfied"
evidence = "SSP v3.2"
attested_by = "J. Smith, ISSO"
date = 2026-01-15
expires = "2027-01-15"

[[attestation]]
control = "ac-2.1"
status = "not-applicable"
evidence = "No accounts"
attested_by = "A"
date = "2026-02-01"

[[attestation]]
control = "SC.L2-3.13.11"
status = "partial"
evidence = "TLS, not FIPS-validated"
attested_by = "B"
date = 2026-02-01T10:00:00Z
"#;

    fn span_text<'a>(text: &'a str, e: &AttestationError) -> &'a str {
        let span = match e {
            AttestationError::Invalid { span, .. }
            | AttestationError::UnknownControl { span, .. }
            | AttestationError::Parse { span, .. } => span,
            other => panic!("no span: {other:?}"),
        };
        &text[span.offset()..span.offset() + span.len()]
    }

    #[test]
    fn parses_every_id_form_and_date_form() {
        let a = Attestations::parse("a.toml", GOOD).unwrap();
        let keys: Vec<&str> = a.entries.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(keys, ["3.12.4", "AC-2(1)", "3.13.11"]);
        assert_eq!(a.entries[0].expires, Some(Date::constant(2027, 1, 15)));
        assert_eq!(a.entries[2].date, Date::constant(2026, 2, 1));
        assert_eq!(a.entries[2].status, AttestedStatus::Partial);
        assert!(!a.entries[0].expired_on(Date::constant(2027, 1, 15)), "valid on its expiry date");
        assert!(a.entries[0].expired_on(Date::constant(2027, 1, 16)));
        assert_eq!(Attestations::parse("e.toml", "").unwrap().entries, vec![]);
    }

    #[test]
    fn unknown_controls_point_at_the_id() {
        let text =
            "[[attestation]]\ncontrol = \"3.1.23\"\nstatus = \"satisfied\"\nevidence = \"e\"\nattested_by = \"a\"\ndate = 2026-01-01\n";
        let err = Attestations::parse("a.toml", text).unwrap_err();
        assert!(matches!(err, AttestationError::UnknownControl { .. }), "{err:?}");
        assert_eq!(span_text(text, &err), "\"3.1.23\"");
        let text = text.replace("3.1.23", "AC-2(10)");
        let err = Attestations::parse("a.toml", &text).unwrap_err();
        assert!(err.to_string().contains("withdrawn"), "{err}");
    }

    #[test]
    fn every_problem_is_reported_with_its_span() {
        let text = "[[attestation]]\ncontrol = \"3.1.1\"\nstatus = \"partial\"\nevidence = \" \"\nattested_by = \"a\"\ndate = 2026-05-01\nexpires = 2026-04-01\n\n[[attestation]]\ncontrol = \"AC.L2-3.1.1\"\nstatus = \"satisfied\"\nevidence = \"e\"\nattested_by = \"a\"\ndate = \"soon\"\n\n[[attestation]]\ncontrol = \"AC-1\"\nstatus = \"satisfied\"\nevidence = \"e\"\nattested_by = \"a\"\ndate = 2026-01-01\n\n[[attestation]]\ncontrol = \"ac-01\"\nstatus = \"satisfied\"\nevidence = \"e\"\nattested_by = \"a\"\ndate = 2026-01-01\n";
        let AttestationError::Many { errors, .. } = Attestations::parse("a.toml", text).unwrap_err() else { panic!("several problems") };
        let found: Vec<(String, &str)> = errors.iter().map(|e| (e.to_string(), span_text(text, e))).collect();
        let expected = [
            ("a.toml: `partial` does not apply to `3.1.1`", "\"partial\""),
            ("a.toml: `evidence` is empty", "\" \""),
            ("a.toml: `expires` (2026-04-01) is before `date` (2026-05-01)", "2026-04-01"),
            ("a.toml: `date` is not a date", "\"soon\""),
            ("a.toml: `ac-01` is attested twice (first on line 17)", "\"ac-01\""),
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for ((msg, span), (want_msg, want_span)) in found.iter().zip(expected) {
            assert_eq!((msg.as_str(), *span), (want_msg, want_span));
        }
    }

    #[test]
    fn unknown_keys_and_statuses_are_parse_errors() {
        let text = "[[attestation]]\ncontrol = \"3.1.1\"\nstatus = \"done\"\nevidence = \"e\"\nattested_by = \"a\"\ndate = 2026-01-01\n";
        let err = Attestations::parse("a.toml", text).unwrap_err();
        assert!(err.to_string().contains("unknown variant `done`"), "{err}");
        assert_eq!(span_text(text, &err), "\"done\"");
        let err = Attestations::parse("a.toml", "[[attestation]]\ncontrol = \"3.1.1\"\nowner = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `owner`"), "{err}");
    }
}
