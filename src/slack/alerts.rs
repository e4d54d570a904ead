//! Alert messages. A churn alert is rendered when the outbox delivers it, from the item and
//! account as stored: who cancelled, on which plan, the ARR lost, the quote (redacted), its
//! tags and why, its topics, a link to the source, and *Evidence for this topic* / *Wrong tag*.

use super::blocks::{
    ACTION_EVIDENCE, ACTION_WRONG_TAG, PackRef, SlackMessage, WrongTag, button, context, escape, header, link, section, ticket_text,
};
use crate::alerts::ChurnAlert;
use crate::alerts::churn::TopicRef;
use crate::domain::{Account, ArrCents, Category, Feedback};
use crate::store::Store;
use serde_json::json;

/// The quote is cut to this many characters.
const QUOTE_CHARS: usize = 500;
/// *Evidence for this topic* covers this many days.
const EVIDENCE_DAYS: u32 = 30;

/// The alert for a stored churn note; `None` when the item is gone.
pub async fn churn_message(store: &Store, alert: &ChurnAlert) -> anyhow::Result<Option<SlackMessage>> {
    let Some(item) = store.item_by_external(alert.source, &alert.external_id).await? else { return Ok(None) };
    let account = match item.account_id.as_deref() {
        Some(id) => store.account(id).await?,
        None => None,
    };
    Ok(Some(compose_churn(&item, account.as_ref(), &alert.topics)))
}

/// Who cancelled, as people call them.
fn account_label(item: &Feedback, account: Option<&Account>) -> String {
    account
        .and_then(|a| a.name.clone())
        .or_else(|| item.account_name.clone())
        .or_else(|| item.account_id.clone())
        .unwrap_or_else(|| "An unknown account".into())
}

/// The ARR the note says was lost, else the account's.
fn arr_lost(item: &Feedback, account: Option<&Account>) -> Option<ArrCents> {
    item.lost_arr_cents.map(ArrCents).or_else(|| account.and_then(|a| a.arr_cents))
}

pub fn compose_churn(item: &Feedback, account: Option<&Account>, topics: &[TopicRef]) -> SlackMessage {
    let who = account_label(item, account);
    let plan = account.and_then(|a| a.plan.as_deref()).map_or_else(|| "plan unknown".to_string(), |p| format!("{} plan", escape(p)));
    let arr = arr_lost(item, account).map_or_else(|| "ARR lost unknown".to_string(), |a| format!("{} ARR lost", a.display_dollars()));
    let categories = item.classification.categories();
    let tags: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
    let why = item.classification.explanation.iter().take(4).map(|r| format!("`{}`", escape(r))).collect::<Vec<_>>().join(", ");
    let topic_list = if topics.is_empty() {
        "no topic yet".to_string()
    } else {
        topics.iter().map(|t| format!("{} (`{}`)", escape(&t.title), escape(&t.slug))).collect::<Vec<_>>().join(", ")
    };
    let source = link(item.url.as_deref(), &format!("{} {}", item.source, item.external_id))
        .unwrap_or_else(|| escape(&format!("{} {}", item.source, item.external_id)));
    let mut blocks = vec![
        header(&format!("Churn: {who} cancelled ({arr})")),
        section(&format!("*{}* ({plan}) cancelled: *{arr}*.\n>{}", escape(&who), ticket_text(&item.text(), QUOTE_CHARS))),
        section(&format!(
            "*Tagged* {} because {}\n*Topic* {topic_list}",
            tags.join(" and "),
            if why.is_empty() { "of its words".into() } else { why }
        )),
        context(&format!("{source} · {}", item.created_at.format("%-d %b %Y %H:%M UTC"))),
    ];
    let mut actions = Vec::new();
    if let Some(t) = topics.first() {
        actions.push(button("Evidence for this topic", ACTION_EVIDENCE, &PackRef { topic: t.slug.clone(), days: EVIDENCE_DAYS }));
    }
    if let Some(category) = primary_category(item, &categories) {
        actions.push(button("Wrong tag", ACTION_WRONG_TAG, &WrongTag { item: item.id, category }));
    }
    if !actions.is_empty() {
        blocks.push(json!({"type": "actions", "elements": actions}));
    }
    let title = topics.first().map(|t| format!(": {}", t.title)).unwrap_or_default();
    SlackMessage { text: format!("Churn: {who} cancelled ({arr}){title}"), blocks }
}

/// The category *Wrong tag* takes away: the item's surest one.
fn primary_category(item: &Feedback, categories: &[Category]) -> Option<Category> {
    let c = &item.classification;
    match categories {
        [one] => Some(*one),
        [] => None,
        _ => Some(if c.score_reliability > c.score_performance { Category::Reliability } else { Category::Performance }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Classification, Kind, Source};
    use crate::slack::blocks::check_limits;

    #[test]
    fn a_churn_alert_names_the_account_plan_arr_quote_tags_and_topic() {
        let item = Feedback {
            id: 7,
            source: Source::Stripe,
            external_id: "sub_1".into(),
            kind: Kind::ChurnNote,
            account_id: Some("cus_1".into()),
            account_name: None,
            subject: "too slow".into(),
            body: "Checkout was too slow <!channel>; mail me at jo@example.com".into(),
            tags: vec![],
            url: Some("https://dashboard.stripe.com/subscriptions/sub_1".into()),
            created_at: chrono::Utc::now(),
            received_at: chrono::Utc::now(),
            lost_arr_cents: Some(1_197_600),
            classification: Classification { performance: true, explanation: vec!["term:slow".into()], ..Classification::default() },
        };
        let account = Account { id: "cus_1".into(), name: Some("Acme".into()), plan: Some("enterprise".into()), arr_cents: None };
        let topics = [TopicRef { slug: "checkout-slow".into(), title: "Checkout is slow".into() }];
        let m = compose_churn(&item, Some(&account), &topics);
        check_limits(&m).unwrap();
        let all = serde_json::to_string(&m).unwrap();
        for needle in [
            "Acme",
            "enterprise plan",
            "$11,976 ARR lost",
            "performance",
            "term:slow",
            "checkout-slow",
            "dashboard.stripe.com",
            "Evidence for this topic",
            "Wrong tag",
        ] {
            assert!(all.contains(needle), "{needle} missing: {all}");
        }
        assert!(!all.contains("jo@example.com") && !all.contains("<!channel>"), "{all}");
    }
}
