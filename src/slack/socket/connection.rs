//! One Socket Mode connection: `apps.connections.open` for a URL, the WebSocket handshake, the
//! wait for `hello`, then reading frames until the connection ends. Envelopes are handed to
//! `dispatch` in their own task; their acks come back through a channel and are written here,
//! between reads, pings and the close that the supervisor asks for.

use super::frames::{self, Disconnect, Frame};
use super::{Ctx, dispatch};
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Longest wait for `hello` after the handshake.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for the WebSocket handshake.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Why opening a connection did not give one.
#[derive(Debug)]
pub enum OpenError {
    /// Slack refused the token (`invalid_auth`, `not_allowed_token_type`, ...): fix the setting.
    Refused(String),
    /// Worth another attempt after a backoff.
    Failed(String),
    /// Slack sent `disconnect` instead of `hello`.
    Disconnected(Disconnect),
}

/// How a connection ended, or asked to be replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Slack's `disconnect`; after a refresh or warning the connection still delivers until
    /// the supervisor closes it.
    Disconnect(Disconnect),
    /// No pong for two ping intervals.
    PingTimeout,
    /// Slack closed it, or the network did.
    Closed(String),
}

impl End {
    /// The `reason` label of `pushback_slack_socket_reconnects_total`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Disconnect(d) => d.as_str(),
            Self::PingTimeout => "ping_timeout",
            Self::Closed(_) => "closed",
        }
    }
}

/// A connection that said hello: its id for logs and the socket itself.
pub struct Opened {
    pub id: u64,
    ws: Ws,
}

/// Asks Slack for a URL and opens it; returns once `hello` has arrived.
pub async fn open(ctx: &Ctx) -> Result<Opened, OpenError> {
    let url = ctx.api.open_socket(&ctx.token).await.map_err(|e| match e {
        super::super::client::SendError::Permanent(code) => OpenError::Refused(code),
        other => OpenError::Failed(format!("apps.connections.open: {other}")),
    })?;
    let id = ctx.next_id();
    let (mut ws, _) = tokio::time::timeout(CONNECT_TIMEOUT, tokio_tungstenite::connect_async(url.as_str()))
        .await
        .map_err(|_| OpenError::Failed(format!("no WebSocket handshake within {}s", CONNECT_TIMEOUT.as_secs())))?
        .map_err(|e| OpenError::Failed(format!("WebSocket handshake failed: {e}")))?;
    let first = tokio::time::timeout(HELLO_TIMEOUT, ws.next())
        .await
        .map_err(|_| OpenError::Failed(format!("no hello within {}s", HELLO_TIMEOUT.as_secs())))?;
    match first {
        Some(Ok(Message::Text(text))) => match frames::parse(&text) {
            Ok(Frame::Hello) => Ok(Opened { id, ws }),
            Ok(Frame::Disconnect(d)) => Err(OpenError::Disconnected(d)),
            other => Err(OpenError::Failed(format!("expected hello, got {other:?}"))),
        },
        Some(Ok(other)) => Err(OpenError::Failed(format!("expected hello, got a {} frame", frame_kind(&other)))),
        Some(Err(e)) => Err(OpenError::Failed(format!("connection failed before hello: {e}"))),
        None => Err(OpenError::Failed("connection closed before hello".into())),
    }
}

fn frame_kind(m: &Message) -> &'static str {
    match m {
        Message::Text(_) => "text",
        Message::Binary(_) => "binary",
        Message::Ping(_) => "ping",
        Message::Pong(_) => "pong",
        Message::Close(_) => "close",
        Message::Frame(_) => "raw",
    }
}

/// What a running connection's supervisor holds: dropping it closes the connection; `ended`
/// says why it ended (or asked to be replaced), once.
pub struct Live {
    pub id: u64,
    _close: oneshot::Sender<()>,
    pub ended: oneshot::Receiver<End>,
}

/// Runs `opened` in its own task.
pub fn spawn(ctx: Arc<Ctx>, opened: Opened) -> Live {
    let (close, closing) = oneshot::channel();
    let (report, ended) = oneshot::channel();
    let id = opened.id;
    tokio::spawn(async move {
        ctx.connection_opened();
        run(&ctx, opened, closing, report).await;
        ctx.connection_closed();
    });
    Live { id, _close: close, ended }
}

/// The reading loop's state that outlives one frame.
struct Conn {
    id: u64,
    report: Option<oneshot::Sender<End>>,
    last_pong: Instant,
}

impl Conn {
    /// Tells the supervisor once; later ends are only logged.
    fn end(&mut self, end: End) {
        tracing::info!(connection = self.id, reason = end.reason(), detail = ?end, "Slack socket connection ending");
        if let Some(report) = self.report.take() {
            let _ = report.send(end);
        }
    }
}

async fn run(ctx: &Arc<Ctx>, opened: Opened, mut closing: oneshot::Receiver<()>, report: oneshot::Sender<End>) {
    let Opened { id, mut ws } = opened;
    let (acks, mut outgoing) = mpsc::unbounded_channel::<String>();
    let every = ctx.ping_every;
    let mut ping = tokio::time::interval_at(Instant::now() + every, every);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut conn = Conn { id, report: Some(report), last_pong: Instant::now() };
    tracing::info!(connection = id, "Slack socket connected (hello received)");
    loop {
        tokio::select! {
            _ = &mut closing => break,
            Some(ack) = outgoing.recv() => {
                if let Err(e) = ws.send(Message::text(ack)).await {
                    conn.end(End::Closed(format!("ack not sent: {e}")));
                    return;
                }
            }
            _ = ping.tick() => {
                if conn.last_pong.elapsed() > every * 2 {
                    conn.end(End::PingTimeout);
                    break;
                }
                if ws.send(Message::Ping(Default::default())).await.is_err() {
                    conn.end(End::Closed("ping not sent".into()));
                    return;
                }
            }
            frame = ws.next() => {
                if !on_frame(ctx, &mut conn, frame, &acks) {
                    return;
                }
            }
        }
    }
    // Closed on purpose (replaced, stopped, dead): a close frame, without waiting long for its echo.
    let _ = tokio::time::timeout(Duration::from_secs(1), ws.close(None)).await;
}

/// Handles one read; false when the connection is gone.
fn on_frame(
    ctx: &Arc<Ctx>,
    conn: &mut Conn,
    frame: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    acks: &mpsc::UnboundedSender<String>,
) -> bool {
    match frame {
        None => {
            conn.end(End::Closed("closed by Slack".into()));
            false
        }
        Some(Err(e)) => {
            conn.end(End::Closed(e.to_string()));
            false
        }
        Some(Ok(Message::Text(text))) => {
            match frames::parse(&text) {
                Ok(Frame::Envelope(envelope)) => {
                    let (ctx, acks) = (ctx.clone(), acks.clone());
                    tokio::spawn(async move {
                        let ack = dispatch::envelope(&ctx, envelope).await;
                        let _ = acks.send(ack);
                    });
                }
                Ok(Frame::Disconnect(d)) => conn.end(End::Disconnect(d)),
                Ok(Frame::Hello) => tracing::debug!(connection = conn.id, "a second hello ignored"),
                Ok(Frame::Other(kind)) => tracing::warn!(connection = conn.id, kind, "Slack socket frame of an unknown type ignored"),
                Err(problem) => tracing::warn!(connection = conn.id, %problem, "malformed Slack socket frame ignored"),
            }
            true
        }
        Some(Ok(Message::Pong(_))) => {
            conn.last_pong = Instant::now();
            true
        }
        Some(Ok(Message::Binary(b))) => {
            tracing::warn!(connection = conn.id, bytes = b.len(), "binary Slack socket frame ignored (Slack sends text)");
            true
        }
        // Pings are answered by tungstenite; a close frame is followed by the end of the stream.
        Some(Ok(_)) => true,
    }
}
