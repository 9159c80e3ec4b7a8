//! `tollgate rules new`: a new rule with every metadata field present and
//! test cases that run as written, for the author to adapt.

use miette::{miette, IntoDiagnostic, Result};
use std::path::{Path, PathBuf};

/// File stem for a rule id: `ACME-K8S-001` → `acme_k8s_001`.
fn stem(id: &str) -> String {
    id.to_ascii_lowercase().replace('-', "_")
}

/// A passing and a failing input for `kind`: (file name, passing, failing).
/// The failing input lacks the `example.enabled: true` setting the template checks.
fn sample_inputs(kind: &str) -> (String, String, String) {
    let (family, name) = kind.split_once(':').unwrap_or(("yaml", "document"));
    match family {
        "k8s" => {
            let doc = |v: &str| {
                format!("apiVersion: v1\nkind: {name}\nmetadata:\n  name: sample\n  annotations:\n    example.enabled: \"{v}\"\n")
            };
            ("sample.yaml".into(), doc("true"), doc("false"))
        }
        "json" => ("sample.json".into(), "{\"example\": {\"enabled\": true}}\n".into(), "{\"example\": {\"enabled\": false}}\n".into()),
        "toml" => ("sample.toml".into(), "[example]\nenabled = true\n".into(), "[example]\nenabled = false\n".into()),
        _ => ("sample.yaml".into(), "example:\n  enabled: true\n".into(), "example:\n  enabled: false\n".into()),
    }
}

fn check_body(kind: &str) -> &'static str {
    if kind.starts_with("k8s:") {
        r#"    // Replace with the real check. `r.data` is the whole object; for
    // workloads, `r.pod` is the pod spec and `r.pod_path` its property path.
    let value = get_path(r.data, `metadata.annotations["example.enabled"]`, "false");
    if value != "true" {
        return fail("example.enabled is not \"true\"", `metadata.annotations["example.enabled"]`);
    }
    pass()"#
    } else {
        r#"    // Replace with the real check. `r.data` is the whole document.
    if get_path(r.data, "example.enabled", false) != true {
        return fail("example.enabled is not true", "example.enabled");
    }
    pass()"#
    }
}

fn rule_text(id: &str, kind: &str) -> String {
    format!(
        r#"// {id}: one-line summary of what a compliant resource looks like.
const RULE = #{{
    id: "{id}",
    title: "Resources enable the example setting",
    severity: "moderate",
    applies_to: ["{kind}"],
    controls: ["CM-6"],
    nist_800_171: ["3.4.2"],
    rationale: "Say which part of the control this setting evidences, and what goes wrong without it.",
    remediation: "Set `example.enabled` to `true`.\n\n```yaml\nexample:\n  enabled: true\n```",
    references: ["https://example.com/replace-with-the-vendor-documentation"],
    // params: #{{ threshold: 14 }},   // then declare `fn check(r, params)`
}};

fn check(r) {{
{body}
}}
"#,
        body = check_body(kind)
    )
}

fn cases_text(kind: &str) -> String {
    let (file, good, bad) = sample_inputs(kind);
    let indent = |t: &str| t.lines().map(|l| format!("      {l}\n")).collect::<String>();
    format!(
        "cases:\n  - name: compliant input passes\n    file: {file}\n    input: |\n{}    expect: pass\n  - name: non-compliant input fails\n    file: {file}\n    input: |\n{}    expect: fail\n",
        indent(&good),
        indent(&bad)
    )
}

/// Writes `<dir>/<stem>.rhai` and `<dir>/<stem>.tests.yaml`; never overwrites.
pub fn write(id: &str, kind: &str, dir: &Path) -> Result<Vec<PathBuf>> {
    let valid_id = id.split('-').count() >= 2 && id.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err(miette!(
            code = "tollgate::usage::rule_id",
            help = "e.g. ACME-K8S-001",
            "`{id}` is not a rule id: upper-case letters, digits and dashes"
        ));
    }
    if !kind.contains(':') {
        return Err(miette!(
            code = "tollgate::usage::kind",
            help = "e.g. k8s:Deployment or json:document",
            "`{kind}` is not a resource kind"
        ));
    }
    std::fs::create_dir_all(dir).into_diagnostic()?;
    let rule = dir.join(format!("{}.rhai", stem(id)));
    let cases = dir.join(format!("{}.tests.yaml", stem(id)));
    for p in [&rule, &cases] {
        if p.exists() {
            return Err(miette!(code = "tollgate::usage::exists", "{} already exists; not overwriting", p.display()));
        }
    }
    std::fs::write(&rule, rule_text(id, kind)).into_diagnostic()?;
    std::fs::write(&cases, cases_text(kind)).into_diagnostic()?;
    Ok(vec![rule, cases])
}
