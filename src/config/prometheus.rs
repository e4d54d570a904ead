//! `[prometheus]` settings: where evidence packs read a topic's service metric (`metric` in
//! rules.toml). Unset `url` turns the metric off; credentials are `SecretString`.

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct PrometheusSettings {
    /// Base URL of the Prometheus HTTP API, e.g. `http://prometheus:9090` (`/api/v1/query_range` is appended).
    pub url: Option<String>,
    /// Basic auth user (with `password`).
    pub user: Option<String>,
    pub password: Option<SecretString>,
    /// Bearer token, sent as `Authorization: Bearer <token>` (instead of basic auth).
    pub token: Option<SecretString>,
    /// How long a pack waits for Prometheus before it is sent without the metric, in milliseconds.
    pub timeout_ms: u64,
}

impl Default for PrometheusSettings {
    fn default() -> Self {
        Self { url: None, user: None, password: None, token: None, timeout_ms: 2000 }
    }
}

impl PrometheusSettings {
    pub fn validate(&self) -> anyhow::Result<()> {
        let Some(url) = self.url.as_deref().filter(|u| !u.trim().is_empty()) else { return Ok(()) };
        let parsed =
            url::Url::parse(url).map_err(|e| anyhow::anyhow!("prometheus.url '{url}' is not a URL ({e}); set PUSHBACK_PROMETHEUS__URL"))?;
        if parsed.scheme() != "http" {
            anyhow::bail!(
                "prometheus.url must be http:// (got '{url}'; put a TLS-terminating proxy in front); set PUSHBACK_PROMETHEUS__URL"
            );
        }
        if self.timeout_ms == 0 {
            anyhow::bail!("prometheus.timeout_ms must be positive; set PUSHBACK_PROMETHEUS__TIMEOUT_MS");
        }
        Ok(())
    }
}
