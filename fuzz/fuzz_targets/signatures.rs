#![no_main]
//! Every webhook signature scheme and Slack's, on fuzzed headers, bodies and timestamps.
libfuzzer_sys::fuzz_target!(|data: &[u8]| pushback_fuzz::signatures(data));
