//! The linear model: a pruned TF-IDF vocabulary and one logistic head per category.
//! Trained with linfa (`train.rs`); predicted here sparsely, term by term, which is what makes
//! one item take microseconds instead of a dense matrix product over the whole vocabulary.

use super::features;
use super::reasons::{REASON_FLOOR, explainable};
use crate::domain::Category;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// One category's logistic head: P(category) = sigmoid(w·x + bias), decided at `threshold`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Head {
    pub weights: Vec<f32>,
    pub bias: f32,
    pub threshold: f32,
}

/// What a training run measured, kept with the model so packs can cite its precision.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ModelMetrics {
    /// Out-of-fold precision per category on the training data, where measured.
    pub precision: HashMap<String, f64>,
    pub recall: HashMap<String, f64>,
    pub trained_on: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Model {
    pub version: String,
    pub vocabulary: Vec<String>,
    pub idf: Vec<f32>,
    pub performance: Head,
    pub reliability: Head,
    #[serde(default)]
    pub metrics: ModelMetrics,
    /// Leave-one-data-set-out precision and recall per tag, with the data sets they were
    /// measured on (`recipe::shipped_model`); absent for models trained otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_out: Option<super::quality::HeldOutQuality>,
    /// Term key -> feature index (see `features::term_key`).
    #[serde(skip)]
    index: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>,
    /// One bit per `filter_bit` of a vocabulary term's hash: most of an item's terms are not
    /// in the vocabulary, and a clear bit says so without probing `index`.
    #[serde(skip)]
    filter: Vec<u64>,
    /// Per feature: worth showing a person as a reason (`reasons::explainable`: a word or
    /// phrase, not a character n-gram, not only function words like "and", "since", "hi").
    #[serde(skip)]
    explainable: Vec<bool>,
}

/// The keys are already FNV hashes: hashing them again would only cost time.
#[derive(Default)]
pub struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Bits in `Model::filter`: 2^16, 8 KiB, so with a 1,000-term vocabulary about 1.5% of the
/// terms that are not in it still probe the index.
const FILTER_BITS: u32 = 16;

/// Which bit of `Model::filter` a term hash sets (its top bits after a multiplicative mix).
fn filter_bit(hash: u64) -> usize {
    (hash.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS)) as usize
}

/// Buffers one prediction needs, kept per thread so classifying an item allocates only its
/// result.
#[derive(Default)]
struct Scratch {
    lower: String,
    spans: Vec<(usize, usize)>,
    /// Per feature, how often the text has it, and one bit per feature it has: reading the
    /// set bits in order lists the features by index without sorting. Both are left zeroed.
    counts: Vec<u32>,
    seen: Vec<u64>,
    vector: Vec<(u32, f32)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// A prediction before rules: per-category probability and the terms that pushed it up.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub performance: f32,
    pub reliability: f32,
    /// Up to three (feature index, contribution), largest first: `Model::term` names them.
    pub performance_terms: Vec<(u32, f32)>,
    pub reliability_terms: Vec<(u32, f32)>,
    /// Some term of the text pushed towards the category.
    pub performance_supported: bool,
    pub reliability_supported: bool,
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    pub fn new(vocabulary: Vec<String>, idf: Vec<f32>, performance: Head, reliability: Head, metrics: ModelMetrics) -> Self {
        let mut model = Self {
            version: String::new(),
            vocabulary,
            idf,
            performance,
            reliability,
            metrics,
            held_out: None,
            index: HashMap::default(),
            filter: Vec::new(),
            explainable: Vec::new(),
        };
        model.build_index();
        model.version = model.fingerprint();
        model
    }

    /// Reads a model saved with `to_json`, checking its shape.
    pub fn from_json(json: &str) -> anyhow::Result<Self> {
        let mut model: Model = serde_json::from_str(json)?;
        let n = model.vocabulary.len();
        for (name, len) in [
            ("idf", model.idf.len()),
            ("performance.weights", model.performance.weights.len()),
            ("reliability.weights", model.reliability.weights.len()),
        ] {
            if len != n {
                anyhow::bail!("model file is inconsistent: {name} has {len} entries for a vocabulary of {n}");
            }
        }
        model.build_index();
        Ok(model)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("model serialises")
    }

    fn build_index(&mut self) {
        self.index = self.vocabulary.iter().enumerate().map(|(i, t)| (features::term_key(t), i as u32)).collect();
        self.filter = vec![0; (1 << FILTER_BITS) / 64];
        for &h in self.index.keys() {
            self.filter[filter_bit(h) / 64] |= 1 << (filter_bit(h) % 64);
        }
        self.explainable = self.vocabulary.iter().map(|t| explainable(t)).collect();
    }

    /// A short content hash: the same weights always give the same version.
    fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for t in &self.vocabulary {
            h.update(t.as_bytes());
            h.update([0]);
        }
        for head in [&self.performance, &self.reliability] {
            for w in head.weights.iter().chain([&head.bias, &head.threshold]) {
                h.update(w.to_le_bytes());
            }
        }
        for v in &self.idf {
            h.update(v.to_le_bytes());
        }
        format!("m-{}", &hex::encode(h.finalize())[..10])
    }

    pub fn head(&self, category: Category) -> &Head {
        match category {
            Category::Performance => &self.performance,
            Category::Reliability => &self.reliability,
        }
    }

    /// A vocabulary term by feature index.
    pub fn term(&self, index: u32) -> &str {
        &self.vocabulary[index as usize]
    }

    /// The feature index of a term hash, if the term is in the vocabulary.
    fn feature(&self, hash: u64) -> Option<u32> {
        let bit = filter_bit(hash);
        if self.filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        self.index.get(&hash).copied()
    }

    /// The sparse TF-IDF vector of a text: (feature index, weight) by index, L2-normalised,
    /// sublinear term frequency. Unknown terms are dropped.
    pub fn vectorize(&self, text: &str) -> Vec<(u32, f32)> {
        SCRATCH.with_borrow_mut(|s| {
            self.vectorize_into(text, s);
            s.vector.clone()
        })
    }

    /// `vectorize` into `s.vector`, using the rest of `s` as working space.
    fn vectorize_into(&self, text: &str, s: &mut Scratch) {
        s.lower.clear();
        s.spans.clear();
        features::tokenize_into(text, &mut s.lower, &mut s.spans);
        let n = self.vocabulary.len();
        if s.counts.len() < n {
            s.counts.resize(n, 0);
            s.seen.resize(n.div_ceil(64), 0);
        }
        let (counts, seen) = (&mut s.counts, &mut s.seen);
        features::for_each_term_key(&s.lower, &s.spans, |h| {
            if let Some(i) = self.feature(h) {
                let i = i as usize;
                counts[i] = counts[i].saturating_add(1);
                seen[i / 64] |= 1 << (i % 64);
            }
        });
        let vec = &mut s.vector;
        vec.clear();
        for (w, word) in seen.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            while bits != 0 {
                let i = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                vec.push((i as u32, std::mem::take(&mut counts[i]) as f32));
            }
        }
        for (i, v) in vec.iter_mut() {
            // 1 + ln(1) is 1: most terms occur once, and the logarithm is skipped for them.
            let tf = if *v == 1.0 { 1.0 } else { 1.0 + v.ln() };
            *v = tf * self.idf[*i as usize];
        }
        normalize(vec);
    }

    pub fn predict(&self, text: &str) -> Prediction {
        SCRATCH.with_borrow_mut(|s| {
            self.vectorize_into(text, s);
            // A very long text's buffers are not kept for the rest of the thread's life.
            if s.lower.capacity() > 1 << 16 {
                let x = std::mem::take(&mut s.vector);
                *s = Scratch { vector: x, ..Scratch::default() };
            }
            let [p, r] = self.score(&s.vector);
            Prediction {
                performance: p.probability,
                reliability: r.probability,
                performance_terms: p.terms,
                reliability_terms: r.terms,
                performance_supported: p.supported,
                reliability_supported: r.supported,
            }
        })
    }

    /// Both heads in one pass over `x`: per head the probability, the (up to three) whole words
    /// or phrases with the largest positive contribution above `REASON_FLOOR`, and whether anything at all (a word
    /// or a character n-gram) pushed towards the category. Character n-grams count for the
    /// score but are not shown to people.
    fn score(&self, x: &[(u32, f32)]) -> [HeadScore; 2] {
        let heads = [&self.performance, &self.reliability];
        let mut z = [self.performance.bias, self.reliability.bias];
        let mut top = [Top3::default(), Top3::default()];
        let mut supported = [false; 2];
        for &(i, v) in x {
            for h in 0..2 {
                let contribution = heads[h].weights[i as usize] * v;
                z[h] += contribution;
                if contribution > 0.0 {
                    supported[h] = true;
                    if contribution > REASON_FLOOR && self.explainable[i as usize] {
                        top[h].offer(i, contribution);
                    }
                }
            }
        }
        [0, 1].map(|h| HeadScore { probability: sigmoid(z[h]), terms: top[h].to_vec(), supported: supported[h] })
    }
}

/// One head's part of a `Prediction`.
struct HeadScore {
    probability: f32,
    terms: Vec<(u32, f32)>,
    supported: bool,
}

/// The three largest contributions seen, largest first (an earlier one stays ahead of an equal
/// later one).
#[derive(Default)]
struct Top3 {
    items: [(u32, f32); 3],
    len: usize,
}

impl Top3 {
    fn offer(&mut self, index: u32, contribution: f32) {
        let mut at = self.len;
        while at > 0 && contribution > self.items[at - 1].1 {
            at -= 1;
        }
        if at == 3 {
            return;
        }
        let last = self.len.min(2);
        self.items.copy_within(at..last, at + 1);
        self.items[at] = (index, contribution);
        self.len = (self.len + 1).min(3);
    }

    fn to_vec(&self) -> Vec<(u32, f32)> {
        self.items[..self.len].to_vec()
    }
}

pub fn normalize(vec: &mut [(u32, f32)]) {
    let norm = vec.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, v) in vec.iter_mut() {
            *v /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toy() -> Model {
        let vocab = vec!["slow".to_string(), "crash".to_string(), "thanks".to_string()];
        Model::new(
            vocab,
            vec![1.0, 1.0, 1.0],
            Head { weights: vec![4.0, 0.0, -1.0], bias: -1.0, threshold: 0.5 },
            Head { weights: vec![0.0, 4.0, -1.0], bias: -1.0, threshold: 0.5 },
            ModelMetrics::default(),
        )
    }

    #[test]
    fn predicts_with_explaining_terms() {
        let m = toy();
        let p = m.predict("so slow, thanks");
        assert!(p.performance > 0.5 && p.reliability < 0.5, "{p:?}");
        assert_eq!(m.term(p.performance_terms[0].0), "slow");
        assert!(p.reliability_terms.is_empty());
    }

    #[test]
    fn json_round_trip_keeps_version_and_predictions() {
        let m = toy();
        let back = Model::from_json(&m.to_json()).unwrap();
        assert_eq!(back.version, m.version);
        assert_eq!(back.predict("crash"), m.predict("crash"));
        assert!(Model::from_json(&m.to_json().replace("[1.0,1.0,1.0]", "[1.0]")).is_err());
    }
}
