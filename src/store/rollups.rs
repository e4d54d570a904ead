//! Rollups as stored (`rollups` table, migration 20261207006000): daily counts per topic, pair of
//! categories, source, kind and account, kept in the same transaction as the items they count.
//! Every path that changes an item's day, tags, topics, source, kind, account or lost ARR reads
//! the item's facts before and after the change in its transaction and applies the difference
//! (`rollup_delta::delta`): the write path (insert, edit), re-tags and corrections. The same
//! delta summed over the accounts moves the totals (`rollup_totals`, migration 20261207007000),
//! which counts of all items and of a topic read. `check` recounts both from the items, as the
//! migrations' backfills did.

use super::rollup_delta::{Counts, ItemFacts, Rollup, RollupKey, describe, differences, without_account};
use super::sql::{multi_row, statement_chunks};
use super::{Store, StoreResult, WriteTx};
use anyhow::Context;
use sqlx::Row;

/// The `feedback` columns an `ItemFacts` is read from.
const FACT_COLUMNS: &str = "f.created_at, f.topics, f.is_performance, f.is_reliability, f.source, f.kind, f.account_id, f.lost_arr_cents";

const UPSERT_HEAD: &str = "INSERT INTO rollups (day, topic, is_performance, is_reliability, source, kind, account_id, items, lost_arr_cents, lost_arr_items) VALUES ";

/// Adds to existing rows. Keys come sorted (a `BTreeMap`), so concurrent writers lock rows in
/// one order.
const UPSERT_TAIL: &str = " ON CONFLICT (topic, day, is_performance, is_reliability, source, kind, account_id) DO UPDATE SET \
    items = rollups.items + excluded.items, lost_arr_cents = rollups.lost_arr_cents + excluded.lost_arr_cents, \
    lost_arr_items = rollups.lost_arr_items + excluded.lost_arr_items";

const TOTALS_UPSERT_HEAD: &str =
    "INSERT INTO rollup_totals (day, topic, is_performance, is_reliability, source, kind, items, lost_arr_cents, lost_arr_items) VALUES ";

const TOTALS_UPSERT_TAIL: &str = " ON CONFLICT (topic, day, is_performance, is_reliability, source, kind) DO UPDATE SET \
    items = rollup_totals.items + excluded.items, lost_arr_cents = rollup_totals.lost_arr_cents + excluded.lost_arr_cents, \
    lost_arr_items = rollup_totals.lost_arr_items + excluded.lost_arr_items";

/// The rollups recounted from the items: the migration's backfill as a query.
const RECOUNT: &str = "SELECT (created_at / 86400) * 86400 AS day, '' AS topic, is_performance, is_reliability, source, kind, \
    COALESCE(account_id, '') AS account_id, COUNT(*) AS items, CAST(COALESCE(SUM(lost_arr_cents), 0) AS BIGINT) AS lost_arr_cents, \
    COUNT(lost_arr_cents) AS lost_arr_items FROM feedback \
    GROUP BY (created_at / 86400) * 86400, is_performance, is_reliability, source, kind, COALESCE(account_id, '') \
    UNION ALL \
    SELECT (f.created_at / 86400) * 86400 AS day, t.topic, f.is_performance, f.is_reliability, f.source, f.kind, \
    COALESCE(f.account_id, '') AS account_id, COUNT(*) AS items, CAST(COALESCE(SUM(f.lost_arr_cents), 0) AS BIGINT) AS lost_arr_cents, \
    COUNT(f.lost_arr_cents) AS lost_arr_items FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
    GROUP BY (f.created_at / 86400) * 86400, t.topic, f.is_performance, f.is_reliability, f.source, f.kind, COALESCE(f.account_id, '')";

const STORED: &str = "SELECT day, topic, is_performance, is_reliability, source, kind, account_id, items, lost_arr_cents, lost_arr_items \
    FROM rollups WHERE items <> 0 OR lost_arr_cents <> 0 OR lost_arr_items <> 0";

const STORED_TOTALS: &str = "SELECT day, topic, is_performance, is_reliability, source, kind, '' AS account_id, items, lost_arr_cents, \
    lost_arr_items FROM rollup_totals WHERE items <> 0 OR lost_arr_cents <> 0 OR lost_arr_items <> 0";

/// What `Store::check_rollups` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupCheck {
    /// Stored rows that are not zero, per account (`rollups`) and in all (`rollup_totals`).
    pub rows: usize,
    pub total_rows: usize,
    /// Items counted in the rows of all items.
    pub items: i64,
    /// Every row where the rollups and a recount disagree, in words.
    pub differences: Vec<String>,
}

/// Reads rollup rows (`RECOUNT` or `STORED` columns) into a `Rollup`.
macro_rules! rollup_from_rows {
    ($rows:expr) => {{
        let mut out = Rollup::new();
        for r in $rows {
            let key = RollupKey {
                day: r.try_get("day")?,
                topic: r.try_get("topic")?,
                performance: r.try_get("is_performance")?,
                reliability: r.try_get("is_reliability")?,
                source: r.try_get("source")?,
                kind: r.try_get("kind")?,
                account_id: r.try_get("account_id")?,
            };
            let counts = Counts {
                items: r.try_get("items")?,
                lost_arr_cents: r.try_get("lost_arr_cents")?,
                lost_arr_items: r.try_get("lost_arr_items")?,
            };
            out.insert(key, counts);
        }
        out
    }};
}

impl Store {
    /// Recounts the rollups and their totals from the items and compares, row by row.
    pub async fn check_rollups(&self) -> StoreResult<RollupCheck> {
        let (stored, totals, recounted) = on_pool!(self, pool => {
            let stored = sqlx::query(STORED).fetch_all(pool).await?;
            let totals = sqlx::query(STORED_TOTALS).fetch_all(pool).await?;
            let recounted = sqlx::query(RECOUNT).fetch_all(pool).await?;
            (rollup_from_rows!(&stored), rollup_from_rows!(&totals), rollup_from_rows!(&recounted))
        });
        let items = stored.iter().filter(|(k, _)| k.topic.is_empty()).map(|(_, c)| c.items).sum();
        let mut found: Vec<String> = differences(&stored, &recounted).into_iter().map(|(k, s, r)| describe(&k, s, r, true)).collect();
        let recounted_totals = without_account(&recounted);
        found.extend(differences(&totals, &recounted_totals).into_iter().map(|(k, s, r)| describe(&k, s, r, false)));
        Ok(RollupCheck { rows: stored.len(), total_rows: totals.len(), items, differences: found })
    }
}

impl WriteTx {
    /// The facts of the stored items `ids` (those that exist, in no set order). On PostgreSQL
    /// their rows stay locked until the transaction ends, so what is read is what the change
    /// that follows replaces.
    pub(super) async fn item_facts(&mut self, ids: &[i64]) -> StoreResult<Vec<ItemFacts>> {
        let pg = matches!(self, WriteTx::Postgres(_));
        let mut out = Vec::with_capacity(ids.len());
        on_tx!(self, tx => {
            for chunk in statement_chunks(ids, pg) {
                let head = "WITH k (id) AS (VALUES ";
                let tail = format!(") SELECT {FACT_COLUMNS} FROM k JOIN feedback f ON f.id = k.id{}", if pg { " FOR UPDATE OF f" } else { "" });
                let sql = multi_row(pg, head, 1, chunk.len(), &tail);
                let mut q = sqlx::query(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                for r in q.fetch_all(&mut **tx).await? {
                    let topics: String = r.try_get("topics")?;
                    out.push(ItemFacts {
                        created_at: r.try_get("created_at")?,
                        topics: serde_json::from_str(&topics).context("feedback.topics is not a JSON array")?,
                        performance: r.try_get("is_performance")?,
                        reliability: r.try_get("is_reliability")?,
                        source: r.try_get("source")?,
                        kind: r.try_get("kind")?,
                        account_id: r.try_get("account_id")?,
                        lost_arr_cents: r.try_get("lost_arr_cents")?,
                    });
                }
            }
        });
        Ok(out)
    }

    /// Adds `delta` to the rollups, and `delta` summed over the accounts to their totals.
    pub(super) async fn apply_rollups(&mut self, delta: &Rollup) -> StoreResult<()> {
        let pg = matches!(self, WriteTx::Postgres(_));
        let rows: Vec<(&RollupKey, &Counts)> = delta.iter().collect();
        let totals = without_account(delta);
        let total_rows: Vec<(&RollupKey, &Counts)> = totals.iter().collect();
        on_tx!(self, tx => {
            for chunk in statement_chunks(&rows, pg) {
                let sql = multi_row(pg, UPSERT_HEAD, 10, chunk.len(), UPSERT_TAIL);
                let mut q = sqlx::query(&sql);
                for (k, c) in chunk {
                    q = q.bind(k.day).bind(&k.topic).bind(k.performance).bind(k.reliability).bind(&k.source).bind(&k.kind)
                        .bind(&k.account_id).bind(c.items).bind(c.lost_arr_cents).bind(c.lost_arr_items);
                }
                q.execute(&mut **tx).await?;
            }
            for chunk in statement_chunks(&total_rows, pg) {
                let sql = multi_row(pg, TOTALS_UPSERT_HEAD, 9, chunk.len(), TOTALS_UPSERT_TAIL);
                let mut q = sqlx::query(&sql);
                for (k, c) in chunk {
                    q = q.bind(k.day).bind(&k.topic).bind(k.performance).bind(k.reliability).bind(&k.source).bind(&k.kind)
                        .bind(c.items).bind(c.lost_arr_cents).bind(c.lost_arr_items);
                }
                q.execute(&mut **tx).await?;
            }
        });
        Ok(())
    }
}
