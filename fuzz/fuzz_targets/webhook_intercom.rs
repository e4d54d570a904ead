#![no_main]
//! The Intercom webhook parser (and, for what it accepts, classification and redaction).
libfuzzer_sys::fuzz_target!(|data: &[u8]| pushback_fuzz::webhook(pushback::domain::Source::Intercom, data));
