use pushback::config::Settings;
use pushback::domain::Source;
use pushback::ingest::signature::sign;
use pushback::startup::Application;
use pushback::store::Store;
use secrecy::SecretString;
use std::path::Path;
use std::sync::Once;

pub const GENERIC_SECRET: &str = "gen-secret";
pub const ZENDESK_SECRET: &str = "zd-secret";
pub const INTERCOM_SECRET: &str = "ic-secret";
pub const HELPSCOUT_SECRET: &str = "asdffdsa";
pub const STRIPE_SECRET: &str = "whsec_test_secret";
pub const FRESHDESK_TOKEN: &str = "fd-token-0123456789";
pub const TYPEFORM_SECRET: &str = "tf-secret";

pub fn secret_of(source: Source) -> &'static str {
    match source {
        Source::Zendesk => ZENDESK_SECRET,
        Source::Intercom => INTERCOM_SECRET,
        Source::Helpscout => HELPSCOUT_SECRET,
        Source::Stripe => STRIPE_SECRET,
        Source::Freshdesk => FRESHDESK_TOKEN,
        Source::Typeform => TYPEFORM_SECRET,
        Source::Generic | Source::Csv => GENERIC_SECRET,
    }
}

/// Realistic payloads, one per source.
pub fn fixture(source: Source) -> &'static str {
    match source {
        Source::Zendesk => include_str!("../fixtures/zendesk_ticket_created.json"),
        Source::Intercom => include_str!("../fixtures/intercom_conversation.json"),
        Source::Helpscout => include_str!("../fixtures/helpscout_convo.json"),
        Source::Stripe => include_str!("../fixtures/stripe_subscription_deleted.json"),
        Source::Freshdesk => include_str!("../fixtures/freshdesk_ticket.json"),
        Source::Typeform => include_str!("../fixtures/typeform_nps_response.json"),
        Source::Generic | Source::Csv => include_str!("../fixtures/generic_item.json"),
    }
}

static LOG: Once = Once::new();

fn init_test_log() {
    LOG.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            let _ = tracing_subscriber::fmt().with_env_filter("info,sqlx=warn").with_test_writer().try_init();
        }
    });
}

pub struct TestApp {
    pub address: String,
    pub store: Store,
    pub client: reqwest::Client,
    pub settings: Settings,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

/// Settings for tests: built-in defaults, every source configured, port 0, its own database.
pub async fn test_settings(dir: &Path) -> Settings {
    let mut settings = Settings::load_from(Path::new("config")).expect("config/ loads");
    settings.http.host = "127.0.0.1".into();
    settings.http.port = 0;
    settings.database.url = test_database_url(dir).await;
    settings.database.max_connections = 4;
    let s = &mut settings.sources;
    s.zendesk.secret = Some(SecretString::from(ZENDESK_SECRET));
    s.zendesk.subdomain = Some("acme".into());
    s.intercom.secret = Some(SecretString::from(INTERCOM_SECRET));
    s.helpscout.secret = Some(SecretString::from(HELPSCOUT_SECRET));
    s.stripe.secret = Some(SecretString::from(STRIPE_SECRET));
    s.freshdesk.secret = Some(SecretString::from(FRESHDESK_TOKEN));
    s.generic.secret = Some(SecretString::from(GENERIC_SECRET));
    s.typeform.secret = Some(SecretString::from(TYPEFORM_SECRET));
    s.typeform.score_field = Some("nps_score".into());
    s.typeform.comment_field = Some("nps_reason".into());
    s.typeform.survey = Some("nps".into());
    settings
}

/// The store at `url` with its migrations applied.
pub async fn migrated_store(url: &str) -> pushback::store::Store {
    let store = pushback::store::Store::connect(url, 2).await.unwrap();
    store.migrate().await.unwrap();
    store
}

/// A fresh database: a SQLite file in `dir`, or a new PostgreSQL database on the server that
/// `PUSHBACK_TEST_DATABASE_URL` names.
pub async fn test_database_url(dir: &Path) -> String {
    match std::env::var("PUSHBACK_TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("PUSHBACK_TEST_DATABASE_URL reachable");
            let name = format!("pushback_test_{}_{}", std::process::id(), unique());
            sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut conn).await.expect("create test database");
            let mut url = url::Url::parse(&base).expect("valid URL");
            url.set_path(&name);
            url.to_string()
        }
        _ => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    nanos * 1000 + N.fetch_add(1, Ordering::Relaxed)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_at(configure, pushback::domain::Clock::system()).await
}

/// `spawn_app_with` whose schedulers (digest, monthly review) read `clock`.
pub async fn spawn_app_at(configure: impl FnOnce(&mut Settings), clock: pushback::domain::Clock) -> TestApp {
    init_test_log();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(dir.path()).await;
    configure(&mut settings);
    let database_url = settings.database.url.clone();
    let app = Application::build_at(settings.clone(), clock).await.expect("application builds");
    let address = format!("http://{}", app.addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    let store = Store::connect(&database_url, 2).await.expect("test store connects");
    TestApp { address, store, client: reqwest::Client::new(), settings, _dir: dir, _stop: stop, server }
}

/// Headers that authenticate `body` for `source` at unix time `ts`.
pub fn signed_headers(source: Source, body: &[u8], ts: i64) -> Vec<(&'static str, String)> {
    let secret = secret_of(source).as_bytes();
    match source {
        Source::Generic | Source::Csv => {
            vec![("x-pushback-signature", sign::generic(secret, ts, body)), ("x-pushback-timestamp", ts.to_string())]
        }
        Source::Stripe => vec![("stripe-signature", sign::stripe(secret, ts, body))],
        Source::Zendesk => {
            let stamp = chrono::DateTime::from_timestamp(ts, 0).unwrap().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            vec![("x-zendesk-webhook-signature", sign::zendesk(secret, &stamp, body)), ("x-zendesk-webhook-signature-timestamp", stamp)]
        }
        Source::Intercom => vec![("x-hub-signature", sign::intercom(secret, body))],
        Source::Helpscout => vec![("x-helpscout-signature", sign::helpscout(secret, body)), ("x-helpscout-event", "convo.created".into())],
        Source::Freshdesk => vec![("x-pushback-token", FRESHDESK_TOKEN.into())],
        Source::Typeform => vec![("typeform-signature", sign::typeform(secret, body))],
    }
}

/// Asserts an error answer: `status`, and a JSON `error` message containing `needle`. Returns
/// the body for further checks; `case` names what was sent in failure messages.
pub async fn expect_error(response: reqwest::Response, status: u16, needle: &str, case: &str) -> serde_json::Value {
    assert_eq!(response.status(), status, "{case}");
    let json: serde_json::Value = response.json().await.expect("a JSON error body");
    assert!(json["error"].as_str().unwrap().contains(needle), "{case}: {json}");
    json
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl TestApp {
    /// Stops the server as SIGTERM would and waits until it has: its Slack tasks have finished
    /// their last pass, so nothing it does can race what the test does next. The database and
    /// its directory stay (the returned `TempDir` keeps them) for the next step.
    pub async fn stop(self) -> (Store, Settings, tempfile::TempDir) {
        let TestApp { store, settings, _dir, _stop, server, .. } = self;
        drop(_stop);
        server.await.expect("server task").expect("server stopped cleanly");
        (store, settings, _dir)
    }

    pub async fn post_raw(&self, source: &str, body: impl Into<reqwest::Body>, headers: &[(&str, String)]) -> reqwest::Response {
        let mut req = self.client.post(format!("{}/webhooks/{source}", self.address)).header("content-type", "application/json").body(body);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        req.send().await.expect("request sent")
    }

    /// Posts `body` to `source`'s webhook, correctly signed now.
    pub async fn post_webhook(&self, source: Source, body: &str) -> reqwest::Response {
        let headers = signed_headers(source, body.as_bytes(), now());
        self.post_raw(source.as_str(), body.to_string(), &headers).await
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }

    /// True on PostgreSQL; elsewhere prints why the test is skipped (`needs`) and returns false.
    pub fn on_postgres(&self, needs: &str) -> bool {
        let yes = self.settings.database.url.starts_with("postgres");
        if !yes {
            eprintln!("skipped: {needs} (set PUSHBACK_TEST_DATABASE_URL)");
        }
        yes
    }

    pub async fn count(&self) -> i64 {
        self.store.count_items().await.expect("count")
    }
}

/// `pushback rollups check` on `store`: the rollups must agree with a recount of the items.
pub async fn assert_rollups_agree(store: &Store, case: &str) {
    let found = store.check_rollups().await.expect("rollups check runs");
    assert!(found.differences.is_empty(), "{case}: the rollups differ from a recount:\n{}", found.differences.join("\n"));
}
