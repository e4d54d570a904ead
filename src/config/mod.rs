//! Settings: built-in defaults, then `config/default.toml`, then `config/$PUSHBACK_ENV.toml`,
//! then `PUSHBACK_<SECTION>__<KEY>` environment variables, which win.

mod alerts;
mod labels;
mod prometheus;
pub mod review;
mod slack;
pub mod sync;
pub mod trackers;

pub use alerts::AlertSettings;
pub use labels::LabelSettings;
pub use prometheus::PrometheusSettings;
pub use slack::{DEFAULT_API_URL, SlackSettings};
pub use sync::{NotConfigured, PULL_SOURCES, PullAccess, PullAuth, SyncSettings};
pub use trackers::TrackersSettings;

use crate::domain::Source;
use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The defaults compiled into the binary, so `pushback` runs from any directory.
const BUILTIN_DEFAULTS: &str = include_str!("../../config/default.toml");

/// Names the directory holding `default.toml`, `$PUSHBACK_ENV.toml` and `rules.toml`, so a
/// deployment need not depend on its working directory (default: `config`).
pub const CONFIG_DIR_VAR: &str = "PUSHBACK_CONFIG_DIR";

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub http: HttpSettings,
    pub database: DatabaseSettings,
    #[serde(default)]
    pub sources: SourcesSettings,
    pub ingest: IngestSettings,
    pub classifier: ClassifierSettings,
    pub log: LogSettings,
    #[serde(default)]
    pub slack: slack::SlackSettings,
    #[serde(default)]
    pub prometheus: PrometheusSettings,
    pub alerts: alerts::AlertSettings,
    pub trackers: trackers::TrackersSettings,
    #[serde(default)]
    pub labels: labels::LabelSettings,
    #[serde(default)]
    pub sync: sync::SyncSettings,
    #[serde(default)]
    pub review: review::ReviewSettings,
}

#[derive(Debug, Clone, Deserialize)]
pub struct HttpSettings {
    pub host: String,
    pub port: u16,
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// `sqlite://pushback.db` (created if missing) or `postgres://user@host/db`.
    pub url: String,
    pub max_connections: u32,
}

/// One vendor's settings. `secret` is the webhook's HMAC key (or shared token for Freshdesk);
/// the rest are the pull connector's read-only API credentials (`config::sync`), each used by
/// the vendors that have it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SourceSettings {
    pub secret: Option<SecretString>,
    /// Zendesk subdomain, used to build links to tickets (and the API's host).
    pub subdomain: Option<String>,
    /// Pull: the API's base URL, default the vendor's real host (tests and proxies point it elsewhere).
    pub api_url: Option<String>,
    /// Pull, Zendesk: the agent's email the API token belongs to.
    pub email: Option<String>,
    /// Pull, Zendesk: an API token.
    pub api_token: Option<SecretString>,
    /// Pull, Intercom: an access token.
    pub access_token: Option<SecretString>,
    /// Pull, Help Scout: an OAuth app's id and secret.
    pub app_id: Option<String>,
    pub app_secret: Option<SecretString>,
    /// Pull, Freshdesk: the helpdesk's domain (`acme` or `acme.freshdesk.com`).
    pub domain: Option<String>,
    /// Pull, Freshdesk and Stripe: the API key (Stripe: a restricted read key `rk_...`).
    pub api_key: Option<SecretString>,
    /// Typeform: the `ref` of the form's score question (a number, opinion scale, rating or NPS field).
    pub score_field: Option<String>,
    /// Typeform: the `ref` of the form's comment question (optional; absent answers are empty).
    pub comment_field: Option<String>,
    /// Typeform: which scale the form asks, `nps` (0-10) or `csat` (1-5).
    pub survey: Option<String>,
    /// Pull, Zendesk: `false` skips the satisfaction ratings (an account without legacy CSAT,
    /// whose ratings list the API refuses); default true.
    pub satisfaction_ratings: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SourcesSettings {
    #[serde(default)]
    pub zendesk: SourceSettings,
    #[serde(default)]
    pub intercom: SourceSettings,
    #[serde(default)]
    pub helpscout: SourceSettings,
    #[serde(default)]
    pub stripe: SourceSettings,
    #[serde(default)]
    pub freshdesk: SourceSettings,
    #[serde(default)]
    pub generic: SourceSettings,
    #[serde(default)]
    pub typeform: SourceSettings,
}

impl SourceSettings {
    /// The secret, unless it is missing or blank: `PUSHBACK_SOURCES__GENERIC__SECRET=` must
    /// refuse webhooks, never verify them with an empty HMAC key.
    pub fn secret(&self) -> Option<&SecretString> {
        self.secret.as_ref().filter(|s| !s.expose_secret().trim().is_empty())
    }
}

impl SourcesSettings {
    pub fn get_mut(&mut self, source: Source) -> Option<&mut SourceSettings> {
        match source {
            Source::Zendesk => Some(&mut self.zendesk),
            Source::Intercom => Some(&mut self.intercom),
            Source::Helpscout => Some(&mut self.helpscout),
            Source::Stripe => Some(&mut self.stripe),
            Source::Freshdesk => Some(&mut self.freshdesk),
            Source::Generic => Some(&mut self.generic),
            Source::Typeform => Some(&mut self.typeform),
            Source::Csv => None,
        }
    }

    pub fn get(&self, source: Source) -> Option<&SourceSettings> {
        match source {
            Source::Zendesk => Some(&self.zendesk),
            Source::Intercom => Some(&self.intercom),
            Source::Helpscout => Some(&self.helpscout),
            Source::Stripe => Some(&self.stripe),
            Source::Freshdesk => Some(&self.freshdesk),
            Source::Generic => Some(&self.generic),
            Source::Typeform => Some(&self.typeform),
            Source::Csv => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct IngestSettings {
    /// Signed timestamps older or newer than this are refused as replays.
    pub timestamp_tolerance_secs: i64,
    /// Most items written in one group-commit transaction.
    pub max_batch: usize,
    /// Redact personal data before storing (otherwise only before anything leaves).
    pub redact_at_ingest: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClassifierSettings {
    /// Rules and topics; relative paths are taken from the working directory.
    pub rules_path: PathBuf,
    /// A model file to use instead of the one stored in the database or the built-in one.
    pub model_path: Option<PathBuf>,
    /// How often a server checks the database for another active model or stored topic, in
    /// seconds (another replica, or `pushback train --activate`, may have changed them).
    #[serde(default = "default_reload_secs")]
    pub reload_secs: u64,
}

fn default_reload_secs() -> u64 {
    30
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `text` or `json`.
    pub format: String,
    /// An `EnvFilter` directive, e.g. `info` or `pushback=debug,tower_http=info`.
    pub level: String,
}

impl Settings {
    /// Loads settings from `$PUSHBACK_CONFIG_DIR` (default `config/` under the working
    /// directory) and the environment.
    pub fn load() -> anyhow::Result<Self> {
        Self::load_from(&config_dir(None))
    }

    pub fn load_from(dir: &Path) -> anyhow::Result<Self> {
        let env_name = std::env::var("PUSHBACK_ENV").ok().filter(|e| !e.is_empty());
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(BUILTIN_DEFAULTS, config::FileFormat::Toml))
            .add_source(config::File::from(dir.join("default.toml")).required(false));
        if let Some(env_name) = &env_name {
            let path = dir.join(format!("{env_name}.toml"));
            builder = builder.add_source(config::File::from(path).required(false));
        }
        let settings: Settings = builder
            .add_source(config::Environment::with_prefix("PUSHBACK").prefix_separator("_").separator("__").try_parsing(true))
            .build()
            .context("Failed to read configuration (config/*.toml and PUSHBACK_* variables)")?
            .try_deserialize()
            .context("Configuration is invalid: check the key names and value types in config/*.toml and PUSHBACK_* variables")?;
        let mut settings = settings;
        // Rules live beside the settings: with another config directory, its rules.toml is used
        // unless classifier.rules_path names a file explicitly.
        let default_rules = Path::new("config/rules.toml");
        if settings.classifier.rules_path == default_rules && dir != Path::new("config") && dir.join("rules.toml").exists() {
            settings.classifier.rules_path = dir.join("rules.toml");
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if !(self.database.url.starts_with("sqlite:")
            || self.database.url.starts_with("postgres:")
            || self.database.url.starts_with("postgresql:"))
        {
            anyhow::bail!(
                "database.url must start with sqlite:// or postgres:// (got '{}'); set PUSHBACK_DATABASE__URL",
                redact_url(&self.database.url)
            );
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            anyhow::bail!("log.format must be 'text' or 'json' (got '{}'); set PUSHBACK_LOG__FORMAT", self.log.format);
        }
        if self.ingest.max_batch == 0 {
            anyhow::bail!("ingest.max_batch must be at least 1");
        }
        self.slack.validate()?;
        self.prometheus.validate()?;
        self.alerts.validate()?;
        self.trackers.validate()?;
        self.labels.validate()?;
        self.sync.validate()?;
        Ok(())
    }
}

/// The settings directory: `explicit` (the `--config-dir` flag), else `$PUSHBACK_CONFIG_DIR`,
/// else `config` under the working directory.
pub fn config_dir(explicit: Option<&Path>) -> PathBuf {
    explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(CONFIG_DIR_VAR).filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("config"))
}

/// Hides a password in a database URL before it is printed.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn builtin_defaults_parse_and_keep_secrets_out_of_debug() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("default.toml"), "[sources.generic]\nsecret = \"s3cr3t-value\"\n").unwrap();
        let s = Settings::load_from(dir.path()).unwrap();
        assert_eq!(s.http.port, 8080);
        assert_eq!(s.sources.generic.secret.as_ref().unwrap().expose_secret(), "s3cr3t-value");
        assert!(!format!("{s:?}").contains("s3cr3t-value"));
    }

    #[test]
    fn a_blank_secret_counts_as_unset() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("default.toml"), "[sources.generic]\nsecret = \"  \"\n[sources.stripe]\nsecret = \"whsec_x\"\n")
            .unwrap();
        let s = Settings::load_from(dir.path()).unwrap();
        assert!(s.sources.generic.secret().is_none());
        assert_eq!(s.sources.stripe.secret().map(|k| k.expose_secret().to_string()).as_deref(), Some("whsec_x"));
    }

    #[test]
    fn another_config_directory_supplies_settings_and_rules() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("default.toml"), "[http]\nport = 9123\n").unwrap();
        std::fs::write(dir.path().join("rules.toml"), "").unwrap();
        let s = Settings::load_from(dir.path()).unwrap();
        assert_eq!(s.http.port, 9123);
        assert_eq!(s.classifier.rules_path, dir.path().join("rules.toml"));
        assert_eq!(config_dir(Some(dir.path())), dir.path());
    }

    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(redact_url("postgres://u:pw@localhost/db"), "postgres://u:***@localhost/db");
        assert_eq!(redact_url("sqlite://pushback.db"), "sqlite://pushback.db");
    }
}
