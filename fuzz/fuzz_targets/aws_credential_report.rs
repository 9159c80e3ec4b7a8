#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tollgate_fuzz::run("aws_credential_report", "credential-report.csv", data));
