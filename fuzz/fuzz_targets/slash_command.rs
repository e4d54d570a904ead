#![no_main]
//! The `/evidence` and `/pushback` command parser.
libfuzzer_sys::fuzz_target!(|data: &[u8]| pushback_fuzz::slash_command(data));
