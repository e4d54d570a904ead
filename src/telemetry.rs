//! Logging: human-readable text or JSON lines (`log.format`), filtered by `log.level` or
//! `RUST_LOG`; and request ids for correlating log lines.

use crate::config::LogSettings;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::request_id::{MakeRequestId, RequestId};
use tracing_subscriber::EnvFilter;

pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.level));
    // Colour codes only on a terminal: in a container, a file or journald they are noise.
    let ansi = std::io::stderr().is_terminal();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = if settings.format == "json" {
        builder.json().flatten_event(true).with_current_span(true).try_init()
    } else {
        builder.with_target(false).try_init()
    };
}

/// Request ids: a per-process random prefix and a counter, cheap and unique enough to grep.
#[derive(Clone, Debug)]
pub struct RequestIdMaker {
    prefix: String,
    counter: std::sync::Arc<AtomicU64>,
}

impl Default for RequestIdMaker {
    fn default() -> Self {
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
            ^ u64::from(std::process::id());
        let prefix = format!("{:08x}", crate::rng::Rng::new(seed).next_u64() as u32);
        Self { prefix, counter: Default::default() }
    }
}

impl MakeRequestId for RequestIdMaker {
    fn make_request_id<B>(&mut self, _request: &http::Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        http::HeaderValue::from_str(&format!("{}-{n}", self.prefix)).ok().map(RequestId::new)
    }
}
