//! The HTML report end to end: the same truth as the JSON report of the same
//! scan, deterministic bytes, and the page in a real browser.
//!
//! The browser test loads the example's report in headless Chromium through
//! chromedriver's WebDriver HTTP API (Debian packages `chromium` and
//! `chromium-driver`, which come from one source package, so their versions
//! always match): the screenshot is not blank, the console has no errors,
//! and typing a rule id in the search box leaves exactly that rule's rows.
//! Without Chromium it prints `skipped: chromium not installed` and passes,
//! unless `CI` is set: CI must run it (`.ci/run` installs both packages).

mod common;
use common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2025-01-15T10:00:00Z";

/// `tollgate scan examples/demo ARGS`, pinned to [`NOW`]; stdout.
fn demo(format: &str, args: &[&str]) -> String {
    let mut all = vec!["scan", "examples/demo", "-q", "--now", NOW, "--format", format];
    all.extend(args);
    let out = run_in(&repo_root(), &all);
    assert_eq!(code(&out), 1, "the example has deliberate gaps; stderr:\n{}", stderr(&out));
    stdout(&out)
}

/// Undoes the template engine's HTML escaping.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#x27;", "'").replace("&#x2f;", "/").replace("&amp;", "&")
}

/// The value of `attr="…"` in each `<tr class="finding" …>` tag, in page order.
fn row_attrs(page: &str, attr: &str) -> Vec<String> {
    page.split("<tr class=\"finding\"")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find('>').unwrap()];
            let start = tag.find(&format!(" {attr}=\"")).unwrap_or_else(|| panic!("no {attr} in {tag}")) + attr.len() + 3;
            unescape(&tag[start..start + tag[start..].find('"').unwrap()])
        })
        .collect()
}

/// The number in `<… data-KEY="VALUE">N<`.
fn number(page: &str, key: &str, value: &str) -> usize {
    let marker = format!("{key}=\"{value}\">");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no {marker}")) + marker.len();
    page[at..at + page[at..].find('<').unwrap()].parse().unwrap()
}

#[test]
fn html_tells_the_same_truth_as_json() {
    let page = demo("html", &[]);
    let report: Value = serde_json::from_str(&demo("json", &[])).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let summary = &report["summary"];
    assert!(page.contains(&format!("data-verdict=\"{}\"", report["gate"]["verdict"].as_str().unwrap())));
    for status in ["fail", "pass", "skip"] {
        assert_eq!(number(&page, "data-count", status), summary["findings"][status].as_u64().unwrap() as usize, "{status}");
    }
    let errors = summary["findings"]["error"].as_u64().unwrap() + summary["input_errors"].as_u64().unwrap();
    assert_eq!(number(&page, "data-count", "error") as u64, errors);
    for (sev, n) in summary["failures_by_severity"].as_object().unwrap() {
        assert_eq!(number(&page, "data-failing", sev) as u64, n.as_u64().unwrap(), "{sev}");
    }
    for (key, field) in [("files", "files_scanned"), ("resources", "resources"), ("rules", "rules_run")] {
        assert_eq!(number(&page, "data-scope", key) as u64, summary[field].as_u64().unwrap(), "{key}");
    }
    // One row per finding: the same (rule, status, severity) multiset.
    let count = |items: Vec<(String, String, String)>| {
        items.into_iter().fold(BTreeMap::new(), |mut m, k| {
            *m.entry(k).or_insert(0) += 1;
            m
        })
    };
    let rows: Vec<(String, String, String)> = row_attrs(&page, "data-rule")
        .into_iter()
        .zip(row_attrs(&page, "data-status"))
        .zip(row_attrs(&page, "data-severity"))
        .map(|((r, st), sev)| (r, st, sev))
        .collect();
    let want: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| (f["rule_id"].as_str().unwrap().into(), f["status"].as_str().unwrap().into(), f["severity"].as_str().unwrap().into()))
        .collect();
    assert_eq!(count(rows), count(want));
    assert_eq!(page.matches("<tr class=\"input-error\">").count(), report["errors"].as_array().unwrap().len());
    // Every failing finding's message is on the page (escaped).
    let text = unescape(&page);
    for f in findings.iter().filter(|f| f["status"] == "fail") {
        assert!(text.contains(f["message"].as_str().unwrap()), "{}", f["message"]);
    }
    // The charts count every finding that is a verdict.
    let verdicts = findings.iter().filter(|f| f["status"] != "skip").count();
    for chart in ["chart-family", "chart-severity"] {
        let svg = &page[page.find(&format!("id=\"{chart}\"")).unwrap()..];
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let total: usize = svg
            .split("<text class=\"total\"")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find('<').unwrap()].parse::<usize>().unwrap())
            .sum();
        assert_eq!(total, verdicts, "{chart}");
    }
}

#[test]
fn html_is_deterministic_and_selectable_with_report() {
    let a = demo("html", &[]);
    assert_eq!(a, demo("html", &[]), "the same scan gives the same bytes");
    assert!(a.contains(&format!("<time datetime=\"{NOW}\">")), "the scan clock is the page's only time");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let target = format!("html={}", path.display());
    demo("json", &["--report", &target]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), a);
}

// ---------------------------------------------------------------------------
// The browser test.

/// The program at the path in `env` when that is set, else the first of `names` on PATH.
fn program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// Chromium and chromedriver, or `None` after saying why the test is skipped.
/// With `CI` set, a missing browser fails the test instead.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = program("TOLLGATE_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]);
    let driver = program("TOLLGATE_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs headless Chromium: apt-get install -y chromium chromium-driver (see .ci/run)"
            );
            println!("skipped: chromium not installed (apt-get install chromium chromium-driver)");
            None
        }
    }
}

/// One HTTP/1.1 request to chromedriver; the response's JSON `value`.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(Duration::from_secs(90))).map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    // chromedriver may keep the connection open: read exactly one response.
    let mut raw = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let (head, mut body) = loop {
        let n = stream.read(&mut chunk).map_err(|e| e.to_string())?;
        raw.extend_from_slice(&chunk[..n]);
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n");
        let complete = split.map(|split| {
            let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
            let body = &raw[split + 4..];
            let length = head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
            let done = match length {
                Some(len) => body.len() >= len,
                None if head.contains("transfer-encoding: chunked") => body.ends_with(b"0\r\n\r\n"),
                None => n == 0,
            };
            (head.clone(), body[..length.unwrap_or(body.len()).min(body.len())].to_vec(), done)
        });
        match complete {
            Some((head, body, true)) => break (head, body),
            _ if n == 0 => return Err(format!("{method} {path}: connection closed mid-response")),
            _ => {}
        }
    };
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body)?;
    }
    let status: u16 = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no status")?;
    let doc: Value = serde_json::from_slice(&body).map_err(|e| format!("{method} {path}: {e}: {}", String::from_utf8_lossy(&body)))?;
    if status >= 400 {
        return Err(format!("{method} {path}: HTTP {status}: {}", doc["value"]));
    }
    Ok(doc["value"].clone())
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let end = data.windows(2).position(|w| w == b"\r\n").ok_or("bad chunk")?;
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).map_err(|e| e.to_string())?;
        if size == 0 {
            return Ok(out);
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let sextets: Vec<u8> = text.bytes().filter_map(value).collect();
    let mut out = Vec::with_capacity(sextets.len() * 3 / 4);
    for chunk in sextets.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, s)| n | (u32::from(*s) << (18 - 6 * i)));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// A chromedriver process and one browser session, both ended on drop.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let mut browser = Browser::driver(chromedriver, 3);
        // The flags this machine needs: no sandbox as root, and no background
        // connections (the network is closed; Chromium would retry them).
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"pageLoad": 60000, "script": 30000},
        }}});
        let session = http(browser.port, "POST", "/session", Some(&caps)).unwrap_or_else(|e| panic!("no browser session: {e}"));
        browser.session = session["sessionId"].as_str().expect("a session id").to_string();
        browser
    }

    /// chromedriver on a free port, once it answers; another port if the
    /// one picked was taken in between (up to `tries` times).
    fn driver(chromedriver: &Path, tries: u32) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let mut browser = Browser { driver, port, session: String::new(), _profile: tempfile::tempdir().unwrap() };
        let deadline = Instant::now() + Duration::from_secs(30);
        while !http(port, "GET", "/status", None).is_ok_and(|s| s["ready"] == true) {
            if browser.driver.try_wait().ok().flatten().is_some() && tries > 1 {
                return Browser::driver(chromedriver, tries - 1);
            }
            assert!(Instant::now() < deadline, "chromedriver did not start on port {port}");
            std::thread::sleep(Duration::from_millis(100));
        }
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        http(self.port, method, &path, body.as_ref()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn open(&self, file: &Path) {
        self.call("POST", "/url", Some(json!({"url": format!("file://{}", file.display())})));
    }

    fn run(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    fn element(&self, css: &str) -> String {
        let e = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        e.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("an element reference").to_string()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }

    fn clear(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/clear"), Some(json!({})));
    }

    /// Console messages at SEVERE (errors, uncaught exceptions, CSP violations, failed loads).
    fn console_errors(&self) -> Vec<String> {
        let log = self.call("POST", "/se/log", Some(json!({"type": "browser"})));
        log.as_array().into_iter().flatten().filter(|e| e["level"] == "SEVERE").map(|e| e["message"].to_string()).collect()
    }

    fn screenshot(&self) -> Vec<u8> {
        base64_decode(self.call("GET", "/screenshot", None).as_str().expect("base64 PNG"))
    }

    /// Findings rows the user can see.
    fn visible_rows(&self) -> usize {
        let n = self.run(
            "return Array.prototype.filter.call(document.querySelectorAll('#findings tbody tr'), \
             function (r) { return r.getClientRects().length > 0; }).length;",
        );
        usize::try_from(n.as_u64().expect("a count")).unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Decodes a PNG: (width, height, number of distinct colours, share of the commonest).
fn png_stats(bytes: &[u8]) -> (u32, u32, usize, f64) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("the screenshot is a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let mut colours: HashMap<&[u8], usize> = HashMap::new();
    for px in pixels.chunks(channels) {
        *colours.entry(px).or_default() += 1;
    }
    let commonest = colours.values().max().copied().unwrap_or(0);
    (info.width, info.height, colours.len(), commonest as f64 / (pixels.len() / channels).max(1) as f64)
}

#[test]
fn the_report_works_in_headless_chromium() {
    let Some((chromium, chromedriver)) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, demo("html", &[])).unwrap();
    let framework_page = dir.path().join("framework.html");
    std::fs::write(&framework_page, demo("html", &["--framework", "nist-800-171-r2"])).unwrap();
    let report: Value = serde_json::from_str(&demo("json", &[])).unwrap();
    let findings = report["findings"].as_array().unwrap();

    let browser = Browser::start(&chromium, &chromedriver);
    browser.open(&page);
    assert_eq!(browser.run("return document.readyState;"), "complete");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));

    // The screenshot shows a page, not a blank or single-colour viewport.
    let shot = browser.screenshot();
    if let Some(path) = std::env::var_os("TOLLGATE_SCREENSHOT") {
        std::fs::write(path, &shot).unwrap();
    }
    let (width, height, colours, commonest) = png_stats(&shot);
    assert!(width >= 800 && height >= 600, "{width}×{height}");
    assert!(
        colours >= 50 && commonest < 0.97,
        "a blank-looking screenshot: {colours} colours, the commonest covers {:.1}%",
        commonest * 100.0
    );

    // The script ran: the filter bar is shown, and every finding is a visible row.
    assert_eq!(browser.run("return document.getElementById('filters').hidden;"), false);
    assert_eq!(browser.visible_rows(), findings.len());

    // Typing a rule id leaves exactly its findings. Pick the rule with the most
    // findings whose id no other finding mentions.
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *per_rule.entry(f["rule_id"].as_str().unwrap()).or_default() += 1;
    }
    let mentions = |id: &str, f: &Value| f.to_string().to_lowercase().contains(&id.to_lowercase());
    let (rule, expected) = per_rule
        .iter()
        .filter(|(id, _)| findings.iter().all(|f| f["rule_id"] == **id || !mentions(id, f)))
        .max_by_key(|(_, n)| **n)
        .map(|(id, n)| (*id, *n))
        .expect("a rule to search for");
    assert!(expected < findings.len());
    browser.type_into("#filter-text", rule);
    assert_eq!(browser.visible_rows(), expected, "rows left after typing {rule}");
    assert_eq!(browser.run("return document.getElementById('shown-count').textContent;"), expected.to_string());

    // The status select narrows further; clearing the search widens again.
    let failing = |f: &&Value| f["status"] == "fail";
    browser.click("#filter-status option[value=fail]");
    assert_eq!(browser.visible_rows(), findings.iter().filter(failing).filter(|f| f["rule_id"] == rule).count());
    browser.clear("#filter-text");
    assert_eq!(browser.visible_rows(), findings.iter().filter(failing).count(), "clearing the search fires the filter");
    browser.click("#filter-severity option[value=high]");
    assert_eq!(browser.visible_rows(), findings.iter().filter(failing).filter(|f| f["severity"] == "high").count());
    browser.click("#filter-status option[value='']");
    browser.click("#filter-severity option[value='']");
    assert_eq!(browser.visible_rows(), findings.len());

    // Sorting: the severity header sorts by rank, ascending then descending.
    let first_severity = || browser.run("return document.querySelector('#findings tbody tr').getAttribute('data-severity');");
    browser.click("#findings thead th:first-child button");
    assert_eq!(first_severity(), "low");
    browser.click("#findings thead th:first-child button");
    let most_severe = ["critical", "high", "moderate", "low"].into_iter().find(|s| findings.iter().any(|f| f["severity"] == *s)).unwrap();
    assert_eq!(first_severity(), most_severe);
    assert_eq!(browser.visible_rows(), findings.len(), "sorting keeps every row");

    // A control's drill-down opens.
    browser.click("details.control summary");
    assert_eq!(browser.run("return document.querySelector('details.control').open;"), true);

    // The page with the framework view renders cleanly too.
    browser.open(&framework_page);
    assert_eq!(browser.run("return document.querySelectorAll('#framework-controls tbody tr').length;"), 110);
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "console errors on the framework page:\n{}", errors.join("\n"));
}

/// A small scan's whole page, pinned: markup, charts, escaping and the
/// embedded CSS/JS change only as a reviewed snapshot diff.
#[test]
fn html_golden_small_scan() {
    let rule = pack_rule(
        "X-HTML-001",
        "\"k8s:Pod\"",
        "fn check(r) { if r.data.metadata.name == \"bad\" { fail(\"<b>bad</b> & pod\", \"metadata.name\") } else { pass() } }",
    );
    let dir = tree(&[
        ("pod.yaml", PRIVILEGED_POD),
        ("ok.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: fine\nspec:\n  containers:\n    - name: app\n      image: nginx:1.27\n"),
        ("rules/x.rhai", &rule),
    ]);
    let args = [
        "scan",
        ".",
        "--no-builtin",
        "--rules",
        "rules",
        "--exclude",
        "rules",
        "--format",
        "html",
        "--now",
        "2026-01-15T10:00:00Z",
        "--fail-on",
        "never",
    ];
    let out = run_in(dir.path(), &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let page = stdout(&out).replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("html_small_scan", page);
}
