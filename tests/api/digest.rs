//! The weekly digest as a new user meets it: a week claimed by a server that stopped before
//! posting is shown as queued and posted once by `pushback digest --send`; a failed week is
//! shown with Slack's error and re-sent by `--force`; each owner channel gets its own section
//! once, however many servers race for the week; and a topic counts only complaints.

use crate::fake_slack::{FakeSlack, Scripted};
use crate::helpers::spawn_app_with;
use crate::slack::{BOT_TOKEN, CHECKOUT, DIGEST_CHANNEL, configure, eventually_async, in_digest_window, seed_at};
use pushback::config::Settings;
use pushback::domain::DigestSchedule;
use pushback::store::Store;
use serde_json::Value;

const OWNER: &str = "#team-payments";

fn schedule() -> DigestSchedule {
    DigestSchedule::parse("monday", "00:00", "UTC").unwrap()
}

fn this_week() -> String {
    schedule().week_of(chrono::Utc::now()).to_string()
}

/// `pushback <args>` against the test's database and fake Slack, as an operator would run it.
/// It runs on a blocking thread: the fake Slack answers on this test's runtime meanwhile.
async fn pushback(settings: &Settings, args: &[&str]) -> (i32, String, String) {
    let (settings, args): (Settings, Vec<String>) = (settings.clone(), args.iter().map(|a| a.to_string()).collect());
    tokio::task::spawn_blocking(move || run(&settings, &args)).await.expect("pushback ran")
}

fn run(settings: &Settings, args: &[String]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pushback"))
        .args(args)
        .env("PUSHBACK_DATABASE__URL", &settings.database.url)
        .env("PUSHBACK_SLACK__BOT_TOKEN", BOT_TOKEN)
        .env("PUSHBACK_SLACK__API_URL", &settings.slack.api_url)
        .env("PUSHBACK_SLACK__DIGEST_CHANNEL", DIGEST_CHANNEL)
        .env("PUSHBACK_SLACK__DIGEST_WEEKDAY", "monday")
        .env("PUSHBACK_SLACK__DIGEST_TIME", "00:00")
        .env("PUSHBACK_SLACK__DIGEST_TIMEZONE", "UTC")
        .env_remove("PUSHBACK_CLASSIFIER__MODEL_PATH")
        .output()
        .expect("pushback runs");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Posts Slack accepted (`ok: true`) to `channel` whose body mentions `needle`.
fn accepted(fake: &FakeSlack, channel: &str, needle: &str) -> usize {
    fake.posts_to(channel).iter().filter(|p| p.ok && p.body.contains(needle)).count()
}

/// Seeds the checkout complaints (one a churn note) in this week's digest window through a
/// server without Slack, so every alert they cause is queued before the digest.
async fn seeded_database(fake: &FakeSlack) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::test_database_url(dir.path()).await;
    let seeder = spawn_app_with(|s| {
        configure(s, fake, false);
        s.slack.bot_token = None;
        s.database.url = url.clone();
    })
    .await;
    seed_at(&seeder, &CHECKOUT, in_digest_window(&schedule())).await;
    seeder.stop().await;
    (url, dir)
}

async fn digest_rows(store: &Store) -> Vec<pushback::store::OutboxRow> {
    store.outbox_rows(&format!("digest:{}:", this_week())).await.unwrap()
}

#[tokio::test]
async fn a_week_claimed_by_a_server_that_stopped_before_posting_is_queued_and_digest_send_posts_it_once() {
    let fake = FakeSlack::start().await;
    let (url, _dir) = seeded_database(&fake).await;
    // Slack answers 500 to everything until the server has stopped.
    fake.script("chat.postMessage", vec![Scripted::ServerError; 200]);
    let app = spawn_app_with(|s| {
        configure(s, &fake, true);
        s.database.url = url.clone();
    })
    .await;
    let week = this_week();
    eventually_async("the claimed week's messages tried and put back", || async {
        let rows = digest_rows(&app.store).await;
        (!rows.is_empty() && rows.iter().all(|r| r.status == "pending" && r.attempts >= 1)).then_some(())
    })
    .await;
    let (store, settings, _app_dir) = app.stop().await;
    fake.clear_script("chat.postMessage");
    let posts_before = fake.calls("chat.postMessage").len();

    let (code, status, err) = pushback(&settings, &["digest", "--status"]).await;
    assert_eq!(code, 0, "{err}");
    let line = status.lines().find(|l| l.starts_with(&week)).unwrap_or_else(|| panic!("{week} missing:\n{status}"));
    assert!(line.contains("queued") && line.contains("0 of "), "{status}");
    assert!(status.contains("last error: HTTP 500") && status.contains(&format!("pushback digest --week {week} --send")), "{status}");
    assert!(status.contains(&format!("{DIGEST_CHANNEL} ")) && status.contains(OWNER), "per channel: {status}");
    let (_, json, _) = pushback(&settings, &["digest", "--status", "--week", &week, "--format", "json"]).await;
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["weeks"][0]["state"], "queued", "{json}");
    assert_eq!(fake.calls("chat.postMessage").len(), posts_before, "--status posts nothing");

    let (code, out, err) = pushback(&settings, &["digest", "--send"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("was claimed") && out.contains("delivering the rest") && out.contains(&format!("digest {week} posted")), "{out}");
    let header = format!("Weekly feedback digest, {week}");
    assert_eq!(accepted(&fake, DIGEST_CHANNEL, &header), 1, "the digest is posted once");
    assert_eq!(accepted(&fake, OWNER, "Your topics this week"), 1, "the owner channel's section is posted once");
    assert!(digest_rows(&store).await.iter().all(|r| r.status == "sent"));
    // The churn alert the seeded note queued is not the digest's: --send leaves it to the server.
    assert!(store.outbox_rows("churn:").await.unwrap().iter().all(|r| r.status == "pending"));

    // Again: nothing to send, nothing posted.
    let posts = fake.calls("chat.postMessage").len();
    let (code, again, _) = pushback(&settings, &["digest", "--send"]).await;
    assert_eq!(code, 0);
    assert!(again.contains("already posted") && again.contains("nothing to send"), "{again}");
    assert_eq!(fake.calls("chat.postMessage").len(), posts);
    let (_, status, _) = pushback(&settings, &["digest", "--status", "--week", &week]).await;
    assert!(status.starts_with(&format!("{week}  posted")), "{status}");
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn a_failed_week_shows_slack_s_error_and_force_sends_only_what_failed() {
    let fake = FakeSlack::start().await;
    let (url, _dir) = seeded_database(&fake).await;
    fake.forget_channel(DIGEST_CHANNEL);
    let app = spawn_app_with(|s| {
        configure(s, &fake, true);
        s.database.url = url.clone();
    })
    .await;
    let week = this_week();
    eventually_async("the digest failed and the section posted", || async {
        let rows = digest_rows(&app.store).await;
        let done = rows.iter().any(|r| r.channel == DIGEST_CHANNEL) && rows.iter().all(|r| r.status == "sent" || r.status == "failed");
        done.then_some(())
    })
    .await;
    let (_store, settings, _app_dir) = app.stop().await;
    let (_, status, _) = pushback(&settings, &["digest", "--status", "--week", &week]).await;
    assert!(status.starts_with(&format!("{week}  failed")), "{status}");
    assert!(status.contains("last error: channel_not_found") && status.contains("--force"), "{status}");
    let (code, _, err) = pushback(&settings, &["digest", "--send"]).await;
    assert_eq!(code, 1, "a failed week is not re-sent without --force");
    assert!(err.contains("channel_not_found") && err.contains("--force"), "{err}");

    fake.restore_channel(DIGEST_CHANNEL);
    let (code, out, err) = pushback(&settings, &["digest", "--force"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("put back in the queue"), "{out}");
    assert_eq!(accepted(&fake, DIGEST_CHANNEL, &format!("Weekly feedback digest, {week}")), 1);
    assert_eq!(accepted(&fake, OWNER, "Your topics this week"), 1, "the section was posted already and is not repeated");
}

#[tokio::test]
async fn each_owner_channel_gets_its_section_once_when_two_servers_race_for_the_week() {
    let fake = FakeSlack::start().await;
    let (url, _dir) = seeded_database(&fake).await;
    let replica = |s: &mut Settings| {
        configure(s, &fake, true);
        s.database.url = url.clone();
    };
    let (a, b) = tokio::join!(spawn_app_with(replica), spawn_app_with(replica));
    let week = this_week();
    eventually_async("every digest message sent", || async {
        let rows = digest_rows(&a.store).await;
        (!rows.is_empty() && rows.iter().all(|r| r.status == "sent")).then_some(())
    })
    .await;
    let (_, settings, _) = a.stop().await;
    b.stop().await;
    assert_eq!(accepted(&fake, DIGEST_CHANNEL, &format!("Weekly feedback digest, {week}")), 1);
    let sections: Vec<_> = fake.calls_mentioning("chat.postMessage", "Your topics this week").into_iter().filter(|p| p.ok).collect();
    let channels: Vec<String> = sections.iter().map(|p| p.json()["channel"].as_str().unwrap().to_string()).collect();
    // Checkout complaints only: #team-payments owns checkout-slow and checkout-errors; the other
    // teams' topics had nothing, so they get no section.
    assert_eq!(channels, [OWNER], "{channels:?}");
    let section = &sections[0].body;
    assert!(section.contains("checkout-slow") && !section.contains("search-slow"), "{section}");
    assert!(section.contains("1 cancellation note") && !section.contains("1 cancellation notes"), "{section}");
    // The status agrees, and --send has nothing left to do.
    let (_, status, _) = pushback(&settings, &["digest", "--status", "--week", &week]).await;
    assert!(status.starts_with(&format!("{week}  posted")) && status.contains(OWNER), "{status}");
    fake.assert_all_within_limits();
}

#[tokio::test]
async fn a_topic_s_digest_count_is_its_performance_and_reliability_items_only() {
    let fake = FakeSlack::start().await;
    let app = spawn_app_with(|s| configure(s, &fake, false)).await;
    let at = in_digest_window(&schedule());
    seed_at(&app, &["How do I export a GPX file?", "Could you add a PDF export of the invoices?"], at).await;
    seed_at(&app, &["The CSV export takes forever and then times out"], at).await;
    let classifier = pushback::app::load_classifier(&app.settings, &app.store).await.unwrap();
    let mut settings = app.settings.clone();
    settings.slack.digest_weekday = "monday".into();
    settings.slack.digest_time = "00:00".into();
    let (state, _writer) = pushback::app::AppState::new(app.store.clone(), classifier, settings);
    let week = schedule().week_of(chrono::Utc::now());
    let whole = pushback::slack::digest::compose_week(&state, week, Some(DIGEST_CHANNEL)).await.unwrap();
    let digest = serde_json::to_string(&whole.messages).unwrap();
    assert!(digest.contains("*Reports and exports* `reports-exports`\\n*1 item* this week"), "{digest}");
    assert!(!digest.contains("GPX") && !digest.contains("PDF export"), "questions are not complaints: {digest}");
    let analytics: Vec<_> = whole.sections.iter().filter(|s| s.channel == "#team-analytics").collect();
    assert_eq!(analytics.len(), 1, "{:?}", whole.sections.iter().map(|s| &s.channel).collect::<Vec<_>>());
    let section = serde_json::to_string(&analytics[0].messages).unwrap();
    assert!(section.contains("*1 item* this week") && section.contains("CSV export takes forever"), "{section}");
}

#[tokio::test]
async fn digest_send_racing_a_running_server_posts_each_message_once() {
    let fake = FakeSlack::start().await;
    let (url, _dir) = seeded_database(&fake).await;
    // The server finds the week due at once and so does the command: whoever claims it, both
    // deliver, and each outbox row goes to one of them.
    let (app, (code, out, err)) = tokio::join!(
        spawn_app_with(|s| {
            configure(s, &fake, true);
            s.database.url = url.clone();
        }),
        async {
            let mut settings = Settings::load_from(std::path::Path::new("config")).unwrap();
            settings.database.url = url.clone();
            settings.slack.api_url = fake.api_url();
            pushback(&settings, &["digest", "--send"]).await
        }
    );
    assert_eq!(code, 0, "{out}\n{err}");
    eventually_async("every digest message sent", || async {
        let rows = digest_rows(&app.store).await;
        (!rows.is_empty() && rows.iter().all(|r| r.status == "sent")).then_some(())
    })
    .await;
    let (store, _, _) = app.stop().await;
    let week = this_week();
    assert_eq!(accepted(&fake, DIGEST_CHANNEL, &format!("Weekly feedback digest, {week}")), 1, "{out}");
    assert_eq!(accepted(&fake, OWNER, "Your topics this week"), 1, "{out}");
    let rows = digest_rows(&store).await;
    let posts = fake.calls("chat.postMessage").into_iter().filter(|p| p.ok && p.body.contains(&week)).count();
    assert_eq!(posts, rows.len(), "one post per outbox row: {out}");
}
