//! `pushback evidence <topic>`: the evidence pack on the command line.

use super::{load_classifier, open_store};
use crate::config::Settings;
use crate::domain::window::{self, Window};
use crate::evidence::render::{self, Format};
use crate::evidence::{Answer, Request};
use crate::text::plural;
use anyhow::Context;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct EvidenceArgs {
    /// A topic from config/rules.toml (checkout-slow) or any slug (search-timeout, invoice-pdf-errors),
    /// matched by full-text search with synonyms for category words.
    pub topic: String,
    /// The window up to now: 7d, 30d, 90d, 12w...
    #[arg(long, default_value = "90d", conflicts_with_all = ["from", "to"])]
    pub since: String,
    /// Window start (2026-08-01 or RFC 3339); use with --to to regenerate a pack exactly.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Window end, exclusive.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: EvidenceFormat,
    /// Write to this file instead of standard output (required for png).
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// How many representative quotes (3 to 8).
    #[arg(long, default_value_t = crate::evidence::DEFAULT_QUOTES as u8, value_parser = clap::value_parser!(u8).range(3..=8))]
    pub quotes: u8,
    /// File the pack as an issue in github, jira or linear (PUSHBACK_TRACKERS__* settings); a topic
    /// that already has an open issue there answers with it instead of creating another.
    #[arg(long, value_name = "TRACKER", value_parser = parse_tracker)]
    pub create_issue: Option<crate::domain::Tracker>,
}

fn parse_tracker(s: &str) -> Result<crate::domain::Tracker, String> {
    s.parse()
}

/// What `--format` writes: the pack's own renderings, or the Slack message `/evidence` posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EvidenceFormat {
    Md,
    Csv,
    Json,
    Png,
    /// The weekly chart as SVG, for docs that take vector images.
    Svg,
    /// Daily complaints beside the topic's Prometheus metric, one row per day (topics with `metric` in rules.toml).
    DailyCsv,
    /// The Slack Block Kit message (JSON), as `/evidence` would post it.
    Slack,
}

/// The bytes of `answer` in `format`.
fn render(answer: &Answer, format: EvidenceFormat) -> anyhow::Result<Vec<u8>> {
    let format = match format {
        EvidenceFormat::Md => Format::Md,
        EvidenceFormat::Csv => Format::Csv,
        EvidenceFormat::Json => Format::Json,
        EvidenceFormat::Png => Format::Png,
        EvidenceFormat::Svg => Format::Svg,
        EvidenceFormat::DailyCsv => Format::DailyCsv,
        EvidenceFormat::Slack => {
            let message = crate::slack::evidence::message(answer, false);
            return Ok((serde_json::to_string_pretty(&message)? + "\n").into_bytes());
        }
    };
    render::render(answer, format)
}

pub async fn run(settings: &Settings, args: &EvidenceArgs) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let window = match (&args.from, &args.to) {
        (Some(from), Some(to)) => Window::between(from, to).map_err(anyhow::Error::msg)?,
        _ => Window::last_days(window::parse_span(&args.since).map_err(anyhow::Error::msg)?, now),
    };
    if args.format == EvidenceFormat::Png && args.out.is_none() && std::io::stdout().is_terminal() {
        anyhow::bail!("a PNG does not belong on a terminal: add --out chart.png");
    }
    let store = open_store(settings).await?;
    let classifier = load_classifier(settings, &store).await?;
    let request = Request { topic: args.topic.clone(), window, quotes: usize::from(args.quotes) };
    let prometheus = crate::prometheus::Source::new(&settings.prometheus)?;
    // The CSV carries every item: its pack is built from them. The other formats from the rollups.
    let answer = match args.format {
        EvidenceFormat::Csv => crate::evidence::answer_with_rows(&store, &classifier, &prometheus, &request, now).await?,
        _ => crate::evidence::answer(&store, &classifier, &prometheus, &request, now).await?,
    };
    if let (Some(tracker), Answer::Pack(pack)) = (args.create_issue, &answer) {
        return create_issue(settings, &store, tracker, pack, now).await;
    }
    let bytes = render(&answer, args.format)?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
            if let Answer::Pack(p) = &answer {
                eprintln!("{} from {} written to {}", plural(p.items, "item"), plural(p.accounts, "account"), path.display());
            }
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    if let Answer::NoMatch { .. } = answer {
        std::process::exit(2);
    }
    Ok(())
}

/// `--create-issue`: files the pack once and prints the issue's address.
async fn create_issue(
    settings: &Settings,
    store: &crate::store::Store,
    tracker: crate::domain::Tracker,
    pack: &crate::evidence::EvidencePack,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use crate::trackers::{Filed, file, new_issue};
    let markdown = crate::evidence::render::markdown::render(&Answer::Pack(Box::new(pack.clone())));
    let link = crate::domain::NewIssueLink {
        topic: pack.slug.clone(),
        tracker,
        pack_hash: pack.reproduce.items_hash.clone(),
        window: pack.window,
        created_by: format!("cli:{}", std::env::var("USER").unwrap_or_else(|_| "unknown".into())),
        slack_channel: None,
        slack_ts: None,
    };
    match file(store, &settings.trackers, &new_issue(pack, markdown), &link, now).await? {
        Filed::New(l) => println!("created {} {}: {}", tracker.label(), l.key, l.url),
        Filed::Existing(l) => println!("{} already has {} {} ({}): {}", pack.slug, tracker.label(), l.key, l.state.as_str(), l.url),
        Filed::InProgress => {
            anyhow::bail!("another request is creating the {} issue for {} right now; try again in a minute", tracker.label(), pack.slug)
        }
    }
    Ok(())
}
