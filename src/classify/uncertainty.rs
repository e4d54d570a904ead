//! Which stored items a person should label next (`/pushback label`): the ones the model is
//! least sure about. Pure: the store hands in the uncorrected items nearest the thresholds.

use crate::domain::Feedback;
use std::collections::HashSet;

/// Items shown per label message.
pub const QUEUE_SIZE: usize = 5;

/// Scores this close to each other count as equally unsure, so the newer item goes first.
pub const BAND: f64 = 0.05;

/// How far the item is from a decision: the distance of the nearer of its two scores to its
/// head's threshold (`thresholds`: performance, reliability).
pub fn distance(item: &Feedback, thresholds: (f64, f64)) -> f64 {
    let c = &item.classification;
    (c.score_performance - thresholds.0).abs().min((c.score_reliability - thresholds.1).abs())
}

/// Up to `n` of `candidates`: nearest the thresholds first (in bands of `BAND`), newest first
/// within a band, each from a different account (an item without an account counts as its
/// own). When fewer accounts than `n` are among the candidates, the rest of the slots are
/// filled in the same order, so a person still gets `n` items to label.
pub fn pick(candidates: &[Feedback], thresholds: (f64, f64), n: usize) -> Vec<Feedback> {
    let mut order: Vec<&Feedback> = candidates.iter().collect();
    let band = |f: &Feedback| (distance(f, thresholds) / BAND).floor() as i64;
    order.sort_by(|a, b| band(a).cmp(&band(b)).then(b.created_at.cmp(&a.created_at)).then(b.id.cmp(&a.id)));
    let mut accounts = HashSet::new();
    let mut picked: Vec<&Feedback> = Vec::with_capacity(n);
    for f in &order {
        if picked.len() == n {
            break;
        }
        let fresh = f.account_id.as_deref().is_none_or(|a| accounts.insert(a.to_string()));
        if fresh {
            picked.push(f);
        }
    }
    for f in &order {
        if picked.len() == n {
            break;
        }
        if !picked.iter().any(|p| p.id == f.id) {
            picked.push(f);
        }
    }
    picked.into_iter().cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Classification, Kind, Source};
    use chrono::{TimeZone, Utc};

    fn item(id: i64, account: Option<&str>, day: u32, performance: f64, reliability: f64) -> Feedback {
        Feedback {
            id,
            source: Source::Generic,
            external_id: id.to_string(),
            kind: Kind::Ticket,
            account_id: account.map(str::to_string),
            account_name: None,
            subject: String::new(),
            body: format!("item {id}"),
            tags: vec![],
            url: None,
            created_at: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
            received_at: Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap(),
            lost_arr_cents: None,
            classification: Classification { score_performance: performance, score_reliability: reliability, ..Default::default() },
        }
    }

    fn ids(items: &[Feedback]) -> Vec<i64> {
        items.iter().map(|f| f.id).collect()
    }

    const T: (f64, f64) = (0.55, 0.55);

    #[test]
    fn the_nearer_score_decides_how_unsure_an_item_is() {
        assert!((distance(&item(1, None, 1, 0.9, 0.5), T) - 0.05).abs() < 1e-9);
        assert!((distance(&item(1, None, 1, 0.56, 0.0), T) - 0.01).abs() < 1e-9);
    }

    #[test]
    fn nearest_the_threshold_first_and_newest_first_among_equally_unsure() {
        let items = [
            item(1, Some("a"), 1, 0.54, 0.0),  // band 0, oldest
            item(2, Some("b"), 9, 0.56, 0.0),  // band 0, newest
            item(3, Some("c"), 5, 0.0, 0.53),  // band 0
            item(4, Some("d"), 20, 0.30, 0.0), // band 5: sure, however new
            item(5, Some("e"), 3, 0.62, 0.10), // band 1
        ];
        assert_eq!(ids(&pick(&items, T, 5)), vec![2, 3, 1, 5, 4]);
        assert_eq!(ids(&pick(&items, T, 2)), vec![2, 3]);
    }

    #[test]
    fn one_item_per_account_unless_there_are_too_few_accounts() {
        let items = [
            item(1, Some("acme"), 9, 0.55, 0.0),
            item(2, Some("acme"), 8, 0.55, 0.0),
            item(3, Some("globex"), 7, 0.55, 0.0),
            item(4, None, 6, 0.55, 0.0),
            item(5, None, 5, 0.55, 0.0),
            item(6, Some("acme"), 4, 0.55, 0.0),
        ];
        // Items without an account are each their own; acme's second and third items only
        // fill what is left.
        assert_eq!(ids(&pick(&items, T, 4)), vec![1, 3, 4, 5]);
        assert_eq!(ids(&pick(&items, T, 5)), vec![1, 3, 4, 5, 2]);
        assert!(pick(&[], T, 5).is_empty());
    }
}
