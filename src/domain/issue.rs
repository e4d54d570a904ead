//! Issues in a tracker that an evidence pack was filed as, and what became of them.

use super::Window;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tracker {
    Github,
    Jira,
    Linear,
}

impl Tracker {
    pub const ALL: [Tracker; 3] = [Tracker::Github, Tracker::Jira, Tracker::Linear];

    pub fn as_str(self) -> &'static str {
        match self {
            Tracker::Github => "github",
            Tracker::Jira => "jira",
            Tracker::Linear => "linear",
        }
    }

    /// "GitHub", "Jira", "Linear".
    pub fn label(self) -> &'static str {
        match self {
            Tracker::Github => "GitHub",
            Tracker::Jira => "Jira",
            Tracker::Linear => "Linear",
        }
    }
}

impl std::fmt::Display for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tracker {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "github" => Ok(Tracker::Github),
            "jira" => Ok(Tracker::Jira),
            "linear" => Ok(Tracker::Linear),
            other => Err(format!("unknown tracker '{other}' (github, jira or linear)")),
        }
    }
}

/// Where a linked issue stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueState {
    /// Created in the tracker, not closed.
    Open,
    /// Closed as done (GitHub `completed`, Linear `completed`, Jira status category Done).
    Done,
    /// Closed without being done (won't fix, duplicate, cancelled).
    Closed,
}

impl IssueState {
    pub fn as_str(self) -> &'static str {
        match self {
            IssueState::Open => "open",
            IssueState::Done => "done",
            IssueState::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(IssueState::Open),
            "done" => Some(IssueState::Done),
            "closed" => Some(IssueState::Closed),
            _ => None,
        }
    }
}

/// An issue created in a tracker from an evidence pack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueLink {
    pub id: i64,
    pub topic: String,
    pub tracker: Tracker,
    /// `owner/repo#12`, `PROJ-123`, `ENG-42`.
    pub key: String,
    pub url: String,
    /// The pack's `items_hash` and window when the issue was filed.
    pub pack_hash: String,
    pub window: Window,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub state: IssueState,
    /// When it was (last) closed as done: the fix date of the impact report.
    pub done_at: Option<DateTime<Utc>>,
    /// The Slack message the pack was posted as, for the impact report's thread.
    pub slack_channel: Option<String>,
    pub slack_ts: Option<String>,
    /// When the impact report was posted (once).
    pub reported_at: Option<DateTime<Utc>>,
}

/// A link about to be stored once the tracker created the issue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIssueLink {
    pub topic: String,
    pub tracker: Tracker,
    pub pack_hash: String,
    pub window: Window,
    pub created_by: String,
    pub slack_channel: Option<String>,
    pub slack_ts: Option<String>,
}
