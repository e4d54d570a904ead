//! `pushback-load`: a webhook load client. Sends correctly signed generic webhooks (realistic
//! text from the synthetic history generator) at a target rate or as fast as a fixed number of
//! connections allow, then reports throughput, latency percentiles and status counts, and can
//! write every acknowledged (2xx) id to a file for the crash test.

use clap::Parser;
use pushback::ingest::signature::sign;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Parser)]
#[command(
    name = "pushback-load",
    version,
    about = "Send signed generic webhooks to pushback and measure how it copes.",
    long_about = "Sends correctly signed generic webhooks (X-Pushback-Timestamp + X-Pushback-Signature, HMAC-SHA256 of \
\"{timestamp}.{body}\") to a pushback server, each with a unique id (--prefix plus a counter) and realistic ticket \
text from the synthetic history generator (deterministic for --seed).\n\n\
Two ways to drive load:\n  \
--rate R       open schedule: request i is sent at start + i/R seconds, by at most --concurrency requests in \
flight (if the server is slower than that, the schedule slips and the report says by how much)\n  \
--rate 0       closed loop: --concurrency connections send back to back, as fast as the server answers\n\n\
It stops after --duration seconds or --requests requests (whichever is given; both: the first reached), waits \
for the requests in flight, and prints requests/s, latency percentiles (send to full response), status counts \
and connection errors (every attempt counts as a request). Exit status is 1 when any request was never answered 2xx (after --retries) unless --allow-errors.",
    after_help = "Examples:\n  \
export PUSHBACK_SOURCES__GENERIC__SECRET=$(openssl rand -hex 32)   # the same secret as the server\n  \
pushback-load --rate 3000 --duration 60                          3,000 requests/s for a minute\n  \
pushback-load --rate 0 --concurrency 32 --requests 100000        as fast as 32 connections go\n  \
pushback-load --rate 500 --duration 20 --acked acked.txt --retries 20 --allow-errors   as in scripts/crash_test.sh\n  \
pushback-load --batch 50 --rate 100 --duration 10 --json          50 items per request, summary as JSON"
)]
struct Args {
    /// The webhook URL.
    #[arg(long, default_value = "http://127.0.0.1:8080/webhooks/generic")]
    url: String,
    /// HMAC secret for the generic format (the server's PUSHBACK_SOURCES__GENERIC__SECRET).
    #[arg(long, env = "PUSHBACK_SOURCES__GENERIC__SECRET", hide_env_values = true)]
    secret: String,
    /// Target requests per second; 0 sends back to back on --concurrency connections.
    #[arg(long, default_value_t = 1000.0)]
    rate: f64,
    /// Most requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Run for this many seconds (default 10 when --requests is not given).
    #[arg(long)]
    duration: Option<f64>,
    /// Send this many requests.
    #[arg(long)]
    requests: Option<u64>,
    /// Items per request (a JSON array when more than 1; the server takes up to 1,000).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1000))]
    batch: u64,
    /// Id prefix; ids are <prefix><counter>. Default: load-<unix time>- so reruns never collide.
    #[arg(long)]
    prefix: Option<String>,
    /// First counter value.
    #[arg(long, default_value_t = 0)]
    start: u64,
    /// Seed for the ticket texts, accounts and dates.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 10.0)]
    timeout: f64,
    /// Write the id of every item acknowledged with a 2xx here, one per line.
    #[arg(long, value_name = "FILE")]
    acked: Option<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// Resend a request that failed (connection error, timeout, 5xx) up to this many times, 250 ms
    /// apart, with the same ids and a fresh signature: what vendors do. Each attempt is counted.
    #[arg(long, default_value_t = 0)]
    retries: u32,
    /// Exit 0 even when some requests failed (the crash test expects failures while the server is down).
    #[arg(long)]
    allow_errors: bool,
}

/// Realistic item bodies (JSON objects without an id), drawn from the synthetic generator.
fn body_pool(seed: u64) -> Vec<serde_json::Value> {
    let params = pushback::synth::GenParams { count: 2000, seed, end: chrono::Utc::now(), days: 90, accounts: Some(200) };
    let accounts = pushback::synth::accounts(&params);
    let corpus = pushback::classify::seed::corpus_rows();
    pushback::synth::items(&params, &corpus, &accounts)
        .iter()
        .map(|item| {
            let account = item.account.id.as_deref().and_then(|id| accounts.iter().find(|a| a.id == id));
            pushback::synth::generic_json(item, account)
        })
        .collect()
}

/// What one request came back with.
enum Outcome {
    Status(u16),
    /// Connection refused or reset, timeout...: never acknowledged.
    Failed(String),
}

#[derive(Default)]
struct Tally {
    latencies_us: Vec<u64>,
    statuses: BTreeMap<u16, u64>,
    errors: BTreeMap<String, u64>,
    acked: Vec<String>,
    /// Requests never answered 2xx, after any retries.
    unacknowledged: u64,
    /// Attempts that were retries of a failed one.
    retried: u64,
    /// Largest delay between a request's scheduled time and when it was sent.
    max_lag: Duration,
}

struct Shared {
    args: Args,
    client: reqwest::Client,
    pool: Vec<serde_json::Value>,
    prefix: String,
    next: AtomicU64,
    started: Instant,
    deadline: Option<Instant>,
}

impl Shared {
    /// The next request number and when it is due, or None once the run is over.
    fn claim(&self) -> Option<(u64, Instant)> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if self.args.requests.is_some_and(|n| i >= n) {
            return None;
        }
        let due = if self.args.rate > 0.0 { self.started + Duration::from_secs_f64(i as f64 / self.args.rate) } else { Instant::now() };
        match self.deadline {
            Some(end) if due >= end || Instant::now() >= end => None,
            _ => Some((i, due)),
        }
    }

    fn request_body(&self, i: u64) -> (String, Vec<String>) {
        let batch = self.args.batch;
        let ids: Vec<String> = (0..batch).map(|j| format!("{}{}", self.prefix, self.args.start + i * batch + j)).collect();
        let items: Vec<serde_json::Value> = ids
            .iter()
            .enumerate()
            .map(|(j, id)| {
                let mut item = self.pool[((i * batch) as usize + j) % self.pool.len()].clone();
                item["id"] = serde_json::Value::String(id.clone());
                item
            })
            .collect();
        let body = if batch == 1 { items[0].to_string() } else { serde_json::Value::Array(items).to_string() };
        (body, ids)
    }

    async fn send(&self, body: String) -> Outcome {
        let sent = sign::generic_post(&self.client, &self.args.url, self.args.secret.as_bytes(), body).send().await;
        match sent {
            // Read the whole answer: the server has committed only when it sends it.
            Ok(response) => {
                let status = response.status().as_u16();
                match response.bytes().await {
                    Ok(_) => Outcome::Status(status),
                    Err(e) => Outcome::Failed(error_kind(&e)),
                }
            }
            Err(e) => Outcome::Failed(error_kind(&e)),
        }
    }
}

fn error_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else if e.is_body() || e.is_decode() {
        "body".into()
    } else {
        "request".into()
    }
}

async fn worker(shared: Arc<Shared>) -> Tally {
    let mut tally = Tally::default();
    while let Some((i, due)) = shared.claim() {
        tokio::time::sleep_until(due.into()).await;
        tally.max_lag = tally.max_lag.max(Instant::now().saturating_duration_since(due));
        let (body, ids) = shared.request_body(i);
        let acked_before = tally.acked.len();
        for attempt in 0..=shared.args.retries {
            if attempt > 0 {
                tally.retried += 1;
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            let sent_at = Instant::now();
            let outcome = shared.send(body.clone()).await;
            tally.latencies_us.push(sent_at.elapsed().as_micros() as u64);
            match outcome {
                Outcome::Status(status) => {
                    *tally.statuses.entry(status).or_default() += 1;
                    if (200..300).contains(&status) {
                        tally.acked.extend(ids);
                        break;
                    }
                    if status < 500 {
                        break;
                    }
                }
                Outcome::Failed(kind) => *tally.errors.entry(kind).or_default() += 1,
            }
        }
        if tally.acked.len() == acked_before {
            tally.unacknowledged += 1;
        }
    }
    tally
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

fn summarize(args: &Args, total: Tally, elapsed: Duration) -> serde_json::Value {
    let mut lat = total.latencies_us;
    lat.sort_unstable();
    let requests = lat.len() as u64;
    let ok: u64 = total.statuses.iter().filter(|(s, _)| (200..300).contains(*s)).map(|(_, n)| n).sum();
    let secs = elapsed.as_secs_f64().max(1e-9);
    serde_json::json!({
        "url": args.url,
        "target_rate": args.rate,
        "concurrency": args.concurrency,
        "items_per_request": args.batch,
        "seconds": (secs * 100.0).round() / 100.0,
        "requests": requests,
        "requests_per_sec": (requests as f64 / secs * 10.0).round() / 10.0,
        "ok_2xx": ok,
        "failed_attempts": requests - ok,
        "unacknowledged_requests": total.unacknowledged,
        "retries": total.retried,
        "items_acked": total.acked.len(),
        "latency_ms": {
            "p50": percentile(&lat, 50.0), "p90": percentile(&lat, 90.0), "p99": percentile(&lat, 99.0),
            "max": lat.last().map_or(0.0, |m| *m as f64 / 1000.0),
        },
        "status": total.statuses.iter().map(|(s, n)| (s.to_string(), serde_json::json!(n))).collect::<serde_json::Map<_, _>>(),
        "errors": total.errors,
        "max_schedule_lag_ms": total.max_lag.as_millis() as u64,
    })
}

fn print_text(s: &serde_json::Value) {
    let l = &s["latency_ms"];
    println!(
        "{} requests in {} s: {} requests/s ({} items/request)",
        s["requests"], s["seconds"], s["requests_per_sec"], s["items_per_request"]
    );
    println!("latency ms: p50 {}  p90 {}  p99 {}  max {}", l["p50"], l["p90"], l["p99"], l["max"]);
    let statuses: Vec<String> = s["status"].as_object().into_iter().flatten().map(|(k, v)| format!("{k}: {v}")).collect();
    println!("status: {}", if statuses.is_empty() { "none".into() } else { statuses.join(", ") });
    let errors: Vec<String> = s["errors"].as_object().into_iter().flatten().map(|(k, v)| format!("{k}: {v}")).collect();
    println!("connection errors: {}", if errors.is_empty() { "none".into() } else { errors.join(", ") });
    println!(
        "items acknowledged: {}; requests never acknowledged: {}; retries: {}; largest schedule lag: {} ms",
        s["items_acked"], s["unacknowledged_requests"], s["retries"], s["max_schedule_lag_ms"]
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<std::process::ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(args.concurrency > 0, "--concurrency must be at least 1");
    anyhow::ensure!(args.rate >= 0.0 && args.rate.is_finite(), "--rate must be 0 or positive");
    anyhow::ensure!(!args.secret.is_empty(), "--secret (or PUSHBACK_SOURCES__GENERIC__SECRET) must not be empty");
    let duration = match (args.duration, args.requests) {
        (None, None) => Some(10.0),
        (d, _) => d,
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs_f64(args.timeout))
        .pool_max_idle_per_host(args.concurrency)
        .tcp_nodelay(true)
        .build()?;
    let prefix = args.prefix.clone().unwrap_or_else(|| format!("load-{}-", chrono::Utc::now().timestamp()));
    let started = Instant::now();
    let shared = Arc::new(Shared {
        pool: body_pool(args.seed),
        client,
        prefix,
        next: AtomicU64::new(0),
        started,
        deadline: duration.map(|d| started + Duration::from_secs_f64(d)),
        args,
    });
    let workers: Vec<_> = (0..shared.args.concurrency).map(|_| tokio::spawn(worker(shared.clone()))).collect();
    let mut total = Tally::default();
    for w in workers {
        let t = w.await?;
        total.latencies_us.extend(t.latencies_us);
        for (s, n) in t.statuses {
            *total.statuses.entry(s).or_default() += n;
        }
        for (e, n) in t.errors {
            *total.errors.entry(e).or_default() += n;
        }
        total.acked.extend(t.acked);
        total.max_lag = total.max_lag.max(t.max_lag);
        total.retried += t.retried;
        total.unacknowledged += t.unacknowledged;
    }
    let elapsed = started.elapsed();
    if let Some(path) = &shared.args.acked {
        let mut text = total.acked.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        std::fs::write(path, text).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let summary = summarize(&shared.args, total, elapsed);
    if shared.args.json {
        println!("{summary}");
    } else {
        print_text(&summary);
    }
    let failed = summary["unacknowledged_requests"].as_u64().unwrap_or(0) > 0;
    Ok(if failed && !shared.args.allow_errors { std::process::ExitCode::FAILURE } else { std::process::ExitCode::SUCCESS })
}
