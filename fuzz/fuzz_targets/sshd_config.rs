#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tollgate_fuzz::run("sshd_config", "etc/ssh/sshd_config", data));
