//! What ships in the binary: the seed corpus (our own labelled writing, `data/seed/`), the
//! default model (`models/default.json`: the shipped recipe in `recipe.rs`, seed corpus plus the
//! public sets in `data/public/`, reproduced by `pushback train --out models/default.json`), and
//! the default rules.

use super::eval::read_labelled;
use super::model::Model;
use super::train::Example;

pub const CORPUS_CSV: &str = include_str!("../../data/seed/corpus.csv");
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../models/default.json");
pub const DEFAULT_RULES_TOML: &str = include_str!("../../config/rules.toml");

/// The seed corpus as training examples.
pub fn corpus() -> Vec<Example> {
    read_labelled(CORPUS_CSV.as_bytes()).expect("the embedded seed corpus parses (checked by tests)")
}

/// A seed row with its kind and product voice: what the synthetic generator draws from.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedRow {
    pub text: String,
    pub performance: bool,
    pub reliability: bool,
    pub kind: crate::domain::Kind,
    pub product: String,
}

pub fn corpus_rows() -> Vec<SeedRow> {
    let mut rdr = csv::Reader::from_reader(CORPUS_CSV.as_bytes());
    let headers = rdr.headers().expect("corpus header").clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (t, p, r, k, pr) = (col("text"), col("is_performance"), col("is_reliability"), col("kind"), col("product"));
    rdr.records()
        .filter_map(Result::ok)
        .map(|rec| {
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").to_string();
            SeedRow {
                text: get(t),
                performance: get(p) == "1",
                reliability: get(r) == "1",
                // Live chats are stored as tickets (the kinds are ticket, churn_note, review, other).
                kind: if get(k) == "chat" { crate::domain::Kind::Ticket } else { get(k).parse().unwrap_or(crate::domain::Kind::Ticket) },
                product: get(pr),
            }
        })
        .collect()
}

/// The shipped model.
pub fn default_model() -> Model {
    Model::from_json(DEFAULT_MODEL_JSON).expect("the embedded default model parses (checked by tests)")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::classify::Classifier;
    use crate::classify::rules::Rules;
    use crate::classify::train::{TrainParams, train};

    fn shipped() -> Classifier {
        Classifier::new(default_model(), Rules::parse(DEFAULT_RULES_TOML, "config/rules.toml").unwrap())
    }

    #[test]
    fn embedded_corpus_and_model_load() {
        assert!(corpus().len() >= 1500, "seed corpus has {} rows", corpus().len());
        assert!(!default_model().vocabulary.is_empty());
    }

    #[test]
    fn the_shipped_model_is_exactly_what_the_recipe_trains() {
        // `pushback train --out models/default.json` must reproduce the file, held-out figures included.
        let retrained = crate::classify::recipe::shipped_model(&TrainParams::default()).unwrap();
        let shipped = default_model();
        let stale = "models/default.json is stale: rebuild it with `pushback train --out models/default.json`";
        assert_eq!(retrained.version, shipped.version, "{stale}");
        assert_eq!(retrained.held_out, shipped.held_out, "{stale}");
        assert!(shipped.held_out.is_some());
    }

    #[test]
    fn seed_only_training_still_works() {
        let model = train(&corpus(), &TrainParams::default()).unwrap();
        assert_eq!(model.metrics.trained_on, corpus().len());
    }

    #[test]
    fn the_shipped_model_tags_clear_examples() {
        let c = shipped();
        let cases = [
            ("The checkout page takes forever to load, sometimes 40 seconds.", true, false),
            ("Search is really laggy and the whole app feels sluggish since the update", true, false),
            ("This app drains my battery in two hours", true, false),
            ("The app crashes every time I open a photo", false, true),
            ("Got a 500 error when saving the invoice, and my draft is gone", false, true),
            ("Your service was down for three hours this morning", false, true),
            ("The app freezes every time I open a PDF", false, true),
            ("search takes 20 seconds", true, false),
            // A memory problem is both (data/DEFINITIONS.md): rules `memory-problem` and `out-of-memory`.
            ("Keeps running out of memory on bigger files", true, true),
            ("Nice reader but I get nothing but memory errors", true, true),
            ("Works, but it is eating a lot of battery", true, false),
            ("Great app, it just lags when I scroll through long lists", true, false),
            // Failures the definitions name, forced by rules since issue 24's reliability pass.
            ("Love the layout, but offline mode doesn't seem to work on my phone", false, true),
            ("It gets stuck on the loading screen and I have to restart it", false, true),
            ("The latest update broke the widget", false, true),
            ("After the update it deleted everything, all my subscriptions are gone", false, true),
            ("Great podcast player, except all videos refuse to play since Tuesday", false, true),
        ];
        for (text, performance, reliability) in cases {
            let got = c.classify_text(text);
            assert_eq!((got.performance, got.reliability), (performance, reliability), "{text}: {:?}", got.explanation);
            assert!(!got.explanation.is_empty(), "{text}: a tagged item must say why");
        }
    }

    #[test]
    fn the_shipped_model_leaves_hard_negatives_untagged() {
        let c = shipped();
        for text in [
            "fast support, thanks!",
            "please add dark mode",
            "Your pricing is too expensive for a team of our size",
            "Support took forever to reply to my billing question",
            "How do I export my invoices to PDF?",
            "Can you add a crash course video for new users?",
            "We would like a price freeze on our renewal",
            "fast and easy to use, love it",
            "checkout is way faster since you moved us to the new servers",
            "I tried them all and this one takes the cake",
            "it takes care of all my invoices",
            "Works great and doesn't drain the battery",
            "everything I need without the ads and the battery drain",
            // Praise and other apps' failures are neither (issue 24's `praise-reliable` veto).
            "Rarely crashes, if ever. Love the themes",
            "Never failed me in four years, can't recommend it enough",
            "The official app kept crashing, so I switched to this one",
        ] {
            let got = c.classify_text(text);
            assert!(!got.performance && !got.reliability, "{text}: {:?} {:?}", got.categories(), got.explanation);
        }
    }
}
