//! `ini:document` and `env:document`.

mod golden;

use serde_json::json;

#[test]
fn php_ini_sections() {
    let r = golden::load("ini_env", "php.ini").unwrap();
    assert_eq!((r[0].kind.as_str(), r[0].id.as_str()), ("ini:document", "php.ini"));
    assert_eq!(
        r[0].data.to_json(),
        json!({
            "PHP": {"engine": "On", "expose_php": "Off", "disable_functions": "exec,passthru,shell_exec,system", "display_errors": "Off"},
            "Session": {"session.cookie_secure": "1", "session.cookie_httponly": "1", "session.name": "PHPSESSID"},
            "mysqld": {"skip-networking": null, "bind-address": "127.0.0.1"}
        })
    );
    assert_eq!(r[0].lines_of("PHP.expose_php").start, 4);
    assert_eq!(r[0].lines_of("Session[\"session.cookie_secure\"]").start, 9);
    assert_eq!(r[0].lines_of("Session"), tollgate_inputs::LineSpan::new(8, 11));
}

#[test]
fn dotenv_values() {
    let r = golden::load("ini_env", ".env").unwrap();
    assert_eq!((r[0].kind.as_str(), r[0].id.as_str()), ("env:document", ".env"));
    let d = r[0].data.to_json();
    assert_eq!(d["APP_DEBUG"], "false");
    assert_eq!(d["DATABASE_URL"], "postgres://app:${DB_PASSWORD}@db:5432/app?sslmode=require");
    assert_eq!(d["SECRET_KEY"], "s3cr3t#not-a-comment");
    assert_eq!(d["ALLOWED_HOSTS"], "example.com,www.example.com");
    assert_eq!(d["TLS_CERT"], "-----BEGIN CERTIFICATE-----\nMIIBexample\n-----END CERTIFICATE-----");
    assert_eq!(r[0].lines_of("TLS_CERT"), tollgate_inputs::LineSpan::new(7, 9));
    assert_eq!((d["SENTRY_DSN"].clone(), d["AWS_PROFILE"].clone()), (json!(""), json!(null)));
    insta::assert_snapshot!("dotenv", golden::render(&r));
}

#[test]
fn a_line_that_is_not_an_assignment_is_a_parse_error() {
    let err = golden::load("ini_env", "bad.env").unwrap_err();
    assert_eq!((err.line(), err.message().as_str()), (Some(2), "expected KEY=VALUE"));
}
