//! The monthly review in Slack: `/pushback review [2026-11]` answers privately with a short
//! summary and a *Download* button that sends the HTML file to the user's direct messages with
//! the bot; and the monthly post, once across replicas and restarts: on the first weekday of the
//! month at the digest's time, whoever inserts the month's `digests` row (`review:<month>`)
//! queues the summary and the file in the same transaction (the weekly digest's claim and outbox).

use super::answer::{Actor, SlackState, apology};
use super::blocks::{SlackMessage, button, context, escape, header, section};
use super::claim::{claim_once, run_schedule};
use super::client::PackFile;
use super::client::{SendError, SlackApi, with_retries};
use super::outbox::{FilePost, PostedFile};
use crate::app::AppState;
use crate::digest::schedule::replica_name;
use crate::domain::DigestSchedule;
use crate::review::render::{self, churn, count_share, csat, nps};
use crate::review::{Month, Review, Sources, gather};
use crate::store::NewOutboxMessage;
use anyhow::Context;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;
use tokio::sync::watch;

/// The *Download* button under the summary.
pub const ACTION_REVIEW_DOWNLOAD: &str = "review_download";

/// What the button carries: the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRef {
    pub month: String,
}

/// The review of `month` as of `now`, with the trackers' impact windows.
pub async fn review_of(app: &AppState, month: Month, now: DateTime<Utc>) -> anyhow::Result<Review> {
    let windows = (app.settings.trackers.window_days, app.settings.trackers.settle_days);
    let classifier = app.classifier();
    Ok(gather(Sources { store: &app.store, classifier: &classifier, prometheus: &app.prometheus }, month, windows, now).await?)
}

/// The summary's lines (mrkdwn): volume, the two KPIs with their change, churn, the agenda's top.
pub fn summary_lines(r: &Review) -> Vec<String> {
    let p = &r.headline.this_month;
    let change = |c: &Option<crate::review::ChangeFigure>| c.as_ref().map(|c| format!("; {}", c.text)).unwrap_or_default();
    let mut lines = vec![
        format!(
            "*Feedback*: {} items; performance {}, reliability {} (last month {} items)",
            p.items,
            count_share(p.performance, p.performance_share),
            count_share(p.reliability, p.reliability_share),
            r.headline.last_month.items
        ),
        format!("*NPS*: {}{}", nps(&r.kpis.nps), change(&r.kpis.nps_change)),
        format!("*CSAT*: {}{}", csat(&r.kpis.csat), change(&r.kpis.csat_change)),
        format!("*Churned ARR*: {}", churn(p)),
    ];
    let agenda: Vec<String> = r.agenda.iter().take(3).map(|a| format!("{}. {} (`{}`)", a.rank, escape(&a.title), a.slug)).collect();
    if !agenda.is_empty() {
        lines.push(format!("*Proposed agenda*: {}", agenda.join(", ")));
    }
    lines
}

/// The summary as a message; with `download`, the button that sends the HTML.
pub fn summary_message(r: &Review, download: bool) -> SlackMessage {
    let mut blocks = vec![header(&format!("Monthly review, {}", r.month)), section(&summary_lines(r).join("\n"))];
    if download {
        let value = ReviewRef { month: r.month.clone() };
        blocks.push(json!({"type": "actions", "elements": [button("Download", ACTION_REVIEW_DOWNLOAD, &value)]}));
    }
    blocks.push(context(&format!(
        "The whole review (charts, topics, fixes, survey voices, agenda, glossary) is one HTML file; every figure is in `{}`.",
        r.reproduce.command
    )));
    SlackMessage {
        text: format!("Monthly review {}: {} feedback items, NPS {}", r.month, r.headline.this_month.items, nps(&r.kpis.nps)),
        blocks,
    }
}

/// The HTML page as a file to upload.
pub fn html_file(r: &Review) -> PackFile {
    PackFile {
        filename: format!("pushback-review-{}.html", r.month),
        title: format!("Monthly review {}", r.month),
        content_type: "text/html".into(),
        bytes: render::html(r).into_bytes(),
    }
}

/// `/pushback review [month]`: the last complete month unless one is named.
pub async fn review_message(app: &AppState, month: Option<Month>) -> anyhow::Result<SlackMessage> {
    let now = Utc::now();
    let month = month.unwrap_or_else(|| Month::last_complete(now));
    let mut message = summary_message(&review_of(app, month, now).await?, true);
    if month > Month::last_complete(now) {
        message.blocks.insert(1, context(&format!("{month} is not over yet: its figures change until {}.", month.next())));
    }
    Ok(message)
}

/// *Download*: the HTML goes to the user's direct messages with the bot (chat.postMessage to a
/// user ID opens it and names its channel), then the ephemeral answer says where it went.
pub async fn download(state: &SlackState, actor: &Actor, raw: Option<&str>) -> SlackMessage {
    let Some(month) = raw.and_then(|r| serde_json::from_str::<ReviewRef>(r).ok()).and_then(|r| r.month.parse::<Month>().ok()) else {
        return apology("that button's data is unreadable");
    };
    let Some(api) = state.api.as_ref().filter(|a| a.can_post()) else {
        return apology("file uploads need the bot token (PUSHBACK_SLACK__BOT_TOKEN)");
    };
    let review = match review_of(&state.app, month, Utc::now()).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), %month, "review failed");
            return apology("the review could not be built; please try again");
        }
    };
    match send_to_dm(api, &actor.user, &review).await {
        Ok(()) => SlackMessage { text: format!("Sent the {month} review to your direct messages with pushback."), blocks: vec![] },
        Err(e) => {
            tracing::error!(error = %e, %month, "review upload failed");
            apology(&format!("the upload failed ({e})"))
        }
    }
}

async fn send_to_dm(api: &SlackApi, user: &str, review: &Review) -> Result<(), SendError> {
    let note = SlackMessage { text: format!("The monthly review for {}, as you asked:", review.month), blocks: vec![] };
    let (dm, _) = with_retries(3, || api.post(user, &note, None)).await?;
    let file = [html_file(review)];
    let comment = format!("Monthly review {} (open it in a browser; it prints to A4)", review.month);
    with_retries(3, || api.upload_files(&dm, &file, &comment)).await
}

/// The month's post: the summary, then the HTML file.
pub fn post_rows(review: &Review, channel: &str) -> Vec<NewOutboxMessage> {
    let key = |part: &str| format!("review:{}:{part}", review.month);
    let summary = super::outbox::row(key("summary"), channel, &summary_message(review, false), None);
    let file = html_file(review);
    let post = FilePost {
        file_post: PostedFile {
            filename: file.filename,
            title: file.title,
            html: String::from_utf8_lossy(&file.bytes).into_owned(),
            comment: format!(
                "The whole monthly review for {}: open it in a browser, print it to A4 or paste it into the wiki.",
                review.month
            ),
        },
    };
    let file_row = NewOutboxMessage {
        dedupe_key: key("file"),
        channel: channel.to_string(),
        payload: serde_json::to_string(&post).unwrap_or_default(),
        // Not a thread reply: the file follows the summary in the channel (each channel's rows go in order).
        thread_of: None,
    };
    vec![summary, file_row]
}

/// Claims `month`'s review and queues its post in one transaction (a `digests` row keyed
/// `review:<month>`), the review as of `now`. `Ok(None)` when the month was already claimed, by
/// any replica, ever.
pub async fn claim_and_enqueue(
    state: &AppState,
    month: Month,
    channel: &str,
    claimed_by: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<usize>> {
    claim_once(state, &format!("review:{month}"), claimed_by, || async {
        let review = review_of(state, month, now).await.context("Failed to build the monthly review")?;
        Ok(post_rows(&review, channel))
    })
    .await
}

/// Checks every `every` whether last month's review is due (`review::month::post_due`, at the
/// state's clock), until `stop` turns true. A month whose first weekday passed while every
/// replica was down is posted when one returns that month.
pub async fn run_scheduler(state: AppState, schedule: DigestSchedule, channel: String, every: Duration, stop: watch::Receiver<bool>) {
    let me = replica_name();
    tracing::info!(time = %schedule.time, tz = %schedule.tz, %channel, "monthly review scheduled (first weekday of the month)");
    let due = |now| crate::review::month::post_due(&schedule, now);
    let claim = |month| claim_and_enqueue(&state, month, &channel, &me, state.clock.now());
    run_schedule(&state, "monthly review", every, stop, due, claim).await;
}

/// The weekly digest's survey line: NPS and CSAT of `[from, to)` with their intervals ("no
/// responses" for a KPI without any, never 0); `None` when the week had no survey response.
pub async fn digest_survey_line(app: &AppState, from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<Option<String>> {
    let responses = app.store.survey_responses(from, to).await?;
    if responses.is_empty() {
        return Ok(None);
    }
    let k = crate::review::kpis(&responses, &[]);
    Ok(Some(format!("*Surveys this week*: NPS {}; CSAT {}", nps(&k.nps), csat(&k.csat))))
}
