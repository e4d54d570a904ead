//! The App Home view and its modals as blocks, from figures already read (pure): the team's
//! week with the top topics (each with *Open pack*), what the user owns (topics, tracker issues
//! with their impact, recent spikes), emerging topics with *Make this a topic*, the label queue
//! with *Label these*, and how far the tags can be trusted. Lists are capped so the view keeps
//! to Slack's limits (100 blocks, 250 kB) however long the history.

use super::blocks::{
    ACTION_SHARE, MAX_BLOCKS, PackRef, SlackMessage, button, check_limits, context, divider, escape, header, link, section, section_with,
};
use super::views::channel_picker;
use crate::digest::emerging::EmergingCluster;
use crate::digest::topics::TopicStats;
use crate::domain::{ArrCents, IssueLink, IssueState};
use crate::store::SpikeState;
use crate::text::{plural, truncate_chars};
use serde_json::{Value, json};

/// *Open pack* on a top topic: its evidence pack in a modal.
pub const ACTION_HOME_PACK: &str = "home_open_pack";
/// *Label these*: the label queue's least sure items in a modal.
pub const ACTION_HOME_LABEL: &str = "home_label_queue";
/// Slack's limits for a Home view.
pub const MAX_HOME_BLOCKS: usize = 100;
pub const MAX_VIEW_BYTES: usize = 250_000;
/// Rows listed per part of "What you own"; the rest are counted.
const LISTED: usize = 8;
/// Candidates read for the label queue's count; more shows as "200+".
pub const QUEUE_CAP: usize = 200;

/// A topic the user owns: through `channel` (an owner or subscribed channel they are in).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnedTopic {
    pub slug: String,
    pub title: String,
    pub channel: String,
}

/// One of the user's tracker issues, with the latest impact result when it was closed as done.
#[derive(Debug, Clone, PartialEq)]
pub struct MyIssue {
    pub link: IssueLink,
    pub impact: Option<String>,
}

/// What the user owns. `topics` is `None` when Slack could not say which channels they are in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mine {
    pub topics: Option<Vec<OwnedTopic>>,
    pub issues: Vec<MyIssue>,
    pub spikes: Vec<SpikeState>,
}

/// What the Home tab shows, read from the store (and Slack, for the user's channels).
#[derive(Debug, Clone)]
pub struct HomeFigures {
    /// (label, this week, last week): all feedback, performance, reliability.
    pub volumes: Vec<(String, i64, i64)>,
    pub topics: Vec<TopicStats>,
    /// The window (days) an *Open pack* button's pack covers.
    pub pack_days: u32,
    pub mine: Mine,
    pub emerging: Vec<EmergingCluster>,
    /// Half the emerging window, in days (its "last N days against the N before").
    pub emerging_half_days: i64,
    pub label_queue: usize,
    /// The digest footer's sentences: how far the tags can be trusted.
    pub precision: Vec<String>,
    pub glossary_url: Option<String>,
}

fn trend(now: i64, before: i64) -> String {
    match now - before {
        0 => "same as the 7 days before".into(),
        d if d > 0 => format!("up {d} on the 7 days before"),
        d => format!("down {} on the 7 days before", -d),
    }
}

/// Lines cut to one section, with "and N more" when some were left out.
fn listed(title: &str, lines: &[String], total: usize) -> Value {
    let more = if total > lines.len() { format!("\n…and {} more", total - lines.len()) } else { String::new() };
    section(&format!("{}{more}", truncate_chars(&format!("{title}\n{}", lines.join("\n")), 2800)))
}

fn week_blocks(f: &HomeFigures) -> Vec<Value> {
    let mut blocks = vec![header("The last 7 days in customer feedback")];
    let week: Vec<String> = f.volumes.iter().map(|(label, now, before)| format!("*{label}*: {now} ({})", trend(*now, *before))).collect();
    let week = if week.is_empty() { "No feedback stored yet.".to_string() } else { week.join("\n") };
    blocks.push(section(&week));
    if f.topics.is_empty() {
        blocks.push(section("No topic has feedback in the last 7 days."));
        return blocks;
    }
    blocks.push(section("*Top topics*"));
    for t in &f.topics {
        let mut line =
            format!("*{}* (`{}`): {} ({})", escape(&t.title), escape(&t.slug), plural(t.now as u64, "item"), trend(t.now, t.before));
        if t.arr_cents > 0 {
            line.push_str(&format!(" · {} ARR", ArrCents(t.arr_cents).display_dollars()));
        }
        blocks.push(section_with(&line, button("Open pack", ACTION_HOME_PACK, &PackRef { topic: t.slug.clone(), days: f.pack_days })));
    }
    blocks
}

fn issue_line(i: &MyIssue) -> String {
    let l = &i.link;
    let key = link(Some(&l.url), &l.key).unwrap_or_else(|| escape(&l.key));
    let state = match (l.state, &i.impact) {
        (IssueState::Done, Some(impact)) => format!("closed as done: {}", escape(impact)),
        (IssueState::Done, None) => "closed as done".to_string(),
        (IssueState::Closed, _) => "closed, not done".to_string(),
        (IssueState::Open, _) => format!("open since {}", super::blocks::day(l.created_at)),
    };
    format!("• {} {key} on `{}`: {state}", l.tracker.label(), escape(&l.topic))
}

fn mine_blocks(m: &Mine) -> Vec<Value> {
    let mut blocks = vec![divider(), header("What you own")];
    match &m.topics {
        None => blocks.push(context(
            "*Your topics*: unknown. pushback could not ask Slack which channels you are in (users.conversations needs \
             PUSHBACK_SLACK__BOT_TOKEN and the channels:read and groups:read scopes).",
        )),
        Some(t) if t.is_empty() => {
            blocks.push(section("*Your topics*: none. A topic is yours when you are in its owner channel or a channel subscribed to it (`/pushback subscribe <topic>`)."))
        }
        Some(t) => {
            let lines: Vec<String> =
                t.iter().take(LISTED).map(|o| format!("• *{}* (`{}`) via {}", escape(&o.title), escape(&o.slug), channel_ref(&o.channel))).collect();
            blocks.push(listed("*Your topics*", &lines, t.len()));
        }
    }
    if m.issues.is_empty() {
        blocks.push(section("*Your tracker issues*: none filed from a pack by you."));
    } else {
        let lines: Vec<String> = m.issues.iter().take(LISTED).map(issue_line).collect();
        blocks.push(listed("*Your tracker issues*", &lines, m.issues.len()));
    }
    if m.spikes.is_empty() {
        blocks.push(section("*Spikes alerted in the last 7 days*: none."));
    } else {
        let lines: Vec<String> = m
            .spikes
            .iter()
            .take(LISTED)
            .map(|s| {
                format!(
                    "• `{}` at {:.1}× its usual share, first alerted {}",
                    escape(&s.subject),
                    s.announced_ratio,
                    super::blocks::day(s.started_at)
                )
            })
            .collect();
        blocks.push(listed("*Spikes alerted in the last 7 days*", &lines, m.spikes.len()));
    }
    blocks
}

/// A channel as Slack links it: `<#C123>` for an ID, the name as written otherwise.
fn channel_ref(channel: &str) -> String {
    let id = channel.starts_with(['C', 'G']) && channel.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if id { format!("<#{channel}>") } else { escape(channel) }
}

fn trust_blocks(f: &HomeFigures) -> Vec<Value> {
    let queue = if f.label_queue >= QUEUE_CAP { format!("{QUEUE_CAP}+") } else { f.label_queue.to_string() };
    let waiting = format!(
        "*Label queue*: {queue} {} the model is unsure about. Your labels train the next model.",
        if f.label_queue == 1 { "item" } else { "items" }
    );
    let mut blocks = vec![divider()];
    if f.label_queue > 0 {
        blocks.push(section_with(&waiting, button("Label these", ACTION_HOME_LABEL, &"queue")));
    } else {
        blocks.push(section(&waiting));
    }
    let trust = if f.precision.is_empty() {
        "How far these tags can be trusted: not measured for this model yet.".to_string()
    } else {
        format!("How far these tags can be trusted: {}.", f.precision.join("; "))
    };
    let glossary = match f.glossary_url.as_deref().and_then(|u| link(Some(u), "the glossary")) {
        Some(l) => format!("What the terms mean: {l}."),
        None => "What the terms mean: `/pushback glossary`.".to_string(),
    };
    blocks.push(context(&format!("{trust} {glossary}")));
    blocks
}

/// The Home view's blocks (pure), within Slack's limits.
pub fn compose(f: &HomeFigures) -> Vec<Value> {
    let mut blocks = week_blocks(f);
    blocks.extend(mine_blocks(&f.mine));
    if !f.emerging.is_empty() {
        blocks.push(divider());
        blocks.push(section("*Emerging complaints*: growing groups of performance and reliability items no topic claims"));
        for c in f.emerging.iter().take(crate::digest::emerging::IN_DIGEST) {
            blocks.extend(super::emerging::cluster_blocks(c, f.emerging_half_days));
        }
    }
    blocks.extend(trust_blocks(f));
    blocks.truncate(MAX_HOME_BLOCKS);
    blocks
}

/// Checks a Home view against Slack's limits: blocks, bytes, and each block's own limits.
pub fn check_home(blocks: &[Value]) -> Result<(), String> {
    if blocks.len() > MAX_HOME_BLOCKS {
        return Err(format!("{} blocks (limit {MAX_HOME_BLOCKS})", blocks.len()));
    }
    let bytes = json!({"type": "home", "blocks": blocks}).to_string().len();
    if bytes > MAX_VIEW_BYTES {
        return Err(format!("{bytes} bytes (limit {MAX_VIEW_BYTES})"));
    }
    blocks.chunks(MAX_BLOCKS).try_for_each(|chunk| check_limits(&SlackMessage { text: "Home".into(), blocks: chunk.to_vec() }))
}

/// A pack for a modal: its blocks without the message's buttons (they answer through a
/// response_url, which a modal has not), then a channel picker and *Share to channel*.
pub fn pack_in_modal(message: SlackMessage, pack: &PackRef) -> SlackMessage {
    let mut blocks: Vec<Value> = message.blocks.into_iter().filter(|b| b["block_id"] != "evidence_actions").collect();
    blocks.truncate(super::views::MAX_VIEW_BLOCKS - 2);
    blocks.push(channel_picker());
    blocks.push(json!({"type": "actions", "block_id": "pack_share", "elements": [button("Share to channel", ACTION_SHARE, pack)]}));
    SlackMessage { text: message.text, blocks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::emerging::Term;
    use crate::digest::emerging::Quote;
    use crate::domain::{Category, Source, TopicDraft, Tracker, Window};
    use chrono::{Duration, Utc};

    fn topic(i: i64) -> TopicStats {
        TopicStats {
            slug: format!("topic-{i}"),
            title: "A <b> title ".repeat(20),
            category: None,
            now: i,
            before: 2,
            accounts: 3,
            arr_cents: 4_800_000,
            churn_notes: 0,
        }
    }

    fn issue(i: i64, state: IssueState) -> MyIssue {
        let now = Utc::now();
        let link = IssueLink {
            id: i,
            topic: format!("topic-{i}"),
            tracker: Tracker::Jira,
            key: format!("PROJ-{i}"),
            url: format!("https://jira.example.com/browse/PROJ-{i}"),
            pack_hash: "h".into(),
            window: Window { from: now - Duration::days(30), to: now },
            created_by: "slack:U1".into(),
            created_at: now,
            state,
            done_at: None,
            slack_channel: None,
            slack_ts: None,
            reported_at: None,
        };
        MyIssue { link, impact: (state == IssueState::Done).then(|| "topic's share fell from 4.1% to 1.2% ".repeat(30)) }
    }

    fn cluster(i: usize) -> EmergingCluster {
        EmergingCluster {
            terms: vec![Term { term: "barcode".into(), coverage: 1.0, pool_share: 0.01 }],
            items: 9,
            accounts: 4,
            arr_cents: 4_800_000,
            earlier: 1,
            recent: 8,
            growth: 8.0,
            p_value: Some(0.004),
            category: Some(Category::Reliability),
            quote: Quote {
                id: 7,
                text: "The barcode scanner freezes <!channel> ".repeat(100),
                account: Some("Acme".into()),
                source: Source::Zendesk,
                url: None,
                created_at: Utc::now(),
            },
            item_ids: (0..9).collect(),
            draft: TopicDraft {
                slug: format!("barcode-{i}"),
                title: "Barcode".into(),
                patterns: vec![r"\bbarcode\b".into()],
                category: None,
            },
        }
    }

    /// Years of history: hundreds of owned topics, issues and spikes, long titles and quotes.
    fn large() -> HomeFigures {
        let now = Utc::now();
        let spike = |i: i64| SpikeState {
            subject: format!("topic:topic-{i}"),
            rise_key: format!("spike:{i}"),
            started_at: now,
            last_abnormal_at: now,
            announced_ratio: 2.5,
            checks: 1,
        };
        HomeFigures {
            volumes: vec![("All feedback".into(), 10, 4), ("Performance".into(), 3, 3)],
            topics: (1..=5).map(topic).collect(),
            pack_days: 7,
            mine: Mine {
                topics: Some(
                    (0..400)
                        .map(|i| OwnedTopic { slug: format!("topic-{i}"), title: "T <x>".repeat(30), channel: format!("#team-{i}") })
                        .collect(),
                ),
                issues: (0..600).map(|i| issue(i, if i % 2 == 0 { IssueState::Open } else { IssueState::Done })).collect(),
                spikes: (0..300).map(spike).collect(),
            },
            emerging: (0..10).map(cluster).collect(),
            emerging_half_days: 7,
            label_queue: 200,
            precision: vec!["performance tags were right 84% (72-92%) of the time on 41 items your team checked".into()],
            glossary_url: Some("https://wiki.example.com/glossary".into()),
        }
    }

    #[test]
    fn a_large_history_keeps_the_home_view_within_slack_limits() {
        let f = large();
        let blocks = compose(&f);
        check_home(&blocks).unwrap();
        let text = serde_json::to_string(&blocks).unwrap();
        assert_eq!(text.matches(ACTION_HOME_PACK).count(), 5, "one Open pack per top topic");
        assert_eq!(text.matches(super::super::emerging::ACTION_MAKE_TOPIC).count(), 3, "three emerging topics");
        assert_eq!(text.matches(ACTION_HOME_LABEL).count(), 1);
        assert!(text.contains("…and 392 more") && text.contains("…and 592 more") && text.contains("…and 292 more"), "{text}");
        assert!(text.contains("200+ items") && text.contains("up 6 on the 7 days before") && text.contains("$48,000 ARR"), "{text}");
        assert!(text.contains("How far these tags can be trusted: performance tags were right 84% (72-92%)"), "{text}");
        assert!(text.contains("<https://wiki.example.com/glossary|the glossary>"), "{text}");
        assert!(!text.contains("<b>") && !text.contains("<!channel>"), "customer and config text is escaped");
    }

    #[test]
    fn an_empty_workspace_says_what_each_part_would_show() {
        let f = HomeFigures {
            volumes: vec![],
            topics: vec![],
            pack_days: 7,
            mine: Mine::default(),
            emerging: vec![],
            emerging_half_days: 7,
            label_queue: 1,
            precision: vec![],
            glossary_url: None,
        };
        let blocks = compose(&f);
        check_home(&blocks).unwrap();
        let text = serde_json::to_string(&blocks).unwrap();
        assert!(text.contains("No topic has feedback in the last 7 days"), "{text}");
        assert!(text.contains("*Your topics*: unknown") && text.contains("channels:read"), "{text}");
        assert!(text.contains("*Label queue*: 1 item the model"), "{text}");
        assert!(text.contains("not measured for this model yet") && text.contains("`/pushback glossary`"), "{text}");
        assert!(!text.contains("Emerging"), "{text}");
        let mine = Mine { topics: Some(vec![]), ..Mine::default() };
        let text = serde_json::to_string(&compose(&HomeFigures { mine, ..f })).unwrap();
        assert!(text.contains("*Your topics*: none") && text.contains("/pushback subscribe"), "{text}");
    }

    #[test]
    fn a_pack_in_a_modal_trades_the_message_buttons_for_a_channel_picker_and_share() {
        let message = SlackMessage {
            text: "Evidence".into(),
            blocks: vec![
                section("pack"),
                json!({"type": "actions", "block_id": "evidence_actions", "elements": [button("Download pack", "download_pack", &1)]}),
            ],
        };
        let pack = PackRef { topic: "checkout-slow".into(), days: 7 };
        let shown = pack_in_modal(message, &pack);
        let text = serde_json::to_string(&shown.blocks).unwrap();
        assert!(!text.contains("download_pack"), "{text}");
        assert_eq!(shown.blocks[1]["element"]["type"], "conversations_select");
        assert_eq!(shown.blocks[2]["elements"][0]["action_id"], ACTION_SHARE);
        assert_eq!(shown.blocks[2]["elements"][0]["value"], r#"{"topic":"checkout-slow","days":7}"#);
        assert_eq!(channel_ref("C0PAY"), "<#C0PAY>");
        assert_eq!(channel_ref("#team-<x>"), "#team-&lt;x&gt;");
    }
}
