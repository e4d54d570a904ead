//! `pushback review`: the monthly joint review of product and engineering, printed.

use crate::app::{load_classifier, open_store};
use crate::config::Settings;
use crate::review::{Month, Sources, gather, render};
use chrono::Utc;

pub const ABOUT: &str = "The review makes one page of the month that product and engineering read together:\n\
- Headline: feedback volume, items tagged performance and reliability and their share, NPS and CSAT\n  \
with 95% intervals, churned ARR and the share blamed on performance or reliability; this month,\n  \
last month and the quarter (this month and the two before).\n\
- Where customers hurt: the month's topics by ARR at risk, each with its trend and the packs' test,\n  \
and its Prometheus metric's change from last month (mean of the daily values) where rules.toml links one.\n\
- What we fixed: issues filed from packs and closed as done in the month, with their impact so far,\n  \
and the issues filed from packs still open, with their age.\n\
- New this month: emerging complaints (clusters no topic claims) and the topics made this month.\n\
- Survey voices: three NPS detractors whose comment is tagged performance or reliability.\n\
- Proposed agenda: topics ranked by ARR at risk and by the evidence that they are rising, each with\n  \
the reason for its place in words.\n\
- Glossary: what the tags mean, and this month's topics.\n\
- Reproduce: the window, versions and a hash of every figure.\n\n\
Survey scores arrive as generic webhook items (or `pushback import --source generic` lines):\n  \
{\"id\": \"r-1\", \"kind\": \"survey\", \"survey\": {\"type\": \"nps\", \"score\": 3}, \"body\": \"Search is slow\"}\n\
NPS = % promoters (9-10) - % detractors (0-6), from -100 to 100; CSAT = % of answers scoring 4-5.\n\
Month over month, a change is called significant only when its test gives p < 0.05 (a z-test on the\n\
NPS difference, a two-proportion test for CSAT). A month without responses says \"no responses\".\n\
Months are calendar months in UTC. Every figure in the Markdown and the HTML is in --format json.\n\
--format html is one self-contained page (charts inline, no script, nothing fetched) that prints to A4\n\
and pastes into Confluence or Notion as text.\n\n\
Examples:\n  \
pushback review                         the last complete month, as Markdown\n  \
pushback review --month 2026-11 --format json > review-2026-11.json";

/// Output of `pushback review`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Md,
    Json,
    Html,
}

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The calendar month (UTC), e.g. 2026-11 (default: the last complete month).
    #[arg(long, value_parser = |s: &str| s.parse::<Month>())]
    month: Option<Month>,
    /// md (for a wiki page or a pull request), json (every figure, for a notebook or a check) or
    /// html (one self-contained page with charts, to open, print or paste).
    #[arg(long, value_enum, default_value = "md")]
    format: ReviewFormat,
}

pub async fn run(settings: &Settings, args: &ReviewArgs) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let classifier = load_classifier(settings, &store).await?;
    let now = Utc::now();
    let month = args.month.unwrap_or_else(|| Month::last_complete(now));
    if month >= Month::last_complete(now).next() {
        eprintln!("note: {month} is not over yet; its figures will change until {}", month.next());
    }
    let windows = (settings.trackers.window_days, settings.trackers.settle_days);
    let prometheus = crate::prometheus::Source::new(&settings.prometheus)?;
    let review = gather(Sources { store: &store, classifier: &classifier, prometheus: &prometheus }, month, windows, now).await?;
    match args.format {
        ReviewFormat::Md => print!("{}", render::markdown(&review)),
        ReviewFormat::Json => print!("{}", render::json(&review)),
        ReviewFormat::Html => print!("{}", render::html(&review)),
    }
    Ok(())
}
