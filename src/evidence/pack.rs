//! The evidence pack: a pure function from stored items to what an engineer attaches to a
//! prioritisation argument. Every renderer (Slack, Markdown, CSV, JSON, chart) reads this.

use super::metric::{MetricInput, MetricSection};
pub use super::quotes::{QUOTE_CHARS, Quote, quote_text};
pub use super::summary::{AccountLine, Revenue, Row, Summary, Tally, items_hash};
pub use crate::domain::PackItem;
use crate::domain::{Category, Selector, Window};
use crate::stats::Change;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything the builder needs; gathered by `evidence::gather` (the I/O edge) or by hand in tests.
#[derive(Debug, Clone)]
pub struct PackInput {
    pub selector: Selector,
    pub window: Window,
    /// The topic's items created in `window`.
    pub items: Vec<PackItem>,
    /// The topic's items in the previous window of equal length.
    pub previous_count: u64,
    /// All feedback in each window (what the topic's share is taken of).
    pub total_current: u64,
    pub total_previous: u64,
    pub model_version: String,
    pub rules_version: String,
    /// The active model's precision per category on feedback it never trained on, where known:
    /// the lowest over the sets it was measured on.
    pub precision: BTreeMap<Category, f64>,
    /// That precision in words, per set and lowest first (`quality::describe_precision`).
    pub precision_text: BTreeMap<Category, String>,
    /// What that precision was measured on, in words ("5,439 real reviews the model had not seen (...)").
    pub precision_measured_on: Option<String>,
    /// Per category with at least `MIN_TEAM_ITEMS` of them, the precision on the items this
    /// workspace's people corrected (what the classifier said before each correction).
    pub team_precision: BTreeMap<Category, TeamPrecision>,
    pub generated_at: DateTime<Utc>,
    /// How many quotes to pick (clamped to 3..=8).
    pub quotes: usize,
    /// The model's decision thresholds (performance, reliability): an item scored within
    /// `uncertainty::BAND` of one is quoted only when too few surer items are there.
    pub thresholds: (f64, f64),
    /// The topic's service metric, when it names one (`metric` in rules.toml).
    pub metric: Option<MetricInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidencePack {
    pub slug: String,
    pub title: String,
    /// The category the topic is about, when it names one.
    pub category: Option<Category>,
    pub window: Window,
    pub previous_window: Window,
    pub items: u64,
    pub accounts: u64,
    pub items_without_account: u64,
    /// The topic's items as a fraction of all feedback in the window.
    pub share_of_feedback: f64,
    pub by_source: BTreeMap<String, u64>,
    pub by_kind: BTreeMap<String, u64>,
    pub by_category: BTreeMap<String, u64>,
    pub revenue: Revenue,
    pub top_accounts: Vec<AccountLine>,
    pub weekly: Vec<WeekCount>,
    pub sparkline: String,
    pub change: Change,
    pub change_text: String,
    pub quotes: Vec<Quote>,
    pub why: Why,
    pub reproduce: Reproduce,
    /// The topic's service metric beside the complaints, when the topic names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<MetricSection>,
    /// Every item, for the CSV (redacted when rendered). Not in the JSON: it carries what the
    /// Markdown shows, and the CSV carries the rows.
    #[serde(skip)]
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekCount {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Why {
    /// The most frequent deciding terms and rules across all the topic's items.
    pub deciding: Vec<(String, u64)>,
    /// Precision of the model for the categories involved, measured on feedback it never
    /// trained on: the lowest over the sets it was measured on.
    pub precision: BTreeMap<String, f64>,
    /// The same per set in words, lowest first: "performance tags were right 66-90% of the
    /// time on two sets of real reviews the model had not seen (66% on Review-Pulse, 90% on URR)".
    pub precision_text: BTreeMap<String, String>,
    /// What the precision was measured on.
    pub precision_measured_on: Option<String>,
    /// The precision on the workspace's own corrections, for the categories involved that have
    /// enough of them.
    pub team_precision: BTreeMap<String, TeamPrecision>,
}

/// A workspace's corrections need this many items the classifier gave a tag before its
/// precision on them is quoted.
pub const MIN_TEAM_ITEMS: u64 = 30;

/// How often a tag was right on the items a workspace's people corrected: of the `items` the
/// classifier had given the tag, the share whose person's label kept it, with its Wilson 95%
/// interval (`low`, `high`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TeamPrecision {
    pub items: u64,
    pub precision: f64,
    pub low: f64,
    pub high: f64,
}

impl TeamPrecision {
    /// `right` of `items` tagged items kept the tag; `None` below `MIN_TEAM_ITEMS` items.
    pub fn measured(items: u64, right: u64) -> Option<Self> {
        let right = right.min(items);
        (items >= MIN_TEAM_ITEMS).then(|| {
            let (low, high) = crate::stats::wilson_95(right, items);
            Self { items, precision: right as f64 / items as f64, low, high }
        })
    }

    /// "performance tags were right 84% (72-92%) of the time on 41 items your team checked".
    pub fn describe(&self, category: &str) -> String {
        let pct = |v: f64| (v * 100.0).round();
        format!(
            "{category} tags were right {}% ({}-{}%) of the time on {} your team checked",
            pct(self.precision),
            pct(self.low),
            pct(self.high),
            crate::text::plural(self.items, "item")
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reproduce {
    pub query: String,
    pub window: Window,
    pub rules_version: String,
    pub model_version: String,
    pub item_count: u64,
    /// SHA-256 (first 16 bytes, hex) over every item's id, creation time, stored content hash
    /// and tags, in id order (`summary::fingerprint_line`).
    pub items_hash: String,
    pub generated_at: DateTime<Utc>,
    pub command: String,
}

/// The pack of `input.items` (in the window, each once): what the CSV needs (its rows), and
/// the reference the pack from the rollups (`summary::of_rollups`, then `assemble`) is held to.
pub fn build(mut input: PackInput) -> EvidencePack {
    let mut items = std::mem::take(&mut input.items);
    items.retain(|i| input.window.contains(i.item.created_at));
    items.sort_by_key(|i| i.item.id);
    items.dedup_by_key(|i| i.item.id);
    let category = selector_category(&input.selector);
    let want = input.quotes.clamp(3, 8);
    let summary = Summary::of_items(&items, input.window, category, input.thresholds, want);
    assemble(input, summary)
}

/// The pack from what it counts (`summary`, of its items or of the rollups) and the rest of
/// `input` (whose `items` are not read).
pub fn assemble(input: PackInput, s: Summary) -> EvidencePack {
    let PackInput { selector, window, previous_count, total_current, total_previous, .. } = input;
    let n = s.items;
    let change = Change::new(n, previous_count, total_current.max(n), total_previous.max(previous_count));
    let category = selector_category(&selector);
    let mut why = why(s.deciding, category, &s.by_category, &input.precision);
    why.precision_measured_on = input.precision_measured_on.filter(|_| !why.precision.is_empty());
    let involved = involved_categories(category, &s.by_category);
    why.precision_text = for_categories(&involved, &input.precision_text);
    why.team_precision = for_categories(&involved, &input.team_precision);
    let reproduce = Reproduce {
        query: selector.describe(),
        window,
        rules_version: input.rules_version,
        model_version: input.model_version,
        item_count: n,
        items_hash: s.items_hash,
        generated_at: input.generated_at,
        command: format!(
            "pushback evidence {} --from {} --to {} --format json",
            selector.slug(),
            window.from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            window.to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    };
    let weekly: Vec<WeekCount> =
        window.weeks().iter().zip(&s.weekly).map(|(w, &count)| WeekCount { from: w.from, to: w.to, count }).collect();
    EvidencePack {
        slug: selector.slug().to_string(),
        title: selector.title(),
        category,
        window,
        previous_window: window.previous(),
        items: n,
        accounts: s.accounts,
        items_without_account: s.items_without_account,
        share_of_feedback: if total_current == 0 { 0.0 } else { n as f64 / total_current.max(n) as f64 },
        by_source: s.by_source,
        by_kind: s.by_kind,
        by_category: s.by_category,
        revenue: s.revenue,
        top_accounts: s.top_accounts,
        sparkline: sparkline(&s.weekly),
        weekly,
        change_text: change.describe(window.days()),
        change,
        quotes: s.quotes,
        why,
        reproduce,
        metric: input.metric.map(|m| super::metric::build(m, window, &s.daily)),
        rows: s.rows,
    }
}

/// The entries of `by_category` for the `involved` categories, keyed by name.
fn for_categories<T: Clone>(involved: &[Category], by_category: &BTreeMap<Category, T>) -> BTreeMap<String, T> {
    involved.iter().filter_map(|c| by_category.get(c).map(|t| (c.as_str().to_string(), t.clone()))).collect()
}

/// The categories a pack is about: the topic's own, else every category its items carry.
pub fn involved_categories(category: Option<Category>, by_category: &BTreeMap<String, u64>) -> Vec<Category> {
    match category {
        Some(c) => vec![c],
        None => Category::ALL.into_iter().filter(|c| by_category.contains_key(c.as_str())).collect(),
    }
}

/// The deciding terms and rules, and the measured precision of the categories involved (the
/// topic's own, else every category its items carry).
fn why(deciding: Vec<(String, u64)>, category: Option<Category>, by_category: &Tally, precision: &BTreeMap<Category, f64>) -> Why {
    let precision =
        involved_categories(category, by_category).iter().filter_map(|c| precision.get(c).map(|p| (c.as_str().to_string(), *p))).collect();
    Why { deciding, precision, precision_text: BTreeMap::new(), precision_measured_on: None, team_precision: BTreeMap::new() }
}

pub fn selector_category(selector: &Selector) -> Option<Category> {
    match selector {
        Selector::Defined { category, .. } => *category,
        Selector::Search { categories, .. } if categories.len() == 1 => Some(categories[0]),
        Selector::Search { .. } => None,
    }
}

/// `▁▃█▅`: one character per week, scaled to the busiest week.
pub fn sparkline(counts: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = counts.iter().copied().max().unwrap_or(0);
    counts.iter().map(|&c| if max == 0 { BARS[0] } else { BARS[((c as f64 / max as f64) * 7.0).round() as usize] }).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::{Classification, Feedback, Kind, Source};
    use crate::evidence::selector::Selector;

    pub(crate) fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("{s}T12:00:00Z")).unwrap().with_timezone(&Utc)
    }

    pub(crate) fn item(
        id: i64,
        account: Option<(&str, Option<i64>)>,
        day: &str,
        source: Source,
        kind: Kind,
        score: f64,
        body: &str,
    ) -> PackItem {
        PackItem {
            item: Feedback {
                id,
                source,
                external_id: format!("ext-{id}"),
                kind,
                account_id: account.map(|(a, _)| a.to_string()),
                account_name: account.map(|(a, _)| format!("{a} Inc")),
                subject: String::new(),
                body: body.to_string(),
                tags: vec![],
                url: Some(format!("https://support.example.com/tickets/{id}")),
                created_at: t(day),
                received_at: t(day),
                lost_arr_cents: None,
                classification: Classification {
                    performance: true,
                    reliability: false,
                    score_performance: score,
                    score_reliability: 0.1,
                    explanation: vec!["term:slow".into(), "term:checkout".into()],
                    topics: vec!["checkout-slow".into()],
                    model_version: "m-test/r-test".into(),
                },
            },
            account_name: account.map(|(a, _)| format!("{a} Inc")),
            plan: account.map(|_| "business".to_string()),
            arr_cents: account.and_then(|(_, arr)| arr),
            content_hash: format!("content-of-{id}"),
        }
    }

    /// Six items in a four-week window (one more outside it), three accounts, one churn note.
    pub(crate) fn hand_made() -> PackInput {
        let a = Some(("acct-a", Some(12_000_000)));
        let b = Some(("acct-b", Some(3_000_000)));
        let c = Some(("acct-c", None));
        let mut churn = item(5, b, "2026-10-24", Source::Stripe, Kind::ChurnNote, 0.6, "Cancelling: checkout is too slow for our staff.");
        churn.item.lost_arr_cents = Some(3_000_000);
        PackInput {
            selector: Selector::Defined {
                slug: "checkout-slow".into(),
                title: "Checkout is slow".into(),
                category: Some(Category::Performance),
                patterns: vec!["checkout".into()],
            },
            window: Window::between("2026-10-01", "2026-10-29").unwrap(),
            items: vec![
                item(
                    4,
                    c,
                    "2026-10-23",
                    Source::Helpscout,
                    Kind::Ticket,
                    0.95,
                    "Checkout page is slow, paid with card 4111 1111 1111 1111 and waited.",
                ),
                item(
                    1,
                    a,
                    "2026-10-02",
                    Source::Zendesk,
                    Kind::Ticket,
                    0.9,
                    "Checkout takes 40 seconds to load. Reach me at alice@example.com",
                ),
                item(2, a, "2026-10-09", Source::Intercom, Kind::Ticket, 0.8, "The checkout spinner goes on forever."),
                item(3, b, "2026-10-16", Source::Zendesk, Kind::Ticket, 0.7, "Checkout slow again, call me at +1 415 555 0100."),
                churn,
                item(6, None, "2026-10-28", Source::Generic, Kind::Review, 0.65, "Checkout is slow <!channel> <@U123>"),
                item(7, a, "2026-09-20", Source::Zendesk, Kind::Ticket, 0.9, "Outside the window: checkout slow."),
            ],
            previous_count: 2,
            total_current: 60,
            total_previous: 50,
            model_version: "m-test".into(),
            rules_version: "r-test".into(),
            precision: BTreeMap::from([(Category::Performance, 0.94)]),
            precision_text: BTreeMap::from([(Category::Performance, "performance tags were right 94-97% of the time".into())]),
            precision_measured_on: Some("two sets of real reviews the model had not seen (urr, rp)".into()),
            team_precision: BTreeMap::new(),
            generated_at: t("2026-10-29"),
            quotes: 5,
            thresholds: (0.55, 0.55),
            metric: None,
        }
    }

    #[test]
    fn counts_accounts_and_revenue_of_a_hand_made_set() {
        let p = build(hand_made());
        assert_eq!((p.items, p.accounts, p.items_without_account), (6, 3, 1));
        assert_eq!(p.share_of_feedback, 0.1);
        assert_eq!(p.by_source["zendesk"], 2);
        assert_eq!(p.by_kind["churn_note"], 1);
        assert_eq!(
            p.revenue,
            Revenue {
                affected_arr_cents: 15_000_000,
                accounts_with_arr: 2,
                churn_notes: 1,
                churned_accounts: 1,
                lost_arr_cents: 3_000_000
            }
        );
        let ids: Vec<&str> = p.top_accounts.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["acct-a", "acct-b", "acct-c"], "largest ARR first, unknown ARR last");
        assert!(p.top_accounts[1].churned && !p.top_accounts[0].churned);
        assert_eq!(p.top_accounts[0].items, 2);
    }

    #[test]
    fn weekly_series_trend_and_p_value() {
        let p = build(hand_made());
        let counts: Vec<u64> = p.weekly.iter().map(|w| w.count).collect();
        assert_eq!(counts, [1, 1, 1, 3]);
        assert_eq!(p.sparkline, "▃▃▃█");
        assert_eq!(p.change.ratio, Some(3.0));
        assert!((p.change.share_ratio.unwrap() - 2.5).abs() < 1e-12);
        // scipy.stats.binomtest(6, 8, 60/110).pvalue
        assert!((p.change.p_value.unwrap() - 0.3052212285060398).abs() < 1e-9, "{:?}", p.change.p_value);
        assert!(!p.change.significant);
        assert_eq!(p.change_text, "3.0× more than the previous 28 days (6 vs 2, p = 0.31); not a significant change");
    }

    #[test]
    fn quotes_come_from_different_accounts_and_leak_no_personal_data() {
        let p = build(hand_made());
        assert_eq!(p.quotes.len(), 4, "four distinct accounts (the item without one counts as its own)");
        let mut accounts: Vec<Option<String>> = p.quotes.iter().map(|q| q.account.clone()).collect();
        accounts.dedup();
        assert_eq!(accounts.len(), 4);
        assert_eq!(p.quotes[0].item_id, 4, "the most confident item leads");
        let all: String =
            p.quotes.iter().map(|q| q.text.clone()).collect::<Vec<_>>().join("\n") + &crate::evidence::render::csv::render(&p).unwrap();
        for leak in ["alice@example.com", "4111 1111 1111 1111", "555 0100"] {
            assert!(!all.contains(leak), "{leak} leaked: {all}");
        }
        assert!(all.contains("[card]") && all.contains("[email]") && all.contains("[phone]"), "{all}");
        assert!(p.quotes.iter().all(|q| q.text.chars().count() <= QUOTE_CHARS && q.url.is_some()));
        assert_eq!(p.why.precision["performance"], 0.94);
        assert_eq!(p.why.deciding[0], ("term:checkout".to_string(), 6));
    }

    #[test]
    fn the_teams_own_precision_is_quoted_only_with_enough_corrections_and_for_the_topics_category() {
        assert_eq!(TeamPrecision::measured(29, 20), None);
        let team = TeamPrecision::measured(42, 30).unwrap();
        // 30 of 42: Wilson 95% interval 56.4% to 82.9%.
        assert_eq!(team.describe("performance"), "performance tags were right 71% (56-83%) of the time on 42 items your team checked");
        let mut input = hand_made();
        input.team_precision =
            BTreeMap::from([(Category::Performance, team), (Category::Reliability, TeamPrecision::measured(50, 45).unwrap())]);
        let p = build(input);
        assert_eq!(p.why.team_precision.keys().collect::<Vec<_>>(), vec!["performance"], "checkout-slow is a performance topic");
        assert_eq!(build(hand_made()).why.team_precision.len(), 0);
    }

    #[test]
    fn long_text_is_cut_to_the_quote_limit() {
        let mut input = hand_made();
        input.items[0].item.body = "checkout slow ".repeat(100);
        let p = build(input);
        let q = p.quotes.iter().find(|q| q.item_id == 4).unwrap();
        assert!(q.text.chars().count() <= QUOTE_CHARS && q.text.ends_with('…'));
    }

    #[test]
    fn items_hash_is_stable_and_changes_with_any_item() {
        let a = build(hand_made()).reproduce.items_hash;
        let mut shuffled = hand_made();
        shuffled.items.reverse();
        assert_eq!(build(shuffled).reproduce.items_hash, a, "order does not matter");
        let mut changed = hand_made();
        changed.items[2].content_hash.push('!');
        assert_ne!(build(changed).reproduce.items_hash, a, "another text has another content hash");
        let mut retagged = hand_made();
        retagged.items[2].item.classification.reliability = true;
        assert_ne!(build(retagged).reproduce.items_hash, a);
        let mut moved = hand_made();
        moved.items[2].item.created_at += chrono::Duration::hours(1);
        assert_ne!(build(moved).reproduce.items_hash, a);
        let mut fewer = hand_made();
        fewer.items.remove(0);
        assert_ne!(build(fewer).reproduce.items_hash, a);
    }

    #[test]
    fn the_reproduce_command_names_the_exact_window() {
        let p = build(hand_made());
        assert_eq!(
            p.reproduce.command,
            "pushback evidence checkout-slow --from 2026-10-01T00:00:00Z --to 2026-10-29T00:00:00Z --format json"
        );
        assert_eq!(p.reproduce.item_count, 6);
    }
}
