#![no_main]
//! The CSV import: header and every row.
libfuzzer_sys::fuzz_target!(|data: &[u8]| pushback_fuzz::csv_rows(data));
