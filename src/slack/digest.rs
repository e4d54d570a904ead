//! The weekly digest in Slack: its Block Kit messages, and posting it exactly once per ISO week
//! however many replicas run: whoever inserts the week's row in `digests` queues the messages
//! in the same transaction; everyone else sees the row and does nothing. The scheduler checks
//! every `digest_check_secs`, so a week whose scheduled time passed while every replica was
//! down is posted when one returns.

use super::blocks::{ACTION_DOWNLOAD, PackRef, SlackMessage, button, change, context, divider, escape, header, pack_messages, section};
use super::claim::{claim_once, run_schedule};
use super::outbox;
use super::sections::{quote_blocks, stats_line};
use crate::alerts::Owners;
use crate::alerts::owners::same_channel;
use crate::app::AppState;
use crate::digest::compose::{Digest, digest_topics};
use crate::digest::schedule::replica_name;
use crate::digest::topics::{TopicStats, is_significant_rise, rising};
use crate::domain::{DigestSchedule, IsoWeek};
use crate::store::NewOutboxMessage;
use crate::text::plural;
use anyhow::Context;
use chrono::Utc;
use serde_json::json;
use std::time::Duration;
use tokio::sync::watch;

/// The digest as one or more messages; later ones are posted as thread replies to the first.
pub fn compose_digest(data: &Digest) -> Vec<SlackMessage> {
    let totals = data.volumes.first().map_or((0, 0), |v| (v.1, v.2));
    let mut intro = vec![
        header(&format!("Weekly feedback digest, {}", data.week)),
        context(&format!(
            "{} to {} compared with the 7 days before",
            data.from.format("%a %-d %b %H:%M UTC"),
            data.to.format("%a %-d %b %H:%M UTC")
        )),
    ];
    let volumes: Vec<String> = data
        .volumes
        .iter()
        .map(|(label, now, before)| format!("*{label}*: {} ({} vs {before})", count(*now), change(*now, *before)))
        .collect();
    intro.push(section(&volumes.join("\n")));
    let top: Vec<String> = data
        .topics
        .iter()
        .filter(|t| t.now > 0)
        .take(5)
        .map(|t| format!("• `{}` {} ({})", t.slug, count(t.now), change(t.now, t.before)))
        .collect();
    if !top.is_empty() {
        intro.push(section(&format!("*Top topics*\n{}", top.join("\n"))));
    }
    let up: Vec<String> = rising(&data.topics, 3)
        .iter()
        .map(|t| {
            let mark = if is_significant_rise(t, totals) { " :small_red_triangle: significant" } else { "" };
            format!("• `{}` {} → {}{mark}", t.slug, t.before, t.now)
        })
        .collect();
    if !up.is_empty() {
        intro.push(section(&format!("*Rising fastest*\n{}", up.join("\n"))));
    }
    let mut groups = vec![intro];
    for t in digest_topics(&data.topics) {
        let mut group = vec![divider(), section(&format!("*{}* `{}`\n{}", escape(&t.title), t.slug, stats_line(t, "this week", totals)))];
        for item in data.quotes.get(&t.slug).map_or(&[][..], Vec::as_slice) {
            group.extend(quote_blocks(item, t.category));
        }
        group.push(
            json!({"type": "actions", "elements": [button("Download pack", ACTION_DOWNLOAD, &PackRef { topic: t.slug.clone(), days: 7 })]}),
        );
        groups.push(group);
    }
    let total = data.volumes.first().map_or(0, |v| v.1);
    let text = format!("Weekly feedback digest {}: {}; top topics {}", data.week, count(total), top_slugs(&data.topics));
    pack_messages(&text, groups)
}

/// "1 item", "12 items".
fn count(n: i64) -> String {
    plural(u64::try_from(n).unwrap_or(0), "item")
}

fn top_slugs(topics: &[TopicStats]) -> String {
    let slugs: Vec<&str> = topics.iter().filter(|t| t.now > 0).take(3).map(|t| t.slug.as_str()).collect();
    if slugs.is_empty() { "none".into() } else { slugs.join(", ") }
}

/// The digest of `week` (volume by category, top and rising topics, quotes) as messages.
pub async fn digest_messages(state: &AppState, week: IsoWeek) -> anyhow::Result<Vec<SlackMessage>> {
    let schedule = state.settings.slack.schedule().unwrap_or_default();
    let digest = crate::digest::gather(&state.store, &state.classifier().rules, &schedule, week, Utc::now(), &[]).await?;
    main_messages(state, &digest).await
}

/// The main digest's messages from the week's figures, with emerging complaints and "Fixes and
/// their effect".
async fn main_messages(state: &AppState, digest: &Digest) -> anyhow::Result<Vec<SlackMessage>> {
    let mut messages = compose_digest(digest);
    if let (Some(line), Some(first)) = (super::review::digest_survey_line(state, digest.from, digest.to).await?, messages.first_mut()) {
        first.blocks.insert(3.min(first.blocks.len()), section(&line));
    }
    super::emerging::append_to_digest(state, &mut messages, digest.to).await?;
    if let (Some(fixes), Some(first)) = (super::issues::fixes_section(state, Utc::now()).await?, messages.first_mut()) {
        first.blocks.push(fixes);
    }
    let trust = crate::evidence::precision_sentences(&state.store, &state.classifier()).await?;
    if !trust.is_empty() {
        let footer = context(&format!("How far these tags can be trusted: {}.", trust.join("; ")));
        match messages.last_mut() {
            Some(last) if last.blocks.len() < super::blocks::MAX_BLOCKS => last.blocks.push(footer),
            _ => {
                let text = messages.first().map(|m| format!("{} (continued)", m.text)).unwrap_or_default();
                messages.push(SlackMessage { text, blocks: vec![footer] });
            }
        }
    }
    Ok(messages)
}

/// A week's whole digest: the main messages for the digest channel, and each owner channel's
/// section (only its topics), unless `slack.digest_sections` is off.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WeekDigest {
    pub week: String,
    pub messages: Vec<SlackMessage>,
    pub sections: Vec<Section>,
}

/// One owner channel's part of the digest.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    pub channel: String,
    pub topics: Vec<String>,
    pub messages: Vec<SlackMessage>,
}

/// Reads the week once and composes the main digest and every owner channel's section. An owner
/// channel that is the digest channel itself gets no section (it has the whole digest), nor does
/// one whose topics had no items this week or the week before.
pub async fn compose_week(state: &AppState, week: IsoWeek, digest_channel: Option<&str>) -> anyhow::Result<WeekDigest> {
    let rules = state.classifier().rules;
    let owned: Vec<(String, Vec<String>)> = if state.settings.slack.digest_sections {
        let owners = Owners::load(&state.store, &rules, None).await?;
        owners.by_channel().into_iter().filter(|(c, _)| !digest_channel.is_some_and(|d| same_channel(c, d))).collect()
    } else {
        Vec::new()
    };
    let slugs: Vec<String> = owned.iter().flat_map(|(_, t)| t.iter().cloned()).collect();
    let schedule = state.settings.slack.schedule().unwrap_or_default();
    let digest = crate::digest::gather(&state.store, &rules, &schedule, week, Utc::now(), &slugs).await?;
    let messages = main_messages(state, &digest).await?;
    // A channel whose topics had nothing this week or the week before is not told so weekly.
    let active = |topics: &[String]| digest.topics.iter().any(|t| topics.contains(&t.slug) && (t.now > 0 || t.before > 0));
    let sections = owned
        .into_iter()
        .filter(|(_, topics)| active(topics))
        .map(|(channel, topics)| {
            let messages = super::sections::compose_section(&digest, &channel, &topics, digest_channel);
            Section { channel, topics, messages }
        })
        .collect();
    Ok(WeekDigest { week: week.to_string(), messages, sections })
}

/// Outbox rows for a digest: `digest:<week>:<n>`, replies threaded under the first.
pub fn outbox_rows(week: IsoWeek, channel: &str, messages: &[SlackMessage]) -> Vec<NewOutboxMessage> {
    let key = |i: usize| format!("digest:{week}:{i}");
    messages.iter().enumerate().map(|(i, m)| outbox::row(key(i), channel, m, (i > 0).then(|| key(0)))).collect()
}

/// Claims `week` and queues its digest and the owner channels' sections in one transaction, so
/// each channel gets its part once. `Ok(None)` when the week was already claimed.
pub async fn claim_and_enqueue(state: &AppState, week: IsoWeek, channel: &str, claimed_by: &str) -> anyhow::Result<Option<usize>> {
    claim_once(state, &week.to_string(), claimed_by, || async {
        let whole = compose_week(state, week, Some(channel)).await.context("Failed to compose the digest")?;
        let mut rows = outbox_rows(week, channel, &whole.messages);
        for s in &whole.sections {
            rows.extend(super::sections::outbox_rows(week, &s.channel, &s.messages));
        }
        Ok(rows)
    })
    .await
}

/// Checks every `every` whether this week's digest is due (at the state's clock), until `stop`
/// turns true.
pub async fn run_scheduler(state: AppState, schedule: DigestSchedule, channel: String, every: Duration, stop: watch::Receiver<bool>) {
    let me = replica_name();
    tracing::info!(weekday = %schedule.weekday, time = %schedule.time, tz = %schedule.tz, %channel, "weekly digest scheduled");
    let due = |now| schedule.due_week(now);
    let claim = |week| claim_and_enqueue(&state, week, &channel, &me);
    run_schedule(&state, "weekly digest", every, stop, due, claim).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::topics::tests::stats;
    use crate::domain::{Category, Classification, Feedback, Kind, Source};
    use crate::slack::blocks::{check_limits, to_markdown};
    use chrono::DateTime;

    fn item(id: i64, body: &str, kind: Kind) -> Feedback {
        Feedback {
            id,
            source: Source::Zendesk,
            external_id: id.to_string(),
            kind,
            account_id: Some("acme".into()),
            account_name: Some("Acme <Corp>".into()),
            subject: String::new(),
            body: body.into(),
            tags: vec![],
            url: Some(format!("https://acme.zendesk.com/agent/tickets/{id}")),
            created_at: DateTime::parse_from_rfc3339("2026-11-10T10:00:00Z").unwrap().with_timezone(&Utc),
            received_at: Utc::now(),
            lost_arr_cents: None,
            classification: Classification { performance: true, topics: vec!["checkout-slow".into()], ..Default::default() },
        }
    }

    #[test]
    fn quoted_ticket_text_is_redacted_and_mentions_are_neutralised() {
        let f =
            item(1, "Ping <!channel> and <@U123>: mail jane@example.com or call +1 415-555-0132 & card 4111 1111 1111 1111", Kind::Ticket);
        let m = SlackMessage { text: "digest".into(), blocks: quote_blocks(&f, Some(Category::Performance)) };
        check_limits(&m).unwrap();
        let all = serde_json::to_string(&m.blocks).unwrap();
        assert!(!all.contains("<!channel>") && !all.contains("<@U123>"), "{all}");
        assert!(all.contains("&lt;!channel&gt;"), "{all}");
        assert!(!all.contains("jane@example.com") && !all.contains("4111") && !all.contains("555-0132"), "{all}");
        assert!(all.contains("Acme &lt;Corp&gt;"), "{all}");
        let long = item(2, &"very slow checkout ".repeat(1000), Kind::Ticket);
        check_limits(&SlackMessage { text: "x".into(), blocks: quote_blocks(&long, None) }).unwrap();
    }

    fn digest_data(topics: usize) -> Digest {
        let topics: Vec<TopicStats> = (0..topics).map(|i| stats(&format!("topic-{i}"), 50 - i as i64, (i as i64 * 7) % 30)).collect();
        let quotes = topics
            .iter()
            .map(|t| (t.slug.clone(), (0..5).map(|i| item(i, &format!("quote {i} about {}", t.slug), Kind::Ticket)).collect()))
            .collect();
        let to = Utc::now();
        Digest {
            week: "2026-W47".parse().unwrap(),
            from: to - chrono::Duration::days(7),
            to,
            volumes: vec![("All feedback".into(), 120, 100), ("Performance".into(), 60, 40), ("Reliability".into(), 30, 35)],
            topics,
            quotes,
        }
    }

    #[test]
    fn a_big_digest_is_split_into_messages_within_the_limits() {
        let messages = compose_digest(&digest_data(12));
        assert!(messages.len() >= 2, "{}", messages.len());
        for m in &messages {
            check_limits(&m.clone()).unwrap();
        }
        assert!(messages[1].text.contains("continued"));
        let all = serde_json::to_string(&messages.iter().flat_map(|m| m.blocks.clone()).collect::<Vec<_>>()).unwrap();
        // Five biggest and three rising topics, each with quotes and a pack button.
        assert_eq!(all.matches(ACTION_DOWNLOAD).count(), digest_topics(&digest_data(12).topics).len());
        assert!(all.contains("Weekly feedback digest, 2026-W47"));
    }

    #[test]
    fn an_empty_digest_still_makes_one_valid_message() {
        let mut data = digest_data(0);
        data.volumes = vec![("All feedback".into(), 0, 0)];
        let messages = compose_digest(&data);
        assert_eq!(messages.len(), 1);
        check_limits(&messages[0]).unwrap();
        assert!(to_markdown(&messages).starts_with("# Weekly feedback digest, 2026-W47"));
    }
}
