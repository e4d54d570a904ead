//! What one item adds to the rollups, and what a change to items adds or takes away: pure
//! functions the write paths (store/rollups.rs) and `pushback rollups check` share.
//!
//! An item counts once in the row of all items (topic `""`) and once per distinct topic, on
//! the UTC day it was created, under its pair of categories, source, kind and account. The
//! totals (`rollup_totals`) are the same rows summed over the accounts: `without_account` makes
//! them from the same delta, so both tables move together.

use crate::domain::StoredItem;
use std::collections::{BTreeMap, BTreeSet};

/// The topic of the row that counts every item, whatever its topics.
pub const ALL_ITEMS: &str = "";

/// The seconds in a UTC day.
const DAY: i64 = 86_400;

/// What the rollups need to know of one stored item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub created_at: i64,
    pub topics: Vec<String>,
    pub performance: bool,
    pub reliability: bool,
    pub source: String,
    pub kind: String,
    pub account_id: Option<String>,
    pub lost_arr_cents: Option<i64>,
}

/// One rollup row's identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RollupKey {
    /// Unix seconds of the UTC midnight that starts the day.
    pub day: i64,
    /// `ALL_ITEMS` or a topic slug.
    pub topic: String,
    pub performance: bool,
    pub reliability: bool,
    pub source: String,
    pub kind: String,
    /// `""` for items without an account.
    pub account_id: String,
}

/// One rollup row's figures (or a change to them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub items: i64,
    /// The lost ARR the items state (churn notes' own figure), summed.
    pub lost_arr_cents: i64,
    /// How many of the items state a lost ARR.
    pub lost_arr_items: i64,
}

impl Counts {
    fn add(&mut self, other: Counts, sign: i64) {
        self.items += sign * other.items;
        self.lost_arr_cents += sign * other.lost_arr_cents;
        self.lost_arr_items += sign * other.lost_arr_items;
    }

    pub fn is_zero(&self) -> bool {
        *self == Counts::default()
    }
}

pub type Rollup = BTreeMap<RollupKey, Counts>;

/// The UTC midnight that starts the day of `at` (unix seconds).
pub fn day_of(at: i64) -> i64 {
    at.div_euclid(DAY) * DAY
}

/// `[from, to)` (unix seconds) cut at UTC midnights: the whole days inside it, which rollups
/// answer, and the parts of days at either edge, which only items can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cut {
    pub days: Option<(i64, i64)>,
    pub edges: [Option<(i64, i64)>; 2],
}

pub fn cut(from: i64, to: i64) -> Cut {
    if to <= from {
        return Cut::default();
    }
    let (first, last) = (day_of(from + DAY - 1), day_of(to));
    if first >= last {
        return Cut { days: None, edges: [Some((from, to)), None] };
    }
    Cut { days: Some((first, last)), edges: [(from < first).then_some((from, first)), (last < to).then_some((last, to))] }
}

/// What the rollups count of an item about to be stored with creation time `created_at`.
pub fn facts_of(stored: &StoredItem, created_at: i64) -> ItemFacts {
    let (it, c) = (&stored.item, &stored.classification);
    ItemFacts {
        created_at,
        topics: c.topics.clone(),
        performance: c.performance,
        reliability: c.reliability,
        source: it.source.as_str().to_string(),
        kind: it.kind.as_str().to_string(),
        account_id: it.account.id.clone(),
        lost_arr_cents: it.lost_arr_cents,
    }
}

/// The rows one item counts in, each with the item's own figures.
pub fn contributions(item: &ItemFacts) -> Vec<(RollupKey, Counts)> {
    let counts =
        Counts { items: 1, lost_arr_cents: item.lost_arr_cents.unwrap_or(0), lost_arr_items: i64::from(item.lost_arr_cents.is_some()) };
    let topics: BTreeSet<&str> = std::iter::once(ALL_ITEMS).chain(item.topics.iter().map(String::as_str)).collect();
    topics
        .into_iter()
        .map(|topic| {
            let key = RollupKey {
                day: day_of(item.created_at),
                topic: topic.to_string(),
                performance: item.performance,
                reliability: item.reliability,
                source: item.source.clone(),
                kind: item.kind.clone(),
                account_id: item.account_id.clone().unwrap_or_default(),
            };
            (key, counts)
        })
        .collect()
}

/// What the rollups must change by when the items `before` became `after` (an insert has no
/// before, a deletion no after): `after`'s contributions less `before`'s, rows that do not move
/// left out.
pub fn delta<'a>(before: impl IntoIterator<Item = &'a ItemFacts>, after: impl IntoIterator<Item = &'a ItemFacts>) -> Rollup {
    let mut out = Rollup::new();
    for (items, sign) in [(before.into_iter().collect::<Vec<_>>(), -1), (after.into_iter().collect(), 1)] {
        for item in items {
            for (key, counts) in contributions(item) {
                out.entry(key).or_default().add(counts, sign);
            }
        }
    }
    out.retain(|_, c| !c.is_zero());
    out
}

/// `rollup` summed over the accounts: every key's `account_id` is `""`, rows that sum to zero
/// left out. What the totals (`rollup_totals`) change by for a delta, or hold for a recount.
pub fn without_account(rollup: &Rollup) -> Rollup {
    let mut out = Rollup::new();
    for (key, counts) in rollup {
        let key = RollupKey { account_id: String::new(), ..key.clone() };
        out.entry(key).or_default().add(*counts, 1);
    }
    out.retain(|_, c| !c.is_zero());
    out
}

/// The rollups of a whole history, as a recount makes them.
#[cfg(test)]
pub fn recount<'a>(items: impl IntoIterator<Item = &'a ItemFacts>) -> Rollup {
    delta(std::iter::empty(), items)
}

/// Where two rollups disagree: each differing row with (stored, recounted) figures. Rows at
/// zero count as absent.
pub fn differences(stored: &Rollup, recounted: &Rollup) -> Vec<(RollupKey, Counts, Counts)> {
    let keys: BTreeSet<&RollupKey> = stored.keys().chain(recounted.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (s, r) = (stored.get(k).copied().unwrap_or_default(), recounted.get(k).copied().unwrap_or_default());
            (s != r).then(|| (k.clone(), s, r))
        })
        .collect()
}

/// One difference in words: "2026-12-01, topic checkout-slow, performance, zendesk ticket,
/// account acme: the rollups say 3 items, a recount of the items says 4". A row of the totals
/// (`per_account` false) names "every account" and "the rollup totals".
pub fn describe(key: &RollupKey, stored: Counts, recounted: Counts, per_account: bool) -> String {
    let day = chrono::DateTime::from_timestamp(key.day, 0).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| key.day.to_string());
    let topic = if key.topic == ALL_ITEMS { "all items".to_string() } else { format!("topic {}", key.topic) };
    let tags = match (key.performance, key.reliability) {
        (true, true) => "performance and reliability",
        (true, false) => "performance",
        (false, true) => "reliability",
        (false, false) => "neither tag",
    };
    let account = match (per_account, key.account_id.is_empty()) {
        (false, _) => "every account".to_string(),
        (true, true) => "no account".to_string(),
        (true, false) => format!("account {}", key.account_id),
    };
    let table = if per_account { "rollups" } else { "rollup totals" };
    let figures = |c: Counts| {
        let mut s = crate::text::plural(c.items.max(0) as u64, "item");
        if c.items < 0 {
            s = format!("{} items", c.items);
        }
        if c.lost_arr_items != 0 || c.lost_arr_cents != 0 {
            s.push_str(&format!(" ({} stating {} cents of lost ARR)", c.lost_arr_items, c.lost_arr_cents));
        }
        s
    };
    format!(
        "{day}, {topic}, {tags}, {} {}, {account}: the {table} say {}, a recount of the items says {}",
        key.source,
        key.kind,
        figures(stored),
        figures(recounted)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(created_at: i64, topics: &[&str], performance: bool, account: Option<&str>, lost: Option<i64>) -> ItemFacts {
        ItemFacts {
            created_at,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            performance,
            reliability: false,
            source: "zendesk".into(),
            kind: if lost.is_some() { "churn_note".into() } else { "ticket".into() },
            account_id: account.map(str::to_string),
            lost_arr_cents: lost,
        }
    }

    const DAY1: i64 = 1_764_979_200; // 2025-12-06T00:00:00Z

    #[test]
    fn an_item_counts_once_in_all_items_and_once_per_distinct_topic_on_its_day() {
        let rows = contributions(&item(DAY1 + 3_600, &["checkout", "checkout", "login"], true, Some("acme"), None));
        let topics: Vec<&str> = rows.iter().map(|(k, _)| k.topic.as_str()).collect();
        assert_eq!(topics, vec!["", "checkout", "login"]);
        assert!(rows.iter().all(|(k, c)| k.day == DAY1 && k.account_id == "acme" && c.items == 1 && c.lost_arr_items == 0));
        let churn = contributions(&item(DAY1 - 1, &[], false, None, Some(50_000)));
        assert_eq!(churn.len(), 1);
        assert_eq!(churn[0].0.day, DAY1 - DAY, "the second before midnight is the day before");
        assert_eq!(churn[0].0.account_id, "");
        assert_eq!(churn[0].1, Counts { items: 1, lost_arr_cents: 50_000, lost_arr_items: 1 });
    }

    #[test]
    fn an_unchanged_item_moves_nothing_and_an_edit_moves_only_what_changed() {
        let old = item(DAY1, &["checkout"], true, Some("acme"), None);
        assert!(delta([&old], [&old]).is_empty(), "a redelivery");
        let mut retagged = old.clone();
        retagged.topics = vec!["login".into()];
        let d = delta([&old], [&retagged]);
        assert_eq!(d.len(), 2, "the all-items row is untouched: {d:?}");
        assert_eq!(d.iter().map(|(k, c)| (k.topic.as_str(), c.items)).collect::<Vec<_>>(), vec![("checkout", -1), ("login", 1)]);
        let mut moved = old.clone();
        moved.created_at -= DAY;
        moved.performance = false;
        assert_eq!(delta([&old], [&moved]).len(), 4, "both rows leave the old day and tags and land on the new");
    }

    #[test]
    fn applying_deltas_in_turn_equals_a_recount_of_the_final_items() {
        let a = item(DAY1, &["checkout"], true, Some("acme"), None);
        let b = item(DAY1 + 10, &[], false, Some("acme"), Some(120_000));
        let b2 = item(DAY1 + 10, &["pricing"], false, Some("acme"), Some(90_000));
        let mut rolled = Rollup::new();
        for step in [delta([], [&a, &b]), delta([&b], [&b2]), delta([&a], [])] {
            for (k, c) in step {
                rolled.entry(k).or_default().add(c, 1);
            }
        }
        rolled.retain(|_, c| !c.is_zero());
        assert_eq!(rolled, recount([&b2]));
        assert!(differences(&rolled, &recount([&b2])).is_empty());
    }

    #[test]
    fn the_totals_sum_the_accounts_and_move_with_the_same_delta() {
        let a = item(DAY1, &["checkout"], true, Some("acme"), None);
        let b = item(DAY1 + 10, &["checkout"], true, Some("globex"), Some(120_000));
        let c = item(DAY1 + 20, &[], true, None, None);
        let totals = without_account(&recount([&a, &b, &c]));
        assert!(totals.keys().all(|k| k.account_id.is_empty()));
        let checkout_tickets = totals.iter().find(|(k, _)| k.topic == "checkout" && k.kind == "ticket").unwrap().1;
        assert_eq!(checkout_tickets.items, 1);
        let all_tickets = totals.iter().find(|(k, _)| k.topic == ALL_ITEMS && k.kind == "ticket").unwrap().1;
        assert_eq!(all_tickets.items, 2, "acme's item and the one without an account share a row");
        // An edit that only moves an item to another account leaves the totals as they were.
        let mut moved = a.clone();
        moved.account_id = Some("initech".into());
        assert_eq!(delta([&a], [&moved]).len(), 4);
        assert!(without_account(&delta([&a], [&moved])).is_empty());
        // Deltas applied in turn to the totals equal the totals of a recount.
        let mut rolled = Rollup::new();
        for step in [delta([], [&a, &b, &c]), delta([&a], [&moved]), delta([&c], [])] {
            for (k, n) in without_account(&step) {
                rolled.entry(k).or_default().add(n, 1);
            }
        }
        rolled.retain(|_, n| !n.is_zero());
        assert_eq!(rolled, without_account(&recount([&moved, &b])));
    }

    #[test]
    fn a_window_is_cut_into_whole_days_and_the_parts_of_days_at_its_edges() {
        assert_eq!(cut(DAY1, DAY1 + 7 * DAY), Cut { days: Some((DAY1, DAY1 + 7 * DAY)), edges: [None, None] });
        let (from, to) = (DAY1 + 3_600, DAY1 + 2 * DAY + 60);
        assert_eq!(
            cut(from, to),
            Cut { days: Some((DAY1 + DAY, DAY1 + 2 * DAY)), edges: [Some((from, DAY1 + DAY)), Some((DAY1 + 2 * DAY, to))] }
        );
        assert_eq!(cut(from, from + 60), Cut { days: None, edges: [Some((from, from + 60)), None] }, "inside one day");
        assert_eq!(cut(DAY1 + 10, DAY1 + DAY + 10), Cut { days: None, edges: [Some((DAY1 + 10, DAY1 + DAY + 10)), None] });
        assert_eq!(cut(DAY1, DAY1), Cut::default());
    }

    #[test]
    fn a_difference_is_spelled_out_in_words() {
        let stored = recount([&item(DAY1, &["checkout"], true, Some("acme"), None)]);
        let recounted =
            recount([&item(DAY1, &["checkout"], true, Some("acme"), None), &item(DAY1 + 5, &["checkout"], true, Some("acme"), None)]);
        let diffs = differences(&stored, &recounted);
        assert_eq!(diffs.len(), 2);
        let (k, s, r) = &diffs[1];
        assert_eq!(
            describe(k, *s, *r, true),
            "2025-12-06, topic checkout, performance, zendesk ticket, account acme: the rollups say 1 item, a recount of the items says 2 items"
        );
        assert_eq!(
            describe(k, *s, *r, false),
            "2025-12-06, topic checkout, performance, zendesk ticket, every account: the rollup totals say 1 item, a recount of the items says 2 items"
        );
    }
}
