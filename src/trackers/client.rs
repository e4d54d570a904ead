//! The network edge: sends a built request with reqwest and reads the answer through
//! `request::outcome`, so timeouts and refused connections name the setting to check too.

use super::request::{self, Created, HttpRequest, TrackerError};
use crate::config::TrackersSettings;
use crate::domain::Tracker;
use std::time::Duration;

/// The address setting to check when a tracker cannot be reached.
fn url_setting(tracker: Tracker) -> &'static str {
    match tracker {
        Tracker::Github => request::GITHUB_API_URL,
        Tracker::Jira => request::JIRA_BASE_URL,
        Tracker::Linear => request::LINEAR_API_URL,
    }
}

pub async fn send(settings: &TrackersSettings, tracker: Tracker, req: HttpRequest) -> Result<Created, TrackerError> {
    let t = tracker.label();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(settings.timeout_secs.max(1)))
        .build()
        .map_err(|e| TrackerError::Unavailable { tracker: t, detail: e.to_string() })?;
    let mut builder = client.post(&req.url).json(&req.body);
    for (name, value) in &req.headers {
        builder = builder.header(*name, value);
    }
    let response = builder.send().await.map_err(|e| {
        if e.is_timeout() {
            TrackerError::Timeout { tracker: t, setting: url_setting(tracker), secs: settings.timeout_secs }
        } else {
            TrackerError::Unavailable { tracker: t, detail: format!("cannot reach {} ({e}); check {}", req.url, url_setting(tracker)) }
        }
    })?;
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let text = response.text().await.map_err(|e| TrackerError::Unavailable { tracker: t, detail: e.to_string() })?;
    let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    let base = settings.jira.base_url.as_deref().unwrap_or_default();
    request::outcome(tracker, base, status, retry_after, &body)
}
