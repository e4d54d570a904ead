//! Evidence into GitHub, Jira and Linear issues, and back: creating an issue from a pack
//! (`request` builds each tracker's call, `adf` converts the pack for Jira, `client` sends it),
//! the link kept in the store so a second click answers with the first issue, the close
//! webhooks (`webhook`), and the impact report once the fix has had time to show (`impact`).

pub mod adf;
mod client;
pub mod impact;
pub mod request;
pub mod webhook;

use crate::config::TrackersSettings;
use crate::config::trackers::{secret, value};
use crate::domain::{IssueLink, NewIssueLink, Tracker};
use crate::evidence::EvidencePack;
use crate::store::{IssueClaim, Store, StoreError};
use crate::text::plural;
use chrono::{DateTime, Utc};
pub use request::{Created, NewIssue, TrackerError};

/// Trackers whose create settings are all set, in a fixed order.
pub fn configured(s: &TrackersSettings) -> Vec<Tracker> {
    Tracker::ALL
        .into_iter()
        .filter(|t| match t {
            Tracker::Github => secret(&s.github.token).is_some() && value(&s.github.repo).is_some(),
            Tracker::Jira => {
                value(&s.jira.base_url).is_some()
                    && value(&s.jira.email).is_some()
                    && secret(&s.jira.api_token).is_some()
                    && value(&s.jira.project).is_some()
            }
            Tracker::Linear => secret(&s.linear.api_key).is_some() && value(&s.linear.team_id).is_some(),
        })
        .collect()
}

/// The issue a pack becomes: a title with the headline figures, and the pack as Markdown.
pub fn new_issue(pack: &EvidencePack, markdown: String) -> NewIssue {
    let (items, accounts) = (plural(pack.items, "item"), plural(pack.accounts, "account"));
    NewIssue { title: format!("{}: {items} from {accounts} in {}", pack.title, plural(pack.window.days().unsigned_abs(), "day")), markdown }
}

/// The request for `tracker`, built without sending (settings errors surface here).
pub fn build(s: &TrackersSettings, tracker: Tracker, issue: &NewIssue) -> Result<request::HttpRequest, TrackerError> {
    match tracker {
        Tracker::Github => request::github(&s.github, issue),
        Tracker::Jira => request::jira(&s.jira, issue),
        Tracker::Linear => request::linear(&s.linear, issue),
    }
}

/// What filing a pack did.
#[derive(Debug, Clone, PartialEq)]
pub enum Filed {
    /// A new issue, now linked.
    New(IssueLink),
    /// The topic already has an open issue in this tracker: no second one.
    Existing(IssueLink),
    /// Another click is creating it right now.
    InProgress,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(transparent)]
    Tracker(#[from] TrackerError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Files `pack` as an issue in `tracker` once: a claim row makes concurrent clicks and replicas
/// agree on who creates it, and a failed create removes the claim (no half-recorded link).
pub async fn file(
    store: &Store,
    s: &TrackersSettings,
    issue: &NewIssue,
    link: &NewIssueLink,
    now: DateTime<Utc>,
) -> Result<Filed, FileError> {
    let req = build(s, link.tracker, issue)?;
    let id = match store.claim_issue(link, now).await? {
        IssueClaim::Claimed(id) => id,
        IssueClaim::Existing(existing) => return Ok(Filed::Existing(*existing)),
        IssueClaim::InProgress => return Ok(Filed::InProgress),
    };
    match client::send(s, link.tracker, req).await {
        Ok(created) => match store.complete_issue(id, &created.key, &created.url).await {
            Ok(link) => Ok(Filed::New(link)),
            Err(e) => {
                tracing::error!(key = %created.key, url = %created.url, error = %e, "issue created but its link could not be stored");
                Err(e.into())
            }
        },
        Err(e) => {
            store.abandon_issue(id).await?;
            Err(e.into())
        }
    }
}
