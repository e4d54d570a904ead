//! How far a tag can be trusted, measured honestly: each real data set scored by a model trained
//! without any of its rows (leave one data set out). Computed by the shipped training recipe
//! (`recipe::shipped_model`) and stored in the model file, so anything that shows a tag can
//! also say how often such tags were right on feedback the model had not seen.

use crate::domain::Category;
use serde::{Deserialize, Serialize};

/// Counts for one tag: items the model tagged that carry the label (`tp`), tagged without it
/// (`fp`), and labelled items it missed (`fn_`).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TagCounts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl TagCounts {
    /// Counts one item: its label (`gold`) against the tag it was given.
    pub fn tally(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    /// Of the items given the tag, the share that carry the label (0 when none were tagged).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// Of the items that carry the label, the share given the tag.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }

    fn add(self, other: TagCounts) -> TagCounts {
        TagCounts { tp: self.tp + other.tp, fp: self.fp + other.fp, fn_: self.fn_ + other.fn_ }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One data set scored by a model that never saw any of its rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HeldOutSet {
    /// The data set's file name without extension, e.g. `reviewpulse2024`.
    pub name: String,
    pub rows: usize,
    pub performance: TagCounts,
    pub reliability: TagCounts,
}

/// Leave-one-data-set-out quality of a model, per data set and pooled over all of them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HeldOutQuality {
    pub sets: Vec<HeldOutSet>,
}

impl HeldOutQuality {
    /// Rows scored, over every data set.
    pub fn rows(&self) -> usize {
        self.sets.iter().map(|s| s.rows).sum()
    }

    /// The data sets' names, in the order they were measured.
    pub fn data_sets(&self) -> Vec<&str> {
        self.sets.iter().map(|s| s.name.as_str()).collect()
    }

    /// Counts for one tag, pooled over every data set.
    pub fn counts(&self, category: Category) -> TagCounts {
        self.sets.iter().map(|s| s.counts(category)).fold(TagCounts::default(), TagCounts::add)
    }

    pub fn precision(&self, category: Category) -> f64 {
        self.counts(category).precision()
    }

    pub fn recall(&self, category: Category) -> f64 {
        self.counts(category).recall()
    }
}

impl HeldOutSet {
    pub fn counts(&self, category: Category) -> TagCounts {
        match category {
            Category::Performance => self.performance,
            Category::Reliability => self.reliability,
        }
    }
}

/// "performance tags were right 78% of the time on 5,439 real reviews the model had not seen
/// (urr_ciurumelea2017, reviewpulse2024)": the pooled held-out precision of one tag, in words.
pub fn describe_precision(quality: &HeldOutQuality, category: Category) -> String {
    format!(
        "{} tags were right {}% of the time on {} real reviews the model had not seen ({})",
        category.as_str(),
        (quality.precision(category) * 100.0).round(),
        crate::text::thousands(quality.rows() as u64),
        quality.data_sets().join(", ")
    )
}

/// "it found 71% of the performance reports in them": the pooled held-out recall, in words.
pub fn describe_recall(quality: &HeldOutQuality, category: Category) -> String {
    format!("it found {}% of the {} reports in them", (quality.recall(category) * 100.0).round(), category.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quality() -> HeldOutQuality {
        let set = |name: &str, rows, p: TagCounts, r: TagCounts| HeldOutSet { name: name.into(), rows, performance: p, reliability: r };
        HeldOutQuality {
            sets: vec![
                set("urr_ciurumelea2017", 1584, TagCounts { tp: 60, fp: 20, fn_: 40 }, TagCounts { tp: 1, fp: 1, fn_: 0 }),
                set("reviewpulse2024", 3855, TagCounts { tp: 18, fp: 2, fn_: 10 }, TagCounts { tp: 1, fp: 0, fn_: 1 }),
            ],
        }
    }

    #[test]
    fn pools_counts_over_the_sets() {
        let q = quality();
        assert_eq!(q.rows(), 5439);
        assert_eq!(q.counts(Category::Performance), TagCounts { tp: 78, fp: 22, fn_: 50 });
        assert!((q.precision(Category::Performance) - 0.78).abs() < 1e-12);
        assert!((q.recall(Category::Reliability) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(TagCounts::default().precision(), 0.0);
    }

    #[test]
    fn words_the_figure_with_its_data() {
        let q = quality();
        assert_eq!(
            describe_precision(&q, Category::Performance),
            "performance tags were right 78% of the time on 5,439 real reviews the model had not seen (urr_ciurumelea2017, reviewpulse2024)"
        );
        assert_eq!(describe_recall(&q, Category::Performance), "it found 61% of the performance reports in them");
        assert_eq!(crate::text::thousands(999), "999");
        assert_eq!(crate::text::thousands(1_234_567), "1,234,567");
    }
}
