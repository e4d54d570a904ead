//! `pushback rollups check`: recounts the daily rollups from the items and says where they differ.

use crate::app::open_store;
use crate::config::Settings;
use crate::store::Store;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum RollupsCommand {
    /// Recount every rollup row from the items and report each difference (exit status 1 if any).
    #[command(
        long_about = "Recount every rollup row from the items and report each difference.\n\n\
The rollups are daily counts of the stored items per topic, pair of categories (performance,\n\
reliability), source, kind and account, with the lost ARR the items state. Evidence packs, the\n\
digest and the review read them instead of scanning items. Every write of items updates them in\n\
the same transaction (a redelivery changes nothing, an edit moves the item's counts, a re-tag or\n\
a correction moves its tags), so a recount must always agree.\n\n\
The check reads the whole history once (a few seconds at 1M items). It prints one line per row\n\
that differs, with the day, topic, tags, source, kind and account, what the rollups say and\n\
what the items say, and exits with status 1 when there is any. `pushback reclassify` runs it\n\
at its end.",
        after_help = "Examples:\n  pushback rollups check\n  PUSHBACK_DATABASE__URL=postgres://localhost/pushback pushback rollups check"
    )]
    Check,
}

pub async fn run(settings: &Settings, command: &RollupsCommand) -> anyhow::Result<()> {
    match command {
        RollupsCommand::Check => check(&open_store(settings).await?).await,
    }
}

/// Prints what a recount found; an error when the rollups differ from it.
pub async fn check(store: &Store) -> anyhow::Result<()> {
    let found = store.check_rollups().await?;
    for line in &found.differences {
        println!("{line}");
    }
    let summary = format!(
        "{} in {} counting {}",
        crate::text::plural(found.differences.len() as u64, "difference"),
        crate::text::plural(found.rows as u64, "rollup row"),
        crate::text::plural(found.items.max(0) as u64, "item")
    );
    anyhow::ensure!(found.differences.is_empty(), "rollups check: {summary}; the rows above disagree with a recount of the items");
    println!("rollups check: {summary}: the rollups agree with a recount of the items");
    Ok(())
}
