//! `pushback train --include-corrections`: the model `serve` would retrain on people's
//! corrections, with the same check it runs before activating one (`app::retrain`): the
//! before/after comparison on the corrections the active model never saw, printed, and
//! `--activate` only when the new model is not worse.

use super::model::{TrainSources, base_examples, print_quality};
use crate::app::retrain::{self, Report};
use crate::classify::eval::read_labelled_csv;
use crate::classify::recipe;
use crate::classify::retrain::{Verdict, compare, describe, reason, training_examples, verdict};
use crate::classify::train::TrainParams;
use crate::config::Settings;
use crate::store::Store;
use anyhow::Context;
use std::path::Path;

/// `pushback train --include-corrections`: the store's corrections beside the training data.
pub async fn run(
    settings: &Settings,
    sources: &TrainSources<'_>,
    activate: bool,
    out: Option<&Path>,
    params: &TrainParams,
) -> anyhow::Result<()> {
    anyhow::ensure!(!sources.seed_only, "--seed-only trains on the seed corpus alone; drop --data / --include-corrections");
    let store = crate::app::open_store(settings).await?;
    train(settings, sources, &store, activate, out, params).await
}

pub async fn train(
    settings: &Settings,
    sources: &TrainSources<'_>,
    store: &Store,
    activate: bool,
    out: Option<&Path>,
    params: &TrainParams,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let inputs = retrain::inputs(settings, store).await?;
    anyhow::ensure!(
        !inputs.labelled.is_empty(),
        "there are no corrections yet: label items with `pushback label <id> ...`, `/pushback label` or *Wrong tag* in Slack"
    );
    let mut base = base_examples(sources)?;
    if let Some(path) = sources.data {
        base.extend(read_labelled_csv(path)?);
    }
    eprintln!("{} included", crate::text::plural(inputs.labelled.len() as u64, "correction"));
    let comparison = compare(&base, &inputs.labelled, &inputs.active, params, settings.labels.retrain_folds)
        .context("cross-validating on the corrections")?;
    for line in describe(&comparison) {
        println!("{line}");
    }
    let verdict = verdict(&comparison);
    let reason = reason(&comparison);
    let refused = format!("not activated ({reason}); the active model {} stays", inputs.active.model.version);
    // Nothing to write and nothing to activate: no need to train the model itself.
    anyhow::ensure!(!(activate && verdict != Verdict::NotWorse && out.is_none()), refused);
    let examples = training_examples(&base, &inputs.labelled);
    let model = recipe::model_with_held_out(&examples, params, &inputs.active.rules).context("training failed")?;
    print_quality(&model);
    eprintln!("trained {} on {} examples in {:.2}s", model.version, examples.len(), started.elapsed().as_secs_f64());
    if let Some(path) = out {
        std::fs::write(path, model.to_json() + "\n").with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("model written to {}", path.display());
    }
    if !activate {
        let next = if verdict == Verdict::NotWorse { "add --activate to use it" } else { "--activate would refuse it" };
        println!("new model {}: {reason}; {next}", model.version);
        return Ok(());
    }
    anyhow::ensure!(verdict == Verdict::NotWorse, refused);
    let report = Report { comparison, verdict, reason, corrections: inputs.labelled.len(), model_version: Some(model.version.clone()) };
    let seq = retrain::activate_by_hand(store, &inputs, &report, &model).await?;
    println!("model {} is now active (retrain {seq}: {})", model.version, report.reason);
    let classifier = super::load_classifier(settings, store).await?;
    let days = settings.labels.retag_days;
    let r = retrain::retag_recent(store, &classifier, chrono::Utc::now() - chrono::Duration::days(days)).await?;
    println!(
        "re-tagged the last {days} days: {}, {} changed; performance {} -> {}, reliability {} -> {}",
        crate::text::plural(r.items, "item"),
        r.changed,
        r.performance.0,
        r.performance.1,
        r.reliability.0,
        r.reliability.1
    );
    Ok(())
}
