//! The network edge of the pull connectors: sends a connector's request with the source's
//! credentials and deals with what every vendor may answer before the page is read. A 429
//! waits as long as the vendor's own header says (Zendesk and Freshdesk `Retry-After`, Intercom
//! `X-RateLimit-Reset`, Help Scout `X-RateLimit-Retry-After`), or backs off when it says
//! nothing (Stripe); a 5xx or a network error backs off exponentially with jitter, bounded by
//! `sync.backoff_max_ms`, up to `sync.max_retries` attempts; a 401 refreshes an OAuth token
//! once (Help Scout), otherwise it and a 403 name the settings to check.

use super::{Answer, Connector, HttpRequest};
use crate::config::{PullAccess, PullAuth, SyncSettings};
use crate::store::Store;
use base64::Engine;
use secrecy::ExposeSecret;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Why a request gave no page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// 401 or 403: the credential is wrong, expired or lacks a scope; the message says what to check.
    #[error("{0}")]
    Credentials(String),
    /// The vendor kept failing (5xx, timeouts, refused connections) or rate-limiting.
    #[error("{0}")]
    Unavailable(String),
    /// Asked to stop (ctrl-c, shutdown) while waiting.
    #[error("stopped")]
    Stopped,
    /// Another process took the source's lease over.
    #[error("another process took over this source's sync (its lease expired)")]
    LeaseLost,
}

/// Told about waits, for progress bars and logs.
pub trait Waits: Send + Sync {
    fn waiting(&self, why: &str, wait: Duration);
}

/// The source's lease, renewed before a long wait.
#[derive(Debug, Clone)]
pub struct Lease {
    pub store: Store,
    pub source: String,
    pub owner: String,
    pub secs: i64,
}

impl Lease {
    pub async fn renew(&self) -> bool {
        self.store.renew_sync_lease(&self.source, &self.owner, chrono::Utc::now(), self.secs).await.unwrap_or(false)
    }
}

/// How many 429s in a row one request may meet before the source stops until its next sync.
const MAX_RATE_LIMITED: u32 = 20;

/// What one request has met so far.
#[derive(Debug, Default)]
struct Tries {
    failures: u32,
    limited: u32,
    refreshed: bool,
}

enum Decision {
    Read(Answer),
    Wait(Duration, String),
    Again,
}

/// Waits `wait` (or until `stop`), renewing the lease first and every half lease while it lasts.
async fn wait_holding(lease: &Lease, wait: Duration, stop: &mut watch::Receiver<bool>) -> Result<(), FetchError> {
    let chunk = Duration::from_secs((lease.secs as u64 / 2).max(1));
    let mut left = wait;
    loop {
        if !lease.renew().await {
            return Err(FetchError::LeaseLost);
        }
        let now = left.min(chunk);
        if !sleep_or_stop(now, stop).await {
            return Err(FetchError::Stopped);
        }
        left = left.saturating_sub(now);
        if left.is_zero() {
            return Ok(());
        }
    }
}

/// The HTTP client of one source.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    access: PullAccess,
    settings: SyncSettings,
    token: tokio::sync::Mutex<Option<(String, Instant)>>,
    jitter: std::sync::Mutex<crate::rng::Rng>,
}

/// `attempt`'s wait (1-based) before retrying after a 5xx: `base · 2^(attempt-1)`, at most
/// `max`, of which a random half (`unit` in [0, 1)) is jitter, so replicas and sources that
/// failed together do not retry together.
pub fn backoff(attempt: u32, base_ms: u64, max_ms: u64, unit: f64) -> Duration {
    let exp = base_ms.saturating_mul(1u64 << attempt.saturating_sub(1).min(30)).min(max_ms);
    Duration::from_millis(exp / 2 + (exp as f64 / 2.0 * unit.clamp(0.0, 1.0)) as u64)
}

/// Sleeps `wait` unless `stop` turns true first; false when stopped.
pub async fn sleep_or_stop(wait: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    if *stop.borrow() {
        return false;
    }
    tokio::select! {
        () = tokio::time::sleep(wait) => true,
        _ = stop.changed() => !*stop.borrow(),
    }
}

impl Client {
    pub fn new(access: &PullAccess, settings: &SyncSettings) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.timeout_secs))
            .user_agent(concat!("pushback/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(7, |d| d.as_nanos() as u64);
        Ok(Self {
            http,
            access: access.clone(),
            settings: settings.clone(),
            token: tokio::sync::Mutex::new(None),
            jitter: std::sync::Mutex::new(crate::rng::Rng::new(seed)),
        })
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let unit = self.jitter.lock().map_or(0.5, |mut r| r.unit());
        backoff(attempt, self.settings.backoff_base_ms, self.settings.backoff_max_ms, unit)
    }

    /// Sends `req` until the vendor answers with something to read (any status but 401, 403,
    /// 429 and 5xx), waiting and backing off as the vendor asks.
    pub async fn fetch(
        &self,
        req: &HttpRequest,
        connector: &dyn Connector,
        lease: &Lease,
        waits: &dyn Waits,
        stop: &mut watch::Receiver<bool>,
    ) -> Result<Answer, FetchError> {
        let mut tries = Tries::default();
        loop {
            let sent = self.send(req).await;
            let (wait, why) = match self.decide(sent, connector, &mut tries).await? {
                Decision::Read(answer) => return Ok(answer),
                Decision::Again => continue,
                Decision::Wait(wait, why) => (wait, why),
            };
            waits.waiting(&why, wait);
            wait_holding(lease, wait, stop).await?;
        }
    }

    /// What to do with one answer (or failure to get one).
    async fn decide(&self, sent: Result<Answer, SendError>, connector: &dyn Connector, tries: &mut Tries) -> Result<Decision, FetchError> {
        let source = connector.source();
        let answer = match sent {
            Ok(answer) => answer,
            Err(SendError::Credentials(msg)) => return Err(FetchError::Credentials(format!("{source}: {msg}"))),
            Err(SendError::Network(msg)) => {
                tries.failures += 1;
                return Ok(Decision::Wait(self.retry_or_fail(source, tries.failures, &msg)?, msg));
            }
        };
        match answer.status {
            429 => {
                tries.limited += 1;
                if tries.limited > MAX_RATE_LIMITED {
                    return Err(FetchError::Unavailable(format!(
                        "{source}: still rate-limited (429) after {MAX_RATE_LIMITED} waits; the next sync tries again"
                    )));
                }
                let asked = connector.rate_limit_wait(&answer.headers, chrono::Utc::now());
                let wait = asked.unwrap_or_else(|| self.backoff(tries.limited)).min(Duration::from_secs(self.settings.max_wait_secs));
                Ok(Decision::Wait(wait, "rate limit (429)".into()))
            }
            500..=599 => {
                tries.failures += 1;
                let what = format!("{} from the API", answer.status);
                Ok(Decision::Wait(self.retry_or_fail(source, tries.failures, &what)?, what))
            }
            401 if !tries.refreshed && matches!(self.access.auth, PullAuth::ClientCredentials { .. }) => {
                // An expired or revoked OAuth token: get a new one and ask again, once.
                tries.refreshed = true;
                *self.token.lock().await = None;
                Ok(Decision::Again)
            }
            401 | 403 => {
                Err(FetchError::Credentials(format!("{source}: {} from the API: {}", answer.status, connector.credentials_hint())))
            }
            _ => Ok(Decision::Read(answer)),
        }
    }

    fn retry_or_fail(&self, source: crate::domain::Source, failures: u32, what: &str) -> Result<Duration, FetchError> {
        if failures >= self.settings.max_retries.max(1) {
            return Err(FetchError::Unavailable(format!(
                "{source}: {what} ({failures} attempts with backoff); the vendor may be down, the position is kept and the next sync tries again"
            )));
        }
        Ok(self.backoff(failures))
    }

    async fn send(&self, req: &HttpRequest) -> Result<Answer, SendError> {
        let mut builder = if req.post { self.http.post(&req.url) } else { self.http.get(&req.url) };
        builder = builder.header("accept", "application/json").header("authorization", self.authorization().await?);
        for (name, value) in &req.headers {
            builder = builder.header(*name, value);
        }
        if let Some(body) = &req.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|e| SendError::Network(network_error(&e, &self.access)))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| SendError::Network(format!("the answer was cut off ({e})")))?;
        Ok(Answer { status, headers, body })
    }

    async fn authorization(&self) -> Result<String, SendError> {
        Ok(match &self.access.auth {
            PullAuth::Basic { user, password } => {
                let pair = format!("{user}:{}", password.expose_secret());
                format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair))
            }
            PullAuth::Bearer(token) => format!("Bearer {}", token.expose_secret()),
            PullAuth::ClientCredentials { id, secret } => {
                let mut token = self.token.lock().await;
                if let Some((value, _)) = token.as_ref().filter(|(_, expires)| Instant::now() < *expires) {
                    return Ok(format!("Bearer {value}"));
                }
                let (value, lifetime) = self.oauth_token(id, secret.expose_secret()).await?;
                // Renewed a minute early, so a page never starts with a token about to expire.
                *token = Some((value.clone(), Instant::now() + lifetime.saturating_sub(Duration::from_secs(60))));
                format!("Bearer {value}")
            }
        })
    }

    /// Help Scout's client-credentials grant: `POST /v2/oauth2/token`.
    async fn oauth_token(&self, id: &str, secret: &str) -> Result<(String, Duration), SendError> {
        let form: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", id)
            .append_pair("client_secret", secret)
            .finish();
        let url = format!("{}/v2/oauth2/token", self.access.api_url);
        let response = self
            .http
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|e| SendError::Network(network_error(&e, &self.access)))?;
        let status = response.status().as_u16();
        if status >= 500 {
            return Err(SendError::Network(format!("{status} from the token endpoint")));
        }
        let body: serde_json::Value = response.json().await.unwrap_or(serde_json::Value::Null);
        let token = body.get("access_token").and_then(serde_json::Value::as_str).filter(|_| status == 200);
        let Some(token) = token else {
            return Err(SendError::Credentials(format!(
                "{status} from the token endpoint ({}): check PUSHBACK_SOURCES__HELPSCOUT__APP_ID and APP_SECRET (an OAuth app from Your Profile → My Apps)",
                body.get("error").and_then(serde_json::Value::as_str).unwrap_or("no access_token")
            )));
        };
        let lifetime = body.get("expires_in").and_then(serde_json::Value::as_u64).unwrap_or(7200);
        Ok((token.to_string(), Duration::from_secs(lifetime)))
    }
}

enum SendError {
    Credentials(String),
    Network(String),
}

fn network_error(e: &reqwest::Error, access: &PullAccess) -> String {
    let var = format!("PUSHBACK_SOURCES__{}__API_URL", access.source.as_str().to_uppercase());
    if e.is_timeout() {
        format!("no answer from {} in time; check {var} and the network", access.api_url)
    } else {
        format!("cannot reach {} ({e}); check {var} and the network", access.api_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_bound_with_half_of_it_jitter() {
        assert_eq!(backoff(1, 1000, 60_000, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(1, 1000, 60_000, 0.999_999), Duration::from_millis(999));
        assert_eq!(backoff(3, 1000, 60_000, 0.0), Duration::from_millis(2000));
        assert_eq!(backoff(30, 1000, 60_000, 1.0), Duration::from_millis(60_000));
        assert_eq!(backoff(64, 1000, 5_000, 0.5), Duration::from_millis(3750));
    }
}
