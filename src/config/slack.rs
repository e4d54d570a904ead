//! `[slack]` settings: tokens, the digest channel and schedule, and how hard to retry. Secrets
//! are `SecretString`, so neither `Debug` nor a log line prints them.

use crate::domain::DigestSchedule;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Slack's Web API; tests and local runs point `api_url` at a fake on 127.0.0.1.
pub const DEFAULT_API_URL: &str = "https://slack.com/api/";

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SlackSettings {
    /// Bot token (`xoxb-...`): chat.postMessage and file uploads. Without it nothing is posted.
    pub bot_token: Option<SecretString>,
    /// Signing secret: `/slack/commands` and `/slack/interactions` answer 401 without it.
    pub signing_secret: Option<SecretString>,
    /// App-level token (`xapp-...`, scope `connections:write`): `serve` also takes commands,
    /// buttons and events over Socket Mode (no public URL needed). Unset: HTTP only.
    pub app_token: Option<SecretString>,
    /// Socket Mode connections kept open per replica (Slack allows 10 per app).
    pub socket_connections: usize,
    /// Seconds between the pings each Socket Mode connection sends; a connection that has not
    /// answered for two intervals is replaced.
    pub socket_ping_secs: u64,
    /// How long an envelope or event id is remembered, so a redelivery is handled once.
    pub socket_dedupe_ttl_secs: i64,
    /// A user's App Home view is rebuilt when they open the tab, at most once per this many
    /// seconds (across replicas).
    pub home_refresh_secs: i64,
    /// Where the Home tab's "glossary" links to (e.g. the wiki page `pushback glossary` wrote);
    /// unset: the Home tab points to `/pushback glossary`.
    pub glossary_url: Option<String>,
    /// Channel ID (`C0123...`) or name for the weekly digest; unset turns the digest off.
    pub digest_channel: Option<String>,
    /// Web API base URL.
    pub api_url: String,
    /// Day of the week the digest is posted (monday ... sunday).
    pub digest_weekday: String,
    /// Local time of day the digest is posted, `HH:MM`.
    pub digest_time: String,
    /// IANA time zone of `digest_weekday` / `digest_time`, e.g. `Europe/Berlin`.
    pub digest_timezone: String,
    /// How often each replica checks whether this week's digest is due.
    pub digest_check_secs: u64,
    /// Each owner channel also gets a short section of the weekly digest with only its topics.
    pub digest_sections: bool,
    /// How often the outbox is polled for messages that are due.
    pub outbox_poll_secs: u64,
    /// Attempts before an outbox message is marked failed (permanent Slack errors fail at once).
    pub max_attempts: i64,
    /// Signed Slack requests whose timestamp is further than this from now are refused.
    pub timestamp_tolerance_secs: i64,
}

impl Default for SlackSettings {
    fn default() -> Self {
        Self {
            bot_token: None,
            signing_secret: None,
            app_token: None,
            socket_connections: 2,
            socket_ping_secs: 10,
            socket_dedupe_ttl_secs: 3600,
            home_refresh_secs: 60,
            glossary_url: None,
            digest_channel: None,
            api_url: DEFAULT_API_URL.into(),
            digest_weekday: "monday".into(),
            digest_time: "09:00".into(),
            digest_timezone: "UTC".into(),
            digest_check_secs: 60,
            digest_sections: true,
            outbox_poll_secs: 2,
            max_attempts: 10,
            timestamp_tolerance_secs: 300,
        }
    }
}

impl SlackSettings {
    /// The bot token, when one is set and not blank.
    pub fn token(&self) -> Option<&str> {
        self.bot_token.as_ref().map(|t| t.expose_secret().trim()).filter(|t| !t.is_empty())
    }

    pub fn secret(&self) -> Option<&[u8]> {
        self.signing_secret.as_ref().map(|t| t.expose_secret().trim().as_bytes()).filter(|t| !t.is_empty())
    }

    /// The app-level token for Socket Mode, when one is set and not blank.
    pub fn app_token(&self) -> Option<&str> {
        self.app_token.as_ref().map(|t| t.expose_secret().trim()).filter(|t| !t.is_empty())
    }

    pub fn channel(&self) -> Option<&str> {
        self.digest_channel.as_deref().map(str::trim).filter(|c| !c.is_empty())
    }

    pub fn schedule(&self) -> anyhow::Result<DigestSchedule> {
        DigestSchedule::parse(&self.digest_weekday, &self.digest_time, &self.digest_timezone)
    }

    /// Refuses settings that would only fail later, naming the variable to fix.
    pub fn validate(&self) -> anyhow::Result<()> {
        self.schedule()?;
        let url = url::Url::parse(&self.api_url)
            .map_err(|e| anyhow::anyhow!("slack.api_url '{}' is not a URL ({e}); set PUSHBACK_SLACK__API_URL", self.api_url))?;
        if !matches!(url.scheme(), "http" | "https") {
            anyhow::bail!("slack.api_url must be http:// or https:// (got '{}'); set PUSHBACK_SLACK__API_URL", self.api_url);
        }
        self.validate_socket()?;
        if self.max_attempts < 1 || self.digest_check_secs == 0 || self.outbox_poll_secs == 0 {
            anyhow::bail!("slack.max_attempts, slack.digest_check_secs and slack.outbox_poll_secs must be at least 1");
        }
        Ok(())
    }

    /// Socket Mode needs an app-level token; a bot or user token there is a likely mix-up.
    fn validate_socket(&self) -> anyhow::Result<()> {
        if let Some(token) = self.app_token().filter(|t| !t.starts_with("xapp-")) {
            let kind = token.split('-').next().unwrap_or_default();
            anyhow::bail!(
                "PUSHBACK_SLACK__APP_TOKEN must be an app-level token (xapp-..., created under Basic Information -> App-Level Tokens with the connections:write scope); got a token starting '{kind}-'"
            );
        }
        if !(1..=10).contains(&self.socket_connections) {
            anyhow::bail!("slack.socket_connections must be 1 to 10 (Slack allows 10 per app); set PUSHBACK_SLACK__SOCKET_CONNECTIONS");
        }
        if self.socket_ping_secs == 0 || self.socket_dedupe_ttl_secs < 60 {
            anyhow::bail!("slack.socket_ping_secs must be at least 1 and slack.socket_dedupe_ttl_secs at least 60");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_blank_secrets_count_as_unset() {
        let mut s = SlackSettings::default();
        s.validate().unwrap();
        assert_eq!(s.api_url, "https://slack.com/api/");
        s.bot_token = Some(SecretString::from("  "));
        assert!(s.token().is_none());
        s.bot_token = Some(SecretString::from("xoxb-secret-value"));
        assert_eq!(s.token(), Some("xoxb-secret-value"));
        assert!(!format!("{s:?}").contains("xoxb-secret-value"));
        s.api_url = "ftp://x".into();
        assert!(s.validate().is_err());
    }

    #[test]
    fn socket_mode_wants_an_app_level_token_and_no_signing_secret() {
        let mut s = SlackSettings { app_token: Some(SecretString::from("xapp-1-A1-2-abc")), ..SlackSettings::default() };
        s.bot_token = Some(SecretString::from("xoxb-1"));
        s.validate().unwrap();
        assert_eq!(s.app_token(), Some("xapp-1-A1-2-abc"));
        assert!(s.secret().is_none());
        s.app_token = Some(SecretString::from("xoxb-2"));
        let e = s.validate().unwrap_err().to_string();
        assert!(e.contains("PUSHBACK_SLACK__APP_TOKEN") && e.contains("xoxb-") && !e.contains("xoxb-2"), "{e}");
        s.app_token = Some(SecretString::from(" "));
        s.validate().unwrap();
        s.socket_connections = 11;
        assert!(s.validate().is_err());
    }
}
