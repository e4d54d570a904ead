//! The WebSocket half of a fake Slack for Socket Mode, on 127.0.0.1, as Slack documents it
//! (api.slack.com/apis/socket-mode): each connection is greeted with `hello`; the test sends
//! envelopes, `disconnect` messages and malformed frames to a chosen connection, and reads back
//! the acks (with when they arrived), the pings, and when each connection opened and closed.
//! `apps.connections.open` is served by `FakeSlack`, which hands out this server's URL.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

#[derive(Debug, Clone)]
pub struct Ack {
    pub connection: usize,
    pub envelope_id: String,
    pub payload: Option<Value>,
    /// From the envelope's send to the ack's arrival.
    pub latency: Duration,
}

#[derive(Debug, Clone)]
pub struct ConnInfo {
    pub id: usize,
    /// When `hello` was sent.
    pub opened_at: Instant,
    /// When the server saw the connection end (close frame or EOF).
    pub closed_at: Option<Instant>,
    pub pings: usize,
}

enum Ctrl {
    Send(Message),
    /// Stop reading: pings go unanswered (and nothing else is read).
    Mute,
    Close,
}

#[derive(Default)]
struct Inner {
    conns: Mutex<Vec<ConnInfo>>,
    controls: Mutex<Vec<mpsc::UnboundedSender<Ctrl>>>,
    sent: Mutex<std::collections::HashMap<String, Instant>>,
    acks: Mutex<Vec<Ack>>,
    /// Frames sent instead of `hello` to the next connections (then closed), in order.
    greetings: Mutex<std::collections::VecDeque<Value>>,
    /// WebSockets accepted, greeted with hello or not.
    accepted: std::sync::atomic::AtomicUsize,
}

pub struct FakeSocket {
    pub url: String,
    inner: Arc<Inner>,
}

impl FakeSocket {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind fake socket");
        // A `?` in the URL, as Slack's has (`wss://wss-primary.slack.com/link/?ticket=...`).
        let url = format!("ws://{}/link/?ticket=t1&app_id=A1", listener.local_addr().unwrap());
        let inner = Arc::new(Inner::default());
        let accepting = inner.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let inner = accepting.clone();
                tokio::spawn(async move {
                    if let Ok(ws) = tokio_tungstenite::accept_async(stream).await {
                        serve(inner, ws).await;
                    }
                });
            }
        });
        Self { url, inner }
    }

    /// The next connection gets `frame` instead of `hello`, and is then closed (as Slack does
    /// with a `disconnect` before `hello`).
    pub fn greet_next_with(&self, frame: Value) {
        self.inner.greetings.lock().unwrap().push_back(frame);
    }

    /// WebSockets accepted so far, including those that got no `hello`.
    pub fn accepted(&self) -> usize {
        self.inner.accepted.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn connections(&self) -> Vec<ConnInfo> {
        self.inner.conns.lock().unwrap().clone()
    }

    /// The connections not closed yet.
    pub fn open_ids(&self) -> Vec<usize> {
        self.connections().iter().filter(|c| c.closed_at.is_none()).map(|c| c.id).collect()
    }

    /// Waits (up to 20 s) until connection number `id` (0, 1, ...) has said hello.
    pub async fn wait_connection(&self, id: usize) -> ConnInfo {
        crate::slack::eventually(&format!("socket connection {id}"), || self.connections().get(id).cloned()).await
    }

    pub async fn wait_closed(&self, id: usize) -> Instant {
        crate::slack::eventually(&format!("socket connection {id} closed"), || self.connections().get(id).and_then(|c| c.closed_at)).await
    }

    fn control(&self, id: usize, ctrl: Ctrl) {
        let _ = self.inner.controls.lock().unwrap()[id].send(ctrl);
    }

    /// Sends `frame` on connection `id`; an envelope's send time is kept for its ack latency.
    pub fn send(&self, id: usize, frame: &Value) {
        if let Some(envelope) = frame["envelope_id"].as_str() {
            self.inner.sent.lock().unwrap().insert(envelope.to_string(), Instant::now());
        }
        self.control(id, Ctrl::Send(Message::text(frame.to_string())));
    }

    pub fn send_raw(&self, id: usize, message: Message) {
        self.control(id, Ctrl::Send(message));
    }

    pub fn disconnect(&self, id: usize, reason: &str) {
        self.send(id, &json!({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}}));
    }

    pub fn mute(&self, id: usize) {
        self.control(id, Ctrl::Mute);
    }

    pub fn close(&self, id: usize) {
        self.control(id, Ctrl::Close);
    }

    pub fn acks(&self) -> Vec<Ack> {
        self.inner.acks.lock().unwrap().clone()
    }

    pub fn acks_of(&self, envelope_id: &str) -> Vec<Ack> {
        self.acks().into_iter().filter(|a| a.envelope_id == envelope_id).collect()
    }

    /// Waits (up to 20 s) for the ack of `envelope_id`.
    pub async fn wait_ack(&self, envelope_id: &str) -> Ack {
        crate::slack::eventually(&format!("the ack of {envelope_id}"), || self.acks_of(envelope_id).into_iter().next()).await
    }
}

async fn serve(inner: Arc<Inner>, mut ws: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>) {
    inner.accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let greeting = inner.greetings.lock().unwrap().pop_front();
    if let Some(frame) = greeting {
        let _ = ws.send(Message::text(frame.to_string())).await;
        let _ = ws.close(None).await;
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let hello = json!({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"},
                       "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060}});
    if ws.send(Message::text(hello.to_string())).await.is_err() {
        return;
    }
    let id = {
        let mut conns = inner.conns.lock().unwrap();
        inner.controls.lock().unwrap().push(tx);
        let id = conns.len();
        conns.push(ConnInfo { id, opened_at: Instant::now(), closed_at: None, pings: 0 });
        id
    };
    let mut muted = false;
    loop {
        tokio::select! {
            ctrl = rx.recv() => match ctrl {
                Some(Ctrl::Send(m)) => { if ws.send(m).await.is_err() { break; } }
                Some(Ctrl::Mute) => muted = true,
                Some(Ctrl::Close) | None => { let _ = ws.close(None).await; break; }
            },
            frame = ws.next(), if !muted => match frame {
                Some(Ok(Message::Text(text))) => record_ack(&inner, id, &text),
                Some(Ok(Message::Ping(_))) => inner.conns.lock().unwrap()[id].pings += 1,
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
    // A muted connection is held open until the client goes away, as a stuck Slack would.
    if muted {
        while let Some(Ok(_)) = ws.next().await {}
    }
    inner.conns.lock().unwrap()[id].closed_at = Some(Instant::now());
}

fn record_ack(inner: &Inner, connection: usize, text: &str) {
    let Ok(v) = serde_json::from_str::<Value>(text) else { return };
    let Some(envelope_id) = v["envelope_id"].as_str() else { return };
    let sent = inner.sent.lock().unwrap().get(envelope_id).copied().unwrap_or_else(Instant::now);
    inner.acks.lock().unwrap().push(Ack {
        connection,
        envelope_id: envelope_id.to_string(),
        payload: v.get("payload").cloned(),
        latency: sent.elapsed(),
    });
}
