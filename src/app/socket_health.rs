//! Where this replica's Socket Mode connections stand, for `/readyz`: set by the socket's
//! supervisor (`slack::socket`), read by the readiness route. Memory only.

use std::sync::Mutex;

/// The socket's state as `/readyz` reports it.
#[derive(Debug, Default)]
pub struct SocketHealth(Mutex<Inner>);

#[derive(Debug, Default, Clone)]
struct Inner {
    enabled: bool,
    wanted: usize,
    open: usize,
    /// Set when Socket Mode stopped for good (`link_disabled`, or the token was refused).
    stopped: Option<String>,
    last_error: Option<String>,
}

impl SocketHealth {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Socket Mode is on, keeping `wanted` connections.
    pub fn enable(&self, wanted: usize) {
        self.with(|i| *i = Inner { enabled: true, wanted, ..Inner::default() });
    }

    /// `open` connections have said hello and not closed.
    pub fn set_open(&self, open: usize) {
        self.with(|i| {
            i.open = open;
            if open > 0 {
                i.last_error = None;
            }
        });
    }

    pub fn failed(&self, error: &str) {
        self.with(|i| i.last_error = Some(error.to_string()));
    }

    /// Socket Mode will not connect again until a restart.
    pub fn stop(&self, why: &str) {
        self.with(|i| i.stopped = Some(why.to_string()));
    }

    /// `off`, `connected` (all wanted open), `degraded` (some), `connecting` (none yet) or `stopped`.
    pub fn state(&self) -> &'static str {
        self.with(|i| match (i.enabled, &i.stopped, i.open) {
            (false, _, _) => "off",
            (true, Some(_), _) => "stopped",
            (true, None, 0) => "connecting",
            (true, None, n) if n < i.wanted => "degraded",
            _ => "connected",
        })
    }

    /// The `/readyz` object: state, connections open and wanted, and why it stopped or failed.
    pub fn report(&self) -> serde_json::Value {
        let state = self.state();
        self.with(|i| {
            let mut v = serde_json::json!({"state": state, "connections": i.open, "wanted": i.wanted});
            if let Some(why) = &i.stopped {
                v["reason"] = why.clone().into();
            } else if let Some(e) = &i.last_error {
                v["last_error"] = e.clone().into();
            }
            v
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_connections() {
        let h = SocketHealth::default();
        assert_eq!(h.state(), "off");
        h.enable(2);
        assert_eq!(h.state(), "connecting");
        h.set_open(1);
        assert_eq!(h.state(), "degraded");
        h.set_open(2);
        assert_eq!(h.report()["state"], "connected");
        h.stop("link_disabled");
        assert_eq!(h.report()["reason"], "link_disabled");
    }
}
