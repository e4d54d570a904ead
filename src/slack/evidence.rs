//! A pack as a Slack message: `/evidence`'s answer (a summary within Slack's limits, quotes
//! with a *Wrong tag* button each, *Share in channel* and *Download pack*), and the files
//! behind *Download pack* (Markdown, CSV and the PNG chart).

use super::blocks::{
    ACTION_CREATE_ISSUE, ACTION_DOWNLOAD, ACTION_SHARE, ACTION_WRONG_TAG, IssueRef, PackRef, SlackMessage, WrongTag, button, context,
    divider, escape, header, link, section, section_with,
};
use crate::app::AppState;
use crate::domain::{Category, IssueLink, IssueState, Tracker};
use crate::evidence::render::{date, dollars, percent};
use crate::evidence::{Answer, EvidencePack};
use crate::text::plural;
use chrono::Utc;
use serde_json::{Value, json};

/// The message for `answer`; `share` (already posted in the channel) drops *Share in channel*.
pub fn message(answer: &Answer, share: bool) -> SlackMessage {
    match answer {
        Answer::Pack(pack) => pack_message(pack, share),
        Answer::NoMatch { topic, suggestions, window } => {
            let asked = escape(&crate::text::truncate_chars(topic, 80));
            let mut body = format!("Nothing matched `{asked}` between {} and {}.", date(window.from), date(window.to));
            if suggestions.is_empty() {
                body.push_str(" No topics are configured yet (config/rules.toml).");
            } else {
                body.push_str(" Closest topics:");
                for s in suggestions {
                    body.push_str(&format!(
                        "\n• `/evidence {} {}d` {} ({})",
                        s.slug,
                        window.days(),
                        escape(&s.title),
                        plural(s.items.unsigned_abs(), "item")
                    ));
                }
            }
            if let Some(word) = crate::evidence::selector::search_hint(topic) {
                body.push_str(&format!("\nOr a free-text search with fewer words: `/evidence {word} {}d`", window.days()));
            }
            let text =
                format!("Nothing matched {asked}; try {}", suggestions.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", "));
            SlackMessage { text, blocks: vec![section(&body), context("`/pushback topics` lists every topic with its volume.")] }
        }
    }
}

fn pack_message(p: &EvidencePack, share: bool) -> SlackMessage {
    let mut blocks = summary_blocks(p);
    blocks.extend(account_block(p));
    blocks.extend(quote_blocks(p));
    blocks.extend(footer_blocks(p, share));
    let text = format!("Evidence for {}: {} from {}, {}", p.title, plural(p.items, "item"), plural(p.accounts, "account"), p.change_text);
    SlackMessage { text, blocks }
}

/// Header, window and the headline figures.
fn summary_blocks(p: &EvidencePack) -> Vec<Value> {
    let days = p.window.days();
    let rising = p.change.significant && p.change.current > p.change.previous;
    let mut blocks = vec![
        header(&format!("Evidence: {}", p.title)),
        context(&format!(
            "`{}` · {} to {} ({}) · {} of all feedback in the window",
            p.slug,
            date(p.window.from),
            date(p.window.to - chrono::Duration::seconds(1)),
            plural(days.unsigned_abs(), "day"),
            plural(p.change.current_total, "item")
        )),
    ];
    let mut summary = format!(
        "*{}* from *{}* ({} of all feedback)\n*{}* ARR at affected accounts",
        plural(p.items, "item"),
        plural(p.accounts, "account"),
        percent(p.share_of_feedback),
        dollars(p.revenue.affected_arr_cents)
    );
    if p.revenue.churn_notes > 0 {
        summary.push_str(&format!(
            "\n*Churn:* {}, *{} ARR lost*",
            plural(p.revenue.churn_notes, "cancellation note"),
            dollars(p.revenue.lost_arr_cents)
        ));
    }
    let marker = if rising { " :small_red_triangle: *significant rise*" } else { "" };
    summary.push_str(&format!("\n*Trend:* {}{marker}\n`{}` weekly", p.change_text, p.sparkline));
    blocks.push(section(&summary));
    if let Some(m) = &p.metric {
        let text = match &m.unavailable {
            Some(_) => format!(":warning: {}", escape(&m.association_text)),
            None => format!("*Metric:* {}\n*Together:* {}", escape(&m.change_text), escape(&m.association_text)),
        };
        blocks.push(section(&text));
    }
    blocks
}

/// The five largest accounts, if any is known.
fn account_block(p: &EvidencePack) -> Option<Value> {
    if p.top_accounts.is_empty() {
        return None;
    }
    let lines: Vec<String> = p
        .top_accounts
        .iter()
        .take(5)
        .map(|a| {
            let arr = a.arr_cents.map(dollars).unwrap_or_else(|| "ARR unknown".into());
            let churn = if a.churned { " · churned" } else { "" };
            format!("• {} ({arr}, {}{churn})", escape(a.name.as_deref().unwrap_or(&a.id)), plural(a.items, "item"))
        })
        .collect();
    Some(section(&format!("*Largest accounts*\n{}", lines.join("\n"))))
}

/// A divider, then each quote with a *Wrong tag* button.
fn quote_blocks(p: &EvidencePack) -> Vec<Value> {
    let mut blocks = Vec::new();
    if !p.quotes.is_empty() {
        blocks.push(divider());
    }
    for q in &p.quotes {
        let who = q.account.as_deref().map(escape).unwrap_or_else(|| "unknown account".into());
        let link = link(q.url.as_deref(), "original").map(|l| format!(" · {l}")).unwrap_or_default();
        let why = match (&q.phrase, q.why.is_empty()) {
            (_, true) => String::new(),
            (Some(phrase), false) => format!("\n_counted because it says \"{}\" ({})_", escape(phrase), escape(&q.why.join(", "))),
            (None, false) => format!("\n_counted because: {}_", escape(&q.why.join(", "))),
        };
        let text = format!(
            ">{}\n— {who}, {} {}, {}{link}{why}",
            escape(&q.text),
            escape(&q.reference),
            q.kind.replace('_', " "),
            date(q.created_at)
        );
        let category: Option<Category> = p.category.or_else(|| q.categories.first().and_then(|c| c.parse().ok()));
        blocks.push(match category {
            Some(category) => section_with(&text, button("Wrong tag", ACTION_WRONG_TAG, &WrongTag { item: q.item_id, category })),
            None => section(&text),
        });
    }
    blocks
}

/// Precision and reproduce data, then *Share in channel* (unless shared) and *Download pack*.
fn footer_blocks(p: &EvidencePack, share: bool) -> Vec<Value> {
    let days = p.window.days();
    let mut blocks = Vec::new();
    let precision = crate::evidence::render::precision_lines(p);
    let mut footer = format!(
        "rules `{}` · model `{}` · {}, hash `{}` · personal data redacted",
        p.reproduce.rules_version,
        p.reproduce.model_version,
        plural(p.reproduce.item_count, "item"),
        p.reproduce.items_hash
    );
    if !precision.is_empty() {
        footer = format!("{} · {footer}", precision.join(", "));
    }
    blocks.push(context(&footer));
    let value = PackRef { topic: p.slug.clone(), days: u32::try_from(days).unwrap_or(u32::MAX) };
    let mut buttons = Vec::new();
    if !share {
        buttons.push(button("Share in channel", ACTION_SHARE, &value));
    }
    buttons.push(button("Download pack", ACTION_DOWNLOAD, &value));
    blocks.push(json!({"type": "actions", "block_id": "evidence_actions", "elements": buttons}));
    blocks
}

/// `/evidence <topic> <window>`: the evidence pack (`crate::evidence`) as Block Kit; an
/// unknown topic answers with the closest known ones.
pub async fn evidence_message(state: &AppState, topic: &str, window_days: u32, share: bool) -> anyhow::Result<SlackMessage> {
    let answer = evidence_answer(state, topic, window_days, false).await?;
    let mut msg = message(&answer, share);
    if let Answer::Pack(p) = &answer {
        let links = state.store.issue_links(&p.slug).await?;
        add_issue_blocks(&mut msg, p, window_days, &crate::trackers::configured(&state.settings.trackers), &links);
    }
    Ok(msg)
}

/// The pack from the rollups, or (`with_rows`, for the CSV) from every item.
async fn evidence_answer(state: &AppState, topic: &str, window_days: u32, with_rows: bool) -> anyhow::Result<crate::evidence::Answer> {
    let now = Utc::now();
    let request = crate::evidence::Request::last_days(topic, i64::from(window_days), now);
    let (store, classifier, prometheus) = (&state.store, &state.classifier(), &state.prometheus);
    Ok(match with_rows {
        true => crate::evidence::answer_with_rows(store, classifier, prometheus, &request, now).await?,
        false => crate::evidence::answer(store, classifier, prometheus, &request, now).await?,
    })
}

pub use super::client::PackFile;

/// "Linked: <url|PROJ-123> (open)" and a *Create … issue* button per configured tracker.
pub fn add_issue_blocks(msg: &mut SlackMessage, p: &EvidencePack, days: u32, trackers: &[Tracker], links: &[IssueLink]) {
    if !links.is_empty() {
        let shown: Vec<String> = links
            .iter()
            .map(|l| {
                let key = link(Some(&l.url), &l.key).unwrap_or_else(|| escape(&l.key));
                format!("{} {key} ({})", l.tracker.label(), state_word(l.state))
            })
            .collect();
        let at = msg.blocks.iter().position(|b| b["type"] == "actions").unwrap_or(msg.blocks.len());
        msg.blocks.insert(at, context(&format!("*Linked issues:* {}", shown.join(" · "))));
    }
    let Some(actions) = msg.blocks.iter_mut().find(|b| b["block_id"] == "evidence_actions") else { return };
    for t in trackers {
        let value = IssueRef { topic: p.slug.clone(), days, tracker: *t };
        let action = format!("{ACTION_CREATE_ISSUE}{}", t.as_str());
        if let Some(elements) = actions["elements"].as_array_mut() {
            elements.push(button(&format!("Create {} issue", t.label()), &action, &value));
        }
    }
}

pub fn state_word(s: IssueState) -> &'static str {
    match s {
        IssueState::Open => "open",
        IssueState::Done => "closed as done",
        IssueState::Closed => "closed, not done",
    }
}

/// The files behind *Download pack*: the evidence pack as Markdown, CSV (every item) and a
/// PNG chart of the weekly series.
pub async fn evidence_pack_files(state: &AppState, topic: &str, window_days: u32) -> anyhow::Result<Vec<PackFile>> {
    use crate::evidence::render::{Format, render};
    let answer = evidence_answer(state, topic, window_days, true).await?;
    let crate::evidence::Answer::Pack(pack) = &answer else {
        anyhow::bail!("nothing matched `{topic}` in the last {}", plural(u64::from(window_days), "day"));
    };
    let base = format!("{}-{}d-{}", pack.slug, window_days, Utc::now().format("%Y-%m-%d"));
    let file = |ext: &str, title: String, content_type: &str, format: Format| -> anyhow::Result<PackFile> {
        Ok(PackFile { filename: format!("{base}.{ext}"), title, content_type: content_type.into(), bytes: render(&answer, format)? })
    };
    let mut files = vec![
        file("md", format!("Evidence: {} ({window_days}d)", pack.title), "text/markdown", Format::Md)?,
        file("csv", format!("Evidence items: {} ({window_days}d)", pack.title), "text/csv", Format::Csv)?,
        file("png", format!("Weekly items: {} ({window_days}d)", pack.title), "image/png", Format::Png)?,
    ];
    if let Some(daily) = crate::evidence::render::csv::daily(pack)? {
        files.push(PackFile {
            filename: format!("{base}-daily.csv"),
            title: format!("Daily complaints and metric: {} ({window_days}d)", pack.title),
            content_type: "text/csv".into(),
            bytes: daily.into_bytes(),
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::pack::{build, tests::hand_made};
    use crate::evidence::{Suggestion, Window};
    use crate::slack::blocks::check_limits;

    fn answer() -> Answer {
        Answer::Pack(Box::new(build(hand_made())))
    }

    #[test]
    fn slack_blocks_fit_the_limits_and_neutralise_mentions() {
        let msg = message(&answer(), false);
        check_limits(&msg).unwrap();
        let text = serde_json::to_string(&msg).unwrap();
        assert!(!text.contains("<!channel>") && text.contains("&lt;!channel&gt;") && text.contains("&lt;@U123&gt;"));
        let wrong_tags: Vec<&str> = msg
            .blocks
            .iter()
            .filter_map(|b| b.get("accessory"))
            .filter(|a| a["action_id"] == ACTION_WRONG_TAG)
            .map(|a| a["value"].as_str().unwrap())
            .collect();
        assert_eq!(wrong_tags.len(), 4, "one Wrong tag button per quote");
        assert_eq!(wrong_tags[0], r#"{"item":4,"category":"performance"}"#);
        let actions = msg.blocks.iter().find(|b| b["type"] == "actions").unwrap();
        assert_eq!(actions["elements"][0]["action_id"], ACTION_SHARE);
        assert_eq!(actions["elements"][1]["value"], r#"{"topic":"checkout-slow","days":28}"#);
        let shared = message(&answer(), true);
        assert!(!serde_json::to_string(&shared).unwrap().contains(ACTION_SHARE), "a shared pack has no Share button");
    }

    #[test]
    fn the_biggest_pack_still_fits_slack() {
        let mut input = hand_made();
        input.quotes = 8;
        for i in 0..40 {
            let mut extra = input.items[0].clone();
            extra.item.id = 100 + i;
            extra.item.account_id = Some(format!("acct-{i}"));
            extra.item.body = format!("{i} {}", "checkout & <slow> ".repeat(60));
            input.items.push(extra);
        }
        if let crate::evidence::selector::Selector::Defined { title, .. } = &mut input.selector {
            *title = "T".repeat(400);
        }
        let msg = message(&Answer::Pack(Box::new(build(input))), false);
        check_limits(&msg).unwrap();
    }

    #[test]
    fn no_match_names_the_closest_topics() {
        let answer = Answer::NoMatch {
            topic: "chekout".into(),
            window: Window::between("2026-10-01", "2026-10-29").unwrap(),
            suggestions: vec![Suggestion { slug: "checkout-slow".into(), title: "Checkout is slow".into(), items: 12 }],
        };
        let msg = message(&answer, false);
        check_limits(&msg).unwrap();
        assert!(serde_json::to_string(&msg).unwrap().contains("/evidence checkout-slow 28d"));
    }

    #[test]
    fn every_block_round_trips_through_slack_morphism_types() {
        let messages = [
            message(&answer(), false),
            crate::slack::help::help_message(),
            crate::slack::help::unknown_command_message("x", "`x` is not a pushback command"),
        ];
        for m in messages {
            for b in &m.blocks {
                let typed: slack_morphism::prelude::SlackBlock = serde_json::from_value(b.clone()).unwrap();
                assert_eq!(&serde_json::to_value(&typed).unwrap(), b);
            }
        }
    }
}
