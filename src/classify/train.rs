//! Training: select a small vocabulary by chi-square, build the dense TF-IDF matrix linfa
//! needs (rows × selected terms, so memory does not grow with the raw vocabulary), and fit one
//! linfa logistic regression per category.

use super::features;
use super::model::{Head, Model, ModelMetrics, normalize};
use anyhow::Context;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, ShapeBuilder};
use std::collections::HashMap;

/// A labelled text.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub performance: bool,
    pub reliability: bool,
}

/// How many seed rows one person's correction weighs: enough that a single fix flips its item
/// after retraining (tests/api/store.rs checks it on the shipped recipe's 8,588 rows; 6 was
/// enough for the 3,109-row seed corpus alone, not since the public sets joined it).
pub const CORRECTION_WEIGHT: usize = 12;

/// A correction as training examples, repeated `CORRECTION_WEIGHT` times.
pub fn correction_examples(text: &str, performance: bool, reliability: bool) -> impl Iterator<Item = Example> + '_ {
    std::iter::repeat_n((), CORRECTION_WEIGHT).map(move |_| Example { text: text.to_string(), performance, reliability })
}

/// Knobs, with the values measured best in BENCHMARKS.md as defaults.
#[derive(Debug, Clone)]
pub struct TrainParams {
    /// Terms kept after chi-square selection: the width of linfa's dense matrix.
    pub max_features: usize,
    /// Terms in fewer documents than this are never features.
    pub min_df: usize,
    /// L2 penalty.
    pub alpha: f32,
    pub max_iterations: u64,
    /// Repeat minority-class rows until they are this fraction of the majority (class
    /// weighting; linfa's logistic regression takes no sample weights). 0 turns it off.
    pub balance: f32,
    /// The performance head's `balance`: performance is rare in real feedback (3-15% of app
    /// reviews), so oversampling it less keeps its precision up (BENCHMARKS.md). `None`: `balance`.
    pub performance_balance: Option<f32>,
    /// Decision threshold on the head's probability.
    pub threshold: f32,
    /// The performance head's own threshold (chosen by leave-out, BENCHMARKS.md). `None`: `threshold`.
    pub performance_threshold: Option<f32>,
    pub solver: Solver,
    /// FTRL: passes over the data, mini-batch size, learning rate.
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f32,
}

/// Which linfa model fits the heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Solver {
    /// linfa-logistic: L-BFGS on the whole dense matrix.
    Lbfgs,
    /// linfa-ftrl: FTRL-Proximal on dense mini-batches (memory: one batch, not the whole set).
    Ftrl,
    /// FTRL's weights as the starting point for a few L-BFGS iterations.
    Warm,
}

impl Default for TrainParams {
    fn default() -> Self {
        Self {
            max_features: 1000,
            min_df: 2,
            alpha: 1.0,
            max_iterations: 10,
            balance: 0.4,
            performance_balance: Some(0.3),
            threshold: 0.55,
            performance_threshold: None,
            solver: Solver::Warm,
            epochs: 4,
            batch: 128,
            learning_rate: 2.0,
        }
    }
}

/// Trains a model on `examples`. Deterministic: same examples and params, same model.
pub fn train(examples: &[Example], params: &TrainParams) -> anyhow::Result<Model> {
    anyhow::ensure!(examples.len() >= 10, "need at least 10 labelled examples to train (got {})", examples.len());
    // Features of what the customer wrote, as `Classifier::classify_text` sees it.
    let docs: Vec<Vec<String>> = examples.iter().map(|e| features::text_terms(&super::boilerplate::strip(&e.text))).collect();
    let vocabulary = select_vocabulary(&docs, examples, params);
    anyhow::ensure!(!vocabulary.is_empty(), "no term occurs in {} or more examples; add more data", params.min_df);
    let index: HashMap<&str, usize> = vocabulary.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();

    let n = docs.len() as f32;
    let mut df = vec![0f32; vocabulary.len()];
    let mut rows: Vec<Vec<(u32, f32)>> = Vec::with_capacity(docs.len());
    for doc in &docs {
        let mut counts: HashMap<usize, f32> = HashMap::new();
        for term in doc {
            if let Some(&i) = index.get(term.as_str()) {
                *counts.entry(i).or_insert(0.0) += 1.0;
            }
        }
        for &i in counts.keys() {
            df[i] += 1.0;
        }
        rows.push(counts.into_iter().map(|(i, c)| (i as u32, 1.0 + c.ln())).collect());
    }
    let idf: Vec<f32> = df.iter().map(|&d| ((1.0 + n) / (1.0 + d)).ln() + 1.0).collect();
    for row in &mut rows {
        for (i, v) in row.iter_mut() {
            *v *= idf[*i as usize];
        }
        row.sort_unstable_by_key(|(i, _)| *i);
        normalize(row);
    }

    let perf: Vec<bool> = examples.iter().map(|e| e.performance).collect();
    let rel: Vec<bool> = examples.iter().map(|e| e.reliability).collect();
    let perf_params = TrainParams {
        balance: params.performance_balance.unwrap_or(params.balance),
        threshold: params.performance_threshold.unwrap_or(params.threshold),
        ..params.clone()
    };
    let performance = fit_head(&rows, &perf, vocabulary.len(), &perf_params).context("Failed to train the performance head")?;
    let reliability = fit_head(&rows, &rel, vocabulary.len(), params).context("Failed to train the reliability head")?;
    let metrics = ModelMetrics { trained_on: examples.len(), ..Default::default() };
    Ok(Model::new(vocabulary, idf, performance, reliability, metrics))
}

/// Keeps the `max_features` terms most associated with either category (chi-square on
/// document presence), among terms seen in at least `min_df` documents. Ties break by term,
/// so the choice is deterministic.
fn select_vocabulary(docs: &[Vec<String>], examples: &[Example], params: &TrainParams) -> Vec<String> {
    // term -> (df, df among performance, df among reliability)
    let mut stats: HashMap<&str, (u32, u32, u32)> = HashMap::new();
    for (doc, ex) in docs.iter().zip(examples) {
        let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
        seen.sort_unstable();
        seen.dedup();
        for term in seen {
            let s = stats.entry(term).or_default();
            s.0 += 1;
            s.1 += u32::from(ex.performance);
            s.2 += u32::from(ex.reliability);
        }
    }
    let n = docs.len() as f64;
    let n_perf = examples.iter().filter(|e| e.performance).count() as f64;
    let n_rel = examples.iter().filter(|e| e.reliability).count() as f64;
    let mut scored: Vec<(f64, &str)> = stats
        .into_iter()
        .filter(|(_, s)| s.0 as usize >= params.min_df)
        .map(|(term, (df, dp, dr))| {
            let score = chi2(df as f64, dp as f64, n_perf, n).max(chi2(df as f64, dr as f64, n_rel, n));
            (score, term)
        })
        .collect();
    scored.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.truncate(params.max_features);
    let mut vocab: Vec<String> = scored.into_iter().map(|(_, t)| t.to_string()).collect();
    vocab.sort_unstable();
    vocab
}

/// Chi-square statistic of a 2×2 table: term present/absent × class yes/no.
fn chi2(df: f64, df_pos: f64, n_pos: f64, n: f64) -> f64 {
    let a = df_pos; // term, class
    let b = df - df_pos; // term, not class
    let c = n_pos - df_pos; // no term, class
    let d = n - n_pos - b; // no term, not class
    let denom = (a + b) * (c + d) * (a + c) * (b + d);
    if denom <= 0.0 { 0.0 } else { n * (a * d - b * c).powi(2) / denom }
}

fn fit_head(rows: &[Vec<(u32, f32)>], labels: &[bool], width: usize, params: &TrainParams) -> anyhow::Result<Head> {
    let positives = labels.iter().filter(|&&l| l).count();
    if positives == 0 || positives == labels.len() {
        // One class only: a constant answer is all the data supports.
        let bias = if positives == 0 { -10.0 } else { 10.0 };
        return Ok(Head { weights: vec![0.0; width], bias, threshold: params.threshold });
    }
    if params.solver == Solver::Ftrl {
        return fit_head_ftrl(rows, labels, width, params);
    }
    let warm_start = if params.solver == Solver::Warm { Some(fit_head_ftrl(rows, labels, width, params)?) } else { None };
    let order = balanced_order(labels, params);
    // Column-major: linfa-logistic's gradient is `Xᵀ·v`, which ndarray (without BLAS) computes
    // as one dot product per row of `Xᵀ`; in this layout those rows are contiguous. `X·w` goes
    // through matrixmultiply's GEMM, which is fast in either layout.
    let mut x = Array2::<f32>::zeros((order.len(), width).f());
    let mut y = Array1::<bool>::from_elem(order.len(), false);
    for (r, &i) in order.iter().enumerate() {
        for &(j, v) in &rows[i] {
            x[[r, j as usize]] = v;
        }
        y[r] = labels[i];
    }
    let mut logistic = LogisticRegression::default().alpha(params.alpha).max_iterations(params.max_iterations).gradient_tolerance(1e-4);
    if let Some(start) = warm_start {
        // linfa fits P(label it treats as positive): the more frequent one, or the first seen on a tie.
        let trues = y.iter().filter(|&&v| v).count();
        let falses = y.len() - trues;
        let true_is_positive = if y[0] { trues >= falses } else { trues > falses };
        let sign = if true_is_positive { 1.0 } else { -1.0 };
        let mut init: Vec<f32> = start.weights.iter().map(|w| sign * w).collect();
        init.push(sign * start.bias);
        logistic = logistic.initial_params(Array1::from(init));
    }
    let fitted = logistic.fit(&Dataset::new(x, y)).map_err(|e| anyhow::anyhow!("linfa logistic regression failed: {e}"))?;
    // linfa models P(majority label); flip the signs when that label is `false`.
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    Ok(Head { weights: fitted.params().iter().map(|w| sign * w).collect(), bias: sign * fitted.intercept(), threshold: params.threshold })
}

/// Rows in training order: every row once, then the minority class repeated to balance.
fn balanced_order(labels: &[bool], params: &TrainParams) -> Vec<usize> {
    let mut order: Vec<usize> = (0..labels.len()).collect();
    let positives = labels.iter().filter(|&&l| l).count();
    if params.balance > 0.0 {
        let negatives = labels.len() - positives;
        let (minority, count_min, count_maj) =
            if positives < negatives { (true, positives, negatives) } else { (false, negatives, positives) };
        let target = (count_maj as f32 * params.balance) as usize;
        let extra = target.saturating_sub(count_min).min(count_min * 4);
        let minority_rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == minority).collect();
        order.extend(minority_rows.iter().cycle().take(extra).copied());
    }
    order
}

/// FTRL-Proximal through linfa-ftrl, one `fit_with` step per shuffled mini-batch. A constant
/// last column stands in for the intercept (FTRL has none).
fn fit_head_ftrl(rows: &[Vec<(u32, f32)>], labels: &[bool], width: usize, params: &TrainParams) -> anyhow::Result<Head> {
    use linfa::traits::FitWith;
    use linfa_ftrl::Ftrl;
    let mut order = balanced_order(labels, params);
    let ftrl = Ftrl::<f32>::params()
        .alpha(params.learning_rate)
        .beta(1.0)
        .l1_ratio(0.0005)
        .l2_ratio(params.alpha)
        .check()
        .map_err(|e| anyhow::anyhow!("invalid FTRL parameters: {e}"))?;
    let mut model = Ftrl::new(ftrl.clone(), width + 1);
    let mut rng = crate::rng::Rng::new(0x5EED);
    let batch = params.batch.max(1);
    let mut x = Array2::<f32>::zeros((batch, width + 1));
    for _ in 0..params.epochs.max(1) {
        rng.shuffle(&mut order);
        for chunk in order.chunks(batch) {
            if chunk.len() != x.nrows() {
                x = Array2::<f32>::zeros((chunk.len(), width + 1));
            } else {
                x.fill(0.0);
            }
            let mut y = Array1::<bool>::from_elem(chunk.len(), false);
            for (r, &i) in chunk.iter().enumerate() {
                for &(j, v) in &rows[i] {
                    x[[r, j as usize]] = v;
                }
                x[[r, width]] = 1.0;
                y[r] = labels[i];
            }
            let dataset = Dataset::new(x, y);
            model = ftrl.fit_with(Some(model), &dataset).map_err(|e| anyhow::anyhow!("linfa FTRL failed: {e}"))?;
            x = dataset.records;
        }
    }
    let weights = model.get_weights();
    Ok(Head { weights: weights.iter().take(width).copied().collect(), bias: weights[width], threshold: params.threshold })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(text: &str, p: bool, r: bool) -> Example {
        Example { text: text.into(), performance: p, reliability: r }
    }

    fn toy() -> Vec<Example> {
        let mut v = Vec::new();
        for i in 0..8 {
            v.push(ex(&format!("the page is so slow today {i}"), true, false));
            v.push(ex(&format!("app crashes on start again {i}"), false, true));
            v.push(ex(&format!("love the new colours thanks {i}"), false, false));
        }
        v
    }

    #[test]
    fn learns_a_separable_toy_set_deterministically() {
        let params = TrainParams { min_df: 2, ..Default::default() };
        let m = train(&toy(), &params).unwrap();
        let p = m.predict("so slow");
        assert!(p.performance > 0.5 && p.reliability < 0.5, "{p:?}");
        let r = m.predict("it crashes");
        assert!(r.reliability > 0.5 && r.performance < 0.5, "{r:?}");
        let again = train(&toy(), &params).unwrap();
        assert_eq!(m.version, again.version);
    }

    #[test]
    fn chi2_is_zero_without_association() {
        assert_eq!(chi2(10.0, 5.0, 50.0, 100.0), 0.0);
        assert!(chi2(10.0, 10.0, 10.0, 100.0) > 90.0);
    }

    #[test]
    fn too_little_data_is_refused_with_a_reason() {
        let err = train(&toy()[..5], &TrainParams::default()).unwrap_err();
        assert!(err.to_string().contains("at least 10"));
    }
}
