//! `pushback demo`: the whole pipeline on built-in sample data in a throwaway SQLite file.
//! Zendesk's history is pulled from a local fake of Zendesk's API that the demo starts (the
//! real `pushback sync` path: cursor paging, classification, one transaction per page); the
//! other vendors' history comes in through the JSON-lines importer in each vendor's own shape;
//! recent items arrive as signed webhooks from each vendor through the real router. Every item
//! keeps its vendor's source name. Then it prints what the bot would tell people.

use super::demo_history::{self, SUBDOMAIN, demo_source};
use super::demo_surveys;
use super::synth::end_date;
use super::{load_classifier, open_store};
use crate::config::Settings;
use crate::domain::{Account, NewFeedback, Source};
use crate::ingest::import::{ImportOptions, ImportSummary, import_file};
use crate::ingest::signature::sign;
use crate::startup::{AppState, router};
use crate::store::Store;
use crate::synth::{GenParams, accounts, items};
use anyhow::Context;
use axum::body::Body;
use chrono::{Duration, Utc};
use secrecy::SecretString;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use tower::ServiceExt;

const DEMO_SECRET: &str = "demo-secret-not-for-production";
/// NPS answers over the demo's eight weeks (CSAT comes from Zendesk ratings on about half the tickets).
const NPS_ANSWERS: usize = 160;

pub async fn run(mut settings: Settings, keep: Option<PathBuf>) -> anyhow::Result<()> {
    let db_path = keep.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("pushback-demo-{}.db", std::process::id())));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db_path.display()));
    }
    settings.database.url = format!("sqlite://{}", db_path.display());
    for source in Source::WEBHOOK {
        if let Some(s) = settings.sources.get_mut(source) {
            s.secret = Some(SecretString::from(DEMO_SECRET));
        }
    }
    // The demo's Typeform NPS form (its answers arrive as signed webhooks).
    let typeform = &mut settings.sources.typeform;
    typeform.score_field = Some(super::demo_surveys::SCORE_FIELD.into());
    typeform.comment_field = Some(super::demo_surveys::COMMENT_FIELD.into());
    typeform.survey = Some("nps".into());
    // Zendesk's API is the fake the demo starts; its address is set once it listens.
    let zendesk = &mut settings.sources.zendesk;
    zendesk.subdomain = Some(SUBDOMAIN.into());
    zendesk.email = Some("demo@example.com".into());
    zendesk.api_token = Some(SecretString::from("demo-token"));
    let result = demo(settings, &db_path).await;
    if keep.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db_path.display()));
        }
    } else {
        println!("\nThe demo database is kept at {} (PUSHBACK_DATABASE__URL=sqlite://{}).", db_path.display(), db_path.display());
    }
    result
}

async fn demo(mut settings: Settings, db_path: &std::path::Path) -> anyhow::Result<()> {
    let store = open_store(&settings).await?;
    let classifier = load_classifier(&settings, &store).await?;
    let params = GenParams { count: 480, seed: 7, end: end_date(None)?, days: 56, accounts: Some(30) };
    let accts = accounts(&params);
    let corpus = crate::classify::seed::corpus_rows();
    let generated = items(&params, &corpus, &accts);
    // NPS answers over the same weeks: the last week's arrive as Typeform webhooks.
    let nps = demo_surveys::nps_answers(NPS_ANSWERS, params.seed, params.end.min(Utc::now()), params.days, &corpus, &accts);
    let (old_nps, new_nps) = nps.split_at(nps.partition_point(|i| i.created_at < Utc::now() - Duration::days(7)));
    store.upsert_accounts(&accts, Utc::now()).await?;
    let by_id: HashMap<&str, &Account> = accts.iter().map(|a| (a.id.as_str(), a)).collect();

    println!("pushback demo: {} feedback items from {} customer accounts over 8 weeks", generated.len(), accts.len());
    println!("(sample data written for this project; throwaway SQLite database at {})\n", db_path.display());

    // 1. History: Zendesk's pulled from its API (a local fake), the other vendors' imported.
    let live_from = generated.len().saturating_sub(60);
    let history: Vec<NewFeedback> = generated[..live_from].iter().chain(old_nps).cloned().collect();
    let tickets: Vec<_> = history.iter().filter(|i| demo_source(i) == Source::Zendesk).map(demo_history::zendesk_ticket).collect();
    let ratings = demo_surveys::zendesk_ratings(&tickets, params.seed, Utc::now(), &corpus);
    let survey_line = format!(
        "   Survey answers: {} NPS in the generic export, {} more as Typeform webhooks below, {} Zendesk satisfaction ratings (CSAT) pulled after the tickets.",
        old_nps.len(),
        new_nps.len(),
        ratings.len()
    );
    let fake_options = super::fake_zendesk::Options { ratings, ..Default::default() };
    let (base, fake) = super::fake_zendesk::start(tickets, demo_history::organizations(&accts), 0, fake_options).await?;
    settings.sources.zendesk.api_url = Some(base.clone());
    let (state, writer_task) = AppState::new(store.clone(), classifier.clone(), settings.clone());
    println!("1. Backfill. Zendesk through its API: `pushback sync zendesk --since 57d --once` (a local fake Zendesk at {base}):");
    let pull_started = std::time::Instant::now();
    let pulled = pull_zendesk(&state).await?;
    fake.abort();
    println!("   {}", super::sync::summary(&pulled, pull_started.elapsed().as_secs_f64()));
    println!("   The other tools' exports through the importer, each under its own source:");
    for (source, summary) in import_history(&store, &classifier, &history, &by_id).await? {
        println!("   `pushback import --source {source} {source}.jsonl`: {}", summary.to_text(2).trim_end().replace('\n', "\n   "));
    }
    println!("{survey_line}\n");

    // 2. The last 60 items (and the last week's NPS answers) as signed webhooks through the real HTTP router.
    let mut live: Vec<(Source, serde_json::Value)> =
        generated[live_from..].iter().map(|item| demo_history::payload(item, account_of(&by_id, item))).collect();
    live.extend(new_nps.iter().map(|item| (Source::Typeform, demo_surveys::typeform_payload(item))));
    send_live(state, live).await?;
    let _ = writer_task.await;

    report(&store, &classifier).await?;
    let (state, writer_task) = AppState::new(store, classifier, settings);
    let shown = crate::slack::print_preview(&state).await;
    let pack = print_pack(&state).await;
    drop(state);
    let _ = writer_task.await;
    shown.and(pack)
}

/// Sends `live` as signed webhooks through the router, then one forged request; prints the answers.
async fn send_live(state: AppState, live: Vec<(Source, serde_json::Value)>) -> anyhow::Result<()> {
    let app = router(state);
    let mut statuses: HashMap<(String, u16), usize> = HashMap::new();
    for (source, body) in live {
        let request = signed_request(source, body.to_string().as_bytes())?;
        let response = app.clone().oneshot(request).await.context("router call failed")?;
        *statuses.entry((source.to_string(), response.status().as_u16())).or_default() += 1;
    }
    // A forged request, to show it is refused.
    let mut forged = signed_request(Source::Generic, br#"{"id":"forged","body":"fake"}"#)?;
    forged.headers_mut().insert("x-pushback-signature", "v1=00".parse()?);
    let forged_status = app.clone().oneshot(forged).await?.status();
    drop(app);
    println!("2. Live webhooks (signed, verified, classified, committed, then answered):");
    let mut lines: Vec<_> = statuses.into_iter().collect();
    lines.sort();
    for ((source, status), n) in lines {
        println!("   POST /webhooks/{source:<9} -> {status} x{n}");
    }
    println!("   POST /webhooks/generic with a forged signature -> {forged_status}\n");
    Ok(())
}

fn account_of<'a>(by_id: &HashMap<&str, &'a Account>, item: &NewFeedback) -> Option<&'a Account> {
    item.account.id.as_deref().and_then(|id| by_id.get(id).copied())
}

/// One pass of the Zendesk connector against the fake, as `pushback sync zendesk --once` runs it.
async fn pull_zendesk(state: &AppState) -> anyhow::Result<crate::ingest::pull::Report> {
    use crate::ingest::pull::{PassOptions, sync_source};
    let access = state.settings.sources.pull_access(Source::Zendesk).map_err(|e| anyhow::anyhow!("demo settings: {e:?}"))?;
    let opts = PassOptions { since: Some(Utc::now() - Duration::days(57)), owner: "demo".into() };
    let (_stop, stop) = tokio::sync::watch::channel(false);
    let report = sync_source(state, &access, &opts, &crate::ingest::pull::schedule::LogProgress, stop).await;
    if let crate::ingest::pull::Outcome::Failed(e) = &report.outcome {
        anyhow::bail!("the demo's Zendesk pull failed: {e}");
    }
    Ok(report)
}

/// Every other vendor's history as its own JSON-lines export, imported under its source (two
/// broken lines in the generic one show how bad input is reported).
async fn import_history(
    store: &Store,
    classifier: &crate::classify::Classifier,
    history: &[NewFeedback],
    by_id: &HashMap<&str, &Account>,
) -> anyhow::Result<Vec<(Source, ImportSummary)>> {
    let dir = std::env::temp_dir().join(format!("pushback-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut out = Vec::new();
    for source in [Source::Intercom, Source::Helpscout, Source::Freshdesk, Source::Stripe, Source::Generic] {
        let path = dir.join(format!("{source}.jsonl"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for item in history.iter().filter(|i| demo_source(i) == source) {
            serde_json::to_writer(&mut w, &demo_history::payload(item, account_of(by_id, item)).1)?;
            w.write_all(b"\n")?;
        }
        if source == Source::Generic {
            w.write_all(b"{\"body\": \"a line without an id\"}\nnot json\n")?;
        }
        w.flush()?;
        drop(w);
        let options = ImportOptions { batch: 500, redact_at_ingest: false, zendesk_subdomain: None };
        out.push((source, import_file(store, classifier, source, &path, &options, |_| {}).await?));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(out)
}

/// The evidence pack as a file to attach to a ticket (`pushback evidence`).
async fn print_pack(state: &AppState) -> anyhow::Result<()> {
    use crate::evidence::render::{Format, render};
    let now = chrono::Utc::now();
    let request = crate::evidence::Request::last_days("checkout-slow", 28, now);
    let answer = crate::evidence::answer(&state.store, &state.classifier(), &state.prometheus, &request, now).await?;
    println!(
        "8. The evidence pack to attach to a ticket: `pushback evidence checkout-slow --since 28d` (also --format csv|json|png|svg):\n"
    );
    println!("{}", String::from_utf8(render(&answer, Format::Md)?)?);
    Ok(())
}

fn signed_request(source: Source, body: &[u8]) -> anyhow::Result<axum::http::Request<Body>> {
    let now = Utc::now().timestamp();
    let secret = DEMO_SECRET.as_bytes();
    let mut builder = axum::http::Request::post(format!("/webhooks/{source}")).header("content-type", "application/json");
    builder = match source {
        Source::Zendesk => {
            let ts = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            builder
                .header("x-zendesk-webhook-signature", sign::zendesk(secret, &ts, body))
                .header("x-zendesk-webhook-signature-timestamp", ts)
        }
        Source::Stripe => builder.header("stripe-signature", sign::stripe(secret, now, body)),
        Source::Intercom => builder.header("x-hub-signature", sign::intercom(secret, body)),
        Source::Helpscout => {
            builder.header("x-helpscout-signature", sign::helpscout(secret, body)).header("x-helpscout-event", "convo.created")
        }
        Source::Freshdesk => builder.header("x-pushback-token", DEMO_SECRET),
        Source::Typeform => builder.header("typeform-signature", sign::typeform(secret, body)),
        _ => builder.header("x-pushback-signature", sign::generic(secret, now, body)).header("x-pushback-timestamp", now.to_string()),
    };
    Ok(builder.body(Body::from(body.to_vec()))?)
}

/// What people would see: category volumes, topics this week against last, and examples.
async fn report(store: &Store, classifier: &crate::classify::Classifier) -> anyhow::Result<()> {
    let now = Utc::now();
    let week = Duration::days(7);
    let (n_this, p_this, r_this) = store.category_counts(now - week, now).await?;
    let (n_last, p_last, r_last) = store.category_counts(now - week * 2, now - week).await?;
    let (n_all, p_all, r_all) = store.category_counts(now - Duration::days(400), now + Duration::days(1)).await?;
    println!("3. Classified on the way in by {} (local linfa model + config/rules.toml):", classifier.version());
    println!("   {:<13} {:>9} {:>9} {:>9}", "", "this week", "last week", "8 weeks");
    println!("   {:<13} {:>9} {:>9} {:>9}", "all feedback", n_this, n_last, n_all);
    println!("   {:<13} {:>9} {:>9} {:>9}", "performance", p_this, p_last, p_all);
    println!("   {:<13} {:>9} {:>9} {:>9}\n", "reliability", r_this, r_last, r_all);

    let this_week: HashMap<String, i64> = store.topic_counts(now - week, now).await?.into_iter().collect();
    let last_week: HashMap<String, i64> = store.topic_counts(now - week * 2, now - week).await?.into_iter().collect();
    let all = store.topic_counts(now - Duration::days(400), now + Duration::days(1)).await?;
    println!("4. Topics (config/rules.toml):");
    println!("   {:<18} {:>9} {:>9} {:>9}", "topic", "this week", "last week", "8 weeks");
    for (topic, total) in all.iter().take(8) {
        println!("   {:<18} {:>9} {:>9} {:>9}", topic, this_week.get(topic).unwrap_or(&0), last_week.get(topic).unwrap_or(&0), total);
    }
    println!();

    println!("5. Why items count (classifier explanations), three recent examples:");
    let mut shown = 0;
    let mut after = (store.count_items().await? - 40).max(0);
    'outer: loop {
        let page = store.items_after(after, 50).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for f in &page {
            if (f.classification.performance || f.classification.reliability) && !f.classification.explanation.is_empty() {
                let quote = crate::text::truncate_chars(&crate::redact::redact(&f.body.replace('\n', " ")), 110);
                println!("   \"{quote}\"\n     -> {:?} because {}", f.classification.categories(), f.classification.explanation.join(", "));
                shown += 1;
                if shown == 3 {
                    break 'outer;
                }
            }
        }
    }
    println!();
    Ok(())
}
