//! Learning from the team: the label queue driven through signed Slack interactions against the
//! fake Slack, the background retrain it sets off (activated only when not worse, once per
//! batch across replicas), `pushback train --include-corrections`, and a pack quoting the
//! workspace's own precision.

use crate::fake_slack::FakeSlack;
use crate::helpers::{TestApp, spawn_app_with};
use crate::slack::{configure, eventually_async, press, slash};
use pushback::config::Settings;
use pushback::domain::Source;
use pushback::slack::label::LabelRef;
use pushback::store::RetrainRow;
use serde_json::{Value, json};
use std::time::Duration;

/// Training the shipped recipe several times in a debug build takes minutes on a busy machine.
const RETRAIN_DEADLINE: Duration = Duration::from_secs(900);

/// Slack on the fake, retrain checks every second with 2 folds, reload every second.
fn retraining(s: &mut Settings, fake: &FakeSlack) {
    configure(s, fake, false);
    s.labels.retrain_check_secs = 1;
    s.labels.retrain_folds = 2;
    s.classifier.reload_secs = 1;
}

static SEEDED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Stores `texts` as generic webhook items from different accounts, created a day ago.
async fn seed(app: &TestApp, texts: &[String]) -> Vec<i64> {
    let created = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let mut ids = Vec::new();
    for text in texts {
        let n = SEEDED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let external = format!("L-{n}");
        let body = json!({"id": external, "body": text, "created_at": created, "account": {"id": format!("acct-{n}"), "name": format!("Account {n}")}});
        let response = app.post_webhook(Source::Generic, &body.to_string()).await;
        assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
        ids.push(app.store.item_by_external(Source::Generic, &external).await.unwrap().expect("stored").id);
    }
    ids
}

/// Domain jargon the shipped model has never seen, which the team calls a performance problem.
fn jargon(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("the quorum rebalancer thrashes again whenever the shard map grows, cluster {i}")).collect()
}

/// Texts that share no word and no character 4-gram with each other or anything else (three
/// consonants per word): nothing learnt from one helps with another.
fn nonsense(n: usize) -> Vec<String> {
    let letters: Vec<char> = "bcdfghjklmnpqrstvwxz".chars().collect();
    let word = |k: usize| [letters[(k / 400) % 20], letters[(k / 20) % 20], letters[k % 20]].iter().collect::<String>();
    (0..n).map(|i| format!("{} {} {}", word(3 * i + 401), word(3 * i + 402), word(3 * i + 403))).collect()
}

fn buttons<'a>(message: &'a Value, action_id: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    message["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|b| b["elements"].as_array().into_iter().flatten())
        .filter(move |e| e["action_id"] == action_id)
}

/// One round of the label queue: `/pushback label`, then `label` pressed on each item shown.
/// Every click must be answered in place. Returns the items labelled.
async fn label_round(app: &TestApp, fake: &FakeSlack, round: &str, label: &str) -> Vec<i64> {
    let action = format!("label_{label}");
    assert_eq!(slash(app, "/pushback", "label", &fake.response_url(round)).await.status(), 200);
    let queue = fake.wait_for_response(round, 1).await.remove(0);
    assert_eq!(queue["response_type"], "ephemeral");
    let refs: Vec<LabelRef> = buttons(&queue, &action).map(|b| serde_json::from_str(b["value"].as_str().unwrap()).unwrap()).collect();
    assert_eq!(refs.len(), 5, "five items per round: {queue}");
    for (i, r) in refs.iter().enumerate() {
        let click = format!("{round}-click-{i}");
        assert_eq!(press(app, &action, &serde_json::to_string(r).unwrap(), &fake.response_url(&click)).await.status(), 200);
        let updated = fake.wait_for_response(&click, 1).await.remove(0);
        assert_eq!(updated["replace_original"], true, "answered in place: {updated}");
        assert_eq!(buttons(&updated, &action).count(), 4 - i, "the labelled items lost their buttons, the others kept them");
        assert_eq!(updated.to_string().matches(&format!("Labelled *{label}* by <@W111>")).count(), i + 1, "{updated}");
    }
    refs.iter().map(|r| r.item).collect()
}

/// Five rounds: 25 corrections, the default retrain threshold.
async fn label_25(app: &TestApp, fake: &FakeSlack, label: &str) -> Vec<i64> {
    let mut labelled = Vec::new();
    for round in 0..5 {
        labelled.extend(label_round(app, fake, &format!("{label}-queue-{round}"), label).await);
    }
    let distinct: std::collections::HashSet<&i64> = labelled.iter().collect();
    assert_eq!(distinct.len(), 25, "corrected items are never shown again");
    labelled
}

async fn finished_retrain(app: &TestApp, seq: i64) -> RetrainRow {
    let deadline = tokio::time::Instant::now() + RETRAIN_DEADLINE;
    loop {
        let rows = app.store.retrains().await.unwrap();
        if let Some(row) = rows.iter().find(|r| r.seq == seq && r.status != "running") {
            return row.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "retrain {seq} did not finish: {rows:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn report(row: &RetrainRow) -> Value {
    serde_json::from_str(row.report.as_deref().expect("a finished retrain has a report")).unwrap()
}

fn wrong(score: &Value) -> u64 {
    ["performance", "reliability"].iter().map(|t| score[t]["fp"].as_u64().unwrap() + score[t]["fn"].as_u64().unwrap()).sum()
}

#[tokio::test]
async fn the_label_queue_reaches_the_retrain_threshold_and_a_model_that_is_not_worse_becomes_active() {
    let fake = FakeSlack::start().await;
    let app = spawn_app_with(|s| retraining(s, &fake)).await;
    let ids = seed(&app, &jargon(30)).await;

    // A click signed with the wrong secret changes nothing.
    let value = serde_json::to_string(&LabelRef { item: ids[0], batch: vec![ids[0]] }).unwrap();
    let payload = json!({"type": "block_actions", "user": {"id": "W666"}, "response_url": fake.response_url("forged"),
        "actions": [{"action_id": "label_neither", "block_id": "b", "value": value, "type": "button", "action_ts": "1.2"}]});
    let body = url::form_urlencoded::Serializer::new(String::new()).append_pair("payload", &payload.to_string()).finish();
    let ts = crate::helpers::now();
    let forged = app
        .client
        .post(format!("{}/slack/interactions", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-signature", pushback::slack::signature::sign(b"not-the-secret", ts, body.as_bytes()))
        .header("x-slack-request-timestamp", ts.to_string())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 401);
    assert!(app.store.corrections().await.unwrap().is_empty());

    let labelled = label_25(&app, &fake, "performance").await;
    let row = finished_retrain(&app, 1).await;
    let report = report(&row);
    assert_eq!(row.status, "activated", "{report}");
    assert_eq!(report["verdict"], "not_worse");
    let comparison = &report["comparison"];
    assert_eq!(comparison["active"]["items"], 25, "every correction is new to the shipped model");
    assert!(wrong(&comparison["candidate"]) <= wrong(&comparison["active"]) && wrong(&comparison["active"]) > 0, "{report}");
    let version = row.model_version.clone().unwrap();
    assert_eq!(app.store.active_model().await.unwrap().unwrap().version, version);
    assert_eq!(row.through_correction, app.store.corrections_after(0).await.unwrap().1);

    // The five items nobody labelled are re-tagged by the new model; the labelled ones stay as labelled.
    let unlabelled: Vec<i64> = ids.iter().filter(|id| !labelled.contains(id)).copied().collect();
    for id in &unlabelled {
        let item = eventually_async("a re-tag with the new model", || async {
            let item = app.store.item(*id).await.unwrap().unwrap();
            item.classification.model_version.starts_with(&version).then_some(item)
        })
        .await;
        assert!(item.classification.performance, "the new model learnt the team's jargon: {:?}", item.classification);
    }
    for id in &labelled {
        let c = app.store.item(*id).await.unwrap().unwrap().classification;
        assert_eq!(c.explanation, vec!["correction:slack:W111"]);
        assert!(c.performance && !c.reliability);
    }
    // This server now classifies new items with the new model.
    let new = seed(&app, &jargon(1)).await;
    assert!(app.store.item(new[0]).await.unwrap().unwrap().classification.model_version.starts_with(&version));
    crate::helpers::assert_rollups_agree(&app.store, "after corrections, a retrain and its re-tag").await;
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn a_retrained_model_that_is_worse_on_the_corrections_stays_inactive_in_serve_and_by_hand() {
    use pushback::classify::train::{TrainParams, correction_examples, train};
    let fake = FakeSlack::start().await;
    let app = spawn_app_with(|s| retraining(s, &fake)).await;
    let texts = nonsense(25);
    // The active model was trained (by hand, on a file) on exactly what the team will label, so
    // it knows every answer; the retrained recipe, cross-validated, cannot know any of them.
    let mut examples: Vec<_> = pushback::classify::seed::corpus().into_iter().take(400).collect();
    for t in &texts {
        examples.extend(correction_examples(t, true, false));
    }
    let active = train(&examples, &TrainParams::default()).unwrap();
    app.store.save_model(&active.version, "{}", &active.to_json(), true, chrono::Utc::now()).await.unwrap();
    seed(&app, &texts).await;

    label_25(&app, &fake, "performance").await;
    let row = finished_retrain(&app, 1).await;
    let report = report(&row);
    assert_eq!(row.status, "rejected", "{report}");
    assert_eq!(report["verdict"], "worse", "{report}");
    assert!(wrong(&report["comparison"]["candidate"]) > wrong(&report["comparison"]["active"]), "{report}");
    assert_eq!(row.model_version, None);
    assert_eq!(app.store.active_model().await.unwrap().unwrap().version, active.version, "the active model stays");

    // By hand: the same comparison printed, and --activate refused with the reason.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pushback"))
        .args(["train", "--include-corrections", "--activate"])
        .env("PUSHBACK_DATABASE__URL", &app.settings.database.url)
        .env("PUSHBACK_LABELS__RETRAIN_FOLDS", "2")
        .env_remove("PUSHBACK_CLASSIFIER__MODEL_PATH")
        .output()
        .expect("pushback runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    let first_line = format!("on 25 corrected items the active model {} had not seen labelled", active.version);
    assert!(stdout.contains(&first_line), "{stdout}");
    assert!(
        stderr.contains("not activated (worse: ") && stderr.contains(&format!("the active model {} stays", active.version)),
        "{stderr}"
    );
    assert_eq!(app.store.active_model().await.unwrap().unwrap().version, active.version);
    assert_eq!(app.store.retrains().await.unwrap().len(), 1, "a refusal records no retrain");
}

/// Two replicas on one database (a PostgreSQL server, or one SQLite file that both instances
/// open): the first to claim a batch retrains it, the other never does.
#[tokio::test]
async fn two_replicas_on_one_database_retrain_a_batch_once() {
    let fake = FakeSlack::start().await;
    let a = spawn_app_with(|s| retraining(s, &fake)).await;
    let url = a.settings.database.url.clone();
    let b = spawn_app_with(|s| {
        retraining(s, &fake);
        s.database.url = url;
    })
    .await;
    seed(&a, &jargon(30)).await;
    label_25(&a, &fake, "performance").await;
    let row = finished_retrain(&a, 1).await;
    assert_eq!(row.status, "activated", "{:?}", row.report);
    let version = row.model_version.clone().unwrap();
    // Both replicas keep checking every second; a second claim of the batch would show here.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let rows = b.store.retrains().await.unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let count = "SELECT COUNT(*) FROM models";
    let models: i64 = match &b.store {
        pushback::store::Store::Postgres(pool) => sqlx::query_scalar(count).fetch_one(pool).await.unwrap(),
        pushback::store::Store::Sqlite(pool) => sqlx::query_scalar(count).fetch_one(pool).await.unwrap(),
    };
    assert_eq!(models, 1, "one model trained and stored");
    // The other replica picked the new model up (classifier.reload_secs) and tags with it.
    let item = eventually_async("replica b on the new model", || async {
        let id = seed(&b, &jargon(1)).await[0];
        let item = b.store.item(id).await.unwrap().unwrap();
        item.classification.model_version.starts_with(&version).then_some(item)
    })
    .await;
    assert!(item.classification.performance);
}

#[tokio::test]
async fn a_pack_quotes_the_workspaces_own_precision_once_it_has_30_corrected_items_of_the_tag() {
    let app = spawn_app_with(|s| s.labels.retrain_after = 0).await;
    let texts: Vec<String> =
        (0..31).map(|i| format!("Checkout is painfully slow, the payment page takes 40 seconds (order {i})")).collect();
    let ids = seed(&app, &texts).await;
    let now = chrono::Utc::now();
    for id in &ids {
        assert!(app.store.item(*id).await.unwrap().unwrap().classification.performance, "precondition: the model tags it performance");
    }
    // 29 corrected items the model had tagged performance: 20 kept it, 9 did not.
    for (i, id) in ids[..29].iter().enumerate() {
        assert!(app.store.record_correction(*id, i < 20, false, "engineer", now).await.unwrap());
    }
    let pack = |format: &'static str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pushback"))
            .args(["evidence", "checkout-slow", "--since", "30d", "--format", format])
            .env("PUSHBACK_DATABASE__URL", &app.settings.database.url)
            .env_remove("PUSHBACK_CLASSIFIER__MODEL_PATH")
            .output()
            .expect("pushback runs");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let json: Value = serde_json::from_str(&pack("json")).unwrap();
    assert_eq!(json["why"]["team_precision"], json!({}), "29 items are too few");
    // The 30th: first marked neither, then performance after all. What the model said before
    // is what counts (performance, right), not the first correction.
    assert!(app.store.record_correction(ids[29], false, false, "engineer", now).await.unwrap());
    assert!(app.store.record_correction(ids[29], true, false, "engineer", now).await.unwrap());
    let json: Value = serde_json::from_str(&pack("json")).unwrap();
    assert_eq!(json["why"]["team_precision"]["performance"]["items"], 30, "{}", json["why"]);
    assert!((json["why"]["team_precision"]["performance"]["precision"].as_f64().unwrap() - 0.7).abs() < 1e-9);
    assert!(json["why"]["team_precision"].get("reliability").is_none(), "a performance topic quotes performance");
    let md = pack("md");
    assert!(md.contains("Performance tags were right 70% (52-83%) of the time on 30 items your team checked."), "{md}");
    assert!(md.contains("real reviews the model had not seen"), "the leave-out figure stays: {md}");
    let (team, held_out) = (md.find("your team checked").unwrap(), md.find("real reviews the model had not seen").unwrap());
    assert!(team < held_out, "the team's own precision comes first: {md}");
}

#[tokio::test]
async fn the_weekly_label_message_is_off_by_default_and_once_turned_on_is_posted_once_across_two_instances() {
    use pushback::domain::DigestSchedule;
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::test_database_url(dir.path()).await;
    // Off by default: the digest is posted, the label message is not.
    let off = spawn_app_with(|s| {
        configure(s, &fake, true);
        s.database.url = url.clone();
    })
    .await;
    assert!(!off.settings.labels.weekly);
    seed(&off, &jargon(6)).await;
    let week = DigestSchedule::parse("monday", "00:00", "UTC").unwrap().week_of(chrono::Utc::now()).to_string();
    eventually_async("the digest posted", || async {
        let rows = off.store.outbox_rows(&format!("digest:{week}:")).await.unwrap();
        (!rows.is_empty() && rows.iter().all(|r| r.status == "sent")).then_some(())
    })
    .await;
    assert!(off.store.outbox_row(&format!("labels:{week}")).await.unwrap().is_none());
    drop(off);

    let on = |s: &mut Settings| {
        configure(s, &fake, true);
        s.database.url = url.clone();
        s.labels.weekly = true;
    };
    let (a, _b) = tokio::join!(spawn_app_with(on), spawn_app_with(on));
    let key = format!("labels:{week}");
    eventually_async("the label message sent", || async { a.store.outbox_row(&key).await.unwrap().filter(|r| r.status == "sent") }).await;
    // Both instances keep checking every second: a second post would show here.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let posts = fake.calls_mentioning("chat.postMessage", "the model is least sure about");
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert_eq!(posts[0].json()["channel"], "C0DIGEST");
    assert_eq!(buttons(&posts[0].json(), "label_both").count(), 5);
    fake.assert_all_within_limits();
}
