//! `pushback emerging [--since 14d] [--format text|json]`: the clusters of unclaimed performance
//! and reliability complaints, fastest-growing first.

use crate::app::{load_classifier, open_store};
use crate::config::Settings;
use crate::digest::emerging::{Emerging, MIN_ACCOUNTS, MIN_ITEMS, gather};
use crate::stats::format_p;
use crate::text::{plural, thousands};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EmergingFormat {
    Text,
    Json,
}

/// Groups of performance and reliability complaints that no topic claims yet, fastest-growing
/// first (what the weekly digest's emerging section shows).
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  pushback emerging                   the last 14 days, as the digest sees them\n  \
pushback emerging --since 28d       a longer window (growth: the last 14 days against the 14 before)\n  \
pushback emerging --format json     every cluster with its items, terms and the topic it would make\n\n\
A cluster needs at least 5 items from at least 3 accounts. Growth is its share of all feedback in the\n\
window's second half over its share in the first half (a first half with none counts as one item).\n\
The digest's *Make this a topic* button stores a cluster as a topic (see `pushback topics`).")]
pub struct EmergingArgs {
    /// The window up to now: 14d, 28d, 4w... (split in two halves for growth).
    #[arg(long, default_value = "14d")]
    pub since: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: EmergingFormat,
}

pub async fn run(settings: &Settings, args: &EmergingArgs) -> anyhow::Result<()> {
    let days = crate::domain::window::parse_span(&args.since).map_err(|e| anyhow::anyhow!("--since {e}"))?;
    anyhow::ensure!(days >= 2, "--since must be at least 2d: growth compares the window's two halves");
    let store = open_store(settings).await?;
    let classifier = load_classifier(settings, &store).await?;
    let found = gather(&store, &classifier.rules, chrono::Utc::now(), days).await?;
    match args.format {
        EmergingFormat::Json => println!("{}", serde_json::to_string_pretty(&found)?),
        EmergingFormat::Text => print!("{}", describe(&found)),
    }
    Ok(())
}

/// The clusters in plain words.
pub fn describe(e: &Emerging) -> String {
    let half = (e.middle - e.from).num_days();
    let mut out = format!(
        "Emerging complaints: performance and reliability items from {} to {} that no topic claims ({} looked at).\n\
         Growth: a cluster's share of all feedback in the last {half} days over its share in the {half} days before\n\
         (all feedback: {} then {}; a first half with none counts as one item).\n",
        e.from.format("%-d %b %Y %H:%M"),
        e.to.format("%-d %b %Y %H:%M UTC"),
        thousands(e.pooled as u64),
        thousands(e.totals.0),
        thousands(e.totals.1),
    );
    if e.clusters.is_empty() {
        out.push_str(&format!("\nNo cluster of at least {MIN_ITEMS} items from {MIN_ACCOUNTS} accounts.\n"));
    }
    for (i, c) in e.clusters.iter().enumerate() {
        let arr = if c.arr_cents > 0 { format!(", {} ARR", crate::domain::ArrCents(c.arr_cents).display_dollars()) } else { String::new() };
        let category = c.category.map(|c| format!(", {c}")).unwrap_or_default();
        let terms: Vec<String> =
            c.terms.iter().map(|t| format!("{} ({:.0}% of it, {:.1}% of all)", t.term, t.coverage * 100.0, t.pool_share * 100.0)).collect();
        let p = c.p_value.map(|p| format!(", {}", format_p(p))).unwrap_or_default();
        out.push_str(&format!(
            "\n{}. {} [{}]: {} from {}{arr}{category}\n   {} in the last {half} days, {} in the {half} before: growth {:.1}{p}\n   \
             words: {}\n   \"{}\" ({}, {} #{}, {})\n   would make topic `{}` with patterns {}\n",
            i + 1,
            c.draft.title,
            c.draft.slug,
            plural(c.items as u64, "item"),
            plural(c.accounts as u64, "account"),
            c.recent,
            c.earlier,
            c.growth,
            terms.join(", "),
            c.quote.text,
            c.quote.account.as_deref().unwrap_or("no account"),
            c.quote.source,
            c.quote.id,
            c.quote.created_at.format("%-d %b %Y"),
            c.draft.slug,
            c.draft.patterns.join(" "),
        ));
    }
    out
}
