//! Texts as vectors for the clustering: the words that count, TF-IDF weights, identical vectors
//! found once, and the random projection large vocabularies are clustered in.

use super::Params;
use std::collections::HashMap;

/// Words of no use for telling complaints apart: English function words, and what support
/// tickets open and close with.
const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "are",
    "but",
    "not",
    "you",
    "your",
    "all",
    "any",
    "can",
    "had",
    "has",
    "have",
    "her",
    "his",
    "its",
    "our",
    "out",
    "was",
    "were",
    "with",
    "this",
    "that",
    "these",
    "those",
    "from",
    "they",
    "them",
    "their",
    "there",
    "then",
    "than",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "how",
    "will",
    "would",
    "could",
    "should",
    "been",
    "being",
    "into",
    "onto",
    "over",
    "under",
    "about",
    "after",
    "before",
    "again",
    "also",
    "just",
    "only",
    "very",
    "really",
    "still",
    "even",
    "every",
    "each",
    "some",
    "more",
    "most",
    "much",
    "many",
    "such",
    "too",
    "off",
    "did",
    "does",
    "doing",
    "done",
    "get",
    "gets",
    "got",
    "getting",
    "one",
    "two",
    "now",
    "here",
    "because",
    "while",
    "since",
    "until",
    "both",
    "other",
    "same",
    "own",
    "let",
    "lets",
    "may",
    "might",
    "must",
    "shall",
    "yet",
    "via",
    "per",
    "etc",
    "able",
    "like",
    "make",
    "made",
    "use",
    "used",
    "using",
    "way",
    "thing",
    "things",
    "lot",
    "bit",
    "day",
    "days",
    "today",
    "time",
    "times",
    "week",
    "please",
    "thanks",
    "thank",
    "hello",
    "hey",
    "team",
    "support",
    "advance",
    "advise",
    "urgent",
    "update",
    "help",
    "good",
    "morning",
    "regards",
    "best",
    "cheers",
    "hope",
    "know",
    "need",
    "want",
    "think",
    "app",
    "ive",
    "im",
    "dont",
    "doesnt",
    "didnt",
    "cant",
    "wont",
    "isnt",
    "its",
    "it's",
    "we're",
    "were",
    "weve",
    "youre",
    "theyre",
    "any",
    "anyone",
    "someone",
    "something",
    "anything",
    "nothing",
    "everything",
    "yes",
    "yeah",
    "okay",
    "well",
    "back",
    "cancellation",
];

/// The words of `text` that count: lower case, apostrophes dropped, 3+ characters with a letter.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>())
        .filter(|w| w.chars().count() >= 3 && w.chars().any(char::is_alphabetic) && !STOPWORDS.contains(&w.as_str()))
}

/// Sparse L2-normalised TF-IDF vectors (term index, weight; by term index), and the vocabulary.
pub(super) fn vectors(texts: &[&str], params: &Params) -> (Vec<Vec<(u32, f64)>>, Vec<String>) {
    let counted: Vec<HashMap<String, u32>> = texts
        .iter()
        .map(|t| {
            let mut m = HashMap::new();
            for w in words(t) {
                *m.entry(w).or_insert(0) += 1;
            }
            m
        })
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for m in &counted {
        for w in m.keys() {
            *df.entry(w.as_str()).or_insert(0) += 1;
        }
    }
    let mut common: Vec<(&str, usize)> = df.into_iter().filter(|(_, n)| *n >= params.min_df).collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    common.truncate(params.max_terms);
    let index: HashMap<&str, u32> = common.iter().enumerate().map(|(i, (w, _))| (*w, i as u32)).collect();
    let n = texts.len() as f64;
    let idf: Vec<f64> = common.iter().map(|(_, d)| (((1.0 + n) / (1.0 + *d as f64)).ln() + 1.0).powi(2)).collect();
    let vectors = counted
        .iter()
        .map(|m| {
            let mut v: Vec<(u32, f64)> =
                m.iter().filter_map(|(w, tf)| index.get(w.as_str()).map(|&i| (i, (1.0 + f64::from(*tf).ln()) * idf[i as usize]))).collect();
            v.sort_by_key(|(i, _)| *i);
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            v.iter_mut().for_each(|(_, x)| *x /= norm);
            v
        })
        .collect();
    (vectors, common.into_iter().map(|(w, _)| w.to_string()).collect())
}

/// Identical vectors once each: the distinct vectors in order of first appearance, and which
/// distinct vector each text has (`None` for a text with no counted word).
pub(super) fn distinct(vectors: &[Vec<(u32, f64)>]) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut seen: HashMap<Vec<(u32, u64)>, usize> = HashMap::new();
    let mut firsts = Vec::new();
    let of = vectors
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (!v.is_empty()).then(|| {
                let key: Vec<(u32, u64)> = v.iter().map(|(t, x)| (*t, x.to_bits())).collect();
                *seen.entry(key).or_insert_with(|| {
                    firsts.push(i);
                    firsts.len() - 1
                })
            })
        })
        .collect();
    (firsts, of)
}

/// Dimensions of the random projection k-means runs in.
pub(super) const DIMENSIONS: usize = 128;

/// Each vocabulary word's direction in the projection: a sparse random ±1 vector (a third of
/// its entries non-zero, Achlioptas' scheme) drawn from the word itself, so a word always has the
/// same direction whatever else is in the vocabulary.
pub(super) fn directions(vocabulary: &[String]) -> Vec<Vec<f64>> {
    vocabulary
        .iter()
        .map(|w| {
            use sha2::{Digest, Sha256};
            let seed = u64::from_le_bytes(Sha256::digest(w.as_bytes())[..8].try_into().unwrap_or_default());
            let mut rng = crate::rng::Rng::new(seed);
            let mut d = vec![0.0; DIMENSIONS];
            for x in &mut d {
                *x = match rng.below(6) {
                    0 => 1.0,
                    1 => -1.0,
                    _ => 0.0,
                };
            }
            d
        })
        .collect()
}

/// Vocabularies up to this size are clustered as they are; larger ones in the projection.
pub(super) const DENSE_UP_TO: usize = 600;

pub(super) fn dense(v: &[(u32, f64)], terms: usize) -> Vec<f64> {
    let mut out = vec![0.0; terms];
    for &(t, x) in v {
        out[t as usize] = x;
    }
    out
}

/// A sparse vector projected onto the directions, normalised again.
pub(super) fn project(v: &[(u32, f64)], directions: &[Vec<f64>]) -> Vec<f64> {
    let mut out = vec![0.0; directions.first().map_or(0, Vec::len)];
    for &(t, x) in v {
        for (o, d) in out.iter_mut().zip(&directions[t as usize]) {
            *o += x * d;
        }
    }
    let norm = out.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        out.iter_mut().for_each(|x| *x /= norm);
    }
    out
}
