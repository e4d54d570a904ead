//! Nothing lost, nothing doubled: two replicas on one PostgreSQL database, and a database that
//! goes away and comes back.

use crate::helpers::{TestApp, now, signed_headers, spawn_app, spawn_app_with};
use pushback::domain::Source;
use serde_json::{Value, json};
use std::time::Duration;

const DEADLINE: Duration = Duration::from_secs(30);

fn items(ids: impl IntoIterator<Item = String>) -> String {
    let items: Vec<Value> = ids
        .into_iter()
        .map(|id| {
            // A few accounts shared by many items, so replicas also contend on account rows.
            let account = id.bytes().map(u32::from).sum::<u32>() % 7;
            json!({"id": id, "body": format!("checkout is slow again, attempt {id}"),
                   "account": {"id": format!("acct-{account}"), "name": "Acme", "arr_cents": 100_000}})
        })
        .collect();
    serde_json::to_string(&items).unwrap()
}

/// Polls `check` until it returns true, failing after `DEADLINE`.
async fn until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn stored_ids(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = app.store.items_after(after, 1000).await.unwrap();
        let Some(last) = page.last() else { return out };
        after = last.id;
        out.extend(page.into_iter().map(|f| f.external_id));
    }
}

#[tokio::test]
async fn two_replicas_on_one_postgres_database_store_every_item_exactly_once() {
    let a = spawn_app().await;
    if !a.on_postgres("replicas share a database only on PostgreSQL") {
        return;
    }
    let url = a.settings.database.url.clone();
    let b = spawn_app_with(move |s| s.database.url = url).await;

    // Rounds of: the same 200 items to both replicas at once, in opposite orders (each replica's
    // transaction then meets the other's rows in reverse unless writes are sorted), plus items
    // only one replica sees.
    let mut sends = Vec::new();
    for round in 0..8 {
        let shared: Vec<String> = (0..200).map(|i| format!("shared-{round}-{i}")).collect();
        let reversed: Vec<String> = shared.iter().rev().cloned().collect();
        sends.push(send(&a, items(shared)));
        sends.push(send(&b, items(reversed)));
        for (app, name) in [(&a, "a"), (&b, "b")] {
            sends.push(send(app, items((0..10).map(|i| format!("only-{name}-{round}-{i}")))));
        }
    }
    let mut statuses = Vec::new();
    for handle in sends {
        statuses.push(handle.await.unwrap());
    }
    assert!(statuses.iter().all(|s| *s == 202), "every request is stored: {statuses:?}");

    let ids = stored_ids(&a).await;
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "no item is stored twice");
    assert_eq!(ids.len(), 8 * (200 + 10 + 10));
    // Both replicas read the same items.
    assert_eq!(b.count().await, a.count().await);
}

/// Sends a signed generic webhook from its own task; returns the status.
fn send(app: &TestApp, body: String) -> tokio::task::JoinHandle<u16> {
    let (client, url) = (app.client.clone(), format!("{}/webhooks/generic", app.address));
    tokio::spawn(async move {
        let mut request = client.post(url).header("content-type", "application/json");
        for (name, value) in signed_headers(Source::Generic, body.as_bytes(), now()) {
            request = request.header(name, value);
        }
        request.body(body).send().await.expect("request sent").status().as_u16()
    })
}

/// Makes the database refuse work until the returned guard is released: on PostgreSQL new
/// connections are refused and the app's are terminated; on SQLite another connection holds
/// the write lock, as another process (a backup, a stuck sqlite3 shell) would.
enum Outage {
    Postgres { admin: sqlx::PgConnection, database: String },
    Sqlite(sqlx::SqliteConnection),
}

impl Outage {
    async fn start(app: &TestApp) -> Self {
        use sqlx::Connection;
        let url = &app.settings.database.url;
        if url.starts_with("postgres") {
            let base = std::env::var("PUSHBACK_TEST_DATABASE_URL").expect("PostgreSQL tests name a server");
            let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
            let database = url::Url::parse(url).unwrap().path().trim_start_matches('/').to_string();
            sqlx::query(&format!("ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false")).execute(&mut admin).await.unwrap();
            sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
                .bind(&database)
                .execute(&mut admin)
                .await
                .unwrap();
            Outage::Postgres { admin, database }
        } else {
            let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await.unwrap();
            sqlx::query("INSERT INTO accounts (account_id, updated_at) VALUES ('outage-lock', 0)").execute(&mut conn).await.unwrap();
            Outage::Sqlite(conn)
        }
    }

    async fn end(self) {
        match self {
            Outage::Postgres { mut admin, database } => {
                sqlx::query(&format!("ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true")).execute(&mut admin).await.unwrap();
            }
            Outage::Sqlite(mut conn) => {
                sqlx::query("ROLLBACK").execute(&mut conn).await.unwrap();
            }
        }
    }
}

#[tokio::test]
async fn while_the_database_is_down_webhooks_get_503_nothing_is_half_written_and_the_service_recovers_by_itself() {
    let app = spawn_app().await;
    assert_eq!(app.post_webhook(Source::Generic, &items(["before".to_string()])).await.status(), 202);
    let batch = items((0..5).map(|i| format!("during-{i}")));

    let outage = Outage::start(&app).await;
    let response = app.post_webhook(Source::Generic, &batch).await;
    assert_eq!(response.status(), 503, "{}", response.text().await.unwrap());
    assert!(response.headers().get("retry-after").is_some(), "the vendor is told to retry");
    let body: Value = response.json().await.unwrap();
    assert!(!body.to_string().contains("sqlx") && !body.to_string().contains("SQLSTATE"), "no internals: {body}");
    until("/readyz to report the outage", async || app.get("/readyz").await.status() == 503).await;
    assert_eq!(app.get("/healthz").await.status(), 200, "the process itself is alive");

    outage.end().await;
    until("/readyz to recover without traffic", async || app.get("/readyz").await.status() == 200).await;
    // The refused batch left nothing behind: resending it inserts all five.
    let response = app.post_webhook(Source::Generic, &batch).await;
    assert_eq!(response.status(), 202);
    let body: Value = response.json().await.unwrap();
    let outcomes: Vec<&str> = body["items"].as_array().unwrap().iter().map(|i| i["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, vec!["inserted"; 5]);
    let mut ids = stored_ids(&app).await;
    ids.sort();
    assert_eq!(ids, ["before", "during-0", "during-1", "during-2", "during-3", "during-4"]);
    assert!(app.store.account("outage-lock").await.unwrap().is_none());
}

#[tokio::test]
async fn a_postgres_url_with_sslmode_require_connects_over_tls() {
    let app = spawn_app().await;
    if !app.on_postgres("TLS to the database applies to PostgreSQL") {
        return;
    }
    // Managed PostgreSQL services require TLS; the URL's sslmode is how an admin asks for it.
    let url = format!("{}?sslmode=require", app.settings.database.url);
    let store = pushback::store::Store::connect(&url, 1).await.expect("connects with sslmode=require");
    let pushback::store::Store::Postgres(pool) = &store else { unreachable!("a postgres URL opens PostgreSQL") };
    let server_ssl: String = sqlx::query_scalar("SHOW ssl").fetch_one(pool).await.unwrap();
    assert_eq!(server_ssl, "on", "the test server must have ssl = on for this test");
    let (ssl, version): (bool, Option<String>) =
        sqlx::query_as("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_one(pool).await.unwrap();
    assert!(ssl, "the connection is not encrypted");
    assert!(version.is_some_and(|v| v.starts_with("TLS")));
    store.ping().await.unwrap();
}
