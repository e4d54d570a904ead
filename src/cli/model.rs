//! `classify`, `eval`, `train`, `label`, `reclassify`.

use super::{open_store, progress_bar};
use crate::classify::eval::{cross_validate, read_labelled_csv, score};
use crate::classify::model::Model;
use crate::classify::train::{Example, TrainParams, train as train_model};
use crate::classify::{Classifier, quality, recipe, seed};
use crate::config::Settings;
use crate::domain::Category;
use crate::text::plural;
use anyhow::Context;
use std::path::{Path, PathBuf};

pub async fn classify(settings: &Settings, text: &str) -> anyhow::Result<()> {
    let classifier = classifier_for_cli(settings).await?;
    let c = classifier.classify_text(text);
    let out = serde_json::json!({
        "categories": c.categories(),
        "scores": {"performance": round3(c.score_performance), "reliability": round3(c.score_reliability)},
        "explanation": c.explanation,
        "topics": c.topics,
        "model": c.model_version,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The active classifier: the database's model when the database file already exists,
/// otherwise the shipped one (so `classify` and `eval` never create a database).
async fn classifier_for_cli(settings: &Settings) -> anyhow::Result<Classifier> {
    let url = &settings.database.url;
    let sqlite_missing =
        url.strip_prefix("sqlite://").is_some_and(|p| !p.contains(":memory:") && !Path::new(p.split('?').next().unwrap_or(p)).exists());
    if settings.classifier.model_path.is_some() || sqlite_missing {
        return super::offline_classifier(settings);
    }
    let store = open_store(settings).await?;
    super::load_classifier(settings, &store).await
}

/// What `pushback eval` measures and how it reports.
#[derive(Debug, clap::Args)]
pub struct EvalOpts {
    /// Labelled CSV: `text,label` (performance|reliability|both|other) or `text,is_performance,is_reliability`.
    /// Optional with `--leave-out`: without it each public set of `data/public/` is left out in turn.
    #[arg(long, required_unless_present = "leave_out")]
    pub data: Option<PathBuf>,
    /// Cross-validate with K folds instead of scoring the active model.
    #[arg(long)]
    pub cv: Option<usize>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Shuffle seed for the folds.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Score the model alone, without config/rules.toml.
    #[arg(long)]
    pub no_rules: bool,
    /// Train the shipped recipe without any row of the file (matched on normalised text) and
    /// score the file with that model: how the shipped model does on data it never saw.
    #[arg(long)]
    pub leave_out: bool,
    /// Also print up to N misclassified examples.
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
    /// Also print every row the tag got wrong, on its own flag: "missed" (labelled, not
    /// tagged) and "wrong" (tagged, not labelled), on standard error.
    #[arg(long, value_name = "TAG")]
    pub misses: Option<Category>,
}

pub async fn eval(settings: &Settings, opts: &EvalOpts, params: &TrainParams) -> anyhow::Result<()> {
    let Some(data) = opts.data.as_deref() else { return eval_public_sets(settings, opts, params) };
    let examples = read_labelled_csv(data)?;
    anyhow::ensure!(!examples.is_empty(), "{} has no rows", data.display());
    anyhow::ensure!(!(opts.leave_out && opts.cv.is_some()), "--leave-out and --cv are two different measures: pick one");
    let rules = std::sync::Arc::new(if opts.no_rules { crate::classify::rules::Rules::default() } else { super::load_rules(settings)? });
    let (rep, predicted) = if let Some(k) = opts.cv {
        cross_validate(&examples, k, params, opts.seed, &rules)?
    } else if opts.leave_out {
        let base = recipe::shipped_examples(&Default::default());
        let model = recipe::train_without(&base, &examples, params).context("training the shipped recipe without the file")?;
        score(&Classifier { model: std::sync::Arc::new(model), rules }, &examples)
    } else {
        let mut classifier = classifier_for_cli(settings).await?;
        classifier.rules = rules;
        score(&classifier, &examples)
    };
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&rep)?);
    } else {
        match (opts.cv, opts.leave_out) {
            (Some(k), _) => println!("{k}-fold stratified cross-validation on {}\n", data.display()),
            (None, true) => println!("shipped recipe trained without any row of {} (leave-out), scored on it\n", data.display()),
            (None, false) => println!("active model scored on {}\n", data.display()),
        }
        print!("{}", rep.to_text());
    }
    print_errors(&examples, &predicted, opts.errors);
    if let Some(tag) = opts.misses {
        for line in misses(&examples, &predicted, tag) {
            eprintln!("{line}");
        }
    }
    Ok(())
}

/// `eval --leave-out` without `--data`: each public set scored by the shipped recipe trained
/// without any of its rows (what the shipped model's `held_out` stores), per set and the lowest.
fn eval_public_sets(settings: &Settings, opts: &EvalOpts, params: &TrainParams) -> anyhow::Result<()> {
    anyhow::ensure!(opts.cv.is_none(), "--cv needs --data");
    anyhow::ensure!(
        opts.misses.is_none() && opts.errors == 0,
        "--misses and --errors list one file's rows: add --data FILE (e.g. --data data/public/reviewpulse2024.csv --leave-out)"
    );
    let rules = std::sync::Arc::new(if opts.no_rules { crate::classify::rules::Rules::default() } else { super::load_rules(settings)? });
    let base = recipe::shipped_examples(&Default::default());
    let q = recipe::held_out_quality(&base, params, &rules).context("training the shipped recipe without each public set")?;
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&q)?);
        return Ok(());
    }
    println!("shipped recipe trained without each public set in turn, scored on it\n");
    print!("{}", q.table());
    for c in Category::ALL {
        println!("{}; {}", quality::describe_precision(&q, c), quality::describe_recall(&q, c));
    }
    Ok(())
}

/// Up to `limit` misclassified examples (single-label view), on standard error.
fn print_errors(examples: &[Example], predicted: &[(bool, bool)], limit: usize) {
    use crate::classify::eval::{CLASSES, class_of};
    let name = |p: (bool, bool)| CLASSES[class_of(p.0, p.1)];
    let wrong = examples.iter().zip(predicted).filter(|(e, p)| class_of(e.performance, e.reliability) != class_of(p.0, p.1));
    for (e, p) in wrong.take(limit) {
        eprintln!(
            "gold {:<11} predicted {:<11} {}",
            name((e.performance, e.reliability)),
            name(*p),
            crate::text::truncate_chars(&e.text.replace('\n', " "), 160)
        );
    }
}

/// One line per row whose `tag` is wrong on its own flag, missed ones first.
fn misses(examples: &[Example], predicted: &[(bool, bool)], tag: Category) -> Vec<String> {
    let flag = |p: (bool, bool)| if tag == Category::Performance { p.0 } else { p.1 };
    let mut out = Vec::new();
    for (kind, gold) in [("missed", true), ("wrong", false)] {
        for (e, p) in examples.iter().zip(predicted) {
            if flag((e.performance, e.reliability)) == gold && flag(*p) != gold {
                out.push(format!("{kind:<6} {} {}", tag.as_str(), crate::text::truncate_chars(&e.text.replace('\n', " "), 200)));
            }
        }
    }
    out
}

/// Which examples a model is trained on.
pub struct TrainSources<'a> {
    pub data: Option<&'a Path>,
    pub include_corrections: bool,
    /// The seed corpus alone, without the public data sets.
    pub seed_only: bool,
    /// Replaces the built-in seed corpus.
    pub corpus: Option<&'a Path>,
}

impl TrainSources<'_> {
    /// Nothing but the shipped recipe: seed corpus plus the public sets, nothing added.
    fn is_shipped_recipe(&self) -> bool {
        self.data.is_none() && !self.include_corrections && !self.seed_only && self.corpus.is_none()
    }
}

pub async fn train(
    settings: &Settings,
    sources: &TrainSources<'_>,
    activate: bool,
    out: Option<&Path>,
    params: &TrainParams,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        !(sources.seed_only && (sources.data.is_some() || sources.include_corrections)),
        "--seed-only trains on the seed corpus alone; drop --data / --include-corrections"
    );
    let store = if sources.include_corrections || activate { Some(open_store(settings).await?) } else { None };
    anyhow::ensure!(!sources.include_corrections, "--include-corrections trains through cli::corrections::run");
    let started = std::time::Instant::now();
    let (model, examples, base_count) = if sources.is_shipped_recipe() {
        let model = recipe::shipped_model(params).context("training failed")?;
        let examples = recipe::shipped_examples(&Default::default());
        let n = examples.len();
        (model, examples, n)
    } else {
        let mut examples = base_examples(sources)?;
        let base_count = examples.len();
        if let Some(path) = sources.data {
            examples.extend(read_labelled_csv(path)?);
        }
        let model = train_measured(&examples, sources.seed_only, params, settings)?;
        (model, examples, base_count)
    };
    print_quality(&model);
    eprintln!(
        "trained {} on {} examples ({} base + {} yours) in {:.2}s",
        model.version,
        examples.len(),
        base_count,
        examples.len() - base_count,
        started.elapsed().as_secs_f64()
    );
    let classifier = Classifier { model: std::sync::Arc::new(model.clone()), rules: std::sync::Arc::new(super::load_rules(settings)?) };
    let base_report = score(&classifier, &examples[..base_count]).0;
    eprintln!("on the training data: macro F1 {:.3}", base_report.macro_f1);
    if base_count < examples.len() {
        eprintln!("on your data (training data): macro F1 {:.3}", score(&classifier, &examples[base_count..]).0.macro_f1);
    }
    save(&model, &base_report, out, store.as_ref(), activate).await
}

/// The seed corpus (or `--corpus`), plus the public data sets unless `--seed-only`.
pub(super) fn base_examples(sources: &TrainSources<'_>) -> anyhow::Result<Vec<Example>> {
    let mut examples = match sources.corpus {
        Some(path) => read_labelled_csv(path)?,
        None => seed::corpus(),
    };
    anyhow::ensure!(!examples.is_empty(), "the corpus has no rows");
    if !sources.seed_only {
        examples.extend(recipe::PUBLIC_SETS.iter().flat_map(|s| s.training_examples()));
    }
    Ok(examples)
}

/// Trains on `examples` and measures the model: leave each public set out when they are part
/// of the training data, otherwise 5-fold CV on the examples (kept in `metrics`).
fn train_measured(examples: &[Example], seed_only: bool, params: &TrainParams, settings: &Settings) -> anyhow::Result<Model> {
    let rules = std::sync::Arc::new(super::load_rules(settings)?);
    if !seed_only {
        return recipe::model_with_held_out(examples, params, &rules).context("training failed");
    }
    let mut model = train_model(examples, params).context("training failed")?;
    let (cv, _) = cross_validate(examples, 5, params, 42, &rules).context("cross-validating the new model")?;
    for (name, s) in &cv.multilabel {
        model.metrics.precision.insert(name.clone(), (s.precision * 1000.0).round() / 1000.0);
        model.metrics.recall.insert(name.clone(), (s.recall * 1000.0).round() / 1000.0);
    }
    eprintln!(
        "5-fold CV on these examples: performance P {:.3} R {:.3}, reliability P {:.3} R {:.3}",
        cv.multilabel["performance"].precision,
        cv.multilabel["performance"].recall,
        cv.multilabel["reliability"].precision,
        cv.multilabel["reliability"].recall
    );
    Ok(model)
}

/// The held-out figures, per data set and in words.
pub(super) fn print_quality(model: &Model) {
    let Some(q) = &model.held_out else { return };
    for set in &q.sets {
        eprintln!(
            "left out {} ({}): performance P {:.3} R {:.3}, reliability P {:.3} R {:.3}",
            set.name,
            plural(set.rows as u64, "row"),
            set.performance.precision(),
            set.performance.recall(),
            set.reliability.precision(),
            set.reliability.recall()
        );
    }
    for c in Category::ALL {
        eprintln!("{}; {}", quality::describe_precision(q, c), quality::describe_recall(q, c));
    }
}

async fn save(
    model: &Model,
    report: &crate::classify::eval::Report,
    out: Option<&Path>,
    store: Option<&crate::store::Store>,
    activate: bool,
) -> anyhow::Result<()> {
    if let Some(path) = out {
        std::fs::write(path, model.to_json() + "\n").with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("model written to {}", path.display());
    }
    if let Some(store) = store {
        let metrics = serde_json::to_string(report)?;
        store.save_model(&model.version, &metrics, &model.to_json(), activate, chrono::Utc::now()).await?;
        if activate {
            eprintln!("model {} is now active; run `pushback reclassify` to re-tag stored items", model.version);
        } else {
            eprintln!("model {} stored but not active (add --activate to switch)", model.version);
        }
    } else if out.is_none() {
        eprintln!("nothing saved: add --activate to use this model, or --out FILE to keep it");
    }
    Ok(())
}

pub async fn label(settings: &Settings, item_id: i64, labels: &[String], by: &str) -> anyhow::Result<()> {
    let mut performance = false;
    let mut reliability = false;
    for label in labels {
        match label.to_ascii_lowercase().as_str() {
            "performance" | "perf" => performance = true,
            "reliability" | "rel" => reliability = true,
            "none" | "other" => {}
            other => anyhow::bail!("'{other}' is not a label: use performance, reliability (one or both) or none"),
        }
    }
    anyhow::ensure!(!(labels.iter().any(|l| l == "none") && (performance || reliability)), "'none' cannot be combined with another label");
    let store = open_store(settings).await?;
    anyhow::ensure!(
        store.record_correction(item_id, performance, reliability, by, chrono::Utc::now()).await?,
        "no item with id {item_id} (see `pushback export`)"
    );
    let what = match (performance, reliability) {
        (true, true) => "performance + reliability",
        (true, false) => "performance",
        (false, true) => "reliability",
        (false, false) => "none",
    };
    let after = settings.labels.retrain_after;
    let when = if after > 0 {
        format!("`pushback serve` retrains after {}; ", crate::text::plural(after as u64, "new correction"))
    } else {
        String::new()
    };
    println!("item {item_id} labelled {what}; {when}`pushback train --include-corrections` checks a retrained model by hand");
    Ok(())
}

pub async fn reclassify(settings: &Settings, batch: i64) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let classifier = super::load_classifier(settings, &store).await?;
    let total = store.count_items().await?;
    let bar = progress_bar(total as u64, "reclassifying");
    let mut after = 0;
    let mut changed = 0usize;
    loop {
        let page = store.items_after(after, batch.max(1)).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let updates: Vec<_> = page
            .iter()
            .filter(|f| !f.classification.explanation.iter().any(|e| e.starts_with("correction:")))
            .map(|f| {
                let c = classifier.classify(&f.subject, &f.body);
                if c.performance != f.classification.performance
                    || c.reliability != f.classification.reliability
                    || c.topics != f.classification.topics
                {
                    changed += 1;
                }
                (f.id, f.created_at, c)
            })
            .collect();
        store.set_classifications(&updates).await?;
        bar.inc(page.len() as u64);
    }
    bar.finish_and_clear();
    println!(
        "{} reclassified with {}; {changed} changed tags or topics (corrected items kept as corrected)",
        plural(total as u64, "item"),
        classifier.version()
    );
    // The re-tags moved the rollups in their transactions; a recount says whether they agree.
    super::rollups::check(&store).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misses_lists_the_tags_own_errors_missed_first() {
        let ex = |text: &str, p: bool, r: bool| Example { text: text.into(), performance: p, reliability: r };
        let examples =
            [ex("it crashes", false, true), ex("so slow", true, false), ex("love it", false, false), ex("slow and crashes", true, true)];
        // Reliability: the first row missed, the second tagged without its label.
        let predicted = [(false, false), (true, true), (false, false), (true, true)];
        assert_eq!(
            misses(&examples, &predicted, Category::Reliability),
            vec!["missed reliability it crashes", "wrong  reliability so slow"]
        );
        assert!(misses(&examples, &predicted, Category::Performance).is_empty());
    }
}
