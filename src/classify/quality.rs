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

/// A public set's name as people know it: `reviewpulse2024` is Review-Pulse, `urr_ciurumelea2017`
/// is URR; any other set by its file name.
pub fn display_name(set: &str) -> &str {
    match set {
        "reviewpulse2024" => "Review-Pulse",
        "urr_ciurumelea2017" => "URR",
        other => other,
    }
}

impl HeldOutQuality {
    /// (set, figure) for each set where the figure is defined (`defined`), lowest first (ties
    /// by name): a claim leads with where the model did worst.
    fn by_set(&self, figure: impl Fn(&TagCounts) -> Option<f64>, category: Category) -> Vec<(&str, f64)> {
        let mut out: Vec<(&str, f64)> =
            self.sets.iter().filter_map(|s| figure(&s.counts(category)).map(|v| (display_name(&s.name), v))).collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
        out
    }

    /// Precision per set on the sets where the model gave the tag at all, lowest first.
    pub fn precision_by_set(&self, category: Category) -> Vec<(&str, f64)> {
        self.by_set(|c| (c.tp + c.fp > 0).then(|| c.precision()), category)
    }

    /// Recall per set on the sets that have the label at all, lowest first.
    pub fn recall_by_set(&self, category: Category) -> Vec<(&str, f64)> {
        self.by_set(|c| (c.tp + c.fn_ > 0).then(|| c.recall()), category)
    }

    /// The lowest per-set precision: what a pack may claim without overstating.
    pub fn lowest_precision(&self, category: Category) -> Option<f64> {
        self.precision_by_set(category).first().map(|s| s.1)
    }
}

impl HeldOutQuality {
    /// Precision, recall and F1 of both tags per set, then the lowest of each over the sets:
    /// what `eval --leave-out` prints.
    pub fn table(&self) -> String {
        let prf = |c: &TagCounts| format!("{:.3} / {:.3} / {:.3}", c.precision(), c.recall(), c.f1());
        let mut out = format!("{:<14} {:>6}   {:<25} {}\n", "set", "rows", "performance P / R / F1", "reliability P / R / F1");
        for s in &self.sets {
            let rows = crate::text::thousands(s.rows as u64);
            out += &format!("{:<14} {rows:>6}   {:<25} {}\n", display_name(&s.name), prf(&s.performance), prf(&s.reliability));
        }
        let lowest = |c: Category| {
            let min = |f: fn(&TagCounts) -> f64| self.sets.iter().map(|s| f(&s.counts(c))).fold(f64::INFINITY, f64::min);
            format!("{:.3} / {:.3} / {:.3}", min(TagCounts::precision), min(TagCounts::recall), min(TagCounts::f1))
        };
        out += &format!("{:<14} {:>6}   {:<25} {}\n", "lowest", "", lowest(Category::Performance), lowest(Category::Reliability));
        out
    }
}

fn pct(v: f64) -> String {
    format!("{}%", (v * 100.0).round())
}

/// "66-90%" from per-set figures lowest first, and "66% on Review-Pulse, 90% on URR".
fn range_and_list(sets: &[(&str, f64)]) -> (String, String) {
    let (lo, hi) = (pct(sets[0].1), pct(sets[sets.len() - 1].1));
    let range = if lo == hi { lo } else { format!("{}-{hi}", lo.trim_end_matches('%')) };
    (range, sets.iter().map(|(name, v)| format!("{} on {name}", pct(*v))).collect::<Vec<_>>().join(", "))
}

/// "two sets", "a set": how many sets of real reviews.
fn sets_of(n: usize) -> String {
    const WORDS: [&str; 9] = ["a", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    let count = WORDS.get(n.wrapping_sub(1)).map_or_else(|| n.to_string(), |w| (*w).to_string());
    format!("{count} set{}", if n == 1 { "" } else { "s" })
}

/// "performance tags were right 66-90% of the time on two sets of real reviews the model had not
/// seen (66% on Review-Pulse, 90% on URR)": one tag's held-out precision per set, lowest first,
/// never pooled (a pooled figure hides the set where the model does worst).
pub fn describe_precision(quality: &HeldOutQuality, category: Category) -> String {
    let sets = quality.precision_by_set(category);
    if sets.is_empty() {
        return format!("{category} tags were never given on the real reviews the model had not seen", category = category.as_str());
    }
    let (range, list) = range_and_list(&sets);
    format!(
        "{} tags were right {range} of the time on {} of real reviews the model had not seen ({list})",
        category.as_str(),
        sets_of(sets.len())
    )
}

/// "it found 39-41% of the performance reports in them (39% on URR, 41% on Review-Pulse)".
pub fn describe_recall(quality: &HeldOutQuality, category: Category) -> String {
    let sets = quality.recall_by_set(category);
    if sets.is_empty() {
        return format!("they hold no {} reports", category.as_str());
    }
    let (range, list) = range_and_list(&sets);
    format!("it found {range} of the {} reports in them ({list})", category.as_str())
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
    fn words_the_figure_per_set_lowest_first() {
        let q = quality();
        // URR 60/80 = 75%, Review-Pulse 18/20 = 90%: never the pooled 78%.
        assert_eq!(
            describe_precision(&q, Category::Performance),
            "performance tags were right 75-90% of the time on two sets of real reviews the model had not seen (75% on URR, 90% on Review-Pulse)"
        );
        assert_eq!(
            describe_recall(&q, Category::Performance),
            "it found 60-64% of the performance reports in them (60% on URR, 64% on Review-Pulse)"
        );
        assert_eq!(q.lowest_precision(Category::Performance), Some(0.75));
        // Reliability: 50% on URR, 100% on Review-Pulse.
        assert!(describe_precision(&q, Category::Reliability).contains("right 50-100% of the time"));
        let one = HeldOutQuality { sets: q.sets[1..].to_vec() };
        assert_eq!(
            describe_precision(&one, Category::Performance),
            "performance tags were right 90% of the time on a set of real reviews the model had not seen (90% on Review-Pulse)"
        );
        let table = q.table();
        assert!(table.contains("URR             1,584   0.750 / 0.600 / 0.667"), "{table}");
        assert!(table.contains("lowest                  0.750 / 0.600 / 0.667     0.500 / 0.500 / 0.667\n"), "{table}");
        let silent = HeldOutSet { performance: TagCounts { tp: 0, fp: 0, fn_: 3 }, ..q.sets[0].clone() };
        assert_eq!(
            HeldOutQuality { sets: vec![silent] }.lowest_precision(Category::Performance),
            None,
            "a set never tagged has no precision"
        );
        assert_eq!(crate::text::thousands(999), "999");
        assert_eq!(crate::text::thousands(1_234_567), "1,234,567");
    }
}
