//! Retraining on people's corrections, in `serve` and by hand. When `labels.retrain_after` new
//! corrections have arrived since the last retrain, one replica claims the batch (a `retrains`
//! row), trains the shipped recipe plus every correction in a blocking task, checks it against
//! the active model (`classify::retrain`: cross-validation on the corrections the active model
//! never saw), and activates it only if it is not worse. It then re-tags the recent items and
//! logs the before/after figures; the other replicas load the new model within
//! `classifier.reload_secs`. `pushback train --include-corrections` runs the same check.

use super::{AppState, load_classifier};
use crate::classify::model::Model;
use crate::classify::retrain::{self, Comparison, Labelled, Verdict};
use crate::classify::train::{Example, TrainParams};
use crate::classify::{Classifier, recipe};
use crate::config::Settings;
use crate::store::{NewModel, RetrainOutcome, Store};
use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// A running claim older than this belongs to a replica that died mid-retrain: another takes it over.
pub const STALE_CLAIM_MINUTES: i64 = 30;

/// A batch this replica holds: retrain `seq`, on corrections up to id `through`.
#[derive(Debug, Clone)]
pub struct Batch {
    pub seq: i64,
    pub through: i64,
    pub claim: String,
}

/// What a retrain checks: every corrected item (marked unseen when the active model never saw
/// it labelled) and the active classifier.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub labelled: Vec<Labelled>,
    pub active: Classifier,
    /// The highest correction id among them.
    pub through: i64,
}

/// What a retrain measured and decided: the row's report, and what is logged.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub comparison: Comparison,
    pub verdict: Verdict,
    pub reason: String,
    pub corrections: usize,
    pub model_version: Option<String>,
}

/// What re-tagging the recent items changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Retagged {
    pub items: u64,
    pub changed: u64,
    pub performance: (u64, u64),
    pub reliability: (u64, u64),
}

/// The corrections and the active classifier (the database's active model, as `serve` loads it).
pub async fn inputs(settings: &Settings, store: &Store) -> anyhow::Result<Inputs> {
    let active = load_classifier(settings, store).await?;
    let seen_through = store.model_trained_through(&active.model.version).await?.unwrap_or(0);
    let corrections = store.corrections().await?;
    let through = corrections.iter().map(|c| c.id).max().unwrap_or(0);
    let labelled = corrections
        .into_iter()
        .map(|c| Labelled { text: c.text, performance: c.performance, reliability: c.reliability, unseen: c.first_id > seen_through })
        .collect();
    Ok(Inputs { labelled, active, through })
}

/// The check, then the new model when it is not worse (CPU-bound: run it off the async threads).
pub fn decide(base: &[Example], inputs: &Inputs, params: &TrainParams, folds: usize) -> anyhow::Result<(Report, Option<Model>)> {
    let comparison =
        retrain::compare(base, &inputs.labelled, &inputs.active, params, folds).context("cross-validating on the corrections")?;
    let verdict = retrain::verdict(&comparison);
    let model = if verdict == Verdict::NotWorse {
        let examples = retrain::training_examples(base, &inputs.labelled);
        Some(recipe::model_with_held_out(&examples, params, &inputs.active.rules).context("training on the corrections")?)
    } else {
        None
    };
    let report = Report {
        reason: retrain::reason(&comparison),
        comparison,
        verdict,
        corrections: inputs.labelled.len(),
        model_version: model.as_ref().map(|m| m.version.clone()),
    };
    Ok((report, model))
}

/// Claims the next retrain when `threshold` corrections arrived since the last one (or takes
/// over a stale claim). `None` when nothing is due or another replica holds it.
pub async fn claim_due(store: &Store, threshold: i64, me: &str, now: DateTime<Utc>) -> anyhow::Result<Option<Batch>> {
    let last = store.last_retrain().await?;
    let claim = format!("{me}:{}", now.timestamp_nanos_opt().unwrap_or_default());
    if let Some(r) = last.as_ref().filter(|r| r.status == "running") {
        let stale_before = now - Duration::minutes(STALE_CLAIM_MINUTES);
        let won = store.take_over_retrain(r.seq, &claim, me, now, stale_before).await?;
        return Ok(won.then_some(Batch { seq: r.seq, through: r.through_correction, claim }));
    }
    let after = last.as_ref().map_or(0, |r| r.through_correction);
    let (new, through) = store.corrections_after(after).await?;
    if new < threshold.max(1) {
        return Ok(None);
    }
    let seq = last.map_or(1, |r| r.seq + 1);
    let won = store.claim_retrain(seq, through, &claim, me, now).await?;
    Ok(won.then_some(Batch { seq, through, claim }))
}

/// Retrains a claimed batch: check, activate when not worse, re-tag, log. The row records the
/// outcome (`failed` with the error when something went wrong).
pub async fn retrain_batch(state: &AppState, batch: &Batch) -> anyhow::Result<Report> {
    let result = retrain_checked(state, batch).await;
    if let Err(e) = &result {
        let report = serde_json::json!({"error": format!("{e:#}")}).to_string();
        let outcome = RetrainOutcome { status: "failed", report: &report, through: batch.through, model: None };
        state.store.finish_retrain(batch.seq, &batch.claim, &outcome, Utc::now()).await?;
    }
    result
}

async fn retrain_checked(state: &AppState, batch: &Batch) -> anyhow::Result<Report> {
    let inputs = inputs(&state.settings, &state.store).await?;
    let folds = state.settings.labels.retrain_folds;
    tracing::info!(seq = batch.seq, corrections = inputs.labelled.len(), active = %inputs.active.model.version, "retraining on corrections");
    let checked = inputs.clone();
    let (report, model) = tokio::task::spawn_blocking(move || {
        let base = recipe::shipped_examples(&HashSet::new());
        decide(&base, &checked, &TrainParams::default(), folds)
    })
    .await
    .context("the retrain task panicked")??;
    let status = if model.is_some() { "activated" } else { "rejected" };
    let json = model.as_ref().map(Model::to_json);
    let metrics = serde_json::to_string(&report.comparison)?;
    let new_model = model.as_ref().zip(json.as_deref()).map(|(m, json)| NewModel { version: &m.version, metrics: &metrics, json });
    let text = serde_json::to_string(&report)?;
    let outcome = RetrainOutcome { status, report: &text, through: inputs.through.max(batch.through), model: new_model };
    let held = state.store.finish_retrain(batch.seq, &batch.claim, &outcome, Utc::now()).await?;
    anyhow::ensure!(held, "retrain {} was taken over by another replica; its outcome is not recorded", batch.seq);
    log_report(batch.seq, &report);
    if model.is_some() {
        state.reload_classifier().await?;
        let since = Utc::now() - Duration::days(state.settings.labels.retag_days);
        let retagged = retag_recent(&state.store, &state.classifier(), since).await?;
        log_retagged(state.settings.labels.retag_days, &retagged);
    }
    Ok(report)
}

fn log_report(seq: i64, report: &Report) {
    match &report.model_version {
        Some(version) => tracing::info!(seq, model = %version, reason = %report.reason, "retrained model activated"),
        None => tracing::info!(seq, reason = %report.reason, "retrained model not activated; the active model stays"),
    }
    for line in retrain::describe(&report.comparison) {
        tracing::info!(seq, "retrain {seq}: {}", line.trim());
    }
}

fn log_retagged(days: i64, r: &Retagged) {
    tracing::info!(
        items = r.items,
        changed = r.changed,
        "re-tagged the last {days} days: {} items, {} changed; performance {} -> {}, reliability {} -> {}",
        r.items,
        r.changed,
        r.performance.0,
        r.performance.1,
        r.reliability.0,
        r.reliability.1
    );
}

/// Re-tags items created since `since` with `classifier`, leaving corrected items as a person
/// labelled them; returns the tag counts before and after.
pub async fn retag_recent(store: &Store, classifier: &Classifier, since: DateTime<Utc>) -> anyhow::Result<Retagged> {
    let mut r = Retagged::default();
    let mut after = 0;
    loop {
        let page = store.items_created_since(since, after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let mut updates = Vec::with_capacity(page.len());
        for f in page.iter().filter(|f| !f.classification.explanation.iter().any(|e| e.starts_with("correction:"))) {
            let c = classifier.classify(&f.subject, &f.body);
            let old = &f.classification;
            r.items += 1;
            r.changed += u64::from(c.performance != old.performance || c.reliability != old.reliability || c.topics != old.topics);
            r.performance.0 += u64::from(old.performance);
            r.performance.1 += u64::from(c.performance);
            r.reliability.0 += u64::from(old.reliability);
            r.reliability.1 += u64::from(c.reliability);
            updates.push((f.id, f.created_at, c));
        }
        store.set_classifications(&updates).await?;
    }
    Ok(r)
}

/// Records a retrain done by hand (`pushback train --include-corrections --activate`) and
/// activates its model, so the background counts new corrections from here.
pub async fn activate_by_hand(store: &Store, inputs: &Inputs, report: &Report, model: &Model) -> anyhow::Result<i64> {
    let me = format!("cli:{}", crate::digest::schedule::replica_name());
    let json = model.to_json();
    let metrics = serde_json::to_string(&report.comparison)?;
    for _ in 0..5 {
        let now = Utc::now();
        let seq = store.last_retrain().await?.map_or(1, |r| r.seq + 1);
        let claim = format!("{me}:{}", now.timestamp_nanos_opt().unwrap_or_default());
        if store.claim_retrain(seq, inputs.through, &claim, &me, now).await? {
            let text = serde_json::to_string(report)?;
            let model = Some(NewModel { version: &model.version, metrics: &metrics, json: &json });
            let outcome = RetrainOutcome { status: "activated", report: &text, through: inputs.through, model };
            store.finish_retrain(seq, &claim, &outcome, now).await?;
            return Ok(seq);
        }
    }
    anyhow::bail!("could not record the retrain: serve keeps claiming retrains; try again")
}

/// Retrains whenever enough corrections arrived, until `stop` turns true. Off when
/// `labels.retrain_after` is 0 or `classifier.model_path` pins a model file.
pub async fn run(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let labels = &state.settings.labels;
    if labels.retrain_after == 0 {
        tracing::info!("background retrain is off (labels.retrain_after = 0)");
        return;
    }
    if state.settings.classifier.model_path.is_some() {
        tracing::info!("background retrain is off: classifier.model_path pins a model file");
        return;
    }
    let me = crate::digest::schedule::replica_name();
    let every = std::time::Duration::from_secs(labels.retrain_check_secs);
    while !*stop.borrow() {
        match claim_due(&state.store, labels.retrain_after, &me, Utc::now()).await {
            Ok(Some(batch)) => {
                if let Err(e) = retrain_batch(&state, &batch).await {
                    tracing::warn!(seq = batch.seq, error = format!("{e:#}"), "retrain failed");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = format!("{e:#}"), "cannot check whether a retrain is due; will try again"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => {}
        }
    }
}
