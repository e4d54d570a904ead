//! Emerging topics, the pure part: texts in, clusters out.
//!
//! Each text becomes a TF-IDF vector over its words (lower-cased; stop words and support-ticket
//! greetings left out; words in at least `min_df` texts; weights `(1 + ln tf) × idf²`, squared so
//! a rare word two complaints share outweighs the common words of every complaint;
//! L2-normalised). Identical vectors are clustered once. linfa-clustering's k-means (k-means++
//! start with its fixed seed, so the same texts in the same order give the same clusters) splits
//! them in one group per `items_per_cluster` distinct vectors, on the vectors themselves or, past
//! `DENSE_UP_TO` words, on a sparse random projection to `DIMENSIONS` (which keeps distances
//! between texts roughly as they are). A group is named by its most distinctive words: used by
//! many of its texts and few of the others, scored `coverage × ln(coverage / pool share)`. It is
//! kept when its top word covers `min_coverage` of it; when it holds nearly all the texts that
//! use its top word (`CARVE_SHARE`), those texts are kept as a cluster and the rest goes on;
//! otherwise it is split in two again (bisecting k-means, at most `MAX_DEPTH` times). A kept
//! cluster counts only the texts that use one of its names, then takes in the unclustered texts
//! that use its top word, so its names describe every item it counts.
//!
//! Before k-means, words that burst are given their own cluster (when the caller says which
//! texts are recent): a word used by at least `min_items` recent texts, by at most
//! `BURST_MAX_SHARE` of all texts, whose texts are at least `BURST` times as often recent as the
//! pool's are, and not by chance (the exact binomial test the packs use, p ≤ `BURST_P`). A new
//! complaint is few texts in a large pool; k-means alone scatters them over the clusters of
//! older complaints they share a word with, and then nothing names them.

use crate::stats::binomial_two_sided;
use linfa::DatasetBase;
use linfa::traits::{Fit, Predict};
use linfa_clustering::KMeans;
use ndarray::Array2;
use std::collections::HashMap;
pub use vectors::words;
use vectors::{DENSE_UP_TO, dense, directions, distinct, project, vectors};

mod vectors;

/// How the clustering runs; `Params::default()` is what the product uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// Most words in the vocabulary (the most common first, after stop words).
    pub max_terms: usize,
    /// A word must appear in at least this many texts to count.
    pub min_df: usize,
    /// Most distinct vectors k-means is fitted on; beyond that an even sample.
    pub fit_sample: usize,
    /// k-means fits from this many k-means++ starts and keeps the best (each start is a whole
    /// fit: most of the clustering's time).
    pub runs: usize,
    /// k is the distinct vectors over this, within 2..=`max_clusters`.
    pub items_per_cluster: usize,
    pub max_clusters: usize,
    /// A cluster's most distinctive word must be used by at least this share of it.
    pub min_coverage: f64,
    /// Clusters with fewer texts (that use one of its names) are dropped.
    pub min_items: usize,
    /// Words naming a cluster (and later a topic's patterns).
    pub name_terms: usize,
    /// A naming word must be this many times more common in the cluster than in all texts.
    pub min_lift: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            max_terms: 5000,
            min_df: 3,
            fit_sample: 1500,
            runs: 3,
            items_per_cluster: 8,
            max_clusters: 60,
            min_coverage: 0.75,
            min_items: 5,
            name_terms: 3,
            min_lift: 3.0,
        }
    }
}

/// A word that names a cluster.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Term {
    pub term: String,
    /// Share of the cluster's texts that use it.
    pub coverage: f64,
    /// Share of all the texts that use it.
    pub pool_share: f64,
}

/// A group of texts, by their index in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Indices into the input, ascending; each uses at least one of `terms`.
    pub members: Vec<usize>,
    /// The most distinctive words, most distinctive first.
    pub terms: Vec<Term>,
    /// The member nearest the centroid: the most typical text.
    pub typical: usize,
}

/// `which` (indices into `projected`) split in up to `k` groups: linfa's k-means fitted on an
/// even sample of them (all when few), then each assigned to its nearest centroid. Empty groups
/// are dropped; nothing comes back when there are fewer vectors than `k`.
fn split(projected: &[Vec<f64>], which: &[usize], k: usize, params: &Params) -> Vec<Vec<usize>> {
    let rows = |idx: &mut dyn Iterator<Item = usize>, n: usize| {
        let mut m = Array2::<f64>::zeros((n, projected.first().map_or(0, Vec::len)));
        for (r, i) in idx.enumerate() {
            m.row_mut(r).assign(&ndarray::ArrayView1::from(&projected[i][..]));
        }
        m
    };
    let n = which.len();
    if n < k || k < 2 {
        return Vec::new();
    }
    let fit_n = n.min(params.fit_sample);
    let sample = rows(&mut (0..fit_n).map(|i| which[i * n / fit_n]), fit_n);
    let Ok(model) = KMeans::params(k).n_runs(params.runs).max_n_iterations(60).tolerance(1e-4).fit(&DatasetBase::from(sample)) else {
        return Vec::new();
    };
    let memberships = model.predict(&rows(&mut which.iter().copied(), n));
    let mut groups = vec![Vec::new(); k];
    for (&i, &m) in which.iter().zip(memberships.iter()) {
        groups[m].push(i);
    }
    groups.retain(|g| !g.is_empty());
    groups
}

/// Most times a group is split again.
const MAX_DEPTH: usize = 4;
/// A group that holds at least this share of the texts using its top word gives them a cluster.
const CARVE_SHARE: f64 = 0.8;

/// A bursting word's texts are at least this many times as often recent as all texts are.
const BURST: f64 = 3.0;
/// The most a bursting word's split between the halves may be explained by chance.
const BURST_P: f64 = 0.01;
/// A word used by more of the texts than this share is too common to burst.
const BURST_MAX_SHARE: f64 = 0.1;

/// Clusters of `texts` with at least `params.min_items` members, largest first. `recent` says
/// which texts are in the window's second half (empty: not known, no burst clusters). Words
/// that burst make clusters first (see the module note); k-means then splits the other
/// distinct vectors in `distinct / items_per_cluster` groups; a group whose most distinctive
/// word is used by fewer than `min_coverage` of its texts is split in two again (bisecting
/// k-means, at most `MAX_DEPTH` times), and one that never gets there is dropped.
pub fn cluster(texts: &[&str], recent: &[bool], params: &Params) -> Vec<Cluster> {
    let (vectors, vocabulary) = vectors(texts, params);
    let (firsts, of) = distinct(&vectors);
    let projected: Vec<Vec<f64>> = if vocabulary.len() <= DENSE_UP_TO {
        firsts.iter().map(|&i| dense(&vectors[i], vocabulary.len())).collect()
    } else {
        let directions = directions(&vocabulary);
        firsts.iter().map(|&i| project(&vectors[i], &directions)).collect()
    };
    let mut texts_of: Vec<Vec<usize>> = vec![Vec::new(); firsts.len()];
    for (i, d) in of.iter().enumerate() {
        if let Some(d) = d {
            texts_of[*d].push(i);
        }
    }
    let pool = Pool { df: term_counts(&vectors, 0..texts.len()), n: texts.len() as f64, vectors: &vectors, vocabulary: &vocabulary };
    let mut out = pool.bursts(recent, &projected, &of, params);
    let mut burst = vec![false; texts.len()];
    out.iter().flat_map(|c| &c.members).for_each(|&i| burst[i] = true);
    let all: Vec<usize> = (0..firsts.len()).filter(|&d| !texts_of[d].iter().any(|&i| burst[i])).collect();
    let k = (all.len() / params.items_per_cluster).clamp(2, params.max_clusters);
    let mut queue: Vec<(Vec<usize>, usize)> = split(&projected, &all, k, params).into_iter().map(|g| (g, 0)).collect();
    while let Some((group, depth)) = queue.pop() {
        let members = pool.texts(&group, &texts_of);
        if members.len() < params.min_items {
            continue;
        }
        let terms = pool.name(&members, params);
        let Some(top) = terms.first() else { continue };
        if top.coverage >= params.min_coverage {
            out.extend(pool.accept(members, terms, &projected, &of, params));
            continue;
        }
        // A group holding nearly every text that uses its top word: those texts are a cluster.
        let word = pool.index(&top.term);
        let (with, rest): (Vec<usize>, Vec<usize>) = group.iter().partition(|&&d| vectors[firsts[d]].iter().any(|(t, _)| *t == word));
        let with_texts = pool.texts(&with, &texts_of);
        if with_texts.len() >= params.min_items && with_texts.len() as f64 >= CARVE_SHARE * pool.df[&word] as f64 {
            let terms = pool.name(&with_texts, params);
            out.extend(pool.accept(with_texts, terms, &projected, &of, params));
            queue.push((rest, depth + 1));
        } else if depth < MAX_DEPTH && members.len() >= 2 * params.min_items {
            queue.extend(split(&projected, &group, 2, params).into_iter().map(|g| (g, depth + 1)));
        }
    }
    pool.claim(&mut out);
    out
}

/// What naming a cluster looks at: every text's vector, and how many texts use each word.
struct Pool<'a> {
    vectors: &'a [Vec<(u32, f64)>],
    vocabulary: &'a [String],
    df: HashMap<u32, usize>,
    n: f64,
}

impl Pool<'_> {
    /// Clusters of the words that burst (see the module note), the fastest first; a text goes
    /// to the first that takes it. None when `recent` does not cover the texts.
    fn bursts(&self, recent: &[bool], projected: &[Vec<f64>], of: &[Option<usize>], params: &Params) -> Vec<Cluster> {
        if recent.len() != self.vectors.len() {
            return Vec::new();
        }
        let pool_recent = recent.iter().filter(|r| **r).count() as f64;
        let pool_earlier = self.n - pool_recent;
        if pool_recent == 0.0 || pool_earlier == 0.0 {
            return Vec::new();
        }
        let recent_df = term_counts(self.vectors, (0..recent.len()).filter(|&i| recent[i]));
        let share = pool_recent / self.n;
        let mut bursting: Vec<(f64, usize, u32)> = recent_df
            .into_iter()
            .map(|(t, r)| (t, r, self.df[&t] - r))
            .filter(|&(_, r, e)| r >= params.min_items && (r + e) as f64 <= BURST_MAX_SHARE * self.n)
            .map(|(t, r, e)| ((r as f64 / pool_recent) / (e.max(1) as f64 / pool_earlier), r, e, t))
            .filter(|&(ratio, r, e, _)| ratio >= BURST && binomial_two_sided(r as u64, (r + e) as u64, share) <= BURST_P)
            .map(|(ratio, r, _, t)| (ratio, r, t))
            .collect();
        bursting.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut taken = vec![false; self.vectors.len()];
        let mut out = Vec::new();
        for (_, _, word) in bursting {
            let texts: Vec<usize> =
                (0..self.vectors.len()).filter(|&i| !taken[i] && self.vectors[i].iter().any(|(t, _)| *t == word)).collect();
            if texts.len() < params.min_items {
                continue;
            }
            let terms = self.name(&texts, params);
            if terms.first().map(|t| t.term.as_str()) != Some(self.vocabulary[word as usize].as_str()) {
                continue;
            }
            if let Some(c) = self.accept(texts, terms, projected, of, params) {
                c.members.iter().for_each(|&i| taken[i] = true);
                out.push(c);
            }
        }
        out
    }

    /// The texts of the distinct vectors `group`, ascending.
    fn texts(&self, group: &[usize], texts_of: &[Vec<usize>]) -> Vec<usize> {
        let mut members: Vec<usize> = group.iter().flat_map(|&d| texts_of[d].iter().copied()).collect();
        members.sort_unstable();
        members
    }

    fn index(&self, word: &str) -> u32 {
        self.vocabulary.iter().position(|w| w == word).unwrap_or(usize::MAX) as u32
    }

    /// Largest cluster first, each takes in the texts no cluster holds that use its top word.
    fn claim(&self, clusters: &mut [Cluster]) {
        let by_size = |c: &[Cluster]| {
            let mut order: Vec<usize> = (0..c.len()).collect();
            order.sort_by(|&a, &b| c[b].members.len().cmp(&c[a].members.len()).then(c[a].members[0].cmp(&c[b].members[0])));
            order
        };
        let mut held = vec![false; self.vectors.len()];
        clusters.iter().flat_map(|c| &c.members).for_each(|&i| held[i] = true);
        for c in by_size(clusters) {
            let Some(top) = clusters[c].terms.first().and_then(|t| self.vocabulary.iter().position(|w| *w == t.term)) else { continue };
            for (i, v) in self.vectors.iter().enumerate() {
                if !held[i] && v.iter().any(|(t, _)| *t as usize == top) {
                    held[i] = true;
                    clusters[c].members.push(i);
                }
            }
            clusters[c].members.sort_unstable();
        }
        let order = by_size(clusters);
        let sorted: Vec<Cluster> = order.iter().map(|&i| clusters[i].clone()).collect();
        clusters.clone_from_slice(&sorted);
    }

    /// The words most over-represented in `members` against all texts, most distinctive first.
    fn name(&self, members: &[usize], params: &Params) -> Vec<Term> {
        let size = members.len() as f64;
        let mut scored: Vec<(f64, Term)> = term_counts(self.vectors, members.iter().copied())
            .into_iter()
            .filter_map(|(t, inside)| {
                let coverage = inside as f64 / size;
                let pool_share = self.df.get(&t).copied().unwrap_or(inside) as f64 / self.n;
                (coverage >= params.min_lift * pool_share && inside >= 2).then(|| {
                    (coverage * (coverage / pool_share).ln(), Term { term: self.vocabulary[t as usize].clone(), coverage, pool_share })
                })
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.term.cmp(&b.1.term)));
        scored.into_iter().take(params.name_terms).map(|(_, t)| t).collect()
    }

    /// The cluster of `members` named by `terms`: only the texts that use one of the names, and
    /// the one nearest their mean as the typical text. `None` when too few are left.
    fn accept(
        &self,
        members: Vec<usize>,
        terms: Vec<Term>,
        projected: &[Vec<f64>],
        of: &[Option<usize>],
        params: &Params,
    ) -> Option<Cluster> {
        let ids: Vec<u32> = terms.iter().filter_map(|t| self.vocabulary.iter().position(|w| *w == t.term)).map(|i| i as u32).collect();
        let members: Vec<usize> = members.into_iter().filter(|&i| self.vectors[i].iter().any(|(t, _)| ids.contains(t))).collect();
        if members.len() < params.min_items {
            return None;
        }
        let point = |i: usize| of[i].map(|d| &projected[d]);
        let mut mean = vec![0.0; projected.first().map_or(0, Vec::len)];
        for p in members.iter().filter_map(|&i| point(i)) {
            mean.iter_mut().zip(p).for_each(|(m, x)| *m += x);
        }
        let close = |i: usize| point(i).map_or(f64::NEG_INFINITY, |p| p.iter().zip(&mean).map(|(a, b)| a * b).sum());
        let typical = *members.iter().max_by(|a, b| close(**a).total_cmp(&close(**b)).then(b.cmp(a)))?;
        Some(Cluster { members, terms, typical })
    }
}

/// How many of `which` texts use each vocabulary word.
fn term_counts(vectors: &[Vec<(u32, f64)>], which: impl IntoIterator<Item = usize>) -> HashMap<u32, usize> {
    let mut counts = HashMap::new();
    for i in which {
        for (t, _) in &vectors[i] {
            *counts.entry(*t).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Complaints the seed corpus never makes: a barcode scanner that fails, in varied words.
    pub(crate) const PLANTED: &[&str] = &[
        "The barcode scanner freezes when I scan the second item",
        "Barcode scanning takes ten seconds per item now",
        "Scanning a barcode fails with an error since Monday",
        "barcode scanner keeps freezing at the till",
        "Our barcode reader stopped scanning labels",
        "barcode scan is so slow the queue grows",
        "Every barcode scan shows an error and we type codes by hand",
        "The barcode camera hangs before it reads anything",
    ];

    fn noise() -> Vec<String> {
        crate::classify::seed::corpus_rows().into_iter().filter(|r| r.performance || r.reliability).map(|r| r.text).take(250).collect()
    }

    fn with_planted() -> Vec<String> {
        let mut texts = noise();
        for (i, p) in PLANTED.iter().enumerate() {
            texts.insert(17 + i * 29, p.to_string());
        }
        texts
    }

    #[test]
    fn words_drop_stop_words_greetings_and_apostrophes() {
        let w: Vec<String> = words("Hi team, the Barcode scanner doesn't work! Thanks in advance. 404 2FA").collect();
        assert_eq!(w, vec!["barcode", "scanner", "work", "2fa"]);
    }

    #[test]
    fn a_planted_complaint_comes_out_as_one_cluster_named_by_its_words() {
        let texts = with_planted();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let clusters = cluster(&refs, &[], &Params::default());
        let planted: Vec<usize> = (0..texts.len()).filter(|&i| PLANTED.contains(&texts[i].as_str())).collect();
        let hit = clusters.iter().find(|c| c.terms.first().is_some_and(|t| t.term == "barcode")).unwrap_or_else(|| {
            panic!(
                "{:?}",
                clusters.iter().map(|c| (c.members.len(), c.terms.iter().map(|t| &t.term).collect::<Vec<_>>())).collect::<Vec<_>>()
            )
        });
        assert!(hit.members.iter().all(|i| planted.contains(i)), "only planted texts: {:?}", hit.members);
        assert!(hit.members.len() >= 6, "most of the {} planted texts: {:?}", planted.len(), hit.members);
        assert!(planted.contains(&hit.typical));
        assert!(hit.terms[0].coverage == 1.0 && hit.terms[0].pool_share < 0.05, "{:?}", hit.terms);
        for c in &clusters {
            assert!(c.members.len() >= 5);
            assert!(c.members.iter().all(|&i| words(&texts[i]).any(|w| c.terms.iter().any(|t| t.term == w))), "names describe members");
        }
    }

    #[test]
    fn the_same_texts_give_the_same_clusters_and_too_few_give_none() {
        let texts = with_planted();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        assert_eq!(cluster(&refs, &[], &Params::default()), cluster(&refs, &[], &Params::default()));
        assert!(cluster(&PLANTED[..3], &[], &Params::default()).is_empty());
        assert!(cluster(&[], &[], &Params::default()).is_empty());
        assert!(cluster(&["", "!!!", "the and"], &[], &Params::default()).is_empty());
    }

    #[test]
    fn a_new_complaint_scattered_over_older_ones_bursts_into_its_own_cluster() {
        // The planted texts are all recent; half the rest are.
        let texts = with_planted();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let recent: Vec<bool> = texts.iter().enumerate().map(|(i, t)| PLANTED.contains(&t.as_str()) || i % 2 == 0).collect();
        let clusters = cluster(&refs, &recent, &Params::default());
        let first = &clusters.iter().find(|c| c.terms[0].term == "barcode").expect("a barcode cluster").members;
        let planted: Vec<usize> = (0..texts.len()).filter(|&i| PLANTED.contains(&texts[i].as_str())).collect();
        assert_eq!(first, &planted, "every planted text and nothing else");
        // The same words spread evenly over both halves do not burst: no cluster is one word's texts
        // that k-means would not have found.
        let even: Vec<bool> = (0..texts.len()).map(|i| i % 2 == 0).collect();
        assert_eq!(cluster(&refs, &even, &Params::default()), cluster(&refs, &[], &Params::default()));
    }
}
