//! Issue links: a pack filed in a tracker. Claimed before the tracker is called (one claim per
//! topic and tracker at a time), completed with the issue's key, or abandoned when the tracker
//! refused; then moved by the close webhooks, and claimed once for the impact report.

use super::outbox::{ENQUEUE, NewOutboxMessage};
use super::sql::BeginWrite;
use super::{Store, StoreResult, from_unix};
use crate::domain::{IssueLink, IssueState, NewIssueLink, Tracker, Window};
use chrono::{DateTime, Utc};
use sqlx::Row;

/// What a claim found.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueClaim {
    /// This caller creates the issue; the claim row's id.
    Claimed(i64),
    /// An open issue for the topic in that tracker already exists.
    Existing(Box<IssueLink>),
    /// Another caller holds the claim.
    InProgress,
}

/// A claim older than this was left by a crash and is taken over.
const STALE_CLAIM_SECS: i64 = 120;

const COLUMNS: &str = "id, topic, tracker, issue_key, url, pack_hash, window_from, window_to, created_by, created_at, state, \
    done_at, slack_channel, slack_ts, reported_at";

macro_rules! link_from_row {
    ($r:expr) => {{
        let r = $r;
        let tracker: String = r.try_get("tracker")?;
        let state: String = r.try_get("state")?;
        IssueLink {
            id: r.try_get("id")?,
            topic: r.try_get("topic")?,
            tracker: tracker.parse::<Tracker>().map_err(|e| anyhow::anyhow!(e))?,
            key: r.try_get::<Option<String>, _>("issue_key")?.unwrap_or_default(),
            url: r.try_get::<Option<String>, _>("url")?.unwrap_or_default(),
            pack_hash: r.try_get("pack_hash")?,
            window: Window { from: from_unix(r.try_get("window_from")?), to: from_unix(r.try_get("window_to")?) },
            created_by: r.try_get("created_by")?,
            created_at: from_unix(r.try_get("created_at")?),
            state: IssueState::parse(&state).ok_or_else(|| anyhow::anyhow!("unknown issue state {state}"))?,
            done_at: r.try_get::<Option<i64>, _>("done_at")?.map(from_unix),
            slack_channel: r.try_get("slack_channel")?,
            slack_ts: r.try_get("slack_ts")?,
            reported_at: r.try_get::<Option<i64>, _>("reported_at")?.map(from_unix),
        }
    }};
}

impl Store {
    /// Claims the right to create `link`'s issue. The insert comes first and the look for an
    /// open issue after it, so two clicks racing can never both create one.
    pub async fn claim_issue(&self, link: &NewIssueLink, now: DateTime<Utc>) -> StoreResult<IssueClaim> {
        let (t, stale) = (link.tracker.as_str(), now.timestamp() - STALE_CLAIM_SECS);
        let id: Option<i64> = on_pool!(self, pool => {
            sqlx::query("DELETE FROM issue_links WHERE topic = $1 AND tracker = $2 AND state = 'creating' AND created_at < $3")
                .bind(&link.topic).bind(t).bind(stale).execute(pool).await?;
            sqlx::query_scalar(
                "INSERT INTO issue_links (topic, tracker, pack_hash, window_from, window_to, created_by, created_at, state, slack_channel, slack_ts, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'creating', $8, $9, $7) ON CONFLICT DO NOTHING RETURNING id")
                .bind(&link.topic).bind(t).bind(&link.pack_hash).bind(link.window.from.timestamp()).bind(link.window.to.timestamp())
                .bind(&link.created_by).bind(now.timestamp()).bind(link.slack_channel.as_deref()).bind(link.slack_ts.as_deref())
                .fetch_optional(pool).await?
        });
        let Some(id) = id else { return Ok(IssueClaim::InProgress) };
        let open = self.issue_links(&link.topic).await?.into_iter().find(|l| l.tracker == link.tracker && l.state == IssueState::Open);
        if let Some(existing) = open {
            self.abandon_issue(id).await?;
            return Ok(IssueClaim::Existing(Box::new(existing)));
        }
        Ok(IssueClaim::Claimed(id))
    }

    /// The tracker created the issue: the claim becomes the link.
    pub async fn complete_issue(&self, id: i64, key: &str, url: &str) -> StoreResult<IssueLink> {
        let sql = format!("UPDATE issue_links SET state = 'open', issue_key = $2, url = $3 WHERE id = $1 RETURNING {COLUMNS}");
        on_pool!(self, pool => {
            let row = sqlx::query(&sql).bind(id).bind(key).bind(url).fetch_one(pool).await?;
            Ok(link_from_row!(&row))
        })
    }

    /// The tracker refused: the claim goes, leaving nothing behind.
    pub async fn abandon_issue(&self, id: i64) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM issue_links WHERE id = $1 AND state = 'creating'").bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// A topic's issues (not claims in progress), oldest first.
    pub async fn issue_links(&self, topic: &str) -> StoreResult<Vec<IssueLink>> {
        self.links_where("topic = $1 AND state <> 'creating' ORDER BY id", Some(topic)).await
    }

    /// Every issue closed as done whose impact report has not been posted.
    pub async fn pending_reports(&self) -> StoreResult<Vec<IssueLink>> {
        self.links_where("state = 'done' AND reported_at IS NULL ORDER BY id", None).await
    }

    /// Every issue closed as done, newest fix first (the digest's "Fixes and their effect").
    pub async fn done_issues(&self) -> StoreResult<Vec<IssueLink>> {
        self.links_where("state = 'done' ORDER BY done_at DESC, id", None).await
    }

    /// Every issue filed from a pack and still open, oldest first (the review's open issues).
    pub async fn open_issues(&self) -> StoreResult<Vec<IssueLink>> {
        self.links_where("state = 'open' ORDER BY created_at, id", None).await
    }

    /// The issues `created_by` filed from packs (not claims in progress), newest first.
    pub async fn issues_created_by(&self, created_by: &str) -> StoreResult<Vec<IssueLink>> {
        self.links_where("created_by = $1 AND state <> 'creating' ORDER BY created_at DESC, id DESC", Some(created_by)).await
    }

    async fn links_where(&self, condition: &str, param: Option<&str>) -> StoreResult<Vec<IssueLink>> {
        let sql = format!("SELECT {COLUMNS} FROM issue_links WHERE {condition}");
        on_pool!(self, pool => {
            let mut query = sqlx::query(&sql);
            if let Some(param) = param {
                query = query.bind(param);
            }
            let rows = query.fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(link_from_row!(r));
            }
            Ok(out)
        })
    }

    /// The link for a tracker's issue key, if the issue was filed from a pack.
    pub async fn issue_by_key(&self, tracker: Tracker, key: &str) -> StoreResult<Option<IssueLink>> {
        let sql = format!("SELECT {COLUMNS} FROM issue_links WHERE tracker = $1 AND issue_key = $2");
        on_pool!(self, pool => {
            match sqlx::query(&sql).bind(tracker.as_str()).bind(key).fetch_optional(pool).await? {
                Some(r) => Ok(Some(link_from_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// Moves an issue to `state` (a close as done records `at` as the fix date; a reopen clears
    /// it, cancelling a pending report). False when it was already there: a redelivered
    /// webhook changes nothing.
    pub async fn set_issue_state(&self, tracker: Tracker, key: &str, state: IssueState, at: DateTime<Utc>) -> StoreResult<bool> {
        let done_at = (state == IssueState::Done).then_some(at.timestamp());
        on_pool!(self, pool => {
            let done = sqlx::query(
                "UPDATE issue_links SET state = $3, done_at = $4, updated_at = $5, \
                 reported_at = CASE WHEN $3 = 'open' THEN NULL ELSE reported_at END \
                 WHERE tracker = $1 AND issue_key = $2 AND state <> $3 AND state <> 'creating'")
                .bind(tracker.as_str()).bind(key).bind(state.as_str()).bind(done_at).bind(at.timestamp()).execute(pool).await?;
            Ok(done.rows_affected() > 0)
        })
    }

    /// Claims the right to post `id`'s impact report: true for exactly one caller, and only
    /// while the issue is still done and unreported. The winner's `copies` (the report for the
    /// topic's owner channels) are queued in the same transaction; their keys make a claim given
    /// back and won again queue nothing twice.
    pub async fn claim_report(&self, id: i64, now: DateTime<Utc>, copies: &[NewOutboxMessage]) -> StoreResult<bool> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write_tx().await?;
            let done = sqlx::query("UPDATE issue_links SET reported_at = $2 WHERE id = $1 AND state = 'done' AND reported_at IS NULL")
                .bind(id).bind(now.timestamp()).execute(&mut *tx).await?;
            if done.rows_affected() != 1 {
                return Ok(false);
            }
            for m in copies {
                sqlx::query(ENQUEUE).bind(&m.dedupe_key).bind(&m.channel).bind(&m.payload).bind(m.thread_of.as_deref())
                    .bind(now.timestamp()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Gives a claimed report back (posting failed) so the next pass tries again.
    pub async fn unclaim_report(&self, id: i64) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE issue_links SET reported_at = NULL WHERE id = $1").bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// Records the Slack message a link is shown in, for the report's thread.
    pub async fn set_issue_message(&self, id: i64, channel: &str, ts: &str) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query("UPDATE issue_links SET slack_channel = $2, slack_ts = $3 WHERE id = $1 AND slack_ts IS NULL")
                .bind(id).bind(channel).bind(ts).execute(pool).await?;
        });
        Ok(())
    }
}
