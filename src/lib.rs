//! pushback: customer feedback in, evidence for engineering out.

pub mod classify;
pub mod cli;
pub mod config;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod ingest;
pub mod metrics;
pub mod redact;
pub mod rng;
pub mod slack;
pub mod startup;
pub mod store;
pub mod synth;
pub mod telemetry;
pub mod text;
