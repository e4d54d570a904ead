//! Migrations compiled into the binary, one list per backend. A new migration is a file in
//! `migrations/<backend>/` plus a line here; `every_migration_file_is_listed` checks both.

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

type Embedded = &'static [(i64, &'static str, &'static str)];

const SQLITE: Embedded = &[
    (20261121000001, "init", include_str!("../../migrations/sqlite/20261121000001_init.sql")),
    (20261121000002, "search", include_str!("../../migrations/sqlite/20261121000002_search.sql")),
    (20261121000003, "slack", include_str!("../../migrations/sqlite/20261121000003_slack.sql")),
    (20261201000001, "alerts", include_str!("../../migrations/sqlite/20261201000001_alerts.sql")),
    (20261201000002, "spikes", include_str!("../../migrations/sqlite/20261201000002_spikes.sql")),
    (20261201000101, "issue_links", include_str!("../../migrations/sqlite/20261201000101_issue_links.sql")),
    (20261203000100, "labels", include_str!("../../migrations/sqlite/20261203000100_labels.sql")),
    (20261203000200, "stored_topics", include_str!("../../migrations/sqlite/20261203000200_stored_topics.sql")),
    (20261207001000, "sync", include_str!("../../migrations/sqlite/20261207001000_sync.sql")),
    (20261207002000, "slack_claims", include_str!("../../migrations/sqlite/20261207002000_slack_claims.sql")),
    (20261207004000, "surveys", include_str!("../../migrations/sqlite/20261207004000_surveys.sql")),
    (20261207005000, "slack_home", include_str!("../../migrations/sqlite/20261207005000_slack_home.sql")),
    (20261207006000, "rollups", include_str!("../../migrations/sqlite/20261207006000_rollups.sql")),
    (20261207007000, "rollup_totals", include_str!("../../migrations/sqlite/20261207007000_rollup_totals.sql")),
    (20261208001000, "topic_scores", include_str!("../../migrations/sqlite/20261208001000_topic_scores.sql")),
    (20261208002000, "unclaimed_index", include_str!("../../migrations/sqlite/20261208002000_unclaimed_index.sql")),
];

const POSTGRES: Embedded = &[
    (20261121000001, "init", include_str!("../../migrations/postgres/20261121000001_init.sql")),
    (20261121000002, "search", include_str!("../../migrations/postgres/20261121000002_search.sql")),
    (20261121000003, "slack", include_str!("../../migrations/postgres/20261121000003_slack.sql")),
    (20261201000001, "alerts", include_str!("../../migrations/postgres/20261201000001_alerts.sql")),
    (20261201000002, "spikes", include_str!("../../migrations/postgres/20261201000002_spikes.sql")),
    (20261201000101, "issue_links", include_str!("../../migrations/postgres/20261201000101_issue_links.sql")),
    (20261203000100, "labels", include_str!("../../migrations/postgres/20261203000100_labels.sql")),
    (20261203000200, "stored_topics", include_str!("../../migrations/postgres/20261203000200_stored_topics.sql")),
    (20261207001000, "sync", include_str!("../../migrations/postgres/20261207001000_sync.sql")),
    (20261207002000, "slack_claims", include_str!("../../migrations/postgres/20261207002000_slack_claims.sql")),
    (20261207004000, "surveys", include_str!("../../migrations/postgres/20261207004000_surveys.sql")),
    (20261207005000, "slack_home", include_str!("../../migrations/postgres/20261207005000_slack_home.sql")),
    (20261207006000, "rollups", include_str!("../../migrations/postgres/20261207006000_rollups.sql")),
    (20261207007000, "rollup_totals", include_str!("../../migrations/postgres/20261207007000_rollup_totals.sql")),
    (20261208001000, "topic_scores", include_str!("../../migrations/postgres/20261208001000_topic_scores.sql")),
    (20261208002000, "unclaimed_index", include_str!("../../migrations/postgres/20261208002000_unclaimed_index.sql")),
];

#[derive(Debug)]
struct EmbeddedSource(Embedded);

impl MigrationSource<'static> for EmbeddedSource {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, name, sql)| {
                    Migration::new(*version, Cow::Borrowed(*name), MigrationType::Simple, Cow::Borrowed(*sql), false)
                })
                .collect())
        })
    }
}

pub async fn sqlite() -> anyhow::Result<Migrator> {
    Ok(Migrator::new(EmbeddedSource(SQLITE)).await?)
}

pub async fn postgres() -> anyhow::Result<Migrator> {
    Ok(Migrator::new(EmbeddedSource(POSTGRES)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_listed() {
        for (dir, list) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
            let mut files: Vec<String> =
                std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            files.sort();
            let listed: Vec<String> = list.iter().map(|(v, n, _)| format!("{v}_{n}.sql")).collect();
            assert_eq!(files, listed, "migrations/{dir} and store/migrations.rs disagree");
        }
    }
}
