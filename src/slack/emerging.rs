//! Emerging topics in Slack: the digest's section (the three fastest-growing clusters of
//! unclaimed performance and reliability items, each with *Make this a topic*), and what that
//! button does (stores the topic, gives it to the items it matches, answers with how to see it).

use super::blocks::{SlackMessage, button, context, day, divider, escape, link, section, ticket_text};
use crate::app::AppState;
use crate::digest::emerging::{DAYS, Emerging, EmergingCluster, IN_DIGEST, MIN_ACCOUNTS, MIN_ITEMS};
use crate::domain::{ArrCents, StoredTopic, TopicDraft};
use crate::stats::format_p;
use crate::text::plural;
use serde_json::{Value, json};

pub const ACTION_MAKE_TOPIC: &str = "make_topic";

pub fn cluster_blocks(c: &EmergingCluster, half_days: i64) -> Vec<Value> {
    let mut line =
        format!("*{}* · {} from {}", escape(&c.draft.title), plural(c.items as u64, "item"), plural(c.accounts as u64, "account"));
    if c.arr_cents > 0 {
        line.push_str(&format!(" · {} ARR", ArrCents(c.arr_cents).display_dollars()));
    }
    let before = if c.earlier == 0 { "none".to_string() } else { c.earlier.to_string() };
    line.push_str(&format!("\n{} in the last {half_days} days against {before} in the {half_days} before", c.recent));
    if c.earlier > 0 {
        line.push_str(&format!(" ({:.1}× the share of feedback", c.growth));
        line.push_str(&c.p_value.map(|p| format!(", {})", format_p(p))).unwrap_or_else(|| ")".into()));
    }
    if let Some(category) = c.category {
        line.push_str(&format!(" · {category}"));
    }
    let q = &c.quote;
    let mut meta = vec![q.account.as_deref().map(|a| ticket_text(a, 60)).unwrap_or_else(|| "no account".into())];
    meta.push(format!("{} #{}", q.source, q.id));
    meta.push(day(q.created_at));
    meta.extend(link(q.url.as_deref(), "open"));
    vec![
        section(&line),
        section(&format!(">{}", ticket_text(&q.text, 300))),
        context(&meta.join(" · ")),
        json!({"type": "actions", "elements": [button("Make this a topic", ACTION_MAKE_TOPIC, &c.draft)]}),
    ]
}

/// "1,234 items looked at", or for a sampled pool "a sample of 3,000 of 11,615 items looked at,
/// counts scaled to all".
fn looked_at(e: &Emerging) -> String {
    if e.sampled < e.pooled {
        format!(
            "a sample of {} of {} looked at, counts scaled to all",
            crate::text::thousands(e.sampled as u64),
            plural(e.pooled as u64, "item")
        )
    } else {
        format!("{} looked at", plural(e.pooled as u64, "item"))
    }
}

/// The digest's emerging section: a heading, then the `IN_DIGEST` fastest-growing clusters.
pub fn emerging_blocks(e: &Emerging) -> Vec<Value> {
    let days = (e.to - e.from).num_days();
    let half = (e.middle - e.from).num_days();
    let mut blocks = vec![
        divider(),
        section(&format!(
            "*Emerging complaints*: groups of performance and reliability items from the last {days} days that no topic claims \
             ({}; at least {MIN_ITEMS} items from {MIN_ACCOUNTS} accounts), fastest-growing first",
            looked_at(e)
        )),
    ];
    if e.clusters.is_empty() {
        blocks.push(context("No group of unclaimed complaints is big enough this week."));
    }
    for c in e.clusters.iter().take(IN_DIGEST) {
        blocks.extend(cluster_blocks(c, half));
    }
    blocks
}

/// Adds the emerging section to a digest: to its last message when it fits, else as one more
/// message (posted as a thread reply like the digest's other continuations).
pub async fn append_to_digest(state: &AppState, messages: &mut Vec<SlackMessage>, to: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
    let data = crate::digest::emerging::gather(&state.store, &state.classifier().rules, to, DAYS).await?;
    let blocks = emerging_blocks(&data);
    match messages.last_mut() {
        Some(last) if last.blocks.len() + blocks.len() <= super::blocks::MAX_BLOCKS => last.blocks.extend(blocks),
        _ => {
            let text =
                messages.first().map(|m| format!("{} (emerging complaints)", m.text)).unwrap_or_else(|| "Emerging complaints".into());
            messages.push(SlackMessage { text, blocks });
        }
    }
    Ok(())
}

/// *Make this a topic*: stores the cluster's topic and says what now carries it.
pub async fn make_topic(app: &AppState, user: &str, draft: TopicDraft) -> SlackMessage {
    let topic = StoredTopic::from_draft(draft, &format!("slack:{user}"), chrono::Utc::now());
    let (slug, patterns, category) = (topic.slug.clone(), topic.patterns.join("`, `"), topic.category);
    let text = match app.store_topic(topic).await {
        Ok(Ok(done)) => format!(
            "Made `{slug}` a topic (patterns `{}`{}). {} of the last {} days now carry it: `/evidence {slug}` shows the pack. \
             New items get it as they arrive; `pushback topics export` prints it as a config/rules.toml entry.",
            escape(&patterns),
            category.map(|c| format!(", {c} only")).unwrap_or_default(),
            plural(done.items, "stored item"),
            crate::app::BACKFILL_DAYS
        ),
        Ok(Err(refused)) => format!("Sorry, that topic was not made: {}.", escape(&refused.to_string())),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), topic = %slug, "make topic failed");
            "Sorry, the topic could not be stored; please try again in a minute.".into()
        }
    };
    SlackMessage { text, blocks: vec![] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::emerging::Term;
    use crate::digest::emerging::Quote;
    use crate::domain::{Category, Source};
    use crate::slack::blocks::check_limits;
    use chrono::{Duration, Utc};

    fn cluster(i: usize) -> EmergingCluster {
        EmergingCluster {
            terms: vec![Term { term: "barcode".into(), coverage: 1.0, pool_share: 0.01 }],
            items: 9,
            accounts: 4,
            arr_cents: 4_800_000,
            earlier: (i % 2) as u64,
            recent: 8,
            growth: 8.0,
            p_value: Some(0.004),
            category: Some(Category::Reliability),
            quote: Quote {
                id: 7,
                text: "The barcode scanner freezes <!channel> mail jane@example.com ".repeat(20),
                account: Some("Acme <Corp>".into()),
                source: Source::Zendesk,
                url: Some("https://acme.zendesk.com/agent/tickets/7".into()),
                created_at: Utc::now(),
            },
            item_ids: (0..9).collect(),
            draft: TopicDraft {
                slug: format!("barcode-scanner-{i}"),
                title: "Barcode, scanner".into(),
                patterns: vec![r"\bbarcode\b".into()],
                category: Some(Category::Reliability),
            },
        }
    }

    #[test]
    fn the_section_shows_three_clusters_within_limits_with_redacted_quotes() {
        let to = Utc::now();
        let from = to - Duration::days(14);
        let e = Emerging {
            from,
            middle: from + Duration::days(7),
            to,
            pooled: 1234,
            sampled: 1234,
            totals: (900, 1000),
            clusters: (0..5).map(cluster).collect(),
        };
        let blocks = emerging_blocks(&e);
        check_limits(&SlackMessage { text: "digest".into(), blocks: blocks.clone() }).unwrap();
        let all = serde_json::to_string(&blocks).unwrap();
        assert_eq!(all.matches(ACTION_MAKE_TOPIC).count(), 3);
        assert!(all.contains("9 items from 4 accounts · $48,000 ARR"), "{all}");
        assert!(all.contains("8 in the last 7 days against none in the 7 before"), "{all}");
        assert!(all.contains("1,234 items looked at"), "{all}");
        assert!(!all.contains("<!channel>") && !all.contains("jane@example.com"), "{all}");
        let sampled = Emerging { sampled: 300, ..e.clone() };
        assert!(serde_json::to_string(&emerging_blocks(&sampled)).unwrap().contains("a sample of 300 of 1,234 items looked at"));
        let empty = Emerging { clusters: vec![], ..e };
        assert!(serde_json::to_string(&emerging_blocks(&empty)).unwrap().contains("No group of unclaimed complaints"));
    }
}
