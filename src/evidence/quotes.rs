//! A pack's quotes: the items an engineer can read aloud, chosen by the tag's score from
//! different accounts and sources, never an unsure one while surer ones are there, with the
//! phrase that made each count, and cut to what may leave the service.

use crate::classify::boilerplate::strip;
use crate::classify::features::{text_terms, tokenize};
use crate::classify::uncertainty::BAND;
use crate::domain::{Category, Feedback, PackItem};
use crate::redact::redact;
use crate::text::{fold_whitespace, truncate_chars};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

pub const QUOTE_CHARS: usize = 300;

/// The decision thresholds of models trained with the default parameters (the shipped one), for
/// callers that pick quotes without the classifier at hand.
pub const DEFAULT_THRESHOLDS: (f64, f64) = (0.55, 0.55);

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
    /// The words of the quote its first term comes from ("checkout takes 20-30 seconds"), when
    /// a term is among the reasons.
    pub phrase: Option<String>,
    pub confidence: f64,
}

/// Representative quotes, in order of the tag's score: the surest items first, each from an
/// account not quoted yet (an item without one counts as its own), from a source not quoted yet
/// where possible, never a near-duplicate of another. An item whose score is within
/// `uncertainty::BAND` of its head's threshold (`thresholds`: performance, reliability) is quoted
/// only when fewer than `want` surer items are there to quote.
pub fn pick_quotes(items: &[PackItem], category: Option<Category>, thresholds: (f64, f64), want: usize) -> Vec<Quote> {
    pick(ranked(items, category), category, thresholds, want, None).unwrap_or_default()
}

/// `pick_quotes` from only the surest of the items (`top`: the first of them by score, newer
/// first on a tie, then by id; all of them or `CANDIDATES` when `complete`): the same quotes as
/// `pick_quotes` over every item, or `None` when a candidate further down could change them.
/// `sources`: how many sources the items come from.
pub fn pick_quotes_from_top(
    top: &[PackItem],
    complete: bool,
    sources: usize,
    category: Option<Category>,
    thresholds: (f64, f64),
    want: usize,
) -> Option<Vec<Quote>> {
    pick(ranked(top, category), category, thresholds, want, (!complete).then_some(sources))
}

/// The picker over `ranked` (highest first). With `partial` (the sources there are in all),
/// `ranked` is only the head of the candidates: `None` whenever the rest could matter.
fn pick(
    ranked: Vec<(&PackItem, f64)>,
    category: Option<Category>,
    thresholds: (f64, f64),
    want: usize,
    partial: Option<usize>,
) -> Option<Vec<Quote>> {
    let sure: Vec<(&PackItem, f64)> = ranked.iter().copied().filter(|(i, _)| !is_unsure(i, category, thresholds)).collect();
    // More candidates can only add sure accounts: enough now is enough for all.
    let pool = match (distinct_accounts(&sure) >= want, partial) {
        (true, _) => sure,
        (false, None) => ranked,
        (false, Some(_)) => return None,
    };
    let (mut accounts, mut sources, mut openings) = (HashSet::new(), HashSet::new(), HashSet::new());
    let mut picked: Vec<(&PackItem, f64, String)> = Vec::new();
    // First pass: new accounts from new sources; second: new accounts from any source.
    for new_source_only in [true, false] {
        for &(i, conf) in &pool {
            if picked.len() == want {
                break;
            }
            if accounts.contains(&account_key(i)) || (new_source_only && sources.contains(&i.item.source)) {
                continue;
            }
            let text = quote_text(&i.item);
            let opening: String = text.to_lowercase().chars().filter(|c| c.is_alphanumeric()).take(60).collect();
            if openings.contains(&opening) {
                continue;
            }
            accounts.insert(account_key(i));
            sources.insert(i.item.source);
            openings.insert(opening);
            picked.push((i, conf, text));
        }
        // A later candidate could still take a pass's place: in the first only from a source
        // not quoted yet, in the second from any.
        if let Some(all_sources) = partial {
            if picked.len() < want && (!new_source_only || sources.len() < all_sources) {
                return None;
            }
        }
    }
    picked.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.item.created_at.cmp(&a.0.item.created_at)).then(a.0.item.id.cmp(&b.0.item.id)));
    Some(picked.into_iter().map(|(i, conf, text)| quote(i, text, conf)).collect())
}

fn account_key(i: &PackItem) -> String {
    i.item.account_id.clone().unwrap_or_else(|| format!("item:{}", i.item.id))
}

fn distinct_accounts(items: &[(&PackItem, f64)]) -> usize {
    items.iter().map(|(i, _)| account_key(i)).collect::<HashSet<_>>().len()
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

/// Whether the item's score for the pack's category (each tag it carries, without one) is
/// within `BAND` of the threshold: the model could as well have decided the other way.
fn is_unsure(i: &PackItem, category: Option<Category>, thresholds: (f64, f64)) -> bool {
    let c = &i.item.classification;
    let near = |score: f64, threshold: f64| (score - threshold).abs() < BAND;
    match category {
        Some(Category::Performance) => near(c.score_performance, thresholds.0),
        Some(Category::Reliability) => near(c.score_reliability, thresholds.1),
        None => (c.performance && near(c.score_performance, thresholds.0)) || (c.reliability && near(c.score_reliability, thresholds.1)),
    }
}

/// Candidates looked at, at most: the surest, so a pack of a million items costs the same.
pub const CANDIDATES: usize = 300;

/// The `CANDIDATES` surest items by the category's score, highest first (newer first on a tie),
/// with the score.
fn ranked(items: &[PackItem], category: Option<Category>) -> Vec<(&PackItem, f64)> {
    let mut ranked: Vec<(&PackItem, f64)> = items.iter().map(|i| (i, confidence(i, category))).collect();
    let order = |a: &(&PackItem, f64), b: &(&PackItem, f64)| {
        b.1.total_cmp(&a.1).then(b.0.item.created_at.cmp(&a.0.item.created_at)).then(a.0.item.id.cmp(&b.0.item.id))
    };
    if ranked.len() > CANDIDATES {
        ranked.select_nth_unstable_by(CANDIDATES, order);
        ranked.truncate(CANDIDATES);
    }
    ranked.sort_by(order);
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
        categories: i.item.classification.categories().iter().map(|c| c.as_str().to_string()).collect(),
        why: i.item.classification.explanation.iter().take(4).cloned().collect(),
        phrase: phrase(&text, &i.item.classification.explanation),
        text,
        confidence: (conf * 1000.0).round() / 1000.0,
    }
}

/// Words of a quote around a phrase: at most this many.
const PHRASE_WORDS: usize = 12;

/// The words of the quote that carry its first shown term (`term:takes forever`): the clause
/// holding it, e.g. "checkout takes 20-30 seconds", cut to `PHRASE_WORDS` words around the
/// term. `None` when the reasons name no term (rules only) or the quote was cut before it.
pub fn phrase(text: &str, why: &[String]) -> Option<String> {
    let terms = why.iter().filter_map(|r| r.strip_prefix("term:"));
    for term in terms {
        let first = term.split(' ').next().unwrap_or(term).trim_start_matches("not_");
        for clause in text.split(['.', ',', ';', '!', '?', '(', ')', '…']) {
            if !text_terms(clause).iter().any(|t| t == term) {
                continue;
            }
            let words: Vec<&str> = clause.split_whitespace().collect();
            let at = words.iter().position(|w| tokenize(w).iter().any(|t| t == first)).unwrap_or(0);
            let from = at.saturating_sub(PHRASE_WORDS / 3).min(words.len().saturating_sub(PHRASE_WORDS));
            let phrase = words[from..(from + PHRASE_WORDS).min(words.len())].join(" ");
            // A clause cut after a subject's ellipsis starts with its ": ".
            return Some(phrase.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '"').to_string());
        }
    }
    None
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

/// What may leave the service as a quote: what the customer wrote (support boilerplate removed,
/// as the classifier saw it; the whole body when nothing else is left), personal data redacted,
/// one line, ≤ 300 characters.
pub fn quote_text(item: &Feedback) -> String {
    let cleaned = strip(&item.body);
    let body = if cleaned.trim().is_empty() { item.body.as_str() } else { cleaned.as_ref() };
    // Subjects are often the body's first words, cut with an ellipsis: don't say them twice.
    // The subject loses its greeting as the body did ("hey team, checkout…").
    let subject = strip(&item.subject);
    let subject = subject.trim();
    let opening = subject.trim_end_matches(['…', '.']).trim_end();
    let text = if opening.is_empty() || body.trim_start().starts_with(opening) { body.to_string() } else { format!("{subject}: {body}") };
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

#[cfg(test)]
mod pick_tests {
    use super::*;
    use crate::domain::{Kind, Source};
    use crate::evidence::pack::tests::item;

    fn ids(quotes: &[Quote]) -> Vec<i64> {
        quotes.iter().map(|q| q.item_id).collect()
    }

    #[test]
    fn quotes_follow_the_score_and_leave_out_unsure_items_while_surer_ones_are_there() {
        let acct = |n: &'static str| Some((n, None));
        let items = vec![
            item(1, acct("a"), "2026-10-02", Source::Zendesk, Kind::Ticket, 0.58, "checkout slow one"),
            item(2, acct("b"), "2026-10-03", Source::Intercom, Kind::Ticket, 0.91, "checkout slow two"),
            item(3, acct("c"), "2026-10-04", Source::Helpscout, Kind::Ticket, 0.57, "checkout slow three"),
            item(4, acct("d"), "2026-10-05", Source::Freshdesk, Kind::Ticket, 0.72, "checkout slow four"),
            item(5, acct("e"), "2026-10-06", Source::Generic, Kind::Ticket, 0.66, "checkout slow five"),
        ];
        let t = (0.55, 0.55);
        assert_eq!(ids(&pick_quotes(&items, Some(Category::Performance), t, 3)), vec![2, 4, 5], "0.58 and 0.57 are within the band");
        // Too few sure items: the unsure ones fill in, still by score.
        assert_eq!(ids(&pick_quotes(&items, Some(Category::Performance), t, 5)), vec![2, 4, 5, 1, 3]);
    }

    #[test]
    fn new_accounts_from_new_sources_come_first_and_no_account_twice() {
        let acct = |n: &'static str| Some((n, None));
        let items = vec![
            item(1, acct("a"), "2026-10-02", Source::Zendesk, Kind::Ticket, 0.95, "search slow one"),
            item(2, acct("a"), "2026-10-03", Source::Intercom, Kind::Ticket, 0.94, "search slow two"),
            item(3, acct("b"), "2026-10-04", Source::Zendesk, Kind::Ticket, 0.93, "search slow three"),
            item(4, acct("c"), "2026-10-05", Source::Helpscout, Kind::Ticket, 0.80, "search slow four"),
            item(5, acct("d"), "2026-10-06", Source::Zendesk, Kind::Ticket, 0.79, "search slow four"),
        ];
        // Item 3 (a second Zendesk) waits for item 4 (Help Scout); item 2 repeats account a;
        // item 5 says what item 4 says.
        assert_eq!(ids(&pick_quotes(&items, Some(Category::Performance), (0.55, 0.55), 3)), vec![1, 3, 4]);
        assert_eq!(ids(&pick_quotes(&items, Some(Category::Performance), (0.55, 0.55), 2)), vec![1, 4]);
    }

    #[test]
    fn the_phrase_is_the_clause_that_holds_the_first_term() {
        let why = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let text = "We moved to the new plan last month. Since then, checkout takes 20-30 seconds for every order, and customers leave.";
        assert_eq!(phrase(text, &why(&["rule:slow", "term:takes"])).as_deref(), Some("checkout takes 20-30 seconds for every order"));
        assert_eq!(phrase("The export hangs forever", &why(&["term:hangs forever"])).as_deref(), Some("The export hangs forever"));
        assert_eq!(phrase("It is slow", &why(&["rule:slow"])), None, "rules alone name no phrase");
        assert_eq!(
            phrase("Checkout keeps timing…: checkout keeps timing out and orders fail", &why(&["term:fail"])).as_deref(),
            Some("checkout keeps timing out and orders fail"),
            "a clause after a subject's ellipsis starts at its first word, not at \": \""
        );

        let long = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen sluggish fifteen sixteen";
        assert_eq!(
            phrase(long, &why(&["term:sluggish"])).as_deref(),
            Some("six seven eight nine ten eleven twelve thirteen fourteen sluggish fifteen sixteen")
        );
    }

    #[test]
    fn a_subject_that_opens_the_body_is_not_said_twice_even_with_a_greeting() {
        let mut i = item(
            1,
            None,
            "2026-11-01",
            Source::Zendesk,
            Kind::Ticket,
            0.9,
            "Hey team,\ncheckout sometimes times out because it takes so long.",
        )
        .item;
        i.subject = "hey team, checkout sometimes times out because it takes so…".into();
        assert_eq!(quote_text(&i), "checkout sometimes times out because it takes so long.");
        i.subject = "Export broken".into();
        assert_eq!(quote_text(&i), "Export broken: checkout sometimes times out because it takes so long.");
    }
}
