//! The IAM credential report, as the AWS CLI downloads it:
//!
//! ```sh
//! aws iam generate-credential-report
//! aws iam get-credential-report --query Content --output text | base64 --decode > credential-report.csv
//! ```
//!
//! One `aws:iam_user` per row (the account root is the user `<root_account>`),
//! id = the `user` column. Values are typed: `true` / `false` become booleans;
//! `N/A`, `not_supported`, `no_information` and empty cells become null (the
//! value does not apply, or AWS has no record of it); everything else,
//! timestamps included, stays a string. Every property sits on its row's line.
//! A row with the wrong number of columns is a parse error at its line.

use crate::error::InputError;
use crate::formats::nodes::{self, boolean, object_at, string};
use crate::node::{LineSpan, Node};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `credential-report.csv`, `*credential_report*.csv`, `*credential-report*.csv`.
pub struct CredentialReport;

impl super::Parser for CredentialReport {
    fn comment_prefixes(&self) -> &'static [&'static str] {
        &[]
    }

    fn name(&self) -> &'static str {
        "aws_credential_report"
    }

    fn kinds(&self) -> &'static [&'static str] {
        &["aws:iam_user"]
    }

    fn detect(&self, path: &std::path::Path) -> bool {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
        let lower = name.to_ascii_lowercase();
        lower.ends_with(".csv") && (lower.contains("credential_report") || lower.contains("credential-report"))
    }

    fn parse(&self, path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
        parse(path, text)
    }
}

/// The typed value of one cell.
pub fn cell(value: &str, line: u32) -> Node {
    match value {
        "true" => boolean(true, line),
        "false" => boolean(false, line),
        "" | "N/A" | "not_supported" | "no_information" => nodes::null(line),
        other => string(other, line),
    }
}

fn csv_error(path: &str, text: &Arc<str>, e: &csv::Error) -> InputError {
    let offset = e.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("row has {len} columns, the header has {expected_len}"),
        _ => e.to_string(),
    };
    let end = text[offset.min(text.len())..].find('\n').map_or(text.len(), |i| offset + i);
    InputError::parse(path, text, offset..end.max(offset + 1), message)
}

/// One resource per row of a credential report.
pub fn parse(path: &str, text: &Arc<str>) -> Result<Vec<crate::Resource>, InputError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().map_err(|e| csv_error(path, text, &e))?.iter().map(|h| h.trim().to_string()).collect();
    let Some(user_col) = headers.iter().position(|h| h == "user") else {
        return Err(InputError::parse(path, text, 0..1, "not an IAM credential report: the header has no `user` column"));
    };
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(path, text, &e)),
        }
        let line = record.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
        let members: Vec<(String, Node)> = headers.iter().zip(record.iter()).map(|(h, v)| (h.clone(), cell(v, line))).collect();
        let user = record.get(user_col).unwrap_or_default().to_string();
        let arn = headers.iter().position(|h| h == "arn").and_then(|i| record.get(i)).unwrap_or_default();
        let mut attributes = BTreeMap::new();
        attributes.insert("source".to_string(), "credential_report".to_string());
        if !arn.is_empty() {
            attributes.insert("arn".to_string(), arn.to_string());
            if let Some(account) = arn.split(':').nth(4).filter(|a| !a.is_empty()) {
                attributes.insert("account_id".to_string(), account.to_string());
            }
        }
        out.push(nodes::resource("aws:iam_user", user, path, object_at(members, LineSpan::single(line)), attributes));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_typed_users() {
        let text: Arc<str> = Arc::from(
            "user,arn,password_enabled,mfa_active,password_last_used\n<root_account>,arn:aws:iam::123456789012:root,not_supported,true,N/A\nbob,arn:aws:iam::123456789012:user/bob,true,false,2024-05-01T10:00:00+00:00\n",
        );
        let users = parse("credential-report.csv", &text).unwrap();
        assert_eq!(users.len(), 2);
        assert_eq!((users[0].id.as_str(), users[0].lines.start), ("<root_account>", 2));
        assert_eq!(users[0].data.to_json()["password_enabled"], serde_json::Value::Null);
        assert_eq!(users[1].data.to_json()["mfa_active"], false);
        assert_eq!(users[1].attributes["account_id"], "123456789012");
        assert_eq!(users[1].lines_of("password_last_used").start, 3);
        let bad: Arc<str> = Arc::from("user,arn\nbob,x\nalice\n");
        let err = parse("credential-report.csv", &bad).unwrap_err();
        assert_eq!(err.line(), Some(3), "{err}");
        assert!(err.message().contains("1 columns"));
        assert!(parse("x_credential_report.csv", &Arc::from("a,b\n1,2\n")).is_err());
    }
}
