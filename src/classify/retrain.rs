//! Retraining on people's corrections, and whether the result may replace the active model.
//!
//! The check is fair to both sides: it scores them on the corrected items the active model
//! never saw labelled. The active model classifies those items as it is; the new recipe (the
//! base examples plus every correction) is cross-validated on them: each fold's items are
//! predicted by a model trained without their corrections. The new model replaces the active
//! one only if it is **not worse**: it gets no more tag decisions wrong (a missed tag or a
//! wrong tag, each of the two tags of each item counted once) than the active model, on at
//! least `MIN_CHECK_ITEMS` items.

use super::Classifier;
use super::eval::stratified_folds;
use super::quality::TagCounts;
use super::train::{Example, TrainParams, correction_examples, train};
use anyhow::Context;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Fewer corrected items than this cannot tell two models apart: no model is activated.
pub const MIN_CHECK_ITEMS: usize = 10;

/// One corrected item: the person's label, and whether the active model never saw it
/// labelled (every correction of the item came after the corrections it was trained on).
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub text: String,
    pub performance: bool,
    pub reliability: bool,
    pub unseen: bool,
}

/// How a model did on the corrected items, per tag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub items: usize,
    pub performance: TagCounts,
    pub reliability: TagCounts,
}

impl Score {
    fn add(&mut self, gold: (bool, bool), predicted: (bool, bool)) {
        self.items += 1;
        self.performance.tally(gold.0, predicted.0);
        self.reliability.tally(gold.1, predicted.1);
    }

    /// Tag decisions it got wrong: false positives and misses, over both tags.
    pub fn wrong(&self) -> usize {
        self.performance.fp + self.performance.fn_ + self.reliability.fp + self.reliability.fn_
    }
}

/// The active model and the new recipe on the same corrected items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub active_version: String,
    /// Folds of the new recipe's cross-validation (0 when there were too few items to run it).
    pub folds: usize,
    pub active: Score,
    pub candidate: Score,
}

/// What the check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    NotWorse,
    Worse,
    TooFew,
}

/// The rule: the new model may replace the active one when it gets no more tag decisions
/// wrong on the same items.
pub fn not_worse(candidate: &Score, active: &Score) -> bool {
    candidate.wrong() <= active.wrong()
}

pub fn verdict(c: &Comparison) -> Verdict {
    if c.active.items < MIN_CHECK_ITEMS {
        Verdict::TooFew
    } else if not_worse(&c.candidate, &c.active) {
        Verdict::NotWorse
    } else {
        Verdict::Worse
    }
}

/// The new recipe's training examples: `base` plus each correction, weighted.
pub fn training_examples(base: &[Example], labelled: &[Labelled]) -> Vec<Example> {
    let mut examples = base.to_vec();
    for l in labelled {
        examples.extend(correction_examples(&l.text, l.performance, l.reliability));
    }
    examples
}

/// Scores `active` and the new recipe (`base` plus the corrections, `folds`-fold cross-validated)
/// on the unseen corrected items. The recipe's models use `active`'s rules.
pub fn compare(
    base: &[Example],
    labelled: &[Labelled],
    active: &Classifier,
    params: &TrainParams,
    folds: usize,
) -> anyhow::Result<Comparison> {
    let unseen: Vec<usize> = (0..labelled.len()).filter(|&i| labelled[i].unseen).collect();
    let gold = |i: usize| (labelled[i].performance, labelled[i].reliability);
    let mut comparison =
        Comparison { active_version: active.model.version.clone(), folds: 0, active: Score::default(), candidate: Score::default() };
    for &i in &unseen {
        let c = active.classify_text(&labelled[i].text);
        comparison.active.add(gold(i), (c.performance, c.reliability));
    }
    if unseen.len() < MIN_CHECK_ITEMS {
        return Ok(comparison);
    }
    let as_examples: Vec<Example> =
        unseen.iter().map(|&i| Example { text: labelled[i].text.clone(), performance: gold(i).0, reliability: gold(i).1 }).collect();
    let k = folds.clamp(2, unseen.len());
    for (f, fold) in stratified_folds(&as_examples, k, 42).iter().enumerate() {
        let held: Vec<usize> = fold.iter().map(|&j| unseen[j]).collect();
        let rest: Vec<Labelled> = (0..labelled.len()).filter(|i| !held.contains(i)).map(|i| labelled[i].clone()).collect();
        let model = train(&training_examples(base, &rest), params).with_context(|| format!("training fold {} of {k}", f + 1))?;
        let classifier = Classifier { model: Arc::new(model), rules: active.rules.clone() };
        for &i in &held {
            let c = classifier.classify_text(&labelled[i].text);
            comparison.candidate.add(gold(i), (c.performance, c.reliability));
        }
    }
    comparison.folds = k;
    Ok(comparison)
}

/// A share as a whole percentage, or `n/a` when there was nothing to take it of.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "n/a".into() } else { format!("{:.0}%", part as f64 / whole as f64 * 100.0) }
}

/// The before/after figures in words, one line each: what the log and `pushback train
/// --include-corrections` print.
pub fn describe(c: &Comparison) -> Vec<String> {
    let n = c.active.items;
    let mut lines = vec![format!(
        "on {} the active model {} had not seen labelled: active model {} wrong, new model {} wrong ({}-fold cross-validation)",
        crate::text::plural(n as u64, "corrected item"),
        c.active_version,
        crate::text::plural(c.active.wrong() as u64, "tag decision"),
        c.candidate.wrong(),
        c.folds
    )];
    for (name, a, b) in
        [("performance", c.active.performance, c.candidate.performance), ("reliability", c.active.reliability, c.candidate.reliability)]
    {
        lines.push(format!(
            "  {name}: precision {} -> {}, recall {} -> {} (tagged {} -> {}, labelled {})",
            percent(a.tp, a.tp + a.fp),
            percent(b.tp, b.tp + b.fp),
            percent(a.tp, a.tp + a.fn_),
            percent(b.tp, b.tp + b.fn_),
            a.tp + a.fp,
            b.tp + b.fp,
            a.tp + a.fn_
        ));
    }
    lines
}

/// Why the verdict is what it is, in one sentence.
pub fn reason(c: &Comparison) -> String {
    match verdict(c) {
        Verdict::NotWorse => {
            format!("not worse: {} wrong tag decisions against the active model's {}", c.candidate.wrong(), c.active.wrong())
        }
        Verdict::Worse => format!("worse: {} wrong tag decisions against the active model's {}", c.candidate.wrong(), c.active.wrong()),
        Verdict::TooFew => format!(
            "too few corrections to check: {} the active model has not seen labelled, at least {MIN_CHECK_ITEMS} needed",
            crate::text::plural(c.active.items as u64, "item")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(items: usize, p: (usize, usize, usize), r: (usize, usize, usize)) -> Score {
        Score { items, performance: TagCounts { tp: p.0, fp: p.1, fn_: p.2 }, reliability: TagCounts { tp: r.0, fp: r.1, fn_: r.2 } }
    }

    fn comparison(active: Score, candidate: Score) -> Comparison {
        Comparison { active_version: "m-active".into(), folds: 5, active, candidate }
    }

    #[test]
    fn a_model_with_no_more_wrong_decisions_is_not_worse() {
        let active = score(30, (5, 4, 6), (8, 1, 2)); // 13 wrong
        let fewer = score(30, (9, 2, 2), (8, 2, 2)); // 8 wrong
        let equal = score(30, (4, 6, 7), (10, 0, 0)); // 13 wrong
        assert!(not_worse(&fewer, &active));
        assert!(not_worse(&equal, &active), "a tie is not worse: the new model has learnt from more labels");
        assert_eq!(verdict(&comparison(active, fewer)), Verdict::NotWorse);
        assert!(reason(&comparison(active, fewer)).starts_with("not worse: 8 wrong tag decisions against the active model's 13"));
    }

    #[test]
    fn a_model_with_more_wrong_decisions_is_worse_even_if_one_tag_improves() {
        let active = score(30, (5, 4, 6), (8, 1, 2)); // 13 wrong
        let worse = score(30, (10, 0, 1), (2, 6, 7)); // 14 wrong; performance better, reliability much worse
        assert!(!not_worse(&worse, &active));
        assert_eq!(verdict(&comparison(active, worse)), Verdict::Worse);
    }

    #[test]
    fn too_few_items_decide_nothing() {
        let c = comparison(score(MIN_CHECK_ITEMS - 1, (0, 5, 0), (0, 0, 0)), Score::default());
        assert_eq!(verdict(&c), Verdict::TooFew);
        assert!(reason(&c).contains("9 items the active model has not seen labelled"), "{}", reason(&c));
    }

    #[test]
    fn describes_both_models_on_the_same_items() {
        let lines = describe(&comparison(score(30, (5, 5, 5), (1, 0, 0)), score(30, (8, 2, 2), (1, 0, 0))));
        assert_eq!(
            lines[0],
            "on 30 corrected items the active model m-active had not seen labelled: active model 10 tag decisions wrong, new model 4 wrong (5-fold cross-validation)"
        );
        assert_eq!(lines[1], "  performance: precision 50% -> 80%, recall 50% -> 80% (tagged 10 -> 10, labelled 10)");
        let none = describe(&comparison(score(30, (0, 0, 0), (0, 0, 0)), score(30, (0, 0, 0), (0, 2, 0))));
        assert_eq!(none[2], "  reliability: precision n/a -> 0%, recall n/a -> n/a (tagged 0 -> 2, labelled 0)");
    }

    #[test]
    fn only_unseen_items_are_compared_and_each_is_predicted_by_a_model_without_its_label() {
        let rules = Arc::new(super::super::rules::Rules::default());
        let base: Vec<Example> = (0..30)
            .flat_map(|i| {
                [
                    Example { text: format!("the page is so slow today {i}"), performance: true, reliability: false },
                    Example { text: format!("app crashes on start again {i}"), performance: false, reliability: true },
                    Example { text: format!("love the new colours thanks {i}"), performance: false, reliability: false },
                ]
            })
            .collect();
        let active = Classifier { model: Arc::new(train(&base, &TrainParams::default()).unwrap()), rules };
        // Each unseen item is the only one with its words (three letters: no character 4-grams
        // either), so no fold's model can know it.
        let letters: Vec<char> = "bcdfghjklmnpqrstvwxz".chars().collect();
        let text = |i: usize| format!("{}{}y {}{}u", letters[i], letters[19 - i], letters[i], letters[i + 1]);
        let mut labelled: Vec<Labelled> =
            (0..12).map(|i| Labelled { text: text(i), performance: true, reliability: false, unseen: true }).collect();
        labelled.push(Labelled { text: "seen before".into(), performance: true, reliability: false, unseen: false });
        let c = compare(&base, &labelled, &active, &TrainParams::default(), 3).unwrap();
        assert_eq!((c.active.items, c.candidate.items, c.folds), (12, 12, 3));
        assert_eq!(c.candidate.performance.fn_, 12, "out-of-fold: its own correction never helps an item");
        assert_eq!(verdict(&c), Verdict::NotWorse, "{c:?}");
    }
}
