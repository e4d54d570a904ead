//! The shipped training recipe: the seed corpus plus the two MIT-licensed public app-review sets
//! (`data/public/`, labels mapped to our definitions), trained with the default parameters, and
//! its honest quality: each public set scored by a model trained without any of its rows.
//! `pushback train --out models/default.json` runs it; a test checks the shipped file is its
//! output.

use super::Classifier;
use super::eval::read_labelled;
use super::model::Model;
use super::quality::{HeldOutQuality, HeldOutSet, TagCounts};
use super::rules::Rules;
use super::train::{Example, TrainParams, train};
use anyhow::Context;
use std::collections::HashSet;
use std::sync::Arc;

/// A vendored public data set: its name (file stem) and its CSV in the shared format
/// (`text,label,labels,is_performance,is_reliability`, plus `app` for URR).
#[derive(Debug, Clone, Copy)]
pub struct PublicSet {
    pub name: &'static str,
    pub csv: &'static str,
}

/// The public sets the shipped model trains on and is measured on (see data/public/README.md).
pub const PUBLIC_SETS: [PublicSet; 2] = [
    PublicSet { name: "urr_ciurumelea2017", csv: include_str!("../../data/public/urr_ciurumelea2017.csv") },
    PublicSet { name: "reviewpulse2024", csv: include_str!("../../data/public/reviewpulse2024.csv") },
];

/// The app whose BATTERY/MEMORY/PERFORMANCE reviews praise a battery indicator ("accurate",
/// "lightweight"): not reports of the product being slow or heavy.
const BATTERY_INDICATOR_APP: &str = "BatteryBot Battery Indicator";

impl PublicSet {
    /// The rows with the file's own flags: what `eval` and the held-out figures score against.
    pub fn examples(&self) -> Vec<Example> {
        read_labelled(self.csv.as_bytes()).expect("the embedded public data sets parse (checked by tests)")
    }

    /// The rows as training examples, labels mapped to our definitions where the file's labels
    /// and ours disagree clearly: URR's reviews of a battery-indicator app that report no error
    /// (labelled BATTERY, MEMORY or PERFORMANCE) praise it or describe its purpose, so neither.
    pub fn training_examples(&self) -> Vec<Example> {
        let mut rdr = csv::Reader::from_reader(self.csv.as_bytes());
        let headers = rdr.headers().expect("public set header").clone();
        let col = |n: &str| headers.iter().position(|h| h == n);
        let (app, labels) = (col("app"), col("labels"));
        let mut examples = self.examples();
        for (example, record) in examples.iter_mut().zip(rdr.records()) {
            let record = record.expect("public set rows parse");
            let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
            if get(app) == BATTERY_INDICATOR_APP && !get(labels).split('|').any(|l| l == "ERROR") {
                example.performance = false;
                example.reliability = false;
            }
        }
        examples
    }
}

/// Text as it is matched between data sets: lower-case word tokens joined by single spaces.
pub fn normalise(text: &str) -> String {
    super::features::tokenize(text).join(" ")
}

/// The shipped recipe's training examples without any row whose normalised text is in
/// `exclude`: the seed corpus, then each public set mapped to our definitions.
pub fn shipped_examples(exclude: &HashSet<String>) -> Vec<Example> {
    let seed = super::seed::corpus();
    let public = PUBLIC_SETS.iter().flat_map(|s| s.training_examples());
    seed.into_iter().chain(public).filter(|e| exclude.is_empty() || !exclude.contains(&normalise(&e.text))).collect()
}

/// The normalised texts of `examples`, for `shipped_examples`' exclusion.
pub fn texts_of(examples: &[Example]) -> HashSet<String> {
    examples.iter().map(|e| normalise(&e.text)).collect()
}

/// Trains on `base` without any row whose normalised text is one of `held_out`'s.
pub fn train_without(base: &[Example], held_out: &[Example], params: &TrainParams) -> anyhow::Result<Model> {
    let exclude = texts_of(held_out);
    let train_set: Vec<Example> = base.iter().filter(|e| !exclude.contains(&normalise(&e.text))).cloned().collect();
    train(&train_set, params)
}

/// Trains on `base` without `held_out`'s rows, classifies `held_out` with `rules`
/// and returns the per-tag counts against its flags.
pub fn score_left_out(
    base: &[Example],
    held_out: &[Example],
    params: &TrainParams,
    rules: &Arc<Rules>,
) -> anyhow::Result<(TagCounts, TagCounts)> {
    let model = train_without(base, held_out, params)?;
    let classifier = Classifier { model: Arc::new(model), rules: rules.clone() };
    let predicted = classifier.predict_examples(held_out);
    let mut counts = (TagCounts::default(), TagCounts::default());
    for (e, (p, r)) in held_out.iter().zip(predicted) {
        counts.0.tally(e.performance, p);
        counts.1.tally(e.reliability, r);
    }
    Ok(counts)
}

/// Leave one public set out, for each public set in turn: `examples` (the full training set,
/// which may include more than the recipe) minus that set's rows trains the model that scores it.
pub fn held_out_quality(examples: &[Example], params: &TrainParams, rules: &Arc<Rules>) -> anyhow::Result<HeldOutQuality> {
    let mut sets = Vec::new();
    for set in &PUBLIC_SETS {
        let held_out = set.examples();
        let (performance, reliability) =
            score_left_out(examples, &held_out, params, rules).with_context(|| format!("training without {}", set.name))?;
        sets.push(HeldOutSet { name: set.name.to_string(), rows: held_out.len(), performance, reliability });
    }
    Ok(HeldOutQuality { sets })
}

/// The built-in rules: the held-out figures stored in the shipped model are measured with them.
pub fn default_rules() -> Arc<Rules> {
    Arc::new(Rules::parse(super::seed::DEFAULT_RULES_TOML, "config/rules.toml").expect("the built-in rules parse (checked by tests)"))
}

/// The shipped model: trained on `shipped_examples`, with its held-out quality measured with the
/// built-in rules. Deterministic: `models/default.json` is exactly this.
pub fn shipped_model(params: &TrainParams) -> anyhow::Result<Model> {
    model_with_held_out(&shipped_examples(&HashSet::new()), params, &default_rules())
}

/// A model trained on `examples` (the recipe's, perhaps with more), carrying its leave-one-public-set-out
/// quality measured with `rules`: what packs quote.
pub fn model_with_held_out(examples: &[Example], params: &TrainParams, rules: &Arc<Rules>) -> anyhow::Result<Model> {
    let mut model = train(examples, params)?;
    model.held_out = Some(held_out_quality(examples, params, rules)?);
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_sets_parse_with_their_documented_sizes() {
        let sizes: Vec<(&str, usize)> = PUBLIC_SETS.iter().map(|s| (s.name, s.examples().len())).collect();
        assert_eq!(sizes, vec![("urr_ciurumelea2017", 1584), ("reviewpulse2024", 3855)]);
        let urr = &PUBLIC_SETS[0];
        let moved = urr.examples().iter().zip(urr.training_examples()).filter(|(a, b)| **a != *b).count();
        assert_eq!(moved, 51, "BatteryBot rows without ERROR are mapped to neither");
    }

    #[test]
    fn leaving_a_set_out_removes_every_row_with_its_text() {
        assert_eq!(normalise("The App DOESN'T  open!!"), "the app doesnt open");
        let held_out = PUBLIC_SETS[1].examples();
        let exclude = texts_of(&held_out);
        let rest = shipped_examples(&exclude);
        assert!(rest.iter().all(|e| !exclude.contains(&normalise(&e.text))));
        assert!(rest.len() < shipped_examples(&HashSet::new()).len() - 3000);
    }
}
