//! The rule helper API, called through the real sandbox engine: every
//! helper with ordinary, edge-case and hostile input; the generated `.d.rhai`
//! documents every helper; and every example in `docs/rule-api.md` and in
//! the doc comments runs and evaluates to `true`.

use rhai::{Dynamic, Engine, EvalAltResult, Scope};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tollgate_engine::api::common::HELPER_NAMES;
use tollgate_engine::api::dates::with_scan_time;
use tollgate_engine::sandbox::{api_definitions, build_engine};
use tollgate_engine::{Limits, Policy, RuleOverrides, RuleSource, Status};

/// 2024-03-01T00:00:00Z, the scan clock of these tests.
const NOW: i64 = 1_709_251_200;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| build_engine(&Limits::default()))
}

fn eval(script: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    with_scan_time(NOW, || engine().eval::<Dynamic>(script))
}

/// Evaluates each `(expression, expected)` pair and compares their debug
/// forms (so `1` and `1.0`, `"1"` and `1` differ), reporting every mismatch.
fn check_table(cases: &[(&str, &str)]) {
    let mut wrong = Vec::new();
    for (expr, expected) in cases {
        let want = format!("{:?}", eval(expected).unwrap_or_else(|e| panic!("expected value `{expected}` does not evaluate: {e}")));
        match eval(expr) {
            Ok(got) if format!("{got:?}") == want => {}
            Ok(got) => wrong.push(format!("{expr}\n    got {got:?}, want {want}")),
            Err(e) => wrong.push(format!("{expr}\n    error: {e}, want {want}")),
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
}

/// The error message of a script that must fail.
fn error_of(script: &str) -> String {
    match eval(script) {
        Ok(v) => panic!("`{script}` should fail but gave {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn presence() {
    check_table(&[
        ("exists(())", "false"),
        ("exists(#{}.a)", "false"),
        ("exists(\"\")", "true"),
        ("exists([])", "true"),
        ("exists(false)", "true"),
        ("exists(0)", "true"),
        ("missing(())", "true"),
        ("missing(#{a: ()}.a)", "true"),
        ("missing(#{a: 1}.a)", "false"),
        ("blank(())", "true"),
        ("blank(\"\")", "true"),
        ("blank(\" \\t\\n\")", "true"),
        ("blank(\" x \")", "false"),
        ("blank([])", "true"),
        ("blank([()])", "false"),
        ("blank(#{})", "true"),
        ("blank(#{a: ()})", "false"),
        ("blank(0)", "false"),
        ("blank(false)", "false"),
    ]);
}

#[test]
fn strings() {
    check_table(&[
        ("eq_ignore_case(\"Yes\", \"yES\")", "true"),
        ("eq_ignore_case(\"ÉTÉ\", \"été\")", "true"),
        ("eq_ignore_case(\"yes\", \"yes \")", "false"),
        ("eq_ignore_case(\"\", \"\")", "true"),
        ("eq_ignore_case((), ())", "false"),
        ("eq_ignore_case(1, \"1\")", "false"),
        ("eq_ignore_case('a', \"A\")", "true"),
        ("starts_with_any(\"ssh-rsa AAAA\", [\"ssh-dss\", \"ssh-rsa\"])", "true"),
        ("starts_with_any(\"ssh-ed25519\", [\"ssh-dss\", \"ssh-rsa\"])", "false"),
        ("starts_with_any(\"abc\", \"ab\")", "true"),
        ("starts_with_any(\"abc\", [])", "false"),
        ("starts_with_any(\"abc\", [1, (), \"a\"])", "true"),
        ("starts_with_any((), [\"\"])", "false"),
        ("starts_with_any(\"abc\", ())", "false"),
        ("ends_with_any(\"cert.PEM\", [\".pem\"])", "false"),
        ("ends_with_any(\"cert.pem\", [\".crt\", \".pem\"])", "true"),
        ("contains_any(\"hmac-md5,hmac-sha2-256\", [\"md5\", \"sha1\"])", "true"),
        ("contains_any(\"hmac-sha2-256\", [\"md5\", \"sha1\"])", "false"),
        ("contains_any(42, [\"4\"])", "false"),
        ("split_words(\"a b\\tc,d,,  e\")", "[\"a\", \"b\", \"c\", \"d\", \"e\"]"),
        ("split_words(\"\")", "[]"),
        ("split_words(\" , \")", "[]"),
        ("split_words(())", "[]"),
        ("trim_quotes(\"\\\"yes\\\"\")", "\"yes\""),
        ("trim_quotes(\" 'yes' \")", "\"yes\""),
        ("trim_quotes(\"`x`\")", "\"x\""),
        ("trim_quotes(\"\\\"yes'\")", "\"\\\"yes'\""),
        ("trim_quotes(\"\\\"\")", "\"\\\"\""),
        ("trim_quotes(\"\\\"\\\"\")", "\"\""),
        ("trim_quotes(\"''x''\")", "\"'x'\""),
        ("trim_quotes(5)", "()"),
        // Rhai's own case functions are there; no duplicates are registered.
        ("\"MiXeD\".to_lower() + \"x\".to_upper()", "\"mixedX\""),
    ]);
}

#[test]
fn regexes() {
    check_table(&[
        ("matches(\"nginx:1.25.3\", `^[a-z]+:\\d+\\.\\d+\\.\\d+$`)", "true"),
        ("matches(\"nginx:latest\", `:\\d`)", "false"),
        ("matches(\"PermitRootLogin YES\", `(?i)permitrootlogin\\s+yes`)", "true"),
        ("matches(\"\", ``)", "true"),
        ("matches((), `.*`)", "false"),
        ("matches(42, `4`)", "false"),
        ("matches(\"é\", `^\\w$`)", "true"),
        ("capture(\"image: repo/app:1.2\", `(\\w+)/(\\w+):([\\d.]+)`)", "[\"repo/app:1.2\", \"repo\", \"app\", \"1.2\"]"),
        ("capture(\"ab\", `(a)|(b)`)", "[\"a\", \"a\", ()]"),
        ("capture(\"xyz\", `(a)`)", "()"),
        ("capture((), `(a)`)", "()"),
        ("capture(\"abc\", `b`)", "[\"b\"]"),
        ("captures_all(\"k1=v1;k2=v2\", `(\\w+)=(\\w+)`)", "[[\"k1=v1\", \"k1\", \"v1\"], [\"k2=v2\", \"k2\", \"v2\"]]"),
        ("captures_all(\"none\", `\\d`)", "[]"),
        ("captures_all((), `\\d`)", "[]"),
        ("captures_all(\"aaa\", `a*?`).len()", "4"),
    ]);
}

#[test]
fn invalid_patterns_are_the_rule_authors_errors() {
    let e = error_of("matches(\"x\", \"(unclosed\")");
    assert!(e.contains("invalid regex pattern `(unclosed`") && e.contains("unclosed group"), "{e}");
    // Even when the subject is missing, so the bug shows on the first resource.
    assert!(error_of("matches((), \"[z-a]\")").contains("invalid regex pattern `[z-a]`"));
    assert!(error_of("capture(\"x\", `(?<=a)b`)").contains("look-around"));
    assert!(error_of("captures_all(\"x\", `\\1`)").contains("invalid regex pattern"));
    assert!(error_of("matches(\"x\", 42)").contains("regex pattern must be a string"));
    assert!(error_of("glob_match(\"a\", \"[unclosed\")").contains("invalid glob pattern `[unclosed`"));
    assert!(error_of("glob_match(\"a\", ())").contains("glob pattern must be a string"));
}

#[test]
fn hostile_patterns_are_bounded() {
    // Compiled-size limit: each repetition multiplies the program.
    let e = error_of(r#"matches("x", `\w{1000}{1000}`)"#);
    assert!(e.contains("size limit"), "{e}");
    let e = error_of(r#"matches("x", `(((a{100}){100}){100})`)"#);
    assert!(e.contains("size limit"), "{e}");
    // Length limit, and the message shows only the start of the pattern.
    let e = error_of(r#"let p = "a"; p.pad(5000, "a"); matches("x", p)"#);
    assert!(e.contains("longer than 4096 bytes") && e.len() < 300, "{e}");
    // Nesting limit.
    let e = error_of(&format!("matches(\"x\", `{}a{}`)", "(".repeat(200), ")".repeat(200)));
    assert!(e.contains("invalid regex pattern"), "{e}");
    // Patterns that backtrack exponentially elsewhere run in linear time here.
    let mut scope = Scope::new();
    scope.push("s", format!("{}!", "a".repeat(200_000)));
    let started = Instant::now();
    for pattern in [r"^(a+)+$", r"^(a|aa)+$", r"^(a|a?)+$", r"(.*a){20}$", r"^(\w+\s?)*$"] {
        let script = format!("matches(s, `{pattern}`)");
        let got = with_scan_time(NOW, || engine().eval_with_scope::<bool>(&mut scope, &script)).unwrap();
        assert!(!got, "{pattern}");
    }
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

#[test]
fn regex_results_stay_within_the_sandbox_limits() {
    let mut scope = Scope::new();
    scope.push("s", "a".repeat(900_000));
    // Eleven copies of a 900 kB match would exceed max_string_size (1 MiB).
    let nested = format!("{}.*{}", "(".repeat(10), ")".repeat(10));
    let e = with_scan_time(NOW, || engine().eval_with_scope::<Dynamic>(&mut scope, &format!("capture(s, `{nested}`)"))).unwrap_err();
    assert!(matches!(*e, EvalAltResult::ErrorDataTooLarge(..)), "{e}");
    // 900,001 empty matches would exceed max_array_size (100,000).
    let e = with_scan_time(NOW, || engine().eval_with_scope::<Dynamic>(&mut scope, "captures_all(s, ``)")).unwrap_err();
    assert!(matches!(*e, EvalAltResult::ErrorDataTooLarge(..)), "{e}");
    // 150,000 words would exceed max_array_size.
    scope.push("w", "a ".repeat(150_000));
    let e = with_scan_time(NOW, || engine().eval_with_scope::<Dynamic>(&mut scope, "split_words(w)")).unwrap_err();
    assert!(matches!(*e, EvalAltResult::ErrorDataTooLarge(..)), "{e}");
}

#[test]
fn many_patterns_cycle_through_the_bounded_cache() {
    let script = "let n = 0; for i in 0..600 { if matches(`x${i}y`, `^x${i}y$`) { n += 1; } } n";
    assert_eq!(eval(script).unwrap().as_int().unwrap(), 600);
    assert!(tollgate_engine::api::regex::CACHE.len() <= tollgate_engine::api::regex::CACHE_CAPACITY);
}

#[test]
fn globs() {
    check_table(&[
        ("glob_match(\"a/b/c.tf\", \"**/*.tf\")", "true"),
        ("glob_match(\"c.tf\", \"**/*.tf\")", "true"),
        ("glob_match(\"a/b/c.tf\", \"*.tf\")", "false"),
        ("glob_match(\"a/c.tf\", \"a/*.tf\")", "true"),
        ("glob_match(\"a/b/c.tf\", \"a/*.tf\")", "false"),
        ("glob_match(\"a/b/c.tf\", \"a/**\")", "true"),
        ("glob_match(\"x.yaml\", \"*.{yml,yaml}\")", "true"),
        ("glob_match(\"x.json\", \"*.{yml,yaml}\")", "false"),
        ("glob_match(\"file1\", \"file[0-9]\")", "true"),
        ("glob_match(\"file?\", \"file\\\\?\")", "true"),
        ("glob_match(\"fileX\", \"file\\\\?\")", "false"),
        ("glob_match(\"ab\", \"a?\")", "true"),
        ("glob_match(\"a/\", \"a?\")", "false"),
        ("glob_match(\"Main.TF\", \"*.tf\")", "false"),
        ("glob_match((), \"*\")", "false"),
        ("glob_match(\"\", \"*\")", "true"),
    ]);
}

#[test]
fn durations() {
    check_table(&[
        ("parse_duration(\"15m\")", "900"),
        ("parse_duration(\"1h30m\")", "5400"),
        ("parse_duration(\"1h 30m\")", "5400"),
        ("parse_duration(\"90s\")", "90"),
        ("parse_duration(\"2d\")", "172800"),
        ("parse_duration(\"1w\")", "604800"),
        ("parse_duration(\"1.5h\")", "5400"),
        ("parse_duration(\"300\")", "300"),
        ("parse_duration(\" 300 \")", "300"),
        ("parse_duration(\"1500ms\")", "1"),
        ("parse_duration(\"500ms\")", "0"),
        ("parse_duration(\"30 days\")", "2592000"),
        ("parse_duration(\"5min\")", "300"),
        ("parse_duration(\"1H\")", "3600"),
        ("parse_duration(\"1h0m0s\")", "3600"),
        ("parse_duration(\"PT15M\")", "900"),
        ("parse_duration(\"P1DT12H\")", "129600"),
        ("parse_duration(\"P2W\")", "1209600"),
        ("parse_duration(\"PT0.5S\")", "0"),
        ("parse_duration(\"P1Y\")", "()"),
        ("parse_duration(\"P1M\")", "()"),
        ("parse_duration(\"PT\")", "()"),
        ("parse_duration(\"P\")", "()"),
        ("parse_duration(\"1h30\")", "()"),
        ("parse_duration(\"-5m\")", "()"),
        ("parse_duration(\"5 parsecs\")", "()"),
        ("parse_duration(\"\")", "()"),
        ("parse_duration(\"h\")", "()"),
        ("parse_duration(\"1..5h\")", "()"),
        ("parse_duration(\"99999999999999999999w\")", "()"),
        ("parse_duration(\"999999999999999999999\")", "()"),
        ("parse_duration(60)", "60"),
        ("parse_duration(-1)", "()"),
        ("parse_duration(2.9)", "2"),
        ("parse_duration(())", "()"),
        ("parse_duration([])", "()"),
    ]);
}

#[test]
fn sizes_and_cpu() {
    check_table(&[
        ("parse_size(\"10Gi\")", "10737418240"),
        ("parse_size(\"512Mi\")", "536870912"),
        ("parse_size(\"1G\")", "1000000000"),
        ("parse_size(\"100k\")", "100000"),
        ("parse_size(\"100K\")", "100000"),
        ("parse_size(\"1.5Gi\")", "1610612736"),
        ("parse_size(\"1Ki\")", "1024"),
        ("parse_size(\"1KiB\")", "1024"),
        ("parse_size(\"2GB\")", "2000000000"),
        ("parse_size(\"2 GiB\")", "2147483648"),
        ("parse_size(\"512m\")", "536870912"),
        ("parse_size(\"2g\")", "2147483648"),
        ("parse_size(\"1M\")", "1000000"),
        ("parse_size(\"1024\")", "1024"),
        ("parse_size(\"1024b\")", "1024"),
        ("parse_size(\"129e6\")", "129000000"),
        ("parse_size(\"1E\")", "1000000000000000000"),
        ("parse_size(\"7Ei\")", "8070450532247928832"),
        ("parse_size(\"8Ei\")", "()"),
        ("parse_size(\"1e99\")", "()"),
        ("parse_size(\"0.5\")", "0"),
        ("parse_size(\"-1Gi\")", "()"),
        ("parse_size(\"1Zi\")", "()"),
        ("parse_size(\"Gi\")", "()"),
        ("parse_size(\"\")", "()"),
        ("parse_size(\"1 2\")", "()"),
        ("parse_size(4096)", "4096"),
        ("parse_size(())", "()"),
        ("parse_cpu(\"500m\")", "500"),
        ("parse_cpu(\"1\")", "1000"),
        ("parse_cpu(\"0.5\")", "500"),
        ("parse_cpu(\"1.5\")", "1500"),
        ("parse_cpu(\"0.0001\")", "1"),
        ("parse_cpu(\"250000u\")", "250"),
        ("parse_cpu(\"1000001n\")", "2"),
        ("parse_cpu(\"0\")", "0"),
        ("parse_cpu(2)", "2000"),
        ("parse_cpu(0.1)", "100"),
        ("parse_cpu(\"500M\")", "()"),
        ("parse_cpu(\"-1\")", "()"),
        ("parse_cpu(\"lots\")", "()"),
        ("parse_cpu(())", "()"),
        ("parse_cpu(9223372036854775807)", "()"),
    ]);
}

#[test]
fn networks() {
    check_table(&[
        ("is_valid_ip(\"192.168.0.1\")", "true"),
        ("is_valid_ip(\" 192.168.0.1 \")", "true"),
        ("is_valid_ip(\"2001:db8::1\")", "true"),
        ("is_valid_ip(\"::ffff:10.0.0.1\")", "true"),
        ("is_valid_ip(\"010.0.0.1\")", "false"),
        ("is_valid_ip(\"1.2.3\")", "false"),
        ("is_valid_ip(\"256.0.0.1\")", "false"),
        ("is_valid_ip(\"10.0.0.1/32\")", "false"),
        ("is_valid_ip(\"\")", "false"),
        ("is_valid_ip(())", "false"),
        ("is_valid_ip(167772161)", "false"),
        ("is_valid_cidr(\"10.0.0.0/8\")", "true"),
        ("is_valid_cidr(\"10.1.2.3/8\")", "true"),
        ("is_valid_cidr(\"0.0.0.0/0\")", "true"),
        ("is_valid_cidr(\"::/0\")", "true"),
        ("is_valid_cidr(\"10.0.0.0/33\")", "false"),
        ("is_valid_cidr(\"::/129\")", "false"),
        ("is_valid_cidr(\"300.0.0.0/8\")", "false"),
        ("is_valid_cidr(\"10.0.0/8\")", "false"),
        ("is_valid_cidr(\"10.0.0.0/\")", "false"),
        ("is_valid_cidr(\"/8\")", "false"),
        ("is_valid_cidr(\"10.0.0.0/8/8\")", "false"),
        ("is_valid_cidr(\"10.0.0.0/+8\")", "false"),
        ("is_valid_cidr(\"10.0.0.0/0008\")", "false"),
        ("is_valid_cidr(\"10.0.0.0\")", "false"),
        ("is_valid_cidr(\"any\")", "false"),
        ("is_any_cidr(\"0.0.0.0/0\")", "true"),
        ("is_any_cidr(\"::/0\")", "true"),
        ("is_any_cidr(\" 0.0.0.0/0\")", "true"),
        ("is_any_cidr(\"10.0.0.0/0\")", "true"),
        ("is_any_cidr(\"0.0.0.0/1\")", "false"),
        ("is_any_cidr(\"0.0.0.0\")", "false"),
        ("is_any_cidr(\"*\")", "false"),
        ("is_any_cidr(\"0.0.0.0/00\")", "true"),
        ("is_any_cidr(())", "false"),
        ("cidr_contains(\"10.0.0.0/8\", \"10.255.255.255\")", "true"),
        ("cidr_contains(\"10.0.0.0/8\", \"11.0.0.0\")", "false"),
        ("cidr_contains(\"10.0.0.0/8\", \"10.0.0.0/8\")", "true"),
        ("cidr_contains(\"10.0.0.0/8\", \"10.0.0.0/7\")", "false"),
        ("cidr_contains(\"0.0.0.0/0\", \"203.0.113.7\")", "true"),
        ("cidr_contains(\"10.0.0.1\", \"10.0.0.1\")", "true"),
        ("cidr_contains(\"10.0.0.1\", \"10.0.0.2\")", "false"),
        ("cidr_contains(\"2001:db8::/32\", \"2001:db8:ffff::1\")", "true"),
        ("cidr_contains(\"2001:db8::/32\", \"2001:db9::1\")", "false"),
        ("cidr_contains(\"::/0\", \"0.0.0.0/0\")", "false"),
        ("cidr_contains(\"0.0.0.0/0\", \"::1\")", "false"),
        ("cidr_contains(\"10.0.0.0/33\", \"10.0.0.1\")", "false"),
        ("cidr_contains(\"10.0.0.0/8\", \"bogus\")", "false"),
        ("cidr_contains((), ())", "false"),
        ("is_private(\"10.1.2.3\")", "true"),
        ("is_private(\"172.16.0.1\")", "true"),
        ("is_private(\"172.31.255.255\")", "true"),
        ("is_private(\"172.32.0.0\")", "false"),
        ("is_private(\"192.168.0.0/16\")", "true"),
        ("is_private(\"192.168.0.0/15\")", "false"),
        ("is_private(\"127.0.0.1\")", "true"),
        ("is_private(\"169.254.169.254\")", "true"),
        ("is_private(\"::1\")", "true"),
        ("is_private(\"fd12:3456::1\")", "true"),
        ("is_private(\"fe80::1\")", "true"),
        ("is_private(\"2001:db8::1\")", "false"),
        ("is_private(\"8.8.8.8\")", "false"),
        ("is_private(\"100.64.0.1\")", "false"),
        ("is_private(\"0.0.0.0/0\")", "false"),
        ("is_private(\"10.0.0.0/7\")", "false"),
        ("is_private(\"not an ip\")", "false"),
        ("is_private(())", "false"),
    ]);
}

#[test]
fn ports() {
    check_table(&[
        ("port_in_range(22, 22, 22)", "true"),
        ("port_in_range(22, 0, 65535)", "true"),
        ("port_in_range(22, 23, 65535)", "false"),
        ("port_in_range(\"22\", \"20\", \"25\")", "true"),
        ("port_in_range(22, -1, -1)", "true"),
        ("port_in_range(22, \"-1\", \"-1\")", "true"),
        ("port_in_range(22, \"*\", ())", "true"),
        ("port_in_range(22, \"ALL\", \"all\")", "true"),
        ("port_in_range(22, 25, 20)", "false"),
        ("port_in_range(22, (), ())", "false"),
        ("port_in_range(22, \"ssh\", 25)", "false"),
        ("port_in_range(70000, -1, -1)", "false"),
        ("port_in_range(-1, -1, -1)", "false"),
        ("port_in_range((), 0, 65535)", "false"),
        ("port_in_range(22, \"20-25\")", "true"),
        ("port_in_range(22, \"20:25\")", "true"),
        ("port_in_range(22, \"22\")", "true"),
        ("port_in_range(22, 22)", "true"),
        ("port_in_range(22, \"*\")", "true"),
        ("port_in_range(22, -1)", "true"),
        ("port_in_range(22, #{from: 0, to: 1024})", "true"),
        ("port_in_range(22, #{from: 80})", "false"),
        ("port_in_range(22, \"80-443\")", "false"),
        ("port_in_range(22, ())", "false"),
        ("parse_port_range(\"20-25\")", "#{from: 20, to: 25}"),
        ("parse_port_range(\" 20 - 25 \")", "#{from: 20, to: 25}"),
        ("parse_port_range(\"443\")", "#{from: 443, to: 443}"),
        ("parse_port_range(443)", "#{from: 443, to: 443}"),
        ("parse_port_range(\"-1\")", "#{from: 0, to: 65535}"),
        ("parse_port_range(\"all\")", "#{from: 0, to: 65535}"),
        ("parse_port_range(\"Any\")", "#{from: 0, to: 65535}"),
        ("parse_port_range(\"*\")", "#{from: 0, to: 65535}"),
        ("parse_port_range(\"0-65535\")", "#{from: 0, to: 65535}"),
        ("parse_port_range(\"0-65536\")", "()"),
        ("parse_port_range(\"25-20\")", "()"),
        ("parse_port_range(\"-5\")", "()"),
        ("parse_port_range(\"1-2-3\")", "()"),
        ("parse_port_range(\"\")", "()"),
        ("parse_port_range(())", "()"),
        ("parse_port_range(#{from: \"20\", to: 25})", "#{from: 20, to: 25}"),
    ]);
}

#[test]
fn versions() {
    check_table(&[
        ("version_cmp(\"1.2.10\", \"1.2.9\")", "1"),
        ("version_cmp(\"1.2.9\", \"1.2.10\")", "-1"),
        ("version_cmp(\"1.2\", \"1.2.0\")", "0"),
        ("version_cmp(\"v1.2.3\", \"1.2.3\")", "0"),
        ("version_cmp(\"V2\", \"1.99\")", "1"),
        ("version_cmp(\"1.0.0-alpha\", \"1.0.0\")", "-1"),
        ("version_cmp(\"1.0.0-alpha.1\", \"1.0.0-alpha.beta\")", "-1"),
        ("version_cmp(\"1.0.0-beta.11\", \"1.0.0-beta.2\")", "1"),
        ("version_cmp(\"1.0.0+build.1\", \"1.0.0+build.2\")", "0"),
        ("version_cmp(\"1.1.1k\", \"1.1.1\")", "1"),
        ("version_cmp(\"1.1.1k\", \"1.1.1w\")", "-1"),
        ("version_cmp(\"1.1.1w\", \"1.1.2\")", "-1"),
        ("version_cmp(\"01.002\", \"1.2\")", "0"),
        ("version_cmp(\"10000000000000000000000.0\", \"9999999999999999999999.9\")", "1"),
        ("version_cmp(\"1.2.3.4\", \"1.2.3\")", "1"),
        ("version_cmp(\" 1.2 \", \"1.2\")", "0"),
        ("version_cmp(3, \"3.0.0\")", "0"),
        ("version_cmp(1.5, \"1.4\")", "1"),
        ("version_cmp(\"latest\", \"1.0\")", "()"),
        ("version_cmp(\"\", \"1.0\")", "()"),
        ("version_cmp(\"1..0\", \"1.0\")", "()"),
        ("version_cmp(\"1.0-\", \"1.0\")", "()"),
        ("version_cmp(\"1.0-rc..1\", \"1.0\")", "()"),
        ("version_cmp(\"a1.0\", \"1.0\")", "()"),
        ("version_cmp((), \"1.0\")", "()"),
        ("version_lt(\"1.24.0\", \"1.25\")", "true"),
        ("version_lt(\"1.25\", \"1.25.0\")", "false"),
        ("version_le(\"1.25\", \"1.25.0\")", "true"),
        ("version_gt(\"2.0.0\", \"2.0.0-rc.1\")", "true"),
        ("version_ge(\"2.0.0-rc.1\", \"2.0.0\")", "false"),
        ("version_lt(\"garbage\", \"1.0\")", "false"),
        ("version_ge(\"garbage\", \"1.0\")", "false"),
        ("version_lt((), ())", "false"),
    ]);
    // Long inputs are refused rather than parsed.
    let long = format!("version_cmp(\"{}\", \"1\")", "1.".repeat(200) + "1");
    assert!(eval(&long).unwrap().is_unit());
}

#[test]
fn dates() {
    check_table(&[
        ("parse_date(\"2024-01-15T10:00:00+00:00\")", "1705312800"),
        ("parse_date(\"2024-01-15T10:00:00Z\")", "1705312800"),
        ("parse_date(\"2024-01-15T10:00:00.123456Z\")", "1705312800"),
        ("parse_date(\"2024-01-15T12:00:00+02:00\")", "1705312800"),
        ("parse_date(\"2024-01-15T10:00:00\")", "1705312800"),
        ("parse_date(\"2024-01-15 10:00:00\")", "1705312800"),
        ("parse_date(\"2024-01-15\")", "1705276800"),
        ("parse_date(\"Mon, 15 Jan 2024 10:00:00 +0000\")", "1705312800"),
        ("parse_date(\" 2024-01-15 \")", "1705276800"),
        ("parse_date(1705312800)", "1705312800"),
        ("parse_date(\"N/A\")", "()"),
        ("parse_date(\"not_supported\")", "()"),
        ("parse_date(\"no_information\")", "()"),
        ("parse_date(\"\")", "()"),
        ("parse_date(\"2024-02-30\")", "()"),
        ("parse_date(\"2024-13-01\")", "()"),
        ("parse_date(\"yesterday\")", "()"),
        ("parse_date(())", "()"),
        ("scan_time()", &NOW.to_string()),
        ("days_since(\"2024-02-01T00:00:00Z\")", "29"),
        ("days_since(\"2024-02-29T00:00:01Z\")", "0"),
        ("days_since(\"2023-03-01\")", "366"),
        ("days_since(\"2024-03-31\")", "-30"),
        ("days_since(scan_time() - 86400 * 90)", "90"),
        ("days_since(\"N/A\")", "()"),
        ("days_since(())", "()"),
        ("days_since(-9223372036854775807)", "()"),
        ("days_between(\"2024-01-01\", \"2024-12-31\")", "365"),
        ("days_between(\"2024-01-02\", \"2024-01-01T00:00:01Z\")", "0"),
        ("days_between(\"2024-01-01\", \"N/A\")", "()"),
        ("is_before(\"2024-01-01\", \"2024-01-02\")", "true"),
        ("is_before(\"2024-01-02\", \"2024-01-01\")", "false"),
        ("is_before(\"2024-01-01\", \"2024-01-01T00:00:00Z\")", "false"),
        ("is_before(\"N/A\", \"2024-01-01\")", "false"),
        ("is_after(scan_time(), \"2024-02-29\")", "true"),
        ("is_after(\"2024-01-01\", ())", "false"),
        ("parse_date(\"2024-01-15\") < parse_date(\"2024-01-16\")", "true"),
        ("scan_time() - parse_date(\"2023-11-01\") > parse_duration(\"90d\")", "true"),
    ]);
}

#[test]
fn the_scan_clock_is_pinned_per_thread_and_nests() {
    let days = |now: i64| with_scan_time(now, || engine().eval::<i64>("days_since(\"2024-01-01\")").unwrap());
    assert_eq!(days(1_704_067_200 + 86_400 * 10), 10);
    assert_eq!(days(1_704_067_200 + 86_400 * 20), 20);
    let inner_and_outer = with_scan_time(1_704_067_200, || {
        let inner = with_scan_time(1_704_067_200 + 86_400, || engine().eval::<i64>("days_since(\"2024-01-01\")").unwrap());
        (inner, engine().eval::<i64>("days_since(\"2024-01-01\")").unwrap())
    });
    assert_eq!(inner_and_outer, (1, 0));
    // Unpinned, "now" is the system clock: 2024-01-01 is in the past.
    assert!(engine().eval::<i64>("days_since(\"2024-01-01\")").unwrap() > 500);
}

/// Rules receive resource data as read-only views, not Rhai maps and arrays;
/// the helpers must read those the same way.
#[test]
fn helpers_read_resource_data() {
    let text: Arc<str> = Arc::from(
        r#"{"cidrs": ["10.0.0.0/8", "0.0.0.0/0"], "ports": {"from": 20, "to": 25}, "ciphers": ["aes128-cbc"],
            "tags": {}, "rotated": "2024-01-01T00:00:00+00:00", "version": "1.24.3", "memory": "512Mi"}"#,
    );
    let resource = tollgate_inputs::parse_text(tollgate_inputs::Format::JSON, "a.json", &text).unwrap().remove(0);
    let body = r#"fn check(r) {
        let d = r.data;
        let failures = [];
        if !d.cidrs.any(|c| is_any_cidr(c)) { failures.push(fail("cidrs")); }
        if !port_in_range(22, d.ports) || parse_port_range(d.ports) != #{from: 20, to: 25} { failures.push(fail("ports")); }
        if !contains_any("aes128-cbc,aes256-ctr", d.ciphers) || !ends_with_any("x-cbc", d.ciphers.map(|c| c.sub_string(6))) { failures.push(fail("strings")); }
        if !blank(d.tags) || blank(d.cidrs) || !missing(d.owner) || !exists(d.tags) { failures.push(fail("presence")); }
        if days_since(d.rotated) != 60 || !version_lt(d.version, "1.25") || parse_size(d.memory) != 536870912 { failures.push(fail("values")); }
        failures
    }"#;
    let source = RuleSource {
        path: "T-API-001.rhai".into(),
        text: Arc::from(format!(
            "const RULE = #{{ id: \"T-API-001\", title: \"t\", severity: \"low\", applies_to: [\"json:document\"], controls: [\"CM-6\"], rationale: \"r\", remediation: \"m\" }};\n{body}\n"
        )),
    };
    let policy = Policy::load(&[source], &RuleOverrides::default(), Limits::default()).unwrap();
    let findings = with_scan_time(NOW, || policy.evaluate(&resource));
    let outcome: Vec<_> = findings.iter().map(|f| (f.status, f.message.clone())).collect();
    assert_eq!(outcome, vec![(Status::Pass, String::new())], "{outcome:?}");
}

#[test]
fn misspelt_helpers_get_a_suggestion() {
    for (typo, meant) in
        [("parse_duraton", "parse_duration"), ("cidr_contain", "cidr_contains"), ("version_lte", "version_le"), ("glob_mach", "glob_match")]
    {
        let err = *eval(&format!("{typo}(\"x\", \"y\")")).unwrap_err();
        let hint = tollgate_engine::suggest::hint_for_runtime_error(&err);
        assert!(hint.contains(&format!("`{meant}`")), "{typo}: {hint}");
    }
}

/// The function blocks of the generated definitions: `(doc lines, signature line)`.
fn definition_blocks(defs: &str) -> Vec<(Vec<&str>, &str)> {
    let mut out = Vec::new();
    let mut doc = Vec::new();
    for line in defs.lines() {
        if let Some(comment) = line.strip_prefix("///") {
            doc.push(comment.strip_prefix(' ').unwrap_or(comment));
        } else if line.starts_with("fn ") {
            out.push((std::mem::take(&mut doc), line));
        } else {
            doc.clear();
        }
    }
    out
}

#[test]
fn every_helper_is_in_the_definitions_with_its_doc_comment() {
    let defs = api_definitions();
    let blocks = definition_blocks(&defs);
    let mut problems = Vec::new();
    for name in HELPER_NAMES {
        let overloads: Vec<_> = blocks.iter().filter(|(_, sig)| sig.starts_with(&format!("fn {name}("))).collect();
        if overloads.is_empty() {
            problems.push(format!("{name}: not in the definitions"));
        }
        for (doc, sig) in overloads {
            if doc.is_empty() {
                problems.push(format!("{sig}: no doc comment"));
            } else if !doc.iter().any(|l| l.starts_with("```rhai")) {
                problems.push(format!("{sig}: no example"));
            }
            if sig.contains("(_:") || sig.contains(", _:") {
                problems.push(format!("{sig}: unnamed parameter"));
            }
        }
    }
    // No helper is registered without being listed (and so hinted and tested).
    let others = ["related", "is_unknown", "refers_to", "as_list"];
    for (doc, sig) in &blocks {
        let name = sig["fn ".len()..].split('(').next().unwrap_or_default();
        if !doc.is_empty() && !name.starts_with("get ") && !HELPER_NAMES.contains(&name) && !others.contains(&name) {
            problems.push(format!("{name}: documented but missing from HELPER_NAMES"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The ```rhai blocks of Markdown-ish `text`, with the line each starts on.
fn rhai_blocks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        match &mut current {
            None if trimmed == "```rhai" => current = Some((i + 2, String::new())),
            Some(_) if trimmed == "```" => out.extend(current.take()),
            Some((_, code)) => {
                code.push_str(line);
                code.push('\n');
            }
            None => {}
        }
    }
    assert!(current.is_none(), "unclosed ```rhai block");
    out
}

fn examples_hold(source: &str, blocks: &[(usize, String)]) {
    let mut wrong = Vec::new();
    for (line, code) in blocks {
        match eval(code) {
            Ok(v) if v.as_bool() == Ok(true) => {}
            Ok(v) => wrong.push(format!("{source}:{line}: evaluates to {v:?}, not true\n{code}")),
            Err(e) => wrong.push(format!("{source}:{line}: {e}\n{code}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_doc_comment_example_evaluates_to_true() {
    let defs = api_definitions();
    let blocks =
        rhai_blocks(&definition_blocks(&defs).iter().flat_map(|(doc, _)| doc.iter().map(|l| format!("{l}\n"))).collect::<String>());
    assert!(blocks.len() >= HELPER_NAMES.len(), "only {} examples", blocks.len());
    examples_hold("api_definitions()", &blocks);
}

#[test]
fn every_example_in_the_rule_api_doc_evaluates_to_true() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rule-api.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let blocks = rhai_blocks(&doc);
    assert!(blocks.len() >= 30, "only {} examples", blocks.len());
    examples_hold("docs/rule-api.md", &blocks);
    let headings: Vec<&str> = doc.lines().filter(|l| l.starts_with("### ")).collect();
    let undocumented: Vec<_> = HELPER_NAMES.iter().filter(|name| !headings.iter().any(|h| h.contains(&format!("`{name}(")))).collect();
    assert!(undocumented.is_empty(), "not in docs/rule-api.md: {undocumented:?}");
}

#[test]
fn join_works_on_built_and_data_arrays() {
    let engine = tollgate_engine::sandbox::build_engine(&tollgate_engine::Limits::default());
    let built: String = engine.eval(r#"let a = []; a.push("x"); a.push("y"); a.join(", ")"#).unwrap();
    assert_eq!(built, "x, y");
    let mixed: String = engine.eval(r#"["a", 1, true].join("|")"#).unwrap();
    assert_eq!(mixed, "a|1|true");
}
