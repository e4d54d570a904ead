//! Measuring a classifier: labelled CSV in, precision/recall/F1 per class, macro F1 and a
//! confusion matrix out. Three classes as the shared data defines them: performance wins over
//! reliability, reliability over other.

use super::train::{Example, TrainParams, train};
use crate::rng::Rng;
use anyhow::Context;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const CLASSES: [&str; 3] = ["performance", "reliability", "other"];

/// The single class of a multi-label pair.
pub fn class_of(performance: bool, reliability: bool) -> usize {
    if performance {
        0
    } else if reliability {
        1
    } else {
        2
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClassScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub n: usize,
    pub per_class: BTreeMap<String, ClassScore>,
    pub macro_f1: f64,
    /// `confusion[gold][predicted]`, in `CLASSES` order.
    pub confusion: [[usize; 3]; 3],
    /// Multi-label view: each category scored on its own flag.
    pub multilabel: BTreeMap<String, ClassScore>,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp == 0 { 0.0 } else { tp as f64 / (tp + fp) as f64 };
    let r = if tp + fn_ == 0 { 0.0 } else { tp as f64 / (tp + fn_) as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

/// Scores predictions against gold labels; both are (performance, reliability) pairs.
pub fn report(gold: &[(bool, bool)], predicted: &[(bool, bool)]) -> Report {
    assert_eq!(gold.len(), predicted.len());
    let mut confusion = [[0usize; 3]; 3];
    for (g, p) in gold.iter().zip(predicted) {
        confusion[class_of(g.0, g.1)][class_of(p.0, p.1)] += 1;
    }
    let mut per_class = BTreeMap::new();
    let mut f1_sum = 0.0;
    for (c, name) in CLASSES.iter().enumerate() {
        let tp = confusion[c][c];
        let fp: usize = (0..3).filter(|&g| g != c).map(|g| confusion[g][c]).sum();
        let fn_: usize = (0..3).filter(|&q| q != c).map(|q| confusion[c][q]).sum();
        let (precision, recall, f1) = prf(tp, fp, fn_);
        f1_sum += f1;
        per_class.insert(name.to_string(), ClassScore { precision, recall, f1, support: tp + fn_ });
    }
    let mut multilabel = BTreeMap::new();
    for (k, name) in [(0usize, "performance"), (1, "reliability")] {
        let flag = |pair: &(bool, bool)| if k == 0 { pair.0 } else { pair.1 };
        let tp = gold.iter().zip(predicted).filter(|(g, p)| flag(g) && flag(p)).count();
        let fp = gold.iter().zip(predicted).filter(|(g, p)| !flag(g) && flag(p)).count();
        let fn_ = gold.iter().zip(predicted).filter(|(g, p)| flag(g) && !flag(p)).count();
        let (precision, recall, f1) = prf(tp, fp, fn_);
        multilabel.insert(name.to_string(), ClassScore { precision, recall, f1, support: tp + fn_ });
    }
    Report { n: gold.len(), per_class, macro_f1: f1_sum / 3.0, confusion, multilabel }
}

impl Report {
    /// A table for people.
    pub fn to_text(&self) -> String {
        let mut out = format!("{:<12} {:>9} {:>9} {:>9} {:>8}\n", "class", "precision", "recall", "f1", "support");
        for name in CLASSES {
            let s = &self.per_class[name];
            out.push_str(&format!("{name:<12} {:>9.3} {:>9.3} {:>9.3} {:>8}\n", s.precision, s.recall, s.f1, s.support));
        }
        out.push_str(&format!(
            "\nmacro F1 {:.3} over {}\n\nconfusion (rows: gold, columns: predicted)\n",
            self.macro_f1,
            crate::text::plural(self.n as u64, "item")
        ));
        out.push_str(&format!("{:<12} {:>11} {:>11} {:>11}\n", "", "performance", "reliability", "other"));
        for (g, name) in CLASSES.iter().enumerate() {
            out.push_str(&format!("{name:<12} {:>11} {:>11} {:>11}\n", self.confusion[g][0], self.confusion[g][1], self.confusion[g][2]));
        }
        out.push_str("\nmulti-label (each flag on its own)\n");
        for (name, s) in &self.multilabel {
            out.push_str(&format!("{name:<12} {:>9.3} {:>9.3} {:>9.3} {:>8}\n", s.precision, s.recall, s.f1, s.support));
        }
        out
    }
}

/// Reads labelled CSV: a `text` column and either `label` (performance|reliability|other) or
/// `is_performance`/`is_reliability` 0/1 columns (preferred when both are present).
pub fn read_labelled_csv(path: &Path) -> anyhow::Result<Vec<Example>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    read_labelled(file).with_context(|| format!("in {}", path.display()))
}

pub fn read_labelled<R: std::io::Read>(reader: R) -> anyhow::Result<Vec<Example>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let headers = rdr.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let text_col = col("text").context("no 'text' column; expected text plus label or is_performance/is_reliability")?;
    let flags = col("is_performance").zip(col("is_reliability"));
    let label_col = col("label");
    anyhow::ensure!(flags.is_some() || label_col.is_some(), "no label columns: add 'label' or 'is_performance' and 'is_reliability'");
    let mut out = Vec::new();
    for (i, record) in rdr.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("line {line}: malformed CSV"))?;
        let text = record.get(text_col).unwrap_or("").to_string();
        let (performance, reliability) = match flags {
            Some((p, r)) => (flag(record.get(p), line, "is_performance")?, flag(record.get(r), line, "is_reliability")?),
            None => match record.get(label_col.unwrap_or(0)).unwrap_or("").trim().to_ascii_lowercase().as_str() {
                "performance" => (true, false),
                "reliability" => (false, true),
                "other" | "none" | "" => (false, false),
                other => anyhow::bail!("line {line}: label '{other}' is not performance, reliability or other"),
            },
        };
        out.push(Example { text, performance, reliability });
    }
    Ok(out)
}

fn flag(value: Option<&str>, line: usize, name: &str) -> anyhow::Result<bool> {
    match value.map(str::trim) {
        Some("1") | Some("true") => Ok(true),
        Some("0") | Some("false") | Some("") | None => Ok(false),
        Some(other) => anyhow::bail!("line {line}: {name} is '{other}', expected 0 or 1"),
    }
}

/// Splits indices into `k` folds, stratified by class, shuffled deterministically.
pub fn stratified_folds(examples: &[Example], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = Rng::new(seed);
    let mut folds = vec![Vec::new(); k];
    for class in 0..3 {
        let mut members: Vec<usize> =
            (0..examples.len()).filter(|&i| class_of(examples[i].performance, examples[i].reliability) == class).collect();
        rng.shuffle(&mut members);
        for (j, i) in members.into_iter().enumerate() {
            folds[j % k].push(i);
        }
    }
    for f in &mut folds {
        f.sort_unstable();
    }
    folds
}

/// Scores `classifier` on labelled examples; also returns each prediction, in input order.
pub fn score(classifier: &super::Classifier, examples: &[Example]) -> (Report, Vec<(bool, bool)>) {
    let gold: Vec<(bool, bool)> = examples.iter().map(|e| (e.performance, e.reliability)).collect();
    let predicted = classifier.predict_examples(examples);
    (report(&gold, &predicted), predicted)
}

/// K-fold cross-validation: train on k-1 folds, classify the held-out fold with that model
/// and `rules`. Returns the pooled report and each example's out-of-fold prediction.
pub fn cross_validate(
    examples: &[Example],
    k: usize,
    params: &TrainParams,
    seed: u64,
    rules: &std::sync::Arc<super::rules::Rules>,
) -> anyhow::Result<(Report, Vec<(bool, bool)>)> {
    anyhow::ensure!(k >= 2, "--cv needs at least 2 folds");
    anyhow::ensure!(examples.len() >= k * 2, "{} are too few for {k} folds", crate::text::plural(examples.len() as u64, "example"));
    let folds = stratified_folds(examples, k, seed);
    let mut predicted = vec![(false, false); examples.len()];
    for (f, test) in folds.iter().enumerate() {
        let train_set: Vec<Example> =
            folds.iter().enumerate().filter(|(g, _)| *g != f).flat_map(|(_, idx)| idx.iter().map(|&i| examples[i].clone())).collect();
        let model = train(&train_set, params).with_context(|| format!("training fold {}", f + 1))?;
        let classifier = super::Classifier { model: std::sync::Arc::new(model), rules: rules.clone() };
        for &i in test {
            let c = classifier.classify_text(&examples[i].text);
            predicted[i] = (c.performance, c.reliability);
        }
    }
    let gold: Vec<(bool, bool)> = examples.iter().map(|e| (e.performance, e.reliability)).collect();
    Ok((report(&gold, &predicted), predicted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_match_a_hand_computed_confusion_matrix() {
        // gold:      P P P R R O O O O O
        // predicted: P P R R O O O P O O
        let p = (true, false);
        let r = (false, true);
        let o = (false, false);
        let gold = [p, p, p, r, r, o, o, o, o, o];
        let pred = [p, p, r, r, o, o, o, p, o, o];
        let rep = report(&gold, &pred);
        assert_eq!(rep.confusion, [[2, 1, 0], [0, 1, 1], [1, 0, 4]]);
        // performance: tp 2, fp 1, fn 1 -> p 2/3, r 2/3, f1 2/3
        let perf = &rep.per_class["performance"];
        assert!((perf.precision - 2.0 / 3.0).abs() < 1e-12 && (perf.recall - 2.0 / 3.0).abs() < 1e-12);
        // reliability: tp 1, fp 1, fn 1 -> 0.5 / 0.5 / 0.5
        assert!((rep.per_class["reliability"].f1 - 0.5).abs() < 1e-12);
        // other: tp 4, fp 1, fn 1 -> 0.8
        assert!((rep.per_class["other"].f1 - 0.8).abs() < 1e-12);
        assert!((rep.macro_f1 - (2.0 / 3.0 + 0.5 + 0.8) / 3.0).abs() < 1e-12);
        assert_eq!(rep.per_class["other"].support, 5);
    }

    #[test]
    fn reads_both_label_formats_and_rejects_bad_labels() {
        let a = read_labelled("text,label\nslow app,performance\nit crashed,reliability\nnice,other\n".as_bytes()).unwrap();
        assert_eq!(
            a.iter().map(|e| (e.performance, e.reliability)).collect::<Vec<_>>(),
            vec![(true, false), (false, true), (false, false)]
        );
        let b = read_labelled("text,is_performance,is_reliability\nslow and crashes,1,1\n".as_bytes()).unwrap();
        assert!(b[0].performance && b[0].reliability);
        assert!(read_labelled("text,label\nx,angry\n".as_bytes()).unwrap_err().to_string().contains("line 2"));
        assert!(read_labelled("body,label\nx,other\n".as_bytes()).is_err());
    }

    #[test]
    fn folds_are_stratified_and_cover_everything_once() {
        let ex: Vec<Example> = (0..30).map(|i| Example { text: i.to_string(), performance: i % 3 == 0, reliability: i % 3 == 1 }).collect();
        let folds = stratified_folds(&ex, 5, 1);
        let mut all: Vec<usize> = folds.concat();
        all.sort_unstable();
        assert_eq!(all, (0..30).collect::<Vec<_>>());
        for f in &folds {
            assert_eq!(f.iter().filter(|&&i| ex[i].performance).count(), 2);
        }
    }
}
