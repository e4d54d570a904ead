//! pushback: customer feedback in, evidence for engineering out.

pub mod alerts;
pub mod app;
pub mod classify;
mod cli;
pub mod config;
pub mod digest;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod ingest;
pub mod metrics;
pub mod prometheus;
pub mod redact;
pub mod review;
pub mod rng;
pub mod signing;
pub mod slack;
pub mod startup;
pub mod stats;
pub mod store;
pub mod synth;
pub mod telemetry;
pub mod text;
pub mod trackers;

/// The command line's entry points (the rest of `cli` is not library API).
pub use cli::{Cli, Command, run};
