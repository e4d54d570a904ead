//! `pushback-alert-bench`: how long a churn alert takes. It runs a fake Slack Web API on
//! 127.0.0.1 that records when each `chat.postMessage` arrives, sends signed generic webhooks
//! to a running `pushback serve` at a target rate (every Nth one a churn note about a slow
//! checkout, the rest ordinary tickets), and reports, for every churn note answered 2xx, the
//! time from that answer to its alert arriving: percentiles, alerts missing and alerts posted
//! twice.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use clap::Parser;
use pushback::ingest::signature::sign;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(
    name = "pushback-alert-bench",
    version,
    about = "Measure the time from a churn note's 2xx to its alert reaching Slack, under webhook load.",
    after_help = "Start the fake Slack and the load together; point the server at the fake Slack first:\n  \
export PUSHBACK_SOURCES__GENERIC__SECRET=$(openssl rand -hex 32)\n  \
PUSHBACK_SLACK__BOT_TOKEN=xoxb-bench PUSHBACK_SLACK__API_URL=http://127.0.0.1:18999/api/ pushback serve &\n  \
pushback-alert-bench --rate 1000 --duration 60 --churn-every 500    1,000 webhooks/s, 2 of them churn notes\n\n\
Churn notes take turns between four owned topics (checkout, search, login, crashes), so their alerts go to four
owner channels; Slack allows about one post a second per channel, which pushback paces to."
)]
struct Args {
    /// The generic webhook URL of the server under test.
    #[arg(long, default_value = "http://127.0.0.1:8080/webhooks/generic")]
    url: String,
    /// HMAC secret for the generic format (the server's PUSHBACK_SOURCES__GENERIC__SECRET).
    #[arg(long, env = "PUSHBACK_SOURCES__GENERIC__SECRET", hide_env_values = true)]
    secret: String,
    /// Port of the fake Slack on 127.0.0.1 (the server's PUSHBACK_SLACK__API_URL=http://127.0.0.1:PORT/api/).
    #[arg(long, default_value_t = 18999)]
    slack_port: u16,
    /// Webhooks per second.
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// Seconds of load.
    #[arg(long, default_value_t = 30.0)]
    duration: f64,
    /// Every Nth webhook is a churn note about speed or breakage (the rest are tickets).
    #[arg(long, default_value_t = 20)]
    churn_every: u64,
    /// Most webhooks in flight.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds to wait after the load for the last alerts.
    #[arg(long, default_value_t = 30.0)]
    wait: f64,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Churn notes about four owned topics, so alerts go to four owner channels (config/rules.toml):
/// checkout-slow (#team-payments), search-slow (#team-search), login-failures (#team-identity),
/// app-crashes (#team-mobile).
const CHURN_TEXTS: [&str; 4] = [
    "We are cancelling: the checkout was too slow, our customers waited 30 seconds to pay.",
    "Cancelled because search takes forever and times out on every query.",
    "Leaving: login keeps failing with an error every morning.",
    "We cancelled: the app crashes every time we scan a barcode.",
];

/// When each churn note was acknowledged (2xx), and when each alert arrived, by item id.
#[derive(Default)]
struct Clock {
    acked: HashMap<String, Instant>,
    arrived: HashMap<String, Vec<Instant>>,
}

struct Run {
    args: Args,
    client: reqwest::Client,
    prefix: String,
    tickets: Vec<serde_json::Value>,
    clock: Mutex<Clock>,
    next: std::sync::atomic::AtomicU64,
    started: Instant,
}

/// The fake Slack's chat.postMessage: notes when the alert for one of our churn notes arrives.
async fn slack(State(run): State<Arc<Run>>, body: Bytes) -> ([(&'static str, &'static str); 1], String) {
    let now = Instant::now();
    let text = String::from_utf8_lossy(&body);
    if let Some(at) = text.find(&run.prefix) {
        let id: String =
            text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>().trim_end_matches('-').to_string();
        run.clock.lock().unwrap().arrived.entry(id).or_default().push(now);
    }
    let ts = format!("1700000000.{:06}", now.duration_since(run.started).as_micros() % 1_000_000);
    (
        [("content-type", "application/json")],
        serde_json::json!({"ok": true, "channel": "C0BENCH", "ts": ts, "message": {"ts": ts}}).to_string(),
    )
}

impl Run {
    /// Request `i`: a churn note every `churn_every`, else a ticket from the synthetic pool.
    fn body(&self, i: u64) -> (String, Option<String>) {
        let id = format!("{}{i}", self.prefix);
        if self.args.churn_every > 0 && i % self.args.churn_every == 0 {
            let item = serde_json::json!({"id": id, "kind": "churn_note", "subject": "Cancellation",
                "body": CHURN_TEXTS[(i / self.args.churn_every) as usize % CHURN_TEXTS.len()],
                "created_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "account": {"id": format!("bench-acct-{}", i % 500), "name": format!("Bench {}", i % 500), "arr_cents": 1_200_000}});
            return (item.to_string(), Some(id));
        }
        let mut item = self.tickets[i as usize % self.tickets.len()].clone();
        item["id"] = serde_json::Value::String(id);
        item["kind"] = "ticket".into();
        (item.to_string(), None)
    }

    async fn send(&self, body: String) -> Option<u16> {
        let response = sign::generic_post(&self.client, &self.args.url, self.args.secret.as_bytes(), body).send().await.ok()?;
        let status = response.status().as_u16();
        response.bytes().await.ok()?;
        Some(status)
    }
}

/// Sends webhooks on the open schedule (request i at start + i/rate) until the duration ends.
async fn worker(run: Arc<Run>, end: Instant) -> (u64, u64) {
    let (mut ok, mut failed) = (0, 0);
    loop {
        let i = run.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let due = run.started + Duration::from_secs_f64(i as f64 / run.args.rate);
        if due >= end {
            return (ok, failed);
        }
        tokio::time::sleep_until(due.into()).await;
        let (body, churn) = run.body(i);
        match run.send(body).await {
            Some(s) if (200..300).contains(&s) => {
                ok += 1;
                if let Some(id) = churn {
                    run.clock.lock().unwrap().acked.insert(id, Instant::now());
                }
            }
            _ => failed += 1,
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn tickets() -> Vec<serde_json::Value> {
    let params = pushback::synth::GenParams { count: 2000, seed: 1, end: chrono::Utc::now(), days: 90, accounts: Some(200) };
    let accounts = pushback::synth::accounts(&params);
    let corpus = pushback::classify::seed::corpus_rows();
    pushback::synth::items(&params, &corpus, &accounts)
        .iter()
        .map(|item| pushback::synth::generic_json(item, item.account.id.as_deref().and_then(|id| accounts.iter().find(|a| a.id == id))))
        .collect()
}

/// Latencies (ms) of the alerts that arrived, alerts missing, alerts that arrived twice.
fn tally(clock: &Clock) -> (Vec<f64>, usize, usize) {
    let mut ms = Vec::new();
    let (mut missing, mut twice) = (0, 0);
    for (id, acked) in &clock.acked {
        match clock.arrived.get(id).map(Vec::as_slice) {
            None | Some([]) => missing += 1,
            Some(times) => {
                twice += usize::from(times.len() > 1);
                ms.push(times[0].saturating_duration_since(*acked).as_secs_f64() * 1000.0);
            }
        }
    }
    ms.sort_by(f64::total_cmp);
    (ms, missing, twice)
}

#[tokio::main]
async fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(
        args.rate > 0.0 && args.duration > 0.0 && args.concurrency > 0,
        "--rate, --duration and --concurrency must be positive"
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.slack_port)).await.map_err(|e| {
        anyhow::anyhow!("cannot listen on 127.0.0.1:{} for the fake Slack ({e}); pick another --slack-port", args.slack_port)
    })?;
    let client =
        reqwest::Client::builder().timeout(Duration::from_secs(10)).pool_max_idle_per_host(args.concurrency).tcp_nodelay(true).build()?;
    let run = Arc::new(Run {
        prefix: format!("alertbench-{}-", chrono::Utc::now().timestamp()),
        tickets: tickets(),
        client,
        clock: Mutex::new(Clock::default()),
        next: std::sync::atomic::AtomicU64::new(0),
        started: Instant::now() + Duration::from_millis(200),
        args,
    });
    let app = Router::new().route("/api/chat.postMessage", post(slack)).with_state(run.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let end = run.started + Duration::from_secs_f64(run.args.duration);
    let workers: Vec<_> = (0..run.args.concurrency).map(|_| tokio::spawn(worker(run.clone(), end))).collect();
    let (mut ok, mut failed) = (0, 0);
    for w in workers {
        let (o, f) = w.await?;
        (ok, failed) = (ok + o, failed + f);
    }
    let sent_for = run.started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs_f64(run.args.wait);
    while Instant::now() < deadline && tally(&run.clock.lock().unwrap()).1 > 0 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let clock = run.clock.lock().unwrap();
    let (ms, missing, twice) = tally(&clock);
    let summary = serde_json::json!({
        "webhooks_ok": ok, "webhooks_failed": failed, "webhooks_per_sec": (ok + failed) as f64 / sent_for,
        "churn_notes_acked": clock.acked.len(), "alerts_arrived": ms.len(), "alerts_missing": missing, "alerts_posted_twice": twice,
        "ack_to_alert_ms": {"p50": percentile(&ms, 50.0), "p90": percentile(&ms, 90.0), "p99": percentile(&ms, 99.0), "max": ms.last().copied().unwrap_or(0.0)},
    });
    if run.args.json {
        println!("{summary}");
    } else {
        let l = &summary["ack_to_alert_ms"];
        println!("{ok} webhooks answered 2xx ({failed} failed) at {:.0}/s", summary["webhooks_per_sec"].as_f64().unwrap_or(0.0));
        println!("{} churn notes acknowledged, {} alerts arrived, {missing} missing, {twice} posted twice", clock.acked.len(), ms.len());
        println!("2xx -> chat.postMessage ms: p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}", l["p50"], l["p90"], l["p99"], l["max"]);
    }
    Ok(if missing > 0 || twice > 0 { std::process::ExitCode::FAILURE } else { std::process::ExitCode::SUCCESS })
}
