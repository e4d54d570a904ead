//! A real headless Chromium (Debian's `chromium` package) driven over the DevTools protocol:
//! opens a local HTML file and reports the console errors, uncaught exceptions and log errors
//! (a Content-Security-Policy refusal is one), every network request the page made, and the
//! size of each `<svg>` as the DOM lays it out. `.ci/run` installs Chromium and sets
//! `PUSHBACK_TEST_CHROMIUM=1`, which makes a missing browser a failure instead of a skip.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// Ends Chromium when the test is done with it (or fails).
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What the page did while it loaded.
#[derive(Debug, Default)]
pub struct PageReport {
    pub errors: Vec<String>,
    /// URLs of every request the page's session saw, the document's own included.
    pub requests: Vec<String>,
    /// (width, height) of each `<svg>` from `getBoundingClientRect`.
    pub svg_sizes: Vec<(f64, f64)>,
}

/// The Chromium binary, or `None` (with a message saying how to install it) when it is absent
/// and `PUSHBACK_TEST_CHROMIUM` does not require it.
pub fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("PUSHBACK_TEST_CHROMIUM_BIN")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/bin/chromium", "/usr/bin/chromium-browser"].map(PathBuf::from))
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var("PUSHBACK_TEST_CHROMIUM").is_err(),
            "PUSHBACK_TEST_CHROMIUM is set but no Chromium was found: `apt-get install -y chromium` (or set PUSHBACK_TEST_CHROMIUM_BIN)"
        );
        eprintln!(
            "skipped: Chromium is not installed (`apt-get install -y chromium`; .ci/run installs it and sets PUSHBACK_TEST_CHROMIUM=1)"
        );
    }
    found
}

struct Cdp {
    ws: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    next: u64,
    /// Events read while waiting for answers.
    events: Vec<Value>,
}

impl Cdp {
    async fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::text(msg.to_string())).await.expect("send to Chromium");
        loop {
            let v = self.read().await.unwrap_or_else(|| panic!("Chromium closed the socket before answering {method}"));
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    async fn read(&mut self) -> Option<Value> {
        loop {
            match self.ws.next().await? {
                Ok(Message::Text(t)) => return serde_json::from_str(&t).ok(),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// Reads events until `method` arrives or `wait` passes.
    async fn until(&mut self, method: &str, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.read()).await {
                Ok(Some(v)) => {
                    let hit = v["method"] == method;
                    self.events.push(v);
                    if hit {
                        return true;
                    }
                }
                Ok(None) | Err(_) => return false,
            }
        }
    }
}

/// Starts Chromium with its own `profile` directory; returns it and its DevTools address.
async fn launch(chromium: &Path, profile: &Path) -> (KillOnDrop, String) {
    let mut child = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--remote-debugging-port=0", "about:blank"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Chromium starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads Chromium's stderr to its end (so it never blocks on a full pipe), passing on the
    // DevTools address.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.split("DevTools listening on ").nth(1) {
                let _ = tx.send(url.trim().to_string());
            }
        }
    });
    let url = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(30)))
        .await
        .unwrap()
        .expect("Chromium prints its DevTools address within 30 s");
    (KillOnDrop(child), url)
}

/// Opens `file` in a fresh headless Chromium (its own profile directory) and reports what the
/// page did in its first moments.
pub async fn open(chromium: &Path, file: &Path) -> PageReport {
    let profile = tempfile::tempdir().expect("profile dir");
    let (_kill, url) = launch(chromium, profile.path()).await;
    let (ws, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("DevTools socket");
    let mut cdp = Cdp { ws, next: 0, events: Vec::new() };
    let target = cdp.call(None, "Target.createTarget", json!({"url": "about:blank"})).await;
    let attached = cdp.call(None, "Target.attachToTarget", json!({"targetId": target["targetId"], "flatten": true})).await;
    let session = attached["sessionId"].as_str().expect("a session").to_string();
    let s = Some(session.as_str());
    for domain in ["Runtime.enable", "Log.enable", "Network.enable", "Page.enable"] {
        cdp.call(s, domain, json!({})).await;
    }
    cdp.events.clear();
    let page_url = format!("file://{}", file.display());
    cdp.call(s, "Page.navigate", json!({"url": page_url})).await;
    assert!(cdp.until("Page.loadEventFired", Duration::from_secs(30)).await, "the page did not finish loading within 30 s");
    // Late requests and messages (a lazy image, a timer) get a moment to show.
    cdp.until("never.arrives", Duration::from_millis(800)).await;
    let sizes = cdp
        .call(
            s,
            "Runtime.evaluate",
            json!({"expression": "JSON.stringify([...document.querySelectorAll('svg')].map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }))", "returnByValue": true}),
        )
        .await;
    let sizes: Vec<(f64, f64)> = serde_json::from_str(sizes["result"]["value"].as_str().unwrap_or("[]")).unwrap_or_default();
    let mut report = PageReport { svg_sizes: sizes, ..Default::default() };
    for e in cdp.events.iter().filter(|e| e["sessionId"] == session.as_str()) {
        let p = &e["params"];
        match e["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" if p["type"] == "error" || p["type"] == "assert" => {
                report.errors.push(format!("console: {}", p["args"]))
            }
            "Runtime.exceptionThrown" => report.errors.push(format!("exception: {}", p["exceptionDetails"])),
            "Log.entryAdded" if p["entry"]["level"] == "error" => report.errors.push(format!("log: {}", p["entry"]["text"])),
            "Network.requestWillBeSent" => report.requests.push(p["request"]["url"].as_str().unwrap_or_default().to_string()),
            _ => {}
        }
    }
    // Chromium may close the socket before it answers: sent, not awaited.
    let _ = cdp.ws.send(Message::text(json!({"id": 0, "method": "Browser.close"}).to_string())).await;
    report
}
