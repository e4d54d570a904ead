//! The App Home tab (issue 23), first part: on `app_home_opened` the user's Home view is
//! published with `views.publish`: the team's week (items, performance and reliability against
//! last week), the top topics with their trend, how many items wait in the label queue, and
//! the classifier's measured precision. `compose` is pure and keeps to Slack's limits (100
//! blocks, 250 kB).

use super::blocks::{context, divider, escape, header, section};
use super::routes::SlackState;
use crate::app::AppState;
use crate::digest::topics::TopicStats;
use chrono::Utc;
use serde_json::Value;

/// Topics listed on the Home tab.
const TOPICS: usize = 5;
/// Candidates read for the label queue's count; more shows as "200+".
const QUEUE_CAP: i64 = 200;

/// What the Home tab shows, read from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeFigures {
    /// (label, this week, last week): all feedback, performance, reliability.
    pub volumes: Vec<(String, i64, i64)>,
    pub topics: Vec<TopicStats>,
    pub label_queue: usize,
    /// Measured precision per category, as the model recorded it.
    pub precision: Vec<(String, f64)>,
}

/// Reads the Home tab's figures for this week.
pub async fn figures(app: &AppState) -> anyhow::Result<HomeFigures> {
    let now = Utc::now();
    let schedule = app.settings.slack.schedule().unwrap_or_default();
    let (from, to) = crate::digest::schedule::window(&schedule, schedule.week_of(now), now);
    let last = from - chrono::Duration::days(7);
    let store = &app.store;
    let volumes = crate::digest::compose::volumes(store.category_counts(from, to).await?, store.category_counts(last, from).await?);
    let classifier = app.classifier();
    let mut topics = crate::digest::topics::topic_rows(store, &classifier.rules, from, to, None).await?;
    topics.retain(|t| t.now > 0);
    topics.truncate(TOPICS);
    let model = &classifier.model;
    let thresholds = (f64::from(model.performance.threshold), f64::from(model.reliability.threshold));
    let since = now - chrono::Duration::days(app.settings.labels.retag_days);
    let label_queue = store.label_candidates(since, thresholds, QUEUE_CAP).await?.len();
    let mut precision: Vec<(String, f64)> = model.metrics.precision.iter().map(|(k, v)| (k.clone(), *v)).collect();
    precision.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(HomeFigures { volumes, topics, label_queue, precision })
}

fn trend(now: i64, before: i64) -> String {
    match now - before {
        0 => "same as last week".into(),
        d if d > 0 => format!("up {d} on last week"),
        d => format!("down {} on last week", -d),
    }
}

/// The Home view's blocks (pure).
pub fn compose(f: &HomeFigures) -> Vec<Value> {
    let mut blocks = vec![header("This week in customer feedback")];
    let week: Vec<String> = f.volumes.iter().map(|(label, now, before)| format!("*{label}*: {now} ({})", trend(*now, *before))).collect();
    blocks.push(section(&week.join("\n")));
    blocks.push(divider());
    if f.topics.is_empty() {
        blocks.push(section("No topic has feedback this week."));
    } else {
        let lines: Vec<String> = f
            .topics
            .iter()
            .map(|t| format!("• *{}* (`{}`): {} ({})", escape(&t.title), escape(&t.slug), t.now, trend(t.now, t.before)))
            .collect();
        blocks.push(section(&format!("*Top topics*\n{}", lines.join("\n"))));
        blocks.push(context("`/evidence <topic>` opens a topic's evidence pack."));
    }
    blocks.push(divider());
    let queue = if f.label_queue as i64 >= QUEUE_CAP { format!("{QUEUE_CAP}+") } else { f.label_queue.to_string() };
    blocks.push(section(&format!("*Label queue*: {queue} items the model is unsure about. `/pushback label` shows the 5 least sure.")));
    let precision = if f.precision.is_empty() {
        "not measured for this model".to_string()
    } else {
        f.precision.iter().map(|(c, p)| format!("{c} {:.0}%", p * 100.0)).collect::<Vec<_>>().join(", ")
    };
    blocks.push(context(&format!("Classifier precision (measured): {precision}. `/pushback glossary` explains the terms.")));
    blocks
}

/// Publishes `user`'s Home view; failures are logged (the next open tries again).
pub async fn publish(state: SlackState, user: String) {
    let Some(api) = state.api.as_ref().filter(|a| a.can_post()) else {
        tracing::warn!("the Home tab is not published: no bot token (set PUSHBACK_SLACK__BOT_TOKEN)");
        return;
    };
    let blocks = match figures(&state.app).await {
        Ok(f) => compose(&f),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "Home tab figures could not be read");
            return;
        }
    };
    if let Err(e) = api.publish_home(&user, blocks).await {
        tracing::error!(error = %e, %user, "views.publish failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_view_stays_within_slack_limits_and_says_what_to_do() {
        let topic = |i: i64| TopicStats {
            slug: format!("topic-{i}"),
            title: "A <b> title".into(),
            category: None,
            now: i,
            before: 2,
            accounts: 0,
            arr_cents: 0,
            churn_notes: 0,
        };
        let f = HomeFigures {
            volumes: vec![("All feedback".into(), 10, 4), ("Performance".into(), 3, 3)],
            topics: (1..=TOPICS as i64).map(topic).collect(),
            label_queue: 200,
            precision: vec![("performance".into(), 0.91)],
        };
        let blocks = compose(&f);
        assert!(blocks.len() <= 100);
        let text = serde_json::to_string(&blocks).unwrap();
        assert!(text.len() < 250_000);
        assert!(text.contains("up 6 on last week") && text.contains("same as last week") && text.contains("200+"), "{text}");
        assert!(text.contains("performance 91%") && !text.contains("<b>"), "{text}");
    }
}
