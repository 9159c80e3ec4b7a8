use super::*;
use crate::html::csp_hash;
use crate::program::fixture::{large, sample, with_trend};

/// The text between the first `open` and the next `close` after it.
fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = s[start..].find(close).unwrap_or_else(|| panic!("no {close} after {open}")) + start;
    &s[start..end]
}

/// The heat map's row of system `id`.
fn heat_row<'a>(page: &'a str, id: &str) -> &'a str {
    between(between(page, "<table class=\"heatmap\"", "</table>"), &format!("<tr data-system=\"{id}\""), "</tr>")
}

#[test]
fn the_heat_map_has_a_row_per_system_and_a_column_per_family() {
    let report = sample();
    let page = render(&report);
    let map = between(&page, "<table class=\"heatmap\" id=\"heatmap\">", "</table>");
    assert_eq!(report.families, ["AC", "CM", "SC"]);
    assert_eq!(between(map, "<thead>", "</thead>").matches("<th scope=\"col\"").count(), 1 + 3, "System, then AC CM SC");
    assert!(map.contains("<abbr title=\"Access Control\">AC</abbr>"), "family names for the columns");
    assert_eq!(map.matches("<tr data-system=").count(), 3);
    // WEB: AC 3 of 4 failing (over half), CM 1 of 6 (up to 25%), SC none.
    let web = heat_row(&page, "WEB");
    assert!(web.contains("<th scope=\"row\">Web &lt;front&gt;</th>"), "{web}");
    assert!(web.contains("<td class=\"heat-4\" title=\"Web &lt;front&gt; · AC Access Control: 3 failed, 1 passed, 0 errored (75.0% failing)\">3&#x2f;4</td>"), "{web}");
    assert!(web.contains("<td class=\"heat-2\" title=\"Web &lt;front&gt; · CM Configuration Management: 1 failed, 4 passed, 1 errored (16.7% failing)\">1&#x2f;6</td>"), "{web}");
    assert!(
        web.contains("<td class=\"heat-empty\" title=\"Web &lt;front&gt; · SC System and Communications Protection: no findings\">–</td>")
    );
    assert!(heat_row(&page, "hosts").contains("class=\"heat-1\"") && heat_row(&page, "hosts").contains(">1&#x2f;10</td>"));
    // A broken system is one cell across the columns, with its error.
    let broken = heat_row(&page, "broken");
    assert!(broken.contains("class=\"broken\""));
    assert!(broken.contains("colspan=\"3\"><strong>broken</strong>: broken&#x2f;tollgate.toml: unknown field `nme`"), "{broken}");
    assert!(broken.contains("&lt;script&gt;") && !page.contains("<script>\n") && page.matches("<script").count() == 1);
    for step in ["empty", "0", "1", "2", "3", "4"] {
        assert!(page.contains(&format!("<span class=\"swatch heat-{step}\"></span>")), "legend entry {step}");
    }
}

#[test]
fn worst_controls_sprs_and_systems_are_on_the_page() {
    let page = render(&sample());
    let worst = between(&page, "<table class=\"data\" id=\"worst-controls\">", "</table>");
    let first = between(worst, "<tbody>", "</tr>");
    assert!(
        first.contains("<code>AC-6(10)</code>") && first.contains("data-systems-failing>2<") && first.contains("WEB, hosts"),
        "{first}"
    );
    let systems = between(&page, "<table class=\"data\" id=\"systems\">", "</table>");
    assert_eq!(systems.matches("<tr class=\"system\"").count(), 3);
    let web = between(systems, "data-id=\"WEB\"", "</tr>");
    assert!(web.contains("data-status=\"ok\" data-gate=\"fail\""), "{web}");
    assert!(web.contains("<td class=\"num\" data-sort=\"97\" data-sprs>97</td>"), "SPRS: {web}");
    assert!(web.contains(">A. Officer<") && web.contains(">Web team<") && web.contains(">high<"), "ISSO, owner, categorization");
    assert!(web.contains("data-sort=\"55.6\">55.6%</td>"), "pass rate 5 of 9: {web}");
    let hosts = between(systems, "data-id=\"hosts\"", "</tr>");
    assert!(hosts.contains("data-sprs>–</td>"), "no SPRS view: {hosts}");
    assert!(between(systems, "data-id=\"broken\"", "</tr>").contains("data-status=\"broken\" data-gate=\"fail\""));
    assert!(page.contains("<table class=\"compact\" id=\"sprs\">"), "the SPRS rollup");
    assert!(page.contains("data-total=\"broken\">1<") && page.contains("data-total=\"gate-fail\">3<"));
    assert!(page.contains("data-failing=\"high\">2<"));
    assert!(page.contains("<form class=\"filters\" id=\"system-filters\" role=\"search\" data-table=\"systems\""));
    assert!(!page.contains("id=\"trend\""), "no trend without a previous report");
}

#[test]
fn the_trend_shows_changes_added_and_removed_systems() {
    let page = render(&with_trend());
    let trend = between(&page, "<section id=\"trend\">", "</section>");
    assert!(trend.contains("<time datetime=\"2026-01-01T00:00:00Z\">"));
    assert!(between(trend, "id=\"systems-added\"", "</p>").contains("<code>hosts</code>"));
    assert!(between(trend, "id=\"systems-removed\"", "</p>").contains("<code>STO</code>"));
    let program = between(trend, "id=\"trend-program\"", "</table>");
    let failing = between(program, "Failing findings</th>", "</tr>");
    assert!(failing.contains(">7</td>") && failing.contains(">5</td>") && failing.contains("delta-better\">−2</td>"), "{failing}");
    let web = between(trend, "<tr data-id=\"WEB\">", "</tr>");
    assert!(web.contains("6 → 4 <span class=\"delta-better\">(−2)</span>"), "{web}");
    assert!(web.contains("80 → 97 <span class=\"delta-better\">(+17)</span>"), "SPRS: {web}");
    assert!(between(trend, "<tr data-id=\"broken\">", "</tr>").contains("ok → broken"));
}

#[test]
fn the_poam_rollup_is_capped_and_says_so() {
    let page = render(&sample());
    assert_eq!(page.matches("<tr class=\"poam-item\"").count(), 3);
    assert!(!page.contains("id=\"poam-cap\""));
    let big = large(4, POAM_SHOWN + 123);
    let page = render(&big);
    assert_eq!(page.matches("<tr class=\"poam-item\"").count(), POAM_SHOWN);
    let cap = between(&page, "id=\"poam-cap\">", "</p>");
    assert!(cap.contains("The 500 highest-risk items of 623 are shown; 123 more are in the xlsx and JSON"), "{cap}");
    // Highest risk first: the page shows the report's first items.
    let first = between(&page, "<tr class=\"poam-item\"", "</tr>");
    assert!(first.contains(&format!("<code>{}</code>", big.poam[0].rule_id)), "{first}");
}

#[test]
fn the_page_is_self_contained_escaped_and_deterministic() {
    let page = render(&sample());
    let csp = between(&page, "http-equiv=\"Content-Security-Policy\" content=\"", "\"");
    assert_eq!(between(&page, "<script>", "</script>"), JS, "the shared table script, verbatim");
    let style = between(&page, "<style>", "</style>");
    assert!(style.starts_with(CSS) && style.ends_with(PROGRAM_CSS), "both stylesheets, in one element");
    for hash in [csp_hash(style), csp_hash(JS)] {
        assert!(csp.contains(&hash.replace('\'', "&#x27;").replace('/', "&#x2f;")), "{csp}");
    }
    assert_eq!(page.matches("<style").count(), 1);
    for external in [" src=\"", "<link", "@import", "url(", "http://", "https://"] {
        assert!(!page.contains(external), "external reference `{external}`");
    }
    assert!(page.contains("<title>Program report: Payments &lt;P&gt; (PAY)</title>"));
    assert!(page.contains("TG-K8S-001</code> TG-K8S-001 &lt;title&gt;"), "item titles are escaped");
    assert!(page.contains("<time datetime=\"2026-02-01T00:00:00Z\">"), "the scan time is the page's only time");
    assert!(page.contains("NIST SP 800-171 Rev 2 (nist-800-171-r2)"));
    assert_eq!(page, render(&sample()));
    assert!(page.ends_with("</html>\n"));
}

#[test]
fn an_empty_program_renders() {
    let page = render(&large(0, 0));
    assert!(page.contains("data-verdict=\"pass\""));
    assert!(page.contains("No rule that ran names an SP 800-53 control.") && page.contains("No control fails in any system."));
}
