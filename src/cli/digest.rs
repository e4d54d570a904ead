//! `pushback digest`: print the weekly digest, post it (claiming the week, or delivering what a
//! stopped server left queued), re-send a failed week, or show where recent weeks stand.

use crate::app::{AppState, load_classifier, open_store};
use crate::config::Settings;
use crate::digest::schedule::replica_name;
use crate::digest::status::{State, WeekStatus, week_status};
use crate::domain::IsoWeek;
use crate::slack::blocks::to_markdown;
use crate::slack::client::SlackApi;
use crate::slack::digest::{claim_and_enqueue, compose_week};
use crate::slack::outbox;
use crate::text::plural;
use anyhow::Context;
use chrono::Utc;
use std::time::Duration;

pub const EXAMPLES: &str = "Examples:\n  \
pushback digest                         this week's digest (and each owner channel's section) as Markdown\n  \
pushback digest --week 2026-W47 --format json\n  \
pushback digest --send                  post this week's digest unless it was posted; delivers what a stopped server left queued\n  \
pushback digest --status                the last 6 weeks: not claimed, claimed, queued, posted or failed, with the last error\n  \
pushback digest --week 2026-W47 --force send the messages of a failed week again (posted ones are not repeated)";

/// Output of `pushback digest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DigestFormat {
    Md,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct DigestArgs {
    /// ISO week, e.g. 2026-W47 (default: this week in the schedule's time zone).
    #[arg(long, value_parser = super::parse_week)]
    week: Option<IsoWeek>,
    /// md or json (also for --status).
    #[arg(long, value_enum, default_value = "md")]
    format: DigestFormat,
    /// Post to the digest channel (and the owner channels' sections) instead of printing: claims
    /// the week if no one has, or delivers its queued messages. Never posts a message twice.
    #[arg(long)]
    send: bool,
    /// Like --send, and first put the week's failed messages back in the queue.
    #[arg(long)]
    force: bool,
    /// Where the week (default: the last 6 weeks) stands, per channel, with the outbox's last error.
    #[arg(long, conflicts_with_all = ["send", "force"])]
    status: bool,
}

/// Weeks `--status` shows without `--week`.
const STATUS_WEEKS: usize = 6;

pub async fn command(settings: Settings, args: DigestArgs) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let classifier = load_classifier(&settings, &store).await?;
    let (state, writer_task) = AppState::new(store.clone(), classifier, settings);
    let result = digest(&state, &args).await;
    drop(state);
    let _ = writer_task.await;
    result
}

async fn digest(state: &AppState, args: &DigestArgs) -> anyhow::Result<()> {
    let slack = &state.settings.slack;
    let schedule = slack.schedule().unwrap_or_default();
    let week = args.week.unwrap_or_else(|| schedule.week_of(Utc::now()));
    if args.status {
        let weeks: Vec<IsoWeek> = match args.week {
            Some(w) => vec![w],
            None => std::iter::successors(Some(week), |w| Some(w.previous())).take(STATUS_WEEKS).collect(),
        };
        return status(state, &weeks, args.format).await;
    }
    if args.send || args.force {
        return send(state, week, args.force).await;
    }
    let whole = compose_week(state, week, slack.channel()).await?;
    match args.format {
        DigestFormat::Md => {
            print!("{}", to_markdown(&whole.messages));
            for s in &whole.sections {
                println!("\n---\n\n_The section for {} ({})_\n", s.channel, s.topics.join(", "));
                print!("{}", to_markdown(&s.messages));
            }
        }
        DigestFormat::Json => println!("{}", serde_json::to_string_pretty(&whole)?),
    }
    Ok(())
}

async fn status(state: &AppState, weeks: &[IsoWeek], format: DigestFormat) -> anyhow::Result<()> {
    let schedule = state.settings.slack.schedule().unwrap_or_default();
    let now = Utc::now();
    let mut out = Vec::new();
    for week in weeks {
        let label = week.to_string();
        let claim = state.store.digest_claim(&label).await?;
        let rows = state.store.outbox_rows(&format!("digest:{label}:")).await?;
        out.push(week_status(&label, schedule.due_at(*week), claim.as_ref(), &rows, now));
    }
    match format {
        DigestFormat::Json => println!("{}", serde_json::to_string_pretty(&serde_json::json!({"weeks": out}))?),
        DigestFormat::Md => print!("{}", describe(&out)),
    }
    Ok(())
}

/// `--status` as text: a line per week, one per channel under it, and what to do next.
fn describe(weeks: &[WeekStatus]) -> String {
    let mut out = String::new();
    let when = |t: chrono::DateTime<Utc>| t.format("%a %-d %b %Y %H:%M UTC").to_string();
    for (i, w) in weeks.iter().enumerate() {
        let line = match (w.state, &w.claimed_at) {
            (State::NotDue, _) => format!("not due until {}", when(w.due_at)),
            (State::NotClaimed, _) if i == 0 => {
                format!("not claimed (due {}); `pushback digest --week {} --send` posts it", when(w.due_at), w.week)
            }
            (State::NotClaimed, _) => format!("not claimed (was due {})", when(w.due_at)),
            (s, Some(at)) => format!(
                "{:<8} claimed {} by {}; {} of {} posted",
                s.as_str(),
                when(*at),
                w.claimed_by.as_deref().unwrap_or("?"),
                w.sent,
                plural(w.total as u64, "message")
            ),
            (s, None) => s.as_str().to_string(),
        };
        out.push_str(&format!("{}  {line}\n", w.week));
        for c in &w.channels {
            let error = c.last_error.as_deref().map(|e| format!("; last error: {e}")).unwrap_or_default();
            out.push_str(&format!("            {:<20} {:<8} {} of {} posted{error}\n", c.channel, c.state.as_str(), c.sent, c.total));
        }
        match w.state {
            State::Queued => out.push_str(&format!(
                "            a running `pushback serve` delivers them; `pushback digest --week {} --send` does it now\n",
                w.week
            )),
            State::Failed => {
                out.push_str(&format!("            `pushback digest --week {} --force` sends the failed messages again\n", w.week));
            }
            _ => {}
        }
    }
    out
}

/// Posts `week`: claims it if no one has, else delivers what is still queued (with `force`,
/// failed messages too). The outbox row is the unit: a message already posted is never posted
/// again, and one a running server is posting right now is left to it.
async fn send(state: &AppState, week: IsoWeek, force: bool) -> anyhow::Result<()> {
    let slack = &state.settings.slack;
    let channel = slack.channel().context("--send needs a digest channel; set PUSHBACK_SLACK__DIGEST_CHANNEL")?;
    let api = SlackApi::new(slack)?;
    anyhow::ensure!(api.can_post(), "--send needs a bot token; set PUSHBACK_SLACK__BOT_TOKEN");
    let prefix = format!("digest:{week}:");
    let now = Utc::now();
    if let Some(claim) = state.store.digest_claim(&week.to_string()).await? {
        let rows = state.store.outbox_rows(&prefix).await?;
        let s = week_status(&claim.week, now, Some(&claim), &rows, now);
        let requeued = if force { state.store.outbox_requeue_failed(&prefix, now).await? } else { 0 };
        match s.state {
            State::Posted => {
                println!("the digest for {week} was already posted ({}); nothing to send", plural(s.total as u64, "message"));
                return Ok(());
            }
            State::Failed if !force => anyhow::bail!(
                "the digest for {week} failed: {} of {} posted (last error: {}); `--force` sends the failed ones again",
                s.sent,
                s.total,
                s.last_error.as_deref().unwrap_or("unknown")
            ),
            _ => {}
        }
        state.store.outbox_due_now(&prefix, now).await?;
        println!(
            "the digest for {week} was claimed {} by {} and {} of {} posted; delivering the rest{}",
            claim.claimed_at.format("%a %-d %b %H:%M UTC"),
            claim.claimed_by,
            s.sent,
            s.total,
            if requeued > 0 { format!(" ({} put back in the queue)", plural(requeued, "failed message")) } else { String::new() }
        );
    } else if claim_and_enqueue(state, week, channel, &format!("cli:{}", replica_name())).await?.is_none() {
        println!("the digest for {week} was claimed by another process just now; delivering what it queued");
    }
    outbox::drain(&state.store, &api, &prefix, slack.max_attempts, Duration::from_secs(300)).await?;
    let rows = state.store.outbox_rows(&prefix).await?;
    for r in &rows {
        let error = r.last_error.as_deref().filter(|_| r.status != "sent").map(|e| format!(": {e}")).unwrap_or_default();
        println!("{} -> {} {} ({}){error}", r.dedupe_key, r.channel, r.status, plural(r.attempts.unsigned_abs(), "attempt"));
    }
    let sent = rows.iter().filter(|r| r.status == "sent").count();
    anyhow::ensure!(
        sent == rows.len(),
        "{} of {} digest messages are not posted; `pushback digest --week {week} --status` shows why (a running `pushback serve` keeps retrying pending ones)",
        rows.len() - sent,
        rows.len()
    );
    println!("digest {week} posted: {}", plural(rows.len() as u64, "message"));
    Ok(())
}
