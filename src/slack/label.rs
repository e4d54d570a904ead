//! The label queue: `/pushback label` (and, when `labels.weekly` is on, a weekly message in the
//! digest channel) shows the stored items the model is least sure about, each with buttons
//! *Performance*, *Reliability*, *Both*, *Neither*. A click is a correction (recorded as *Wrong
//! tag* records one) and is answered in place: the message is rebuilt from the database, so the
//! labelled item shows its label and who gave it while the others keep their buttons.

use super::answer::{Actor, SlackState, apology, respond_with};
use super::blocks::{SlackMessage, button, context, day, escape, header, section, ticket_text};
use super::outbox;
use crate::app::AppState;
use crate::classify::uncertainty::{QUEUE_SIZE, pick};
use crate::domain::{DigestSchedule, Feedback};
use crate::store::LatestLabel;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::sync::watch;

/// The label queue as a modal (the App Home's *Label these*): its title and callback id.
pub const LABEL_TITLE: &str = "Label queue";
pub const LABEL_CALLBACK: &str = "home_label";

/// The label buttons' action ids: `label_performance`, `label_reliability`, `label_both`, `label_neither`.
pub const ACTION_LABEL: &str = "label_";

/// The uncorrected items the store hands the picker, nearest the thresholds first.
const CANDIDATES: i64 = 200;

/// What a label button carries: its item, and every item of its message (to rebuild it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelRef {
    pub item: i64,
    pub batch: Vec<i64>,
}

/// The four answers, as (button text, action id suffix, performance, reliability).
const CHOICES: [(&str, &str, bool, bool); 4] = [
    ("Performance", "performance", true, false),
    ("Reliability", "reliability", false, true),
    ("Both", "both", true, true),
    ("Neither", "neither", false, false),
];

/// The tags an action id stands for.
pub fn choice(action_id: &str) -> Option<(bool, bool)> {
    let suffix = action_id.strip_prefix(ACTION_LABEL)?;
    CHOICES.iter().find(|c| c.1 == suffix).map(|c| (c.2, c.3))
}

fn label_words(performance: bool, reliability: bool) -> &'static str {
    match (performance, reliability) {
        (true, true) => "performance + reliability",
        (true, false) => "performance",
        (false, true) => "reliability",
        (false, false) => "neither",
    }
}

/// Who labelled it, as Slack shows it: a mention for Slack users, the name otherwise.
fn who(by: &str) -> String {
    match by.strip_prefix("slack:") {
        Some(user) if !user.is_empty() && user.chars().all(|c| c.is_ascii_alphanumeric()) => format!("<@{user}>"),
        _ => escape(by),
    }
}

/// The items to label now: uncorrected items of the last `days` days, least sure first.
pub async fn queue_items(state: &AppState, days: i64) -> anyhow::Result<Vec<Feedback>> {
    let model = state.classifier().model;
    let thresholds = (f64::from(model.performance.threshold), f64::from(model.reliability.threshold));
    let since = Utc::now() - chrono::Duration::days(days);
    let candidates = state.store.label_candidates(since, thresholds, CANDIDATES).await?;
    Ok(pick(&candidates, thresholds, QUEUE_SIZE))
}

fn item_blocks(f: &Feedback, batch: &[i64], label: Option<&LatestLabel>) -> Vec<Value> {
    let c = &f.classification;
    let mut meta = Vec::new();
    if let Some(name) = f.account_name.as_deref().or(f.account_id.as_deref()) {
        meta.push(ticket_text(name, 60));
    }
    meta.push(format!("{} #{}", f.source, f.id));
    meta.push(day(f.created_at));
    meta.push(format!(
        "model: performance {:.2}, reliability {:.2}, tagged {}",
        c.score_performance,
        c.score_reliability,
        label_words(c.performance, c.reliability)
    ));
    let mut blocks = vec![section(&format!(">{}", escape(&crate::evidence::pack::quote_text(f)))), context(&meta.join(" · "))];
    match label {
        Some(l) => {
            blocks.push(context(&format!(":white_check_mark: Labelled *{}* by {}", label_words(l.performance, l.reliability), who(&l.by))))
        }
        None => {
            let value = LabelRef { item: f.id, batch: batch.to_vec() };
            let buttons: Vec<Value> =
                CHOICES.iter().map(|(text, suffix, ..)| button(text, &format!("{ACTION_LABEL}{suffix}"), &value)).collect();
            blocks.push(json!({"type": "actions", "block_id": format!("label_{}", f.id), "elements": buttons}));
        }
    }
    blocks
}

/// The label message for `items`, with the labels already given (pure).
pub fn compose(items: &[Feedback], labels: &[LatestLabel], retrain_after: i64) -> SlackMessage {
    if items.is_empty() {
        let text = "Nothing to label: every recent item has been labelled or corrected already.";
        return SlackMessage { text: text.into(), blocks: vec![section(text)] };
    }
    let batch: Vec<i64> = items.iter().map(|f| f.id).collect();
    let n = crate::text::plural(items.len() as u64, "item");
    let mut blocks = vec![header(&format!("Label {n} the model is least sure about"))];
    let retrain = if retrain_after > 0 {
        format!(
            " After {} the model retrains, and the new one is kept only if it does no worse on them.",
            crate::text::plural(retrain_after as u64, "new correction")
        )
    } else {
        String::new()
    };
    blocks.push(context(&format!(
        "Is each one a *performance* problem (slow or heavy), a *reliability* problem (a failure), both, or neither? Each click is recorded as a correction, as *Wrong tag* is.{retrain}"
    )));
    let done = items.iter().filter(|f| labels.iter().any(|l| l.item_id == f.id)).count();
    for f in items {
        blocks.extend(item_blocks(f, &batch, labels.iter().find(|l| l.item_id == f.id)));
    }
    let text = if done == items.len() {
        format!("All {n} labelled, thanks")
    } else {
        format!("{n} to label: performance, reliability, both or neither? ({done} done)")
    };
    SlackMessage { text, blocks }
}

/// `/pushback label`: the queue now.
pub async fn queue_message(state: &AppState) -> anyhow::Result<SlackMessage> {
    let items = queue_items(state, state.settings.labels.retag_days).await?;
    Ok(compose(&items, &[], state.settings.labels.retrain_after))
}

/// The message of `batch` as it stands: its items (those still stored) and their labels.
async fn rebuild(state: &AppState, batch: &[i64]) -> anyhow::Result<SlackMessage> {
    let mut items = Vec::with_capacity(batch.len());
    for &id in batch.iter().take(QUEUE_SIZE * 2) {
        if let Some(f) = state.store.item(id).await? {
            items.push(f);
        }
    }
    let labels = state.store.latest_labels(batch).await?;
    Ok(compose(&items, &labels, state.settings.labels.retrain_after))
}

/// A label button: records the correction and replaces the message with its new state. Returns
/// a private answer only when something went wrong.
pub async fn clicked(state: &SlackState, actor: &Actor, action_id: &str, value: Option<&str>) -> Option<SlackMessage> {
    let (Some((performance, reliability)), Some(r)) = (choice(action_id), value.and_then(|v| serde_json::from_str::<LabelRef>(v).ok()))
    else {
        return Some(apology("that button's data is unreadable"));
    };
    let by = format!("slack:{}", actor.user);
    match state.app.store.record_correction(r.item, performance, reliability, &by, Utc::now()).await {
        Ok(true) => {}
        Ok(false) => return Some(apology(&format!("item {} no longer exists", r.item))),
        Err(e) => {
            tracing::error!(error = %e, "label: correction not saved");
            return Some(apology("the label could not be saved; please try again"));
        }
    }
    tracing::info!(item = r.item, label = label_words(performance, reliability), user = %actor.user, "item labelled from Slack");
    let message = match rebuild(&state.app, &r.batch).await {
        Ok(message) => message,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "label message not rebuilt");
            return Some(SlackMessage {
                text: format!("Saved: item {} labelled {}.", r.item, label_words(performance, reliability)),
                blocks: vec![],
            });
        }
    };
    match (actor.response_url.as_deref(), actor.view.as_ref()) {
        (Some(url), _) => {
            respond_with(state, url, &message, false, true).await;
            None
        }
        (None, Some(view)) if view.is_modal() => {
            super::views::update(state, &view.id, None, super::views::modal(LABEL_TITLE, &message, LABEL_CALLBACK)).await;
            None
        }
        (None, _) => Some(message),
    }
}

/// Posts the label queue to `channel` once per ISO week (at the digest's time), across
/// replicas: the outbox key `labels:<week>` is unique, so only one replica's row is queued.
pub async fn run_weekly(state: AppState, schedule: DigestSchedule, channel: String, every: Duration, mut stop: watch::Receiver<bool>) {
    tracing::info!(%channel, "weekly label message on");
    while !*stop.borrow() {
        if let Some(week) = schedule.due_week(Utc::now()) {
            if let Err(e) = queue_weekly(&state, &format!("labels:{week}"), &channel).await {
                tracing::warn!(%week, error = format!("{e:#}"), "weekly label message not queued; will try again");
            }
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}

async fn queue_weekly(state: &AppState, key: &str, channel: &str) -> anyhow::Result<()> {
    if state.store.outbox_row(key).await?.is_some() {
        return Ok(());
    }
    let items = queue_items(state, state.settings.labels.retag_days).await?;
    if items.is_empty() {
        tracing::debug!("weekly label message: nothing to label");
        return Ok(());
    }
    let message = compose(&items, &[], state.settings.labels.retrain_after);
    if state.store.outbox_enqueue(&[outbox::row(key.to_string(), channel, &message, None)], Utc::now()).await? > 0 {
        tracing::info!(key, items = items.len(), "weekly label message queued");
        state.outbox_wake.notify_one();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Classification, Kind, Source};
    use crate::slack::blocks::check_limits;

    fn item(id: i64, body: &str) -> Feedback {
        Feedback {
            id,
            source: Source::Zendesk,
            external_id: id.to_string(),
            kind: Kind::Ticket,
            account_id: Some(format!("acct-{id}")),
            account_name: Some("Acme <Corp>".into()),
            subject: String::new(),
            body: body.into(),
            tags: vec![],
            url: None,
            created_at: Utc::now(),
            received_at: Utc::now(),
            lost_arr_cents: None,
            classification: Classification { performance: true, score_performance: 0.56, score_reliability: 0.1, ..Default::default() },
        }
    }

    #[test]
    fn each_item_has_four_buttons_until_it_is_labelled_then_says_by_whom() {
        let items: Vec<Feedback> = (1..=5).map(|i| item(i, &format!("<!channel> slow {i} jane@example.com"))).collect();
        let fresh = compose(&items, &[], 25);
        check_limits(&fresh).unwrap();
        let json = serde_json::to_string(&fresh.blocks).unwrap();
        assert_eq!(json.matches("label_performance").count(), 5);
        assert_eq!(json.matches("label_neither").count(), 5);
        assert!(!json.contains("<!channel>") && !json.contains("jane@example.com"), "{json}");
        assert!(json.contains("After 25 new corrections the model retrains"), "{json}");

        let labels = [LatestLabel { item_id: 2, performance: false, reliability: true, by: "slack:U123".into() }];
        let after = compose(&items, &labels, 25);
        check_limits(&after).unwrap();
        let json = serde_json::to_string(&after.blocks).unwrap();
        assert_eq!(json.matches("label_performance").count(), 4, "the labelled item lost its buttons, the others kept theirs");
        assert!(json.contains("Labelled *reliability* by <@U123>"), "{json}");
        assert!(after.text.contains("(1 done)"), "{}", after.text);
        let value: LabelRef = serde_json::from_str(after.blocks[4]["elements"][0]["value"].as_str().unwrap()).unwrap();
        assert_eq!(value, LabelRef { item: 1, batch: vec![1, 2, 3, 4, 5] });
    }

    #[test]
    fn action_ids_name_the_tags_and_odd_names_are_escaped() {
        assert_eq!(choice("label_both"), Some((true, true)));
        assert_eq!(choice("label_neither"), Some((false, false)));
        assert_eq!(choice("label_maybe"), None);
        assert_eq!(who("slack:W111"), "<@W111>");
        assert_eq!(who("slack:<!here>"), "slack:&lt;!here&gt;");
        assert_eq!(who("engineer"), "engineer");
        assert!(compose(&[], &[], 25).text.starts_with("Nothing to label"));
    }
}
