//! `[review]` settings: where the monthly review is posted.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ReviewSettings {
    /// Post the monthly review (summary and HTML file) on the first weekday of each month at
    /// the digest's time; on unless turned off.
    pub monthly: bool,
    /// Channel ID or name for it; unset posts it to the digest channel.
    pub channel: Option<String>,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        Self { monthly: true, channel: None }
    }
}

impl ReviewSettings {
    /// The review's channel, else the digest's (`digest_channel`); `None` when neither is set
    /// or the monthly post is off.
    pub fn channel<'a>(&'a self, digest_channel: Option<&'a str>) -> Option<&'a str> {
        let channel = self.channel.as_deref().map(str::trim).filter(|c| !c.is_empty()).or(digest_channel);
        channel.filter(|_| self.monthly)
    }
}
