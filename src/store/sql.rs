//! Statements over many rows at once: how rows are cut into statements on each backend, and
//! the `VALUES (...), (...)` text with the backend's placeholders.

/// Rows per multi-row statement: 24 parameters per item keeps under SQLite's 32,766.
pub(super) const ROWS_PER_STATEMENT: usize = 500;

const _: () = assert!(ROWS_PER_STATEMENT * 24 < 32_766, "SQLite's parameter limit");

/// Row counts PostgreSQL statements are cut into. Every distinct statement text is prepared
/// and planned anew, so a few fixed sizes keep the plans cached under webhook traffic, where
/// each group commit has a different size (measured at 3,000 signed requests/s: one statement
/// text per batch size gave 2,769/s and p99 76 ms; these fixed sizes give 2,999.5/s and 28 ms).
const POSTGRES_CHUNKS: [usize; 5] = [256, 64, 16, 4, 1];

/// `rows` cut into statements: on SQLite up to `ROWS_PER_STATEMENT` each (preparing is cheap,
/// round trips to sqlx's worker thread are not); on PostgreSQL greedily into `POSTGRES_CHUNKS`.
pub(super) fn statement_chunks<T>(rows: &[T], postgres: bool) -> Vec<&[T]> {
    if !postgres {
        return rows.chunks(ROWS_PER_STATEMENT).collect();
    }
    let mut out = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let size = POSTGRES_CHUNKS.iter().copied().find(|&s| s <= rest.len()).unwrap_or(1);
        let (head, tail) = rest.split_at(size);
        out.push(head);
        rest = tail;
    }
    out
}

/// `head` + `rows` tuples of `width` parameters + `tail`. PostgreSQL gets `$n`; SQLite gets
/// anonymous `?`, bound in order: sqlx looks every parameter up by name, and SQLite's name
/// lookup walks a list, so numbered parameters make a 10,000-parameter statement quadratic
/// (the profile of an import spent 76% in `sqlite3_bind_parameter_name`).
pub(super) fn multi_row(postgres: bool, head: &str, width: usize, rows: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * width * 6);
    sql.push_str(head);
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ",(" });
        for k in 1..=width {
            if k > 1 {
                sql.push(',');
            }
            if postgres {
                sql.push_str(&format!("${}", r * width + k));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// Opens a transaction that writes. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at
/// BEGIN, where the busy handler waits for it. A deferred transaction that has read and then
/// writes while another connection holds the lock fails at once with "database is locked"
/// (SQLite never waits while upgrading a reader, which could deadlock): a button's correction
/// met the outbox and the group commit there under load.
pub(super) trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write_tx(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for sqlx::SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for sqlx::PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write_tx(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_statements_come_in_a_few_fixed_sizes_and_sqlite_ones_in_big_chunks() {
        let rows: Vec<u32> = (0..345).collect();
        let sizes = |pg| statement_chunks(&rows, pg).iter().map(|c| c.len()).collect::<Vec<_>>();
        assert_eq!(sizes(true), vec![256, 64, 16, 4, 4, 1]);
        assert_eq!(sizes(false), vec![345]);
        assert_eq!(statement_chunks(&rows, true).concat(), rows, "nothing lost or reordered");
        assert!(statement_chunks::<u32>(&[], true).is_empty());
    }
}
