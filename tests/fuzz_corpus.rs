//! The fuzz targets' bodies (fuzz/src/lib.rs, its own workspace for `cargo fuzz`) run over their
//! seed corpus in fuzz/corpus/ as part of the main test suite, so every `cargo test` checks that
//! no parser, signature check, slash command or CSV row in the corpus panics.

#[path = "../fuzz/src/lib.rs"]
mod bodies;
