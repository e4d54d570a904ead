//! Pull connectors' settings: `[sync]` (how often, how far back, how long to wait and back off)
//! and each source's read-only API credentials under `[sources.<vendor>]`. A source syncs when
//! its credentials are set; `pull_access` says which variables are still missing.

use super::{SourceSettings, SourcesSettings};
use crate::domain::Source;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The sources that can be pulled, in the order status lists them.
pub const PULL_SOURCES: [Source; 5] = [Source::Zendesk, Source::Intercom, Source::Helpscout, Source::Freshdesk, Source::Stripe];

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SyncSettings {
    /// Seconds between incremental syncs in `serve` (and `pushback sync` without `--once`).
    pub every_secs: u64,
    /// How far back the first sync of a source reaches.
    pub backfill_days: i64,
    /// First wait after a 5xx or a network error, in milliseconds; doubled each retry (with jitter).
    pub backoff_base_ms: u64,
    /// The longest wait between retries after 5xx or network errors, in milliseconds.
    pub backoff_max_ms: u64,
    /// Attempts per page after 5xx or network errors before the source stops until its next sync
    /// (its position kept).
    pub max_retries: u32,
    /// The longest rate-limit wait honoured at once, in seconds (a vendor asking for longer is
    /// asked again after this long).
    pub max_wait_secs: u64,
    /// How long one process holds a source's sync lease without renewing it, in seconds.
    pub lease_secs: i64,
    /// Per-request timeout, in seconds.
    pub timeout_secs: u64,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            every_secs: 300,
            backfill_days: 180,
            backoff_base_ms: 1_000,
            backoff_max_ms: 60_000,
            max_retries: 6,
            max_wait_secs: 900,
            lease_secs: 120,
            timeout_secs: 30,
        }
    }
}

impl SyncSettings {
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.every_secs == 0 {
            anyhow::bail!("sync.every_secs must be at least 1; set PUSHBACK_SYNC__EVERY_SECS");
        }
        if self.backfill_days < 1 {
            anyhow::bail!("sync.backfill_days must be at least 1; set PUSHBACK_SYNC__BACKFILL_DAYS");
        }
        if self.lease_secs < 5 {
            anyhow::bail!("sync.lease_secs must be at least 5; set PUSHBACK_SYNC__LEASE_SECS");
        }
        if self.timeout_secs == 0 {
            anyhow::bail!("sync.timeout_secs must be at least 1; set PUSHBACK_SYNC__TIMEOUT_SECS");
        }
        Ok(())
    }
}

/// How a source's API is authenticated.
#[derive(Debug, Clone)]
pub enum PullAuth {
    /// `Authorization: Basic base64(user:password)` (Zendesk `{email}/token`, Freshdesk `{key}:X`).
    Basic { user: String, password: SecretString },
    /// `Authorization: Bearer <token>` (Intercom, Stripe).
    Bearer(SecretString),
    /// OAuth2 client credentials exchanged for a bearer token (Help Scout).
    ClientCredentials { id: String, secret: SecretString },
}

/// Everything a connector needs to reach one source.
#[derive(Debug, Clone)]
pub struct PullAccess {
    pub source: Source,
    /// The API's base URL without a trailing slash.
    pub api_url: String,
    pub auth: PullAuth,
    /// The account's host name in the vendor's UI links (`acme.zendesk.com`, `acme.freshdesk.com`).
    pub ui_host: Option<String>,
    /// Zendesk: read the satisfaction ratings after the tickets (`__SATISFACTION_RATINGS`, default true).
    pub satisfaction_ratings: bool,
}

/// Why a source does not sync: the variables still to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotConfigured {
    pub missing: Vec<String>,
    /// Some of its credentials are set (a half-done setup, worth a warning).
    pub partly: bool,
}

impl NotConfigured {
    /// The variables to set, as a sentence's list: `A`, `A and B`, `A, B and C`.
    pub fn to_set(&self) -> String {
        match self.missing.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }
}

fn var(source: Source, key: &str) -> String {
    format!("PUSHBACK_SOURCES__{}__{key}", source.as_str().to_uppercase())
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn secret(v: &Option<SecretString>) -> Option<SecretString> {
    v.as_ref().filter(|s| !s.expose_secret().trim().is_empty()).cloned()
}

/// `acme`, `acme.zendesk.com` or `https://acme.zendesk.com/` as the bare host.
fn host(value: &str, suffix: &str) -> String {
    let bare = value.trim().trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
    if bare.contains('.') { bare.to_string() } else { format!("{bare}{suffix}") }
}

impl SourcesSettings {
    /// The source's API access, or the variables still to set.
    pub fn pull_access(&self, source: Source) -> Result<PullAccess, NotConfigured> {
        let Some(s) = self.get(source) else {
            return Err(NotConfigured { missing: vec![format!("{source} cannot be pulled")], partly: false });
        };
        let required: Vec<(&str, bool)> = match source {
            Source::Zendesk => {
                vec![
                    ("SUBDOMAIN", text(&s.subdomain).is_some()),
                    ("EMAIL", text(&s.email).is_some()),
                    ("API_TOKEN", secret(&s.api_token).is_some()),
                ]
            }
            Source::Intercom => vec![("ACCESS_TOKEN", secret(&s.access_token).is_some())],
            Source::Helpscout => vec![("APP_ID", text(&s.app_id).is_some()), ("APP_SECRET", secret(&s.app_secret).is_some())],
            Source::Freshdesk => vec![("DOMAIN", text(&s.domain).is_some()), ("API_KEY", secret(&s.api_key).is_some())],
            Source::Stripe => vec![("API_KEY", secret(&s.api_key).is_some())],
            Source::Generic | Source::Typeform | Source::Csv => vec![("(nothing: this source has no API to pull)", false)],
        };
        let missing: Vec<String> = required.iter().filter(|(_, set)| !set).map(|(k, _)| var(source, k)).collect();
        if !missing.is_empty() {
            return Err(NotConfigured { partly: required.iter().any(|(_, set)| *set), missing });
        }
        Ok(access(source, s).expect("every required setting is present"))
    }
}

fn access(source: Source, s: &SourceSettings) -> Option<PullAccess> {
    let (default_url, auth, ui_host) = match source {
        Source::Zendesk => {
            let ui = host(&text(&s.subdomain)?, ".zendesk.com");
            let user = format!("{}/token", text(&s.email)?);
            (format!("https://{ui}"), PullAuth::Basic { user, password: secret(&s.api_token)? }, Some(ui))
        }
        Source::Intercom => ("https://api.intercom.io".to_string(), PullAuth::Bearer(secret(&s.access_token)?), None),
        Source::Helpscout => {
            let auth = PullAuth::ClientCredentials { id: text(&s.app_id)?, secret: secret(&s.app_secret)? };
            ("https://api.helpscout.net".to_string(), auth, None)
        }
        Source::Freshdesk => {
            let ui = host(&text(&s.domain)?, ".freshdesk.com");
            let key = secret(&s.api_key)?;
            (format!("https://{ui}"), PullAuth::Basic { user: key.expose_secret().to_string(), password: "X".into() }, Some(ui))
        }
        Source::Stripe => ("https://api.stripe.com".to_string(), PullAuth::Bearer(secret(&s.api_key)?), None),
        Source::Generic | Source::Typeform | Source::Csv => return None,
    };
    let api_url = text(&s.api_url).unwrap_or(default_url).trim_end_matches('/').to_string();
    Some(PullAccess { source, api_url, auth, ui_host, satisfaction_ratings: s.satisfaction_ratings.unwrap_or(true) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_syncs_only_with_all_its_credentials_and_says_which_are_missing() {
        let mut sources = SourcesSettings::default();
        let err = sources.pull_access(Source::Zendesk).unwrap_err();
        assert!(!err.partly);
        assert_eq!(err.missing.len(), 3);
        assert_eq!(
            err.to_set(),
            "PUSHBACK_SOURCES__ZENDESK__SUBDOMAIN, PUSHBACK_SOURCES__ZENDESK__EMAIL and PUSHBACK_SOURCES__ZENDESK__API_TOKEN"
        );
        sources.zendesk.subdomain = Some("acme".into());
        sources.zendesk.email = Some("bot@acme.com".into());
        let err = sources.pull_access(Source::Zendesk).unwrap_err();
        assert_eq!(err, NotConfigured { missing: vec!["PUSHBACK_SOURCES__ZENDESK__API_TOKEN".into()], partly: true });
        sources.zendesk.api_token = Some(SecretString::from("tok"));
        let ok = sources.pull_access(Source::Zendesk).unwrap();
        assert_eq!(ok.api_url, "https://acme.zendesk.com");
        assert!(matches!(&ok.auth, PullAuth::Basic { user, .. } if user == "bot@acme.com/token"));
        sources.zendesk.api_url = Some("http://127.0.0.1:9/".into());
        assert_eq!(sources.pull_access(Source::Zendesk).unwrap().api_url, "http://127.0.0.1:9");
        assert_eq!(sources.pull_access(Source::Zendesk).unwrap().ui_host.as_deref(), Some("acme.zendesk.com"));
    }

    #[test]
    fn each_vendor_defaults_to_its_real_host() {
        let mut s = SourcesSettings::default();
        s.intercom.access_token = Some(SecretString::from("t"));
        s.helpscout.app_id = Some("id".into());
        s.helpscout.app_secret = Some(SecretString::from("x"));
        s.freshdesk.domain = Some("https://acme.freshdesk.com/".into());
        s.freshdesk.api_key = Some(SecretString::from("k"));
        s.stripe.api_key = Some(SecretString::from("rk_live_x"));
        let url = |src| s.pull_access(src).unwrap().api_url;
        assert_eq!(url(Source::Intercom), "https://api.intercom.io");
        assert_eq!(url(Source::Helpscout), "https://api.helpscout.net");
        assert_eq!(url(Source::Freshdesk), "https://acme.freshdesk.com");
        assert_eq!(url(Source::Stripe), "https://api.stripe.com");
        assert!(s.pull_access(Source::Generic).is_err());
    }
}
