//! The server: `Application::build` opens the database and loads the classifier (through
//! `app`), binds the port and builds the router over the webhook and Slack routes;
//! `run_until_stopped` serves until SIGTERM or ctrl-c, finishing in-flight requests.

pub use crate::app::AppState;
use crate::app::{load_classifier, open_store};
use crate::config::Settings;
use crate::error::log_errors;
use crate::ingest;
use crate::store::Store;
use crate::telemetry::RequestIdMaker;
use anyhow::Context;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    router: Router,
    writer_task: tokio::task::JoinHandle<()>,
    store: Store,
    slack: crate::slack::Background,
    state: AppState,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_at(settings, crate::domain::Clock::system()).await
    }

    /// `build` with the schedulers reading `clock` (a fixed instant in tests).
    pub async fn build_at(settings: Settings, clock: crate::domain::Clock) -> anyhow::Result<Self> {
        let store = open_store(&settings).await?;
        let classifier = load_classifier(&settings, &store).await?;
        let addr = format!("{}:{}", settings.http.host, settings.http.port);
        let listener = TcpListener::bind(&addr)
            .await
            .with_context(|| format!("cannot listen on {addr}; set PUSHBACK_HTTP__HOST / PUSHBACK_HTTP__PORT"))?;
        let addr = listener.local_addr()?;
        for source in crate::domain::Source::WEBHOOK {
            let configured = settings.sources.get(source).and_then(|s| s.secret.as_ref());
            if configured.is_some() && settings.sources.get(source).and_then(|s| s.secret()).is_none() {
                tracing::warn!(%source, "webhooks from {source} are refused: {} is set but blank (an empty HMAC key is never used)", source.secret_env_var());
            } else if configured.is_none() {
                tracing::info!(%source, "webhooks from {source} are refused until {} is set", source.secret_env_var());
            }
        }
        let typeform = &settings.sources.typeform;
        if typeform.secret().is_some() && (typeform.survey.is_none() || typeform.score_field.is_none()) {
            tracing::warn!(
                "Typeform responses will be refused with 400 until PUSHBACK_SOURCES__TYPEFORM__SURVEY (nps or csat) and __SCORE_FIELD (the score question's ref) are set"
            );
        }
        let (mut state, writer_task) = AppState::new(store.clone(), classifier, settings);
        state.clock = clock;
        state.seed_metrics().await.context("cannot count stored feedback for /metrics")?;
        let slack = crate::slack::Background::new(&state);
        Ok(Self { listener, addr, router: router(state.clone()), writer_task, store, slack, state })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` resolves, then drains in-flight requests and the writer queue.
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        tracing::info!(address = %self.addr, "pushback listening on http://{}", self.addr);
        let slack = self.slack.start();
        let (stop_reload, stopped) = tokio::sync::watch::channel(false);
        let every = Duration::from_secs(self.state.settings.classifier.reload_secs.max(1));
        let retrain = tokio::spawn(crate::app::retrain::run(self.state.clone(), stopped.clone()));
        let gauge = tokio::spawn(crate::app::run_outbox_gauge(self.state.clone(), OUTBOX_GAUGE_EVERY, stopped.clone()));
        // Pull connectors: every source whose API credentials are set, under a lease per source.
        let sync = tokio::spawn(crate::ingest::pull::schedule::run(self.state.clone(), stopped.clone()));
        let reload = tokio::spawn(crate::app::run_classifier_reload(self.state, every, stopped));
        let served = axum::serve(self.listener, self.router).with_graceful_shutdown(stop).await.context("HTTP server failed");
        // Slack's tasks and the reloader hold the app state too: stop them before the writer can drain.
        slack.stop().await;
        let _ = stop_reload.send(true);
        let _ = reload.await;
        let _ = gauge.await;
        // A sync ends after the page in hand (committed with its cursor, or not at all).
        let _ = sync.await;
        // A retrain in progress finishes first (its model is activated or refused, never half-stored).
        let _ = retrain.await;
        served?;
        // The router (and with it every Writer handle) is gone: the writer drains and stops.
        let _ = tokio::time::timeout(Duration::from_secs(30), self.writer_task).await;
        self.store.close().await;
        tracing::info!("pushback stopped");
        Ok(())
    }
}

/// How often the Slack outbox gauge of `/metrics` is read from the database.
const OUTBOX_GAUGE_EVERY: Duration = Duration::from_secs(5);

pub fn router(state: AppState) -> Router {
    let limit = state.settings.http.max_body_bytes;
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/webhooks/github", post(ingest::trackers::github))
        .route("/webhooks/jira", post(ingest::trackers::jira))
        .route("/webhooks/linear", post(ingest::trackers::linear))
        .route("/webhooks/{source}", post(ingest::receive_webhook))
        .merge(crate::slack::router(state.clone()))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(log_errors))
        .layer(middleware::from_fn_with_state(state.clone(), record_metrics))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, RequestIdMaker::default()))
        .with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers and takes writes; also says where Slack Socket Mode stands
/// (`off`, `connecting`, `degraded`, `connected`, `stopped` with the reason). After a write failed because the database
/// was unavailable, each check asks the writer to probe a write until one succeeds, so a replica
/// whose database came back reports ready again without any traffic.
async fn readyz(State(state): State<AppState>) -> Response {
    let check = async {
        state.store.ping().await?;
        if !state.writer.healthy() {
            state.writer.probe().await?;
        }
        Ok::<(), crate::store::StoreError>(())
    };
    let unavailable = |reason: &str| {
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "unavailable", "reason": reason}))).into_response()
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(())) => {
            // The socket is reported, not required: a replica without Slack still serves webhooks.
            let body = serde_json::json!({"status": "ready", "database": state.store.backend(), "slack_socket": state.socket.report()});
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            unavailable("database unreachable")
        }
        Err(_) => {
            tracing::warn!("readiness check timed out after 2 s");
            unavailable("database timed out")
        }
    }
}

/// The in-memory counters and gauges (the Slack outbox's depth is refreshed every
/// `OUTBOX_GAUGE_EVERY` by `app::run_outbox_gauge`): a scrape never waits for the database.
async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> impl IntoResponse {
    let accept = headers.get(axum::http::header::ACCEPT).and_then(|v| v.to_str().ok());
    let (content_type, body) = crate::metrics::negotiate(&state.metrics, accept);
    ([("content-type", content_type)], body)
}

/// Counts requests and latency by route; webhook routes are labelled by source.
async fn record_metrics(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let path = request.uri().path().to_string();
    let matched = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let route = match path.strip_prefix("/webhooks/") {
        Some(source) if source.parse::<crate::domain::Source>().is_ok() || source.parse::<crate::domain::Tracker>().is_ok() => {
            format!("webhooks/{source}")
        }
        Some(_) => "webhooks/unknown".to_string(),
        None => matched.map(|m| m.trim_start_matches('/').to_string()).unwrap_or_else(|| "unmatched".into()),
    };
    let response = next.run(request).await;
    state.metrics.request(&route, response.status().as_u16(), started.elapsed());
    response
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests");
}
