//! Where a week's digest stands, from its claim (`digests`) and its outbox rows: not due yet,
//! not claimed, claimed (a replica is posting it now), queued (waiting in the outbox, e.g. the
//! server that claimed it stopped), posted, or failed (Slack refused a message for good). Per
//! channel too: the digest channel and each owner channel's section. Pure: `pushback digest
//! --status` reads the rows and prints this.

use crate::store::{DigestClaim, OutboxRow};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Its scheduled time has not come.
    NotDue,
    /// Due, and no one has claimed it.
    NotClaimed,
    /// Claimed, and a sender holds a lease on a message now (or nothing was queued).
    Claimed,
    /// Claimed, with messages waiting in the outbox.
    Queued,
    Posted,
    /// A message failed for good and none is waiting.
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::NotDue => "not due",
            State::NotClaimed => "not claimed",
            State::Claimed => "claimed",
            State::Queued => "queued",
            State::Posted => "posted",
            State::Failed => "failed",
        }
    }
}

/// One channel's messages of the week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChannelStatus {
    pub channel: String,
    pub state: State,
    pub sent: usize,
    pub total: usize,
    /// The outbox's last error on a message not yet posted.
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekStatus {
    pub week: String,
    pub due_at: DateTime<Utc>,
    pub state: State,
    pub claimed_at: Option<DateTime<Utc>>,
    pub claimed_by: Option<String>,
    pub sent: usize,
    pub total: usize,
    pub last_error: Option<String>,
    /// The digest channel first, then each owner channel's section.
    pub channels: Vec<ChannelStatus>,
}

/// The state of a set of messages at `now`.
fn state_of(rows: &[&OutboxRow], now: DateTime<Utc>) -> State {
    let leased = |r: &&&OutboxRow| r.status == "sending" && r.lease_until.is_some_and(|l| l > now);
    let waiting = |r: &&&OutboxRow| r.status == "pending" || (r.status == "sending" && !leased(r));
    if rows.is_empty() || rows.iter().any(|r| leased(&r)) {
        State::Claimed
    } else if rows.iter().any(|r| waiting(&r)) {
        State::Queued
    } else if rows.iter().any(|r| r.status == "failed") {
        State::Failed
    } else {
        State::Posted
    }
}

fn last_error(rows: &[&OutboxRow]) -> Option<String> {
    rows.iter().rev().filter(|r| r.status != "sent").find_map(|r| r.last_error.clone())
}

/// The status of `week`, due at `due_at`, from its claim and its outbox rows (`digest:<week>:`).
pub fn week_status(week: &str, due_at: DateTime<Utc>, claim: Option<&DigestClaim>, rows: &[OutboxRow], now: DateTime<Utc>) -> WeekStatus {
    let all: Vec<&OutboxRow> = rows.iter().collect();
    let mut channels: Vec<ChannelStatus> = Vec::new();
    for r in rows {
        if channels.iter().any(|c| c.channel == r.channel) {
            continue;
        }
        let mine: Vec<&OutboxRow> = rows.iter().filter(|x| x.channel == r.channel).collect();
        channels.push(ChannelStatus {
            channel: r.channel.clone(),
            state: state_of(&mine, now),
            sent: mine.iter().filter(|x| x.status == "sent").count(),
            total: mine.len(),
            last_error: last_error(&mine),
        });
    }
    let state = match claim {
        Some(_) => state_of(&all, now),
        None if now < due_at => State::NotDue,
        None => State::NotClaimed,
    };
    WeekStatus {
        week: week.to_string(),
        due_at,
        state,
        claimed_at: claim.map(|c| c.claimed_at),
        claimed_by: claim.map(|c| c.claimed_by.clone()),
        sent: all.iter().filter(|r| r.status == "sent").count(),
        total: all.len(),
        last_error: last_error(&all),
        channels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn row(key: &str, channel: &str, status: &str, error: Option<&str>, lease: Option<DateTime<Utc>>) -> OutboxRow {
        OutboxRow {
            id: 0,
            dedupe_key: key.into(),
            channel: channel.into(),
            status: status.into(),
            attempts: 1,
            last_error: error.map(str::to_string),
            slack_ts: None,
            slack_channel: None,
            next_attempt_at: Utc::now(),
            lease_until: lease,
        }
    }

    #[test]
    fn a_week_reads_as_not_due_not_claimed_claimed_queued_posted_or_failed() {
        let now = Utc::now();
        let claim = DigestClaim { week: "2026-W47".into(), claimed_at: now, claimed_by: "a:1".into(), messages: 2 };
        let status = |rows: &[OutboxRow], claim: Option<&DigestClaim>| week_status("2026-W47", now - Duration::hours(1), claim, rows, now);
        assert_eq!(week_status("2026-W48", now + Duration::days(1), None, &[], now).state, State::NotDue);
        assert_eq!(status(&[], None).state, State::NotClaimed);
        let queued = status(
            &[row("digest:W:0", "C1", "pending", Some("HTTP 500"), None), row("digest:W:1", "C1", "sent", None, None)],
            Some(&claim),
        );
        assert_eq!((queued.state, queued.sent, queued.total, queued.last_error.as_deref()), (State::Queued, 1, 2, Some("HTTP 500")));
        let leased = row("digest:W:0", "C1", "sending", None, Some(now + Duration::seconds(60)));
        assert_eq!(status(&[leased], Some(&claim)).state, State::Claimed);
        // A lease that ran out (its sender died) is waiting again.
        assert_eq!(
            status(&[row("digest:W:0", "C1", "sending", None, Some(now - Duration::seconds(1)))], Some(&claim)).state,
            State::Queued
        );
        let mixed = status(
            &[
                row("digest:W:0", "C1", "sent", None, None),
                row("digest:W:channel:team:0", "#team", "failed", Some("channel_not_found"), None),
            ],
            Some(&claim),
        );
        assert_eq!(mixed.state, State::Failed);
        assert_eq!(
            mixed.channels.iter().map(|c| (c.channel.as_str(), c.state)).collect::<Vec<_>>(),
            [("C1", State::Posted), ("#team", State::Failed)]
        );
        assert_eq!(mixed.last_error.as_deref(), Some("channel_not_found"));
        assert_eq!(status(&[row("digest:W:0", "C1", "sent", Some("old"), None)], Some(&claim)).state, State::Posted);
        assert_eq!(status(&[row("digest:W:0", "C1", "sent", Some("old"), None)], Some(&claim)).last_error, None);
    }
}
