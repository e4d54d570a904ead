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

/// The rollups recounted from the items created in [$1, $2): the migration's backfill as a query.
const RECOUNT: &str = "SELECT (created_at / 86400) * 86400 AS day, '' AS topic, is_performance, is_reliability, source, kind, \
    COALESCE(account_id, '') AS account_id, COUNT(*) AS items, CAST(COALESCE(SUM(lost_arr_cents), 0) AS BIGINT) AS lost_arr_cents, \
    COUNT(lost_arr_cents) AS lost_arr_items FROM feedback WHERE created_at >= $1 AND created_at < $2 \
    GROUP BY (created_at / 86400) * 86400, is_performance, is_reliability, source, kind, COALESCE(account_id, '') \
    UNION ALL \
    SELECT (f.created_at / 86400) * 86400 AS day, t.topic, f.is_performance, f.is_reliability, f.source, f.kind, \
    COALESCE(f.account_id, '') AS account_id, COUNT(*) AS items, CAST(COALESCE(SUM(f.lost_arr_cents), 0) AS BIGINT) AS lost_arr_cents, \
    COUNT(f.lost_arr_cents) AS lost_arr_items FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
    WHERE f.created_at >= $1 AND f.created_at < $2 \
    GROUP BY (f.created_at / 86400) * 86400, t.topic, f.is_performance, f.is_reliability, f.source, f.kind, COALESCE(f.account_id, '')";

/// The stored rows of the days [$1, $2) for the topics bound in place of `{topics}` (from $3).
/// The key starts with the topic, so naming every topic reads one index range per topic.
const STORED: &str = "SELECT day, topic, is_performance, is_reliability, source, kind, account_id, items, lost_arr_cents, lost_arr_items \
    FROM rollups WHERE topic IN ({topics}) AND day >= $1 AND day < $2 AND (items <> 0 OR lost_arr_cents <> 0 OR lost_arr_items <> 0)";

/// `check` compares one UTC day at a time, so it holds one day's rows, whatever the history's size.
const CHECK_DAYS: i64 = 1;

/// The stored totals of the days [$1, $2), in `STORED`'s form, for the topics bound as there.
const STORED_TOTALS: &str = "SELECT day, topic, is_performance, is_reliability, source, kind, '' AS account_id, items, lost_arr_cents, \
    lost_arr_items FROM rollup_totals WHERE topic IN ({topics}) AND day >= $1 AND day < $2 \
    AND (items <> 0 OR lost_arr_cents <> 0 OR lost_arr_items <> 0)";

/// Topic rows that disagree with their item (at most 100 named).
const TOPIC_ROW_DRIFT: &str = "SELECT t.item_id, t.topic FROM feedback_topics t JOIN feedback f ON f.id = t.item_id \
    WHERE t.created_at <> f.created_at OR t.score_performance <> f.score_performance OR t.score_reliability <> f.score_reliability \
    ORDER BY t.item_id, t.topic LIMIT 100";

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
    /// Recounts the rollups and their totals from the items and compares, row by row, a day at
    /// a time (the first range reaches back to the start of time and the last on to its end, so
    /// no stored row is missed): it holds one day's rows, whatever the history's size.
    pub async fn check_rollups(&self) -> StoreResult<RollupCheck> {
        let mut found = RollupCheck { rows: 0, total_rows: 0, items: 0, differences: Vec::new() };
        let stored_sql = self.stored_query(STORED, "rollups").await?;
        let totals_sql = self.stored_query(STORED_TOTALS, "rollup_totals").await?;
        for (from, to) in day_ranges(self.item_span().await?) {
            let recounted = self.rollup_rows(RECOUNT, &[], from, to).await?;
            let stored = self.stored_rows(&stored_sql, from, to).await?;
            let totals = self.stored_rows(&totals_sql, from, to).await?;
            found.rows += stored.len();
            found.total_rows += totals.len();
            found.items += stored.iter().filter(|(k, _)| k.topic.is_empty()).map(|(_, c)| c.items).sum::<i64>();
            let per_account = differences(&stored, &recounted).into_iter().map(|(k, s, r)| describe(&k, s, r, true));
            found.differences.extend(per_account);
            let overall = differences(&totals, &without_account(&recounted)).into_iter().map(|(k, s, r)| describe(&k, s, r, false));
            found.differences.extend(overall);
        }
        found.differences.extend(self.topic_row_drift().await?);
        Ok(found)
    }

    /// Topic rows whose copy of the item's time or scores (what packs find items and quotes by)
    /// is not the item's, in words.
    async fn topic_row_drift(&self) -> StoreResult<Vec<String>> {
        let rows: Vec<(i64, String)> = on_pool!(self, pool => {
            sqlx::query_as(TOPIC_ROW_DRIFT).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, topic)| format!("item {id}, topic {topic}: its topic row's time or scores differ from the item's"))
            .collect())
    }

    /// A stored-rows query (`STORED`'s form) with its `{topics}` placeholder filled for every
    /// topic of `table`, and those topics (none when the table is empty).
    async fn stored_query(&self, sql: &str, table: &str) -> StoreResult<(String, Vec<String>)> {
        let topics = self.rollup_topics(table).await?;
        let params = (3..topics.len() + 3).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        Ok((sql.replace("{topics}", &params), topics))
    }

    /// The stored rows of a `stored_query` over [from, to); none when its table has no topic
    /// (an empty table: `topic IN ()` is not SQL).
    async fn stored_rows(&self, (sql, topics): &(String, Vec<String>), from: i64, to: i64) -> StoreResult<Rollup> {
        if topics.is_empty() {
            return Ok(Rollup::new());
        }
        self.rollup_rows(sql, topics, from, to).await
    }

    /// Rows of a rollup query over [from, to), binding `topics` after the range.
    async fn rollup_rows(&self, sql: &str, topics: &[String], from: i64, to: i64) -> StoreResult<Rollup> {
        Ok(on_pool!(self, pool => {
            let mut q = sqlx::query(sql).bind(from).bind(to);
            for t in topics {
                q = q.bind(t);
            }
            let rows = q.fetch_all(pool).await?;
            rollup_from_rows!(&rows)
        }))
    }

    /// The first and last item's creation times, if any.
    async fn item_span(&self) -> StoreResult<Option<(i64, i64)>> {
        let (first, last): (Option<i64>, Option<i64>) = on_pool!(self, pool => {
            sqlx::query_as("SELECT MIN(created_at), MAX(created_at) FROM feedback").fetch_one(pool).await?
        });
        Ok(first.zip(last))
    }

    /// The distinct topics of a rollup table, one index seek each (a loose index scan).
    async fn rollup_topics(&self, table: &str) -> StoreResult<Vec<String>> {
        let (first, next) = (format!("SELECT MIN(topic) FROM {table}"), format!("SELECT MIN(topic) FROM {table} WHERE topic > $1"));
        let mut out: Vec<String> = Vec::new();
        loop {
            let topic: Option<String> = on_pool!(self, pool => match out.last() {
                None => sqlx::query_scalar(&first).fetch_one(pool).await?,
                Some(last) => sqlx::query_scalar(&next).bind(last).fetch_one(pool).await?,
            });
            match topic {
                Some(t) => out.push(t),
                None => return Ok(out),
            }
        }
    }
}

/// The unix-second ranges `check` compares one after another: `CHECK_DAYS` at a time from the
/// first item's day to the last's, the first open to the past and the last to the future.
fn day_ranges(span: Option<(i64, i64)>) -> Vec<(i64, i64)> {
    let Some((first, last)) = span else { return vec![(i64::MIN, i64::MAX)] };
    let step = CHECK_DAYS * 86_400;
    let (first, last) = (super::rollup_delta::day_of(first), super::rollup_delta::day_of(last));
    let mut cuts: Vec<i64> = (1..).map(|k| first + k * step).take_while(|&c| c <= last).collect();
    cuts.insert(0, i64::MIN);
    cuts.push(i64::MAX);
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    const DAY1: i64 = 1_764_979_200; // 2025-12-06T00:00:00Z

    #[test]
    fn the_check_walks_every_day_of_the_items_and_leaves_nothing_before_or_after() {
        assert_eq!(day_ranges(None), vec![(i64::MIN, i64::MAX)]);
        assert_eq!(day_ranges(Some((DAY1 + 5, DAY1 + 600))), vec![(i64::MIN, i64::MAX)], "one day");
        let ranges = day_ranges(Some((DAY1 + 5, DAY1 + 2 * 86_400 + 1)));
        assert_eq!(ranges, vec![(i64::MIN, DAY1 + 86_400), (DAY1 + 86_400, DAY1 + 2 * 86_400), (DAY1 + 2 * 86_400, i64::MAX)]);
    }
}
