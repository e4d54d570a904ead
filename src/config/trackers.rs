//! `[trackers.*]` settings: where evidence packs become issues (GitHub, Jira Cloud, Linear) and
//! the secrets their close webhooks are signed with. Secrets are `SecretString`.

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

pub const DEFAULT_GITHUB_API_URL: &str = "https://api.github.com";
pub const DEFAULT_LINEAR_API_URL: &str = "https://api.linear.app/graphql";

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct TrackersSettings {
    pub github: GithubSettings,
    pub jira: JiraSettings,
    pub linear: LinearSettings,
    /// Days after the fix before the after-window starts (customers need time to notice).
    pub settle_days: i64,
    /// Length of the before and after windows of the impact report, in days.
    pub window_days: i64,
    /// Seconds before a tracker request is given up.
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct GithubSettings {
    pub token: Option<SecretString>,
    /// `owner/name`.
    pub repo: Option<String>,
    pub api_url: String,
    pub webhook_secret: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct JiraSettings {
    /// `https://your-site.atlassian.net`.
    pub base_url: Option<String>,
    pub email: Option<String>,
    pub api_token: Option<SecretString>,
    /// Project key, e.g. `PROJ`.
    pub project: Option<String>,
    pub issue_type: String,
    pub webhook_secret: Option<SecretString>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LinearSettings {
    pub api_key: Option<SecretString>,
    pub team_id: Option<String>,
    pub api_url: String,
    pub webhook_secret: Option<SecretString>,
}

impl Default for TrackersSettings {
    fn default() -> Self {
        Self {
            github: GithubSettings::default(),
            jira: JiraSettings::default(),
            linear: LinearSettings::default(),
            settle_days: 7,
            window_days: 28,
            timeout_secs: 15,
        }
    }
}

impl Default for GithubSettings {
    fn default() -> Self {
        Self { token: None, repo: None, api_url: DEFAULT_GITHUB_API_URL.into(), webhook_secret: None }
    }
}

impl Default for JiraSettings {
    fn default() -> Self {
        Self { base_url: None, email: None, api_token: None, project: None, issue_type: "Task".into(), webhook_secret: None }
    }
}

impl Default for LinearSettings {
    fn default() -> Self {
        Self { api_key: None, team_id: None, api_url: DEFAULT_LINEAR_API_URL.into(), webhook_secret: None }
    }
}

/// A set, non-blank secret.
pub fn secret(s: &Option<SecretString>) -> Option<&SecretString> {
    s.as_ref().filter(|s| !s.expose_secret().trim().is_empty())
}

/// A set, non-blank value.
pub fn value(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl TrackersSettings {
    pub fn validate(&self) -> anyhow::Result<()> {
        let repo = value(&self.github.repo).unwrap_or("owner/name");
        if repo.split('/').filter(|p| !p.is_empty()).count() != 2 {
            anyhow::bail!("trackers.github.repo must be owner/name (got '{repo}'); set PUSHBACK_TRACKERS__GITHUB__REPO");
        }
        if self.window_days < 1 || self.settle_days < 0 {
            anyhow::bail!(
                "trackers.window_days must be ≥ 1 and trackers.settle_days ≥ 0; set PUSHBACK_TRACKERS__WINDOW_DAYS / __SETTLE_DAYS"
            );
        }
        Ok(())
    }
}
