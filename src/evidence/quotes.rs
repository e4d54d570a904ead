//! A pack's quotes: the items an engineer can read aloud, chosen to be confident, typical and
//! from different accounts, and cut to what may leave the service.

use crate::domain::{Category, Feedback, PackItem};
use crate::redact::redact;
use crate::text::{fold_whitespace, truncate_chars};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub const QUOTE_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    pub item_id: i64,
    pub created_at: DateTime<Utc>,
    pub source: String,
    /// Where to find the original without a link: `zendesk #48213`, `generic slow-3`.
    pub reference: String,
    pub kind: String,
    pub account: Option<String>,
    pub arr_cents: Option<i64>,
    pub url: Option<String>,
    /// Redacted, whitespace folded, at most `QUOTE_CHARS` characters.
    pub text: String,
    pub categories: Vec<String>,
    /// The classifier's reasons (`rule:`, `term:`...).
    pub why: Vec<String>,
    pub confidence: f64,
}

/// Representative quotes: confident and typical (sharing the words most items use), from
/// different accounts, not near-duplicates of each other.
pub fn pick_quotes(items: &[PackItem], category: Option<Category>, want: usize) -> Vec<Quote> {
    let mut seen_accounts = HashSet::new();
    let mut seen_openings = HashSet::new();
    let mut out = Vec::new();
    for (_, i, conf) in ranked(items, category) {
        let account_key = i.item.account_id.clone().unwrap_or_else(|| format!("item:{}", i.item.id));
        let text = quote_text(&i.item);
        let opening: String = text.to_lowercase().chars().filter(|c| c.is_alphanumeric()).take(60).collect();
        if seen_accounts.contains(&account_key) || seen_openings.contains(&opening) {
            continue;
        }
        seen_accounts.insert(account_key);
        seen_openings.insert(opening);
        out.push(quote(i, text, conf));
        if out.len() == want {
            break;
        }
    }
    out
}

/// The category's score of an item (the higher of the two without a category).
fn confidence(i: &PackItem, category: Option<Category>) -> f64 {
    let c = &i.item.classification;
    match category {
        Some(Category::Performance) => c.score_performance,
        Some(Category::Reliability) => c.score_reliability,
        None => c.score_performance.max(c.score_reliability),
    }
}

/// The 300 most confident items ranked by 0.6 confidence + 0.4 typicality, each with its
/// confidence.
fn ranked(items: &[PackItem], category: Option<Category>) -> Vec<(f64, &PackItem, f64)> {
    if items.is_empty() {
        return Vec::new();
    }
    // Word document frequencies over an even sample, so typicality costs the same at any size.
    let step = items.len().div_ceil(2000);
    let mut df: HashMap<String, f64> = HashMap::new();
    for i in items.iter().step_by(step) {
        for w in words(&i.item.text()) {
            *df.entry(w).or_insert(0.0) += 1.0;
        }
    }
    let mut candidates: Vec<(&PackItem, f64)> = items.iter().map(|i| (i, confidence(i, category))).collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.item.created_at.cmp(&a.0.item.created_at)).then(a.0.item.id.cmp(&b.0.item.id)));
    candidates.truncate(300);
    let typicality: Vec<f64> = candidates
        .iter()
        .map(|(i, _)| {
            let ws = words(&i.item.text());
            if ws.is_empty() { 0.0 } else { ws.iter().map(|w| df.get(w).copied().unwrap_or(0.0)).sum::<f64>() / ws.len() as f64 }
        })
        .collect();
    let top = typicality.iter().copied().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let mut ranked: Vec<(f64, &PackItem, f64)> =
        candidates.iter().zip(&typicality).map(|((i, conf), typ)| (0.6 * conf + 0.4 * typ / top, *i, *conf)).collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.item.created_at.cmp(&a.1.item.created_at)).then(a.1.item.id.cmp(&b.1.item.id)));
    ranked
}

fn quote(i: &PackItem, text: String, conf: f64) -> Quote {
    Quote {
        item_id: i.item.id,
        created_at: i.item.created_at,
        source: i.item.source.as_str().to_string(),
        reference: reference(&i.item),
        kind: i.item.kind.as_str().to_string(),
        account: i.account_name.clone().or_else(|| i.item.account_name.clone()).or_else(|| i.item.account_id.clone()),
        arr_cents: i.arr_cents,
        url: i.item.url.clone(),
        text,
        categories: i.item.classification.categories().iter().map(|c| c.as_str().to_string()).collect(),
        why: i.item.classification.explanation.iter().take(4).cloned().collect(),
        confidence: (conf * 1000.0).round() / 1000.0,
    }
}

/// The source and external id a reader can search for: `#` before numeric ids (ticket numbers).
pub fn reference(item: &Feedback) -> String {
    let id = item.external_id.trim();
    if !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()) {
        format!("{} #{id}", item.source.as_str())
    } else {
        format!("{} {id}", item.source.as_str())
    }
}

/// Distinct lower-case words of three letters or more.
fn words(text: &str) -> Vec<String> {
    let mut ws: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 3).map(|w| w.to_lowercase()).collect();
    ws.sort();
    ws.dedup();
    ws
}

/// What may leave the service as a quote: personal data redacted, one line, ≤ 300 characters.
pub fn quote_text(item: &Feedback) -> String {
    // Subjects are often the body's first words, cut with an ellipsis: don't say them twice.
    let opening = item.subject.trim_end_matches(['…', '.']).trim_end();
    let text =
        if opening.is_empty() || item.body.starts_with(opening) { item.body.clone() } else { format!("{}: {}", item.subject, item.body) };
    truncate_chars(&redact(&fold_whitespace(&text).replace('\n', " ")), QUOTE_CHARS)
}

#[cfg(test)]
mod reference_tests {
    use super::reference;
    use crate::domain::Source;
    use crate::evidence::pack::tests::item;

    #[test]
    fn a_quote_names_its_ticket_even_without_a_link() {
        let mut i = item(1, None, "2026-11-01", Source::Zendesk, crate::domain::Kind::Ticket, 0.9, "slow").item;
        i.external_id = "48213".into();
        assert_eq!(reference(&i), "zendesk #48213");
        i.source = Source::Generic;
        i.external_id = "slow-3".into();
        assert_eq!(reference(&i), "generic slow-3");
    }
}
