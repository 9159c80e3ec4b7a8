//! Driving headless Chromium from end-to-end tests, for the HTML reports
//! (`tests/report_html.rs`, `tests/program_html.rs`).
//!
//! chromedriver's WebDriver HTTP API over a plain TCP connection (no client
//! library): Debian's `chromium` and `chromium-driver` packages, which come
//! from one source package, so their versions always match. [`browser`]
//! finds them, or says why the test is skipped (and fails under `CI`, which
//! must run it: `.ci/run` installs both).

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The program at the path in `env` when that is set, else the first of `names` on PATH.
fn installed(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

/// Chromium and chromedriver, or `None` after saying why the test is skipped.
/// With `CI` set, a missing browser fails the test instead.
pub fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = installed("TOLLGATE_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]);
    let driver = installed("TOLLGATE_CHROMEDRIVER", &["chromedriver"]);
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
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    pub fn start(chromium: &Path, chromedriver: &Path) -> Browser {
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

    pub fn open(&self, file: &Path) {
        self.call("POST", "/url", Some(json!({"url": format!("file://{}", file.display())})));
    }

    pub fn run(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []})))
    }

    pub fn element(&self, css: &str) -> String {
        let e = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        e.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).expect("an element reference").to_string()
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/value"), Some(json!({"text": text})));
    }

    pub fn clear(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/clear"), Some(json!({})));
    }

    /// Console messages at SEVERE (errors, uncaught exceptions, CSP violations, failed loads).
    pub fn console_errors(&self) -> Vec<String> {
        let log = self.call("POST", "/se/log", Some(json!({"type": "browser"})));
        log.as_array().into_iter().flatten().filter(|e| e["level"] == "SEVERE").map(|e| e["message"].to_string()).collect()
    }

    pub fn screenshot(&self) -> Vec<u8> {
        base64_decode(self.call("GET", "/screenshot", None).as_str().expect("base64 PNG"))
    }

    /// Rows of the body of `table` (a CSS selector) the user can see.
    pub fn visible_rows(&self, table: &str) -> usize {
        let n = self.run(&format!(
            "return Array.prototype.filter.call(document.querySelectorAll('{table} tbody tr'), \
             function (r) {{ return r.getClientRects().length > 0; }}).length;"
        ));
        usize::try_from(n.as_u64().expect("a count")).unwrap()
    }

    /// Takes a screenshot (written to `TOLLGATE_SCREENSHOT` when that is
    /// set) and asserts it shows a page: not blank, not one colour.
    pub fn assert_painted(&self) {
        let shot = self.screenshot();
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
pub fn png_stats(bytes: &[u8]) -> (u32, u32, usize, f64) {
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
