//! `pushback impact <topic>`: did customers stop complaining after the fix?

use super::{load_classifier, open_store};
use crate::config::Settings;
use crate::domain::IssueState;
use crate::trackers::impact;
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, clap::Args)]
pub struct ImpactArgs {
    /// The topic the fix was for (as in `pushback evidence`).
    pub topic: String,
    /// The day the fix shipped (2026-11-02 or RFC 3339).
    #[arg(long, conflicts_with = "issue")]
    pub fix_date: Option<String>,
    /// A linked issue's key (PROJ-123, ENG-42, owner/repo#12): its close date is the fix date.
    #[arg(long)]
    pub issue: Option<String>,
    #[arg(long, value_enum, default_value = "md")]
    pub format: ImpactFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImpactFormat {
    Md,
    Json,
}

fn parse_date(raw: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight").and_utc());
    }
    Ok(DateTime::parse_from_rfc3339(raw)
        .with_context(|| format!("--fix-date '{raw}' is not a date (2026-11-02) or RFC 3339 time"))?
        .with_timezone(&Utc))
}

pub async fn run(settings: &Settings, args: &ImpactArgs) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let classifier = load_classifier(settings, &store).await?;
    let (fix, fix_date) = match (&args.fix_date, &args.issue) {
        (Some(d), _) => {
            let date = parse_date(d)?;
            (format!("the fix on {}", date.format("%Y-%m-%d")), date)
        }
        (None, Some(key)) => {
            let links = store.issue_links(&crate::evidence::selector::normalize_slug(&args.topic)).await?;
            let link =
                links.into_iter().find(|l| &l.key == key).with_context(|| format!("{key} is not an issue filed for {}", args.topic))?;
            match (link.state, link.done_at) {
                (IssueState::Done, Some(at)) => (key.clone(), at),
                _ => anyhow::bail!(
                    "{key} is {} in {}, not closed as done; use --fix-date to compare anyway",
                    link.state.as_str(),
                    link.tracker.label()
                ),
            }
        }
        (None, None) => anyhow::bail!("say when the fix shipped: --fix-date 2026-11-02 or --issue PROJ-123"),
    };
    let t = &settings.trackers;
    let report = impact::report(&store, &classifier, &args.topic, &fix, fix_date, (t.window_days, t.settle_days), Utc::now())
        .await?
        .with_context(|| format!("'{}' names no topic and no searchable words", args.topic))?;
    match args.format {
        ImpactFormat::Md => print!("{}", impact::markdown(&report)),
        ImpactFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}
