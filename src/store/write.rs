//! The item write path: `Store::write_batch` (one transaction, used by the group-commit
//! writer), `WriteTx` (several writes sharing one transaction) and `BulkWriter` (import and
//! gen, committing every N items). Accounts first, then new items in multi-row INSERTs, then
//! the rest compared by content hash (an exact redelivery costs no write), then topic rows.

use super::accounts::{TOUCH_ACCOUNTS_HEAD, TOUCH_ACCOUNTS_TAIL, UPSERT_ACCOUNTS_HEAD, UPSERT_ACCOUNTS_TAIL, account_writes};
use super::outbox::{ENQUEUE, NewOutboxMessage};
use super::rollup_delta::{delta, facts_of};
use super::sql::BeginWrite;
use super::sql::{multi_row, statement_chunks};
use super::{Store, StoreResult};
use crate::domain::{Account, Classification, NewFeedback, StoredItem};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What a write did to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WriteOutcome {
    Inserted,
    Updated,
    Unchanged,
}

impl WriteOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            WriteOutcome::Inserted => "inserted",
            WriteOutcome::Updated => "updated",
            WriteOutcome::Unchanged => "unchanged",
        }
    }
}

/// One item's write result: its row id and what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    pub id: i64,
    pub outcome: WriteOutcome,
}

const INSERT_ITEMS_HEAD: &str = "INSERT INTO feedback (source, external_id, kind, account_id, account_name, subject, body, tags, url, \
     created_at, received_at, lost_arr_cents, content_hash, is_performance, is_reliability, score_performance, \
     score_reliability, explanation, topics, model_version, updated_at, source_updated_at, survey_type, survey_score) VALUES ";

/// `INSERT_ITEMS_HEAD` with `rows` tuples of the 20 `bind_item!` parameters plus `updated_at`,
/// `source_updated_at` and the survey's type and score.
fn insert_items_sql(postgres: bool, rows: usize) -> String {
    multi_row(postgres, INSERT_ITEMS_HEAD, 24, rows, " ON CONFLICT (source, external_id) DO NOTHING RETURNING id, source, external_id")
}

/// Updates a changed item. The creation time only moves earlier: a payload without one carries
/// its receipt time, which must not move an edited ticket to today. The vendor's update time
/// ($21) decides between two versions of the same item, however they arrived (a webhook, then
/// a pull of an older version, must not undo the edit): a version older than the stored one is
/// refused. Between equal times, or without a time on either side, the later arrival wins.
const UPDATE_ITEM: &str = "UPDATE feedback SET kind = $3, account_id = $4, account_name = $5, subject = $6, body = $7, tags = $8, \
     url = $9, created_at = CASE WHEN $10 < created_at THEN $10 ELSE created_at END, updated_at = $11, lost_arr_cents = $12, content_hash = $13, is_performance = $14, \
     is_reliability = $15, score_performance = $16, score_reliability = $17, explanation = $18, topics = $19, model_version = $20, \
     source_updated_at = COALESCE($21, source_updated_at), survey_type = $22, survey_score = $23 \
     WHERE source = $1 AND external_id = $2 AND content_hash <> $13 \
     AND ($21 IS NULL OR source_updated_at IS NULL OR $21 >= source_updated_at) RETURNING id, created_at";

/// Topic rows carry the item's time and scores (the quotes' index, `feedback_topics_scores`).
pub(super) const TOPIC_ROWS_HEAD: &str =
    "INSERT INTO feedback_topics (topic, created_at, item_id, score_performance, score_reliability) VALUES ";

/// Looks up stored items by (source, external id): `EXISTING_ITEMS_HEAD` + key tuples + tail.
const EXISTING_ITEMS_HEAD: &str = "WITH k (source, external_id) AS (VALUES ";

const EXISTING_ITEMS_TAIL: &str = ") SELECT f.id, f.source, f.external_id, f.content_hash FROM k JOIN feedback f ON f.source = k.source AND f.external_id = k.external_id";

/// Binds one item's 20 parameters in `INSERT_ITEMS_HEAD` / `UPDATE_ITEM` order.
macro_rules! bind_item {
    ($query:expr, $stored:expr, $now:expr, $hash:expr) => {{
        let it: &NewFeedback = &$stored.item;
        let c: &Classification = &$stored.classification;
        $query
            .bind(it.source.as_str())
            .bind(&it.external_id)
            .bind(it.kind.as_str())
            .bind(it.account.id.as_deref())
            .bind(it.account.name.as_deref())
            .bind(&it.subject)
            .bind(&it.body)
            .bind(serde_json::to_string(&it.tags).unwrap_or_else(|_| "[]".into()))
            .bind(it.url.as_deref())
            .bind(it.created_at.timestamp())
            .bind($now)
            .bind(it.lost_arr_cents)
            .bind($hash)
            .bind(c.performance)
            .bind(c.reliability)
            .bind(c.score_performance)
            .bind(c.score_reliability)
            .bind(serde_json::to_string(&c.explanation).unwrap_or_else(|_| "[]".into()))
            .bind(serde_json::to_string(&c.topics).unwrap_or_else(|_| "[]".into()))
            .bind(&c.model_version)
    }};
}

/// An open write transaction (`Store::begin_write`). Dropped without `commit`, it rolls back.
pub enum WriteTx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Written in (source, external id) order, whatever order they came in: item indexes, sorted.
fn write_order(items: &[StoredItem]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&items[a].item, &items[b].item);
        (x.source.as_str(), x.external_id.as_str()).cmp(&(y.source.as_str(), y.external_id.as_str()))
    });
    order
}

/// The key an item is stored under.
fn key(stored: &StoredItem) -> (String, String) {
    (stored.item.source.as_str().to_string(), stored.item.external_id.clone())
}

impl WriteTx {
    /// Writes items inside this transaction; see `Store::write_batch`.
    pub async fn write(&mut self, items: &[StoredItem], now: DateTime<Utc>) -> StoreResult<Vec<Written>> {
        let now = now.timestamp();
        let hashes: Vec<String> = items.iter().map(|s| s.item.content_hash()).collect();
        let order = write_order(items);
        // Accounts first (sorted by id), many rows per statement: per-statement overhead
        // dominates on SQLite.
        let (upserts, touches) = account_writes(items);
        self.write_accounts(&upserts, &touches, now).await?;
        // New items in one multi-row INSERT per chunk; rows that already exist (or repeat
        // within the batch) come back missing and take the update path.
        let mut out = self.insert_new(items, &order, &hashes, now).await?;
        // Each item's creation time as stored, for its topic rows.
        let mut created_at: Vec<i64> = items.iter().map(|s| s.item.created_at.timestamp()).collect();
        // What the rollups counted of the items this write replaces, and count of what it stores.
        let (mut before, mut after) = (Vec::new(), Vec::new());
        after.extend(items.iter().zip(&out).zip(&created_at).filter(|((_, w), _)| w.is_some()).map(|((s, _), &at)| facts_of(s, at)));
        let existing_order: Vec<usize> = order.iter().copied().filter(|&i| out[i].is_none()).collect();
        let mut existing = self.stored_hashes(items, &existing_order).await?;
        for &i in &existing_order {
            let Some((id, stored_hash)) = existing.get_mut(&key(&items[i])) else {
                let (source, external) = key(&items[i]);
                return Err(anyhow::anyhow!("item ({source}, {external}) was neither inserted nor found").into());
            };
            if *stored_hash == hashes[i] {
                out[i] = Some(Written { id: *id, outcome: WriteOutcome::Unchanged });
                continue;
            }
            let replaced = self.item_facts(&[*id]).await?;
            out[i] = Some(match self.update_item(&items[i], now, &hashes[i]).await? {
                Some((id, stored_created_at)) => {
                    created_at[i] = stored_created_at;
                    before.extend(replaced);
                    after.push(facts_of(&items[i], stored_created_at));
                    // A later repeat of this key in the batch compares against what is stored now.
                    stored_hash.clone_from(&hashes[i]);
                    Written { id, outcome: WriteOutcome::Updated }
                }
                // An older version than the one stored: kept out.
                None => Written { id: *id, outcome: WriteOutcome::Unchanged },
            });
        }
        let out: Vec<Written> = out.into_iter().map(|w| w.expect("every item has a write result")).collect();
        self.write_topics(items, &out, &created_at).await?;
        self.apply_rollups(&delta(&before, &after)).await?;
        Ok(out)
    }

    async fn write_accounts(&mut self, upserts: &[Account], touches: &[(&str, Option<&str>)], now: i64) -> StoreResult<()> {
        let pg = matches!(self, WriteTx::Postgres(_));
        on_tx!(self, tx => {
            for chunk in statement_chunks(upserts, pg) {
                let sql = multi_row(pg, UPSERT_ACCOUNTS_HEAD, 5, chunk.len(), UPSERT_ACCOUNTS_TAIL);
                let mut q = sqlx::query(&sql);
                for a in chunk {
                    q = q.bind(&a.id).bind(a.name.as_deref()).bind(a.plan.as_deref()).bind(a.arr_cents.map(|v| v.0)).bind(now);
                }
                q.execute(&mut **tx).await?;
            }
            for chunk in statement_chunks(touches, pg) {
                let sql = multi_row(pg, TOUCH_ACCOUNTS_HEAD, 3, chunk.len(), TOUCH_ACCOUNTS_TAIL);
                let mut q = sqlx::query(&sql);
                for (id, name) in chunk {
                    q = q.bind(*id).bind(*name).bind(now);
                }
                q.execute(&mut **tx).await?;
            }
        });
        Ok(())
    }

    /// Inserts the items that are new; the result has `Some` for exactly those.
    async fn insert_new(
        &mut self,
        items: &[StoredItem],
        order: &[usize],
        hashes: &[String],
        now: i64,
    ) -> StoreResult<Vec<Option<Written>>> {
        let pg = matches!(self, WriteTx::Postgres(_));
        let mut out: Vec<Option<Written>> = vec![None; items.len()];
        on_tx!(self, tx => {
            for chunk in statement_chunks(order, pg) {
                let sql = insert_items_sql(pg, chunk.len());
                let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql);
                for &i in chunk {
                    let (it, (kind, score)) = (&items[i].item, items[i].item.survey_columns());
                    q = bind_item!(q, &items[i], now, &hashes[i]).bind(now).bind(it.updated_at.map(|t| t.timestamp())).bind(kind).bind(score);
                }
                let mut inserted: HashMap<(String, String), i64> =
                    q.fetch_all(&mut **tx).await?.into_iter().map(|(id, source, external)| ((source, external), id)).collect();
                for &i in chunk {
                    if let Some(id) = inserted.remove(&key(&items[i])) {
                        out[i] = Some(Written { id, outcome: WriteOutcome::Inserted });
                    }
                }
            }
        });
        Ok(out)
    }

    /// The stored ids and content hashes of items that already exist, in one statement per
    /// chunk, so an exact redelivery (a re-run import) costs no write and no per-item round trip.
    async fn stored_hashes(&mut self, items: &[StoredItem], which: &[usize]) -> StoreResult<HashMap<(String, String), (i64, String)>> {
        let pg = matches!(self, WriteTx::Postgres(_));
        let mut existing = HashMap::new();
        on_tx!(self, tx => {
            for chunk in statement_chunks(which, pg) {
                let sql = multi_row(pg, EXISTING_ITEMS_HEAD, 2, chunk.len(), EXISTING_ITEMS_TAIL);
                let mut q = sqlx::query_as::<_, (i64, String, String, String)>(&sql);
                for &i in chunk {
                    q = q.bind(items[i].item.source.as_str()).bind(&items[i].item.external_id);
                }
                for (id, source, external, hash) in q.fetch_all(&mut **tx).await? {
                    existing.insert((source, external), (id, hash));
                }
            }
        });
        Ok(existing)
    }

    /// Updates a changed item and drops its topic rows; `Some((id, stored creation time))`
    /// when it was updated.
    async fn update_item(&mut self, stored: &StoredItem, now: i64, hash: &str) -> StoreResult<Option<(i64, i64)>> {
        on_tx!(self, tx => {
            let updated: Option<(i64, i64)> = bind_item!(sqlx::query_as(UPDATE_ITEM), stored, now, hash)
                .bind(stored.item.updated_at.map(|t| t.timestamp()))
                .bind(stored.item.survey_columns().0)
                .bind(stored.item.survey_columns().1)
                .fetch_optional(&mut **tx)
                .await?;
            if let Some((id, _)) = updated {
                sqlx::query("DELETE FROM feedback_topics WHERE item_id = $1").bind(id).execute(&mut **tx).await?;
            }
            Ok(updated)
        })
    }

    /// Topic rows for what was written; an item written twice in the batch keeps the topics of
    /// its last delivery.
    async fn write_topics(&mut self, items: &[StoredItem], out: &[Written], created_at: &[i64]) -> StoreResult<()> {
        let pg = matches!(self, WriteTx::Postgres(_));
        let last_write: HashMap<i64, usize> =
            out.iter().enumerate().filter(|(_, w)| w.outcome != WriteOutcome::Unchanged).map(|(i, w)| (w.id, i)).collect();
        let topics: Vec<(&str, i64, i64, &Classification)> = (0..items.len())
            .filter(|&i| out[i].outcome != WriteOutcome::Unchanged && last_write.get(&out[i].id) == Some(&i))
            .flat_map(|i| {
                let (at, id, c) = (created_at[i], out[i].id, &items[i].classification);
                c.topics.iter().map(move |t| (t.as_str(), at, id, c))
            })
            .collect();
        on_tx!(self, tx => {
            for chunk in statement_chunks(&topics, pg) {
                let sql = multi_row(pg, TOPIC_ROWS_HEAD, 5, chunk.len(), " ON CONFLICT DO NOTHING");
                let mut q = sqlx::query(&sql);
                for (topic, created_at, id, c) in chunk {
                    q = q.bind(*topic).bind(*created_at).bind(*id).bind(c.score_performance).bind(c.score_reliability);
                }
                q.execute(&mut **tx).await?;
            }
        });
        Ok(())
    }

    /// Queues Slack messages in this transaction (see `Store::outbox_enqueue`).
    pub async fn enqueue(&mut self, messages: &[NewOutboxMessage], now: DateTime<Utc>) -> StoreResult<u64> {
        let mut added = 0;
        on_tx!(self, tx => {
            for m in messages {
                added += sqlx::query(ENQUEUE).bind(&m.dedupe_key).bind(&m.channel).bind(&m.payload).bind(m.thread_of.as_deref())
                    .bind(now.timestamp()).execute(&mut **tx).await?.rows_affected();
            }
        });
        Ok(added)
    }

    pub async fn commit(self) -> StoreResult<()> {
        on_tx!(self, tx => tx.commit().await?);
        Ok(())
    }

    /// Undoes it now: the lock is free on return (a dropped transaction rolls back later).
    pub async fn rollback(self) -> StoreResult<()> {
        on_tx!(self, tx => tx.rollback().await?);
        Ok(())
    }
}

/// Bulk loads (import, gen): many chunks of items through few transactions (`Store::bulk_writer`).
/// A transaction is opened by the first write after a commit; `commit_if_full` commits it once
/// it holds `per_transaction` items, `finish` commits what is left. Dropped unfinished, the open
/// transaction rolls back.
pub struct BulkWriter<'a> {
    store: &'a Store,
    per_transaction: usize,
    open: Option<(WriteTx, usize)>,
}

impl BulkWriter<'_> {
    /// Writes `items` in the open transaction (see `Store::write_batch` for the outcomes).
    pub async fn write(&mut self, items: &[StoredItem], now: DateTime<Utc>) -> StoreResult<Vec<Written>> {
        let (tx, held) = match self.open.as_mut() {
            Some(open) => open,
            None => self.open.insert((self.store.begin_write().await?, 0)),
        };
        let written = tx.write(items, now).await?;
        *held += items.len();
        Ok(written)
    }

    /// Commits the open transaction if it holds `per_transaction` items or more.
    pub async fn commit_if_full(&mut self) -> StoreResult<()> {
        if self.open.as_ref().is_some_and(|(_, held)| *held >= self.per_transaction) {
            self.finish_open().await?;
        }
        Ok(())
    }

    /// Commits the open transaction, if any.
    pub async fn finish(mut self) -> StoreResult<()> {
        self.finish_open().await
    }

    async fn finish_open(&mut self) -> StoreResult<()> {
        match self.open.take() {
            Some((tx, _)) => tx.commit().await,
            None => Ok(()),
        }
    }
}

impl Store {
    /// Writes items in one transaction: new items are inserted, changed ones updated, exact
    /// redeliveries left alone. Nothing is visible (or acknowledged) until the commit. Rows are
    /// locked in one global order (accounts by id, then items by source and external id, the
    /// caller's order kept among equal keys) so concurrent replicas cannot deadlock each other;
    /// results come back in the caller's order.
    pub async fn write_batch(&self, items: &[StoredItem], now: DateTime<Utc>) -> StoreResult<Vec<Written>> {
        self.write_batch_with_outbox(items, &[], now).await
    }

    /// `write_batch`, queuing `outbox` messages (alerts about these items) in the same
    /// transaction, after the items: an acknowledged item's alert cannot be lost.
    pub async fn write_batch_with_outbox(
        &self,
        items: &[StoredItem],
        outbox: &[NewOutboxMessage],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Written>> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin_write().await?;
        let written = tx.write(items, now).await?;
        tx.enqueue(outbox, now).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// A `BulkWriter` committing every `per_transaction` items.
    pub fn bulk_writer(&self, per_transaction: usize) -> BulkWriter<'_> {
        BulkWriter { store: self, per_transaction: per_transaction.max(1), open: None }
    }

    /// Opens a write transaction that several `WriteTx::write` calls share before one commit:
    /// a bulk import writes bounded chunks of items while the database sees few, large
    /// transactions. Rows are locked in the global order within each `write`, not across
    /// writes, so on PostgreSQL next to live replicas a deadlock (reported as unavailable,
    /// retryable) becomes possible with several writes per transaction; the import keeps one
    /// there by default.
    pub async fn begin_write(&self) -> StoreResult<WriteTx> {
        Ok(match self {
            Store::Sqlite(pool) => WriteTx::Sqlite(pool.begin_write_tx().await?),
            Store::Postgres(pool) => WriteTx::Postgres(pool.begin_write_tx().await?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::sql::ROWS_PER_STATEMENT;
    use super::*;

    #[test]
    fn multi_row_statements_number_postgres_parameters_and_leave_sqlite_ones_anonymous() {
        assert_eq!(
            multi_row(true, "INSERT INTO t (a, b) VALUES ", 2, 2, " RETURNING a"),
            "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4) RETURNING a"
        );
        assert_eq!(multi_row(false, "INSERT INTO t (a, b) VALUES ", 2, 2, ""), "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
        let sql = insert_items_sql(true, ROWS_PER_STATEMENT);
        assert!(sql.contains(&format!("${})", ROWS_PER_STATEMENT * 24)));
    }
}
