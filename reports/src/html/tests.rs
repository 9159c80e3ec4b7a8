use super::*;
use crate::testutil::{finding, io_error, meta, report};
use tollgate_engine::catalog::Framework;
use tollgate_engine::ResourceRef;

const NOW: i64 = 1_736_935_200;

fn html(r: &ScanReport) -> String {
    assert_eq!(r.scan_time, NOW, "test reports carry the fixed scan time");
    render(r, &RenderOptions::default())
}

/// The text between the first `open` and the next `close` after it.
fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = s[start..].find(close).unwrap_or_else(|| panic!("no {close} after {open}")) + start;
    &s[start..end]
}

fn sample() -> ScanReport {
    let privileged = meta("X-K8S-001", Severity::High, &["AC-6(10)"], &["3.1.7"]);
    let tls = meta("X-K8S-002", Severity::Low, &["SC-8"], &[]);
    let none = meta("X-K8S-003", Severity::Low, &["CM-7"], &[]);
    let mut skipped = finding(&none, Status::Skip, "-", 1, "-", None, "no resource of kind k8s:Pod was found");
    skipped.resource = None;
    skipped.location = None;
    let mut hostile = finding(&privileged, Status::Fail, "evil\"<b>.yaml", 3, "x", Some("spec.a"), "<script>alert(1)</script> & 'q'");
    hostile.resource = Some(ResourceRef { kind: "k8s:Pod".into(), id: "ns/\"><img src=x onerror=alert(2)>".into() });
    let findings = vec![
        hostile,
        finding(&privileged, Status::Pass, "b.yaml", 1, "ns/b", None, ""),
        finding(&tls, Status::Error, "b.yaml", 1, "ns/b", None, "boom"),
        skipped,
    ];
    let mut r = report(vec![privileged, tls, none], findings, vec![io_error("broken.yaml", "cannot read </td>")]);
    r.system.name = Some("Payments <API>".into());
    r.system.id = Some("PAY-01".into());
    r
}

#[test]
fn scanned_text_is_escaped_everywhere() {
    let page = html(&sample());
    for raw in ["<script>alert(1)", "<img src=x", "\"><img", "<b>.yaml", "read </td>", "Payments <API>"] {
        assert!(!page.contains(raw), "`{raw}` reached the page unescaped");
    }
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &#x27;q&#x27;"), "the message is shown, escaped");
    assert!(page.contains("Payments &lt;API&gt;"));
    // Exactly one script and one style element: the page's own.
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("<style").count(), 1);
}

#[test]
fn the_page_is_self_contained_and_its_policy_admits_only_its_own_code() {
    let page = html(&sample());
    let csp = between(&page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    let script = between(&page, "<script>", "</script>");
    let style = between(&page, "<style>", "</style>");
    assert_eq!(script, JS, "the script is inserted verbatim, so its hash holds");
    assert_eq!(style, CSS);
    assert!(csp.starts_with("default-src &#x27;none&#x27;;"), "{csp}");
    assert!(csp.contains(&csp_hash(JS).replace('\'', "&#x27;").replace('/', "&#x2f;")), "{csp}");
    for external in [" src=\"", "<link", "@import", "url(", "http://", "https://cdn"] {
        assert!(!page.contains(external), "external reference `{external}`");
    }
    // The reference hash of a known string (RFC 4648 base64 of SHA-256).
    assert_eq!(csp_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    assert_eq!(csp_hash("abc"), "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
}

#[test]
fn summary_charts_and_drill_down_tell_the_findings() {
    let page = html(&sample());
    assert!(page.contains("data-verdict=\"fail\""));
    for (key, n) in [("fail", 1), ("pass", 1), ("error", 2), ("skip", 1)] {
        assert!(page.contains(&format!("data-count=\"{key}\">{n}<")), "{key} = {n}");
    }
    assert_eq!(page.matches("<tr class=\"finding\"").count(), 4, "every finding is a row");
    assert_eq!(page.matches("<tr class=\"input-error\"").count(), 1);
    for chart in ["chart-family", "chart-severity", "chart-framework"] {
        assert!(page.contains(&format!("<figure class=\"chart\" id=\"{chart}\">")), "{chart}");
    }
    // AC-6(10): one failure → not satisfied; SC-8: only an error → not assessed; CM-7: nothing judged.
    assert!(page.contains("id=\"control-ac-6-10\" data-state=\"not-satisfied\""), "{page}");
    assert!(page.contains("id=\"control-sc-8\" data-state=\"not-assessed\""));
    assert!(page.contains("id=\"control-cm-7\" data-state=\"not-assessed\""));
    assert!(page.contains("Fix it: set `x | y`."), "the remediation is in the drill-down");
    assert!(page.contains("<a href=\"https:&#x2f;&#x2f;example.com&#x2f;rule\" rel=\"noreferrer\">"), "http(s) references are links");
    assert!(page.contains("NIST SP 800-171 Rev 2: 3.1.7"), "other frameworks' mappings");
    assert!(page.contains("<time datetime=\"2025-01-15T10:00:00Z\">"), "the scan clock, not the wall clock");
    assert!(!page.contains("id=\"framework\""), "no framework section without --framework");
    assert_eq!(page, html(&sample()), "deterministic");
}

#[test]
fn the_framework_view_is_rendered_when_there_is_one() {
    let mut r = sample();
    r.framework = Some(tollgate_engine::framework::build(&r, Framework::Nist800171R2, None, NOW));
    let page = html(&r);
    let section = between(&page, "<section id=\"framework\">", "</section>");
    assert!(section.contains("NIST SP 800-171 Rev 2"));
    assert!(section.contains("data-sprs=\"score\""), "SPRS for 800-171");
    assert_eq!(section.matches("<tr data-status=").count(), 110, "every requirement");
    assert!(section.contains("<tr data-status=\"not-satisfied\"><td><code>3.1.7</code>"), "{section}");
    let view = r.framework.as_ref().unwrap();
    assert!(section.contains(&format!("data-framework-count=\"not-satisfied\">{}<", view.totals.not_satisfied)));
}

#[test]
fn an_empty_scan_renders() {
    let page = html(&report(vec![], vec![], vec![]));
    assert!(page.contains("data-verdict=\"pass\""));
    assert!(page.contains("No rule that ran names an SP 800-53 control."));
    assert!(page.ends_with("</html>\n"));
}
