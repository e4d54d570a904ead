//! "Proposed agenda": the month's topics ranked by two orderings at once, ARR at risk and the
//! evidence that they are rising, each topic placed by the sum of its two places (a Borda
//! count; ties go to the larger ARR), with the reason for its place in words. Pure.

use super::topics::HurtTopic;
use crate::domain::ArrCents;
use crate::stats::format_p;
use serde::Serialize;
use std::cmp::Ordering;

/// Topics the agenda proposes.
pub const AGENDA: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaItem {
    /// 1 is discussed first.
    pub rank: usize,
    pub slug: String,
    pub title: String,
    /// Its place (1 = first) by ARR at risk, and by the evidence that it is rising.
    pub arr_place: usize,
    pub rising_place: usize,
    pub reason: String,
}

/// The order of the evidence that a topic is rising: topics whose share grew, smallest p-value
/// first (a topic with nothing to test after them); then the rest, largest p-value first.
fn rising_order(a: &HurtTopic, b: &HurtTopic) -> Ordering {
    let p = |t: &HurtTopic| t.p_value.unwrap_or(1.0);
    match (a.rising, b.rising) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (true, true) => p(a).total_cmp(&p(b)),
        (false, false) => p(b).total_cmp(&p(a)),
    }
    .then(b.items.cmp(&a.items))
    .then(a.slug.cmp(&b.slug))
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn rising_words(t: &HurtTopic) -> String {
    let p = t.p_value.map(format_p).map(|p| format!(", {p}")).unwrap_or_default();
    match (t.rising, t.significant) {
        (true, true) => format!("rising, and the rise passes the packs' test ({} vs {} items{p})", t.items, t.items_before),
        (true, false) => format!("up but not significantly ({} vs {} items{p})", t.items, t.items_before),
        (false, _) if t.items == t.items_before => format!("flat ({} vs {} items{p})", t.items, t.items_before),
        (false, _) => format!("not rising ({} vs {} items{p})", t.items, t.items_before),
    }
}

/// `topics` (by ARR at risk, as `topics::hurt_topics` sorts them) ranked for the agenda, at most `AGENDA`.
pub fn agenda(topics: &[HurtTopic]) -> Vec<AgendaItem> {
    let mut by_rising: Vec<&HurtTopic> = topics.iter().collect();
    by_rising.sort_by(|a, b| rising_order(a, b));
    let n = topics.len();
    let mut placed: Vec<(usize, usize, &HurtTopic)> =
        topics.iter().enumerate().map(|(i, t)| (i + 1, by_rising.iter().position(|r| r.slug == t.slug).map_or(n, |p| p + 1), t)).collect();
    placed.sort_by(|a, b| (a.0 + a.1).cmp(&(b.0 + b.1)).then(a.0.cmp(&b.0)));
    placed
        .into_iter()
        .take(AGENDA)
        .enumerate()
        .map(|(i, (arr_place, rising_place, t))| {
            let arr = ArrCents(t.arr_at_risk_cents).display_dollars();
            let reason = format!(
                "{} of {n} by ARR at risk ({arr} across {} account{}); {} of {n} by evidence of rising: {}.",
                ordinal(arr_place),
                t.accounts,
                if t.accounts == 1 { "" } else { "s" },
                ordinal(rising_place),
                rising_words(t)
            );
            AgendaItem { rank: i + 1, slug: t.slug.clone(), title: t.title.clone(), arr_place, rising_place, reason }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(slug: &str, arr: i64, items: i64, before: i64, rising: bool, p: Option<f64>) -> HurtTopic {
        HurtTopic {
            slug: slug.into(),
            title: slug.to_uppercase(),
            items,
            items_before: before,
            accounts: 1,
            arr_at_risk_cents: arr,
            churn_notes: 0,
            rising,
            p_value: p,
            significant: p.is_some_and(|p| p < 0.05),
            trend: String::new(),
            metric: None,
        }
    }

    #[test]
    fn the_agenda_adds_the_two_places_and_says_why_in_words() {
        // By ARR: big, mid, small. By rising: small (p 0.001), mid (p 0.2), big (falling).
        let topics = [
            topic("big", 900_000, 10, 20, false, Some(0.01)),
            topic("mid", 500_000, 6, 4, true, Some(0.2)),
            topic("small", 100_000, 9, 1, true, Some(0.001)),
        ];
        let a = agenda(&topics);
        let order: Vec<(&str, usize, usize)> = a.iter().map(|i| (i.slug.as_str(), i.arr_place, i.rising_place)).collect();
        // Sums: big 1+3 = 4, mid 2+2 = 4, small 3+1 = 4: all tie, the larger ARR first.
        assert_eq!(order, [("big", 1, 3), ("mid", 2, 2), ("small", 3, 1)]);
        assert_eq!(
            a[0].reason,
            "1st of 3 by ARR at risk ($9,000 across 1 account); 3rd of 3 by evidence of rising: not rising (10 vs 20 items, p = 0.01)."
        );
        assert!(
            a[2].reason.contains("1st of 3 by evidence of rising: rising, and the rise passes the packs' test (9 vs 1 items, p = 0.001)"),
            "{}",
            a[2].reason
        );
        assert!(a[1].reason.contains("up but not significantly"), "{}", a[1].reason);
    }

    #[test]
    fn a_strong_rise_outranks_a_larger_arr_and_the_agenda_is_capped() {
        let mut topics: Vec<HurtTopic> = (0..7).map(|i| topic(&format!("t{i}"), 1_000_000 - i * 1000, 5, 5, false, Some(1.0))).collect();
        // Third by ARR, first by rising: 3 + 1 beats t1's 2 + 3 and t2's 4 + 4.
        topics.push(topic("surging", 998_500, 30, 2, true, Some(0.0001)));
        topics.sort_by_key(|t| std::cmp::Reverse(t.arr_at_risk_cents));
        let a = agenda(&topics);
        assert_eq!(a.len(), AGENDA);
        let slugs: Vec<&str> = a.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["t0", "surging", "t1", "t2", "t3"], "{a:?}");
        assert_eq!((a[1].rank, a[1].arr_place, a[1].rising_place), (2, 3, 1));
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(22), "22nd");
    }
}
