//! Parser throughput for the host, container, account and INI/.env formats.
//!
//! Builds a few MiB of realistic input per format from the golden-test
//! fixtures (repeated, with unique names where ids matter), parses it
//! repeatedly through the same entry point a scan uses, and prints MB/s.
//!
//! ```sh
//! cargo run --release -p tollgate-inputs --example host_parse_speed [NAME-FILTER]
//! ```

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tollgate_inputs::{detect, parse_text};

/// Size each generated input grows to.
const TARGET_BYTES: usize = 4 * 1024 * 1024;

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `unit` repeated until the text reaches the target size.
fn repeated(unit: &str) -> String {
    let mut out = String::with_capacity(TARGET_BYTES + unit.len());
    while out.len() < TARGET_BYTES {
        out.push_str(unit);
        if !unit.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

fn credential_report() -> String {
    let text = fixture("credential_report/credential-report.csv");
    let (header, rows) = text.split_once('\n').expect("header");
    let mut out = format!("{header}\n");
    let mut i = 0;
    while out.len() < TARGET_BYTES {
        for row in rows.lines() {
            let (user, rest) = row.split_once(',').expect("user column");
            out.push_str(&format!("{user}-{i},{rest}\n"));
        }
        i += 1;
    }
    out
}

fn security_groups() -> String {
    let text = fixture("aws/describe-security-groups.json");
    let start = text.find('[').expect("array") + 1;
    let end = text.rfind(']').expect("array");
    let items = text[start..end].trim();
    let mut out = String::from("{\n    \"SecurityGroups\": [\n");
    let mut i = 0;
    while out.len() < TARGET_BYTES {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&items.replace("sg-0a1b2c3d4e5f6", &format!("sg-{i:08x}")));
        i += 1;
    }
    out.push_str("\n    ]\n}\n");
    out
}

fn measure(name: &str, path: &str, text: impl FnOnce() -> String) {
    if std::env::args().nth(1).is_some_and(|only| !name.contains(&only)) {
        return;
    }
    let text = text();
    let format = detect(Path::new(path)).unwrap_or_else(|| panic!("{path} not detected"));
    let text: Arc<str> = Arc::from(text);
    let resources = parse_text(format, path, &text).unwrap_or_else(|e| panic!("{path}: {e}")).len();
    let (mut runs, started) = (0u32, Instant::now());
    while runs < 3 || started.elapsed() < Duration::from_millis(1500) {
        black_box(parse_text(format, path, black_box(&text)).expect("parses"));
        runs += 1;
    }
    let secs = started.elapsed().as_secs_f64() / f64::from(runs);
    let mb = text.len() as f64 / 1_000_000.0;
    println!(
        "{name:<26} {:<14} {:>6.1} MB {:>9} resources {:>9.1} ms/run {:>8.1} MB/s",
        format.name(),
        mb,
        resources,
        secs * 1000.0,
        mb / secs
    );
}

fn main() {
    println!("{:<26} {:<14} {:>9} {:>19} {:>16} {:>13}", "input", "parser", "size", "", "", "throughput");
    measure("sshd_config", "etc/ssh/sshd_config", || repeated(&fixture("sshd/etc/ssh/sshd_config")));
    measure("login.defs", "etc/login.defs", || repeated(&fixture("host/etc/login.defs")));
    measure("sysctl.conf", "etc/sysctl.conf", || repeated(&fixture("host/etc/sysctl.d/99-hardening.conf")));
    measure("auditd.conf", "etc/audit/auditd.conf", || repeated(&fixture("host/etc/audit/auditd.conf")));
    measure("audit.rules", "etc/audit/audit.rules", || repeated(&fixture("audit_rules/etc/audit/audit.rules")));
    measure("pam.d/system-auth", "etc/pam.d/system-auth", || repeated(&fixture("pam/etc/pam.d/system-auth")));
    measure("pwquality.conf", "etc/security/pwquality.conf", || repeated(&fixture("host/etc/security/pwquality.conf")));
    measure("fstab", "etc/fstab", || repeated(&fixture("host/etc/fstab")));
    measure("Dockerfile", "Dockerfile", || repeated(&fixture("dockerfile/Dockerfile")));
    measure("credential-report.csv", "credential-report.csv", credential_report);
    measure("describe-security-groups", "describe-security-groups.json", security_groups);
    measure("php.ini", "php.ini", || repeated(&fixture("ini_env/php.ini")));
    measure(".env", ".env", || repeated(&fixture("ini_env/.env")));
}
