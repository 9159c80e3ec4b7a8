#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tollgate_fuzz::run("pam", "etc/pam.d/sshd", data));
