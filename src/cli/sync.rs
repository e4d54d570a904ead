//! `pushback sync`: pull tickets, conversations and churn notes from the vendors' APIs (the
//! same passes `serve` runs), with a progress line per source and what was stored; `--status`
//! shows where each source stands and what to do about it.

use super::open_store;
use crate::app::{AppState, load_classifier, sync_status};
use crate::config::{PULL_SOURCES, PullAccess, Settings};
use crate::domain::Source;
use crate::ingest::pull::schedule::owner_id;
use crate::ingest::pull::{Outcome, PassOptions, Progress, Report, sync_source};
use crate::text::{plural, thousands};
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use tokio::sync::watch;

pub const EXAMPLES: &str = "Examples:
  pushback sync --once                      every configured source once: a backfill the first time, then what changed
  pushback sync zendesk --since 180d --once start Zendesk over from 180 days ago (stored tickets are updated, never duplicated)
  pushback sync stripe --since 2026-06-01
  pushback sync                             keep syncing every sync.every_secs (300 s) until ctrl-c
  pushback sync --status                    where each source stands, its last error and what to do
  pushback sync --status --format json

Credentials: PUSHBACK_SOURCES__<SOURCE>__* (README: Connecting support tools). A first sync reaches back
sync.backfill_days (180). A source that another process is syncing (its lease is held) is skipped.";

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct SyncArgs {
    /// Sources to sync (default: every configured one): zendesk, intercom, helpscout, freshdesk, stripe.
    #[arg(value_parser = parse_pull_source)]
    pub sources: Vec<Source>,
    /// Start over from this time instead of where the last sync stopped: a span back from now
    /// (`180d`, `12w`) or a date (`2026-06-01`).
    #[arg(long, value_name = "SPAN|DATE")]
    pub since: Option<String>,
    /// One pass of each source, then exit (default: sync again every sync.every_secs until ctrl-c).
    #[arg(long)]
    pub once: bool,
    /// Show where each source stands (configured, last success, position, lag, items, last error) instead of syncing.
    #[arg(long)]
    pub status: bool,
    /// With --status: text or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: StatusFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

fn parse_pull_source(s: &str) -> Result<Source, String> {
    let source: Source = s.parse()?;
    if PULL_SOURCES.contains(&source) {
        Ok(source)
    } else {
        Err(format!("{source} has no API to pull from; use zendesk, intercom, helpscout, freshdesk or stripe"))
    }
}

/// `180d`, `12w` (back from `now`) or a date / RFC 3339 time.
pub fn parse_since(raw: &str, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(days) = crate::domain::window::parse_span(raw) {
        return Ok(now - Duration::days(days));
    }
    crate::ingest::sources::parse_time(raw)
        .filter(|t| *t <= now)
        .ok_or_else(|| anyhow::anyhow!("--since '{raw}' is not a span like 180d or a past date like 2026-06-01"))
}

pub async fn run(settings: Settings, args: SyncArgs) -> anyhow::Result<()> {
    if args.status {
        return status(&settings, args.format).await;
    }
    let since = args.since.as_deref().map(|s| parse_since(s, Utc::now())).transpose()?;
    let accesses = chosen(&settings, &args.sources)?;
    let store = open_store(&settings).await?;
    let classifier = load_classifier(&settings, &store).await?;
    let every = settings.sync.every_secs;
    let (state, writer_task) = AppState::new(store, classifier, settings);
    let (stop_tx, stop) = watch::channel(false);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping after the page in hand (ctrl-c again to abort)…");
            let _ = stop_tx.send(true);
            let _ = tokio::signal::ctrl_c().await;
            std::process::exit(130);
        }
    });
    let mut since = since;
    let failed = loop {
        let failed = pass(&state, &accesses, since.take(), &stop).await;
        if args.once || *stop.borrow() {
            break failed;
        }
        eprintln!("next sync in {} (ctrl-c to stop)", sync_status::duration(every as i64));
        if !crate::ingest::pull::client::sleep_or_stop(std::time::Duration::from_secs(every), &mut stop.clone()).await {
            break failed;
        }
    };
    drop(state);
    let _ = writer_task.await;
    if failed > 0 {
        anyhow::bail!(
            "{} stopped on an error (see above); `pushback sync --status` shows where each stands",
            plural(failed as u64, "source")
        );
    }
    Ok(())
}

/// The sources to sync: those named (each must be configured), else every configured one.
fn chosen(settings: &Settings, named: &[Source]) -> anyhow::Result<Vec<PullAccess>> {
    if named.is_empty() {
        let all = crate::ingest::pull::configured(&settings.sources);
        anyhow::ensure!(
            !all.is_empty(),
            "no source is configured to pull: set a source's credentials, e.g. PUSHBACK_SOURCES__ZENDESK__SUBDOMAIN, __EMAIL and __API_TOKEN (README: Connecting support tools)"
        );
        return Ok(all);
    }
    named
        .iter()
        .map(|s| settings.sources.pull_access(*s).map_err(|e| anyhow::anyhow!("{s} is not configured: set {}", e.to_set())))
        .collect()
}

/// One pass of every source at once; prints what each stored. Returns how many failed.
async fn pass(state: &AppState, accesses: &[PullAccess], since: Option<DateTime<Utc>>, stop: &watch::Receiver<bool>) -> usize {
    let bars = indicatif::MultiProgress::new();
    let progress = Arc::new(CliProgress::new(&bars, accesses));
    let started = std::time::Instant::now();
    let tasks: Vec<_> = accesses
        .iter()
        .map(|access| {
            let (state, access, progress, stop) = (state.clone(), access.clone(), progress.clone(), stop.clone());
            let opts = PassOptions { since, owner: owner_id(&format!("cli-{}", access.source)) };
            tokio::spawn(async move { sync_source(&state, &access, &opts, progress.as_ref(), stop).await })
        })
        .collect();
    let mut reports = Vec::new();
    for task in tasks {
        if let Ok(report) = task.await {
            reports.push(report);
        }
    }
    progress.finish();
    let secs = started.elapsed().as_secs_f64();
    for r in &reports {
        eprintln!("{}", summary(r, secs));
    }
    reports.iter().filter(|r| matches!(r.outcome, Outcome::Failed(_))).count()
}

/// `zendesk: 11,842 items in 12 pages: 11,800 inserted, 40 updated, 2 unchanged (3 skipped); done`.
pub fn summary(r: &Report, secs: f64) -> String {
    let counts = format!(
        "{} in {}: {} inserted, {} updated, {} unchanged",
        plural(r.items(), "item"),
        plural(r.pages, "page"),
        thousands(r.inserted),
        thousands(r.updated),
        thousands(r.unchanged)
    );
    let extra = match (r.skipped, r.waits) {
        (0, 0) => String::new(),
        (s, 0) => format!(" ({s} skipped: not feedback or repeats)"),
        (0, w) => format!(" ({})", plural(w, "wait")),
        (s, w) => format!(" ({s} skipped, {})", plural(w, "wait")),
    };
    let rate = if secs > 0.0 && r.items() > 0 { format!(", {:.0} items/s", r.items() as f64 / secs) } else { String::new() };
    match &r.outcome {
        Outcome::Done => format!("{}: {counts}{extra}; up to date in {secs:.1}s{rate}", r.source),
        Outcome::Stopped => format!("{}: {counts}{extra}; stopped (the next sync continues from here)", r.source),
        Outcome::Busy => format!("{}: skipped: another process is syncing it now (its lease is held)", r.source),
        Outcome::Failed(e) => format!("{}: {counts}{extra}; STOPPED: {e}", r.source),
    }
}

/// One spinner per source: pages, items, waits.
struct CliProgress {
    bars: Vec<(Source, indicatif::ProgressBar)>,
}

impl CliProgress {
    fn new(multi: &indicatif::MultiProgress, accesses: &[PullAccess]) -> Self {
        let style =
            indicatif::ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        let bars = accesses
            .iter()
            .map(|a| {
                let bar = multi.add(indicatif::ProgressBar::new_spinner());
                bar.set_style(style.clone());
                bar.set_message(format!("{}: asking {}", a.source, a.api_url));
                bar.enable_steady_tick(std::time::Duration::from_millis(200));
                (a.source, bar)
            })
            .collect();
        Self { bars }
    }

    fn bar(&self, source: Source) -> Option<&indicatif::ProgressBar> {
        self.bars.iter().find(|(s, _)| *s == source).map(|(_, b)| b)
    }

    fn finish(&self) {
        for (_, bar) in &self.bars {
            bar.finish_and_clear();
        }
    }
}

impl Progress for CliProgress {
    fn page(&self, r: &Report) {
        if let Some(bar) = self.bar(r.source) {
            let at = r.position_at.map(|t| format!(", changes up to {}", t.format("%Y-%m-%d %H:%M"))).unwrap_or_default();
            bar.set_message(format!(
                "{}: {}, {} ({} new, {} updated, {} unchanged){at}",
                r.source,
                plural(r.pages, "page"),
                plural(r.items(), "item"),
                thousands(r.inserted),
                thousands(r.updated),
                thousands(r.unchanged)
            ));
        }
    }

    fn waiting(&self, source: Source, why: &str, wait: std::time::Duration) {
        if let Some(bar) = self.bar(source) {
            bar.set_message(format!("{source}: waiting {:.1}s: {why}", wait.as_secs_f64()));
        }
    }
}

async fn status(settings: &Settings, format: StatusFormat) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let now = Utc::now();
    let status = sync_status::load(&store, settings, now).await?;
    match format {
        StatusFormat::Json => println!("{}", serde_json::to_string_pretty(&status)?),
        StatusFormat::Text => print!("{}", sync_status::to_text(&status, now)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_a_span_or_a_past_date() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T12:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_since("180d", now).unwrap(), now - Duration::days(180));
        assert_eq!(parse_since("2026-06-01", now).unwrap().to_rfc3339(), "2026-06-01T00:00:00+00:00");
        assert!(parse_since("2027-01-01", now).is_err());
        assert!(parse_since("lately", now).unwrap_err().to_string().contains("180d"));
        assert!(parse_pull_source("generic").is_err());
        assert_eq!(parse_pull_source("help-scout"), Ok(Source::Helpscout));
    }

    #[test]
    fn summaries_say_what_was_stored_and_how_it_ended() {
        let mut r = Report::new(Source::Zendesk);
        r.pages = 2;
        r.inserted = 1500;
        r.updated = 1;
        let line = summary(&r, 1.5);
        assert!(line.starts_with("zendesk: 1,501 items in 2 pages: 1,500 inserted, 1 updated, 0 unchanged; up to date"), "{line}");
        r.outcome = Outcome::Failed("zendesk: 401 from the API: check X".into());
        assert!(summary(&r, 1.0).contains("STOPPED: zendesk: 401"));
    }
}
