//! The linear model: a pruned TF-IDF vocabulary and one logistic head per category.
//! Trained with linfa (`train.rs`); predicted here sparsely, term by term, which is what makes
//! one item take microseconds instead of a dense matrix product over the whole vocabulary.

use super::features;
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
    /// Term hash -> feature index (see `features::term_hash`).
    #[serde(skip)]
    index: HashMap<u64, u32, BuildHasherDefault<IdentityHasher>>,
    /// Per feature: worth showing a person as a reason (a word or phrase, not a character
    /// n-gram, not only function words like "and", "is", "app is").
    #[serde(skip)]
    explainable: Vec<bool>,
}

/// Words that can carry weight in the model but explain nothing to a reader.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "the", "is", "it", "its", "this", "that", "to", "of", "in", "on", "at", "for", "with", "my", "i", "me", "we", "our",
    "you", "your", "so", "very", "just", "but", "or", "be", "was", "are", "been", "am", "app", "then", "now", "again", "all", "do", "does",
    "has", "have", "had", "when", "after", "every", "time", "there", "they", "them", "too", "really", "still",
];

fn explainable(term: &str) -> bool {
    !term.starts_with('~') && term.split(' ').any(|w| !FUNCTION_WORDS.contains(&w))
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

/// A prediction before rules: per-category probability and the terms that pushed it up.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub performance: f32,
    pub reliability: f32,
    pub performance_terms: Vec<(String, f32)>,
    pub reliability_terms: Vec<(String, f32)>,
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
        self.index = self.vocabulary.iter().enumerate().map(|(i, t)| (features::term_hash(t), i as u32)).collect();
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

    /// The sparse TF-IDF vector of a text: (feature index, weight), L2-normalised,
    /// sublinear term frequency. Unknown terms are dropped.
    pub fn vectorize(&self, text: &str) -> Vec<(u32, f32)> {
        let (mut lower, mut spans) = (String::with_capacity(text.len()), Vec::with_capacity(text.len() / 4));
        features::tokenize_into(text, &mut lower, &mut spans);
        let tokens: Vec<&str> = spans.iter().map(|&(a, b)| &lower[a..b]).collect();
        let mut hits: Vec<u32> = Vec::with_capacity(tokens.len() * 2);
        features::for_each_term_hash(&tokens, |h| {
            if let Some(&i) = self.index.get(&h) {
                hits.push(i);
            }
        });
        hits.sort_unstable();
        let mut vec: Vec<(u32, f32)> = Vec::with_capacity(hits.len());
        for i in hits {
            match vec.last_mut() {
                Some((last, count)) if *last == i => *count += 1.0,
                _ => vec.push((i, 1.0)),
            }
        }
        for (i, v) in vec.iter_mut() {
            *v = (1.0 + v.ln()) * self.idf[*i as usize];
        }
        normalize(&mut vec);
        vec
    }

    pub fn predict(&self, text: &str) -> Prediction {
        let x = self.vectorize(text);
        let (performance, performance_terms, performance_supported) = self.score(&self.performance, &x);
        let (reliability, reliability_terms, reliability_supported) = self.score(&self.reliability, &x);
        Prediction { performance, reliability, performance_terms, reliability_terms, performance_supported, reliability_supported }
    }

    /// Probability, the (up to three) whole words or phrases with the largest positive
    /// contribution, and whether anything at all (a word or a character n-gram) pushed towards
    /// the category. Character n-grams count for the score but are not shown to people.
    fn score(&self, head: &Head, x: &[(u32, f32)]) -> (f32, Vec<(String, f32)>, bool) {
        let mut z = head.bias;
        let mut top: Vec<(u32, f32)> = Vec::with_capacity(4);
        let mut supported = false;
        for &(i, v) in x {
            let contribution = head.weights[i as usize] * v;
            z += contribution;
            if contribution > 0.0 {
                supported = true;
                if self.explainable[i as usize] {
                    top.push((i, contribution));
                    if top.len() > 3 {
                        top.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
                        top.truncate(3);
                    }
                }
            }
        }
        top.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        top.truncate(3);
        let terms = top.into_iter().map(|(i, c)| (self.vocabulary[i as usize].clone(), c)).collect();
        (sigmoid(z), terms, supported)
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
        assert_eq!(p.performance_terms[0].0, "slow");
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
