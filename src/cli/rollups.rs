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
reliability), source, kind and account, with the lost ARR the items state, and the same counts\n\
summed over the accounts (the totals). Evidence packs, the digest and the review read them\n\
instead of scanning items. Every write of items updates both in the same transaction (a\n\
redelivery changes nothing, an edit moves the item's counts, a re-tag or a correction moves its\n\
tags), so a recount must always agree.\n\n\
The check reads the whole history once (a few seconds at 1M items). It prints one line per row\n\
that differs, with the day, topic, tags, source, kind and account (\"every account\" for a row of\n\
the totals), what the rollups say and what the items say, and exits with status 1 when there\n\
is any. `pushback reclassify` runs it at its end.",
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
        "{} in {} and {} counting {}",
        crate::text::plural(found.differences.len() as u64, "difference"),
        crate::text::plural(found.rows as u64, "rollup row"),
        crate::text::plural(found.total_rows as u64, "total row"),
        crate::text::plural(found.items.max(0) as u64, "item")
    );
    anyhow::ensure!(found.differences.is_empty(), "rollups check: {summary}; the rows above disagree with a recount of the items");
    println!("rollups check: {summary}: the rollups agree with a recount of the items");
    Ok(())
}
