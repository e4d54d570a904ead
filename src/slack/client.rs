//! The Web API client: slack-morphism's hyper client pointed at `slack.api_url`, with every
//! error sorted into "try again later" (429 with its Retry-After, 5xx, transient `ok:false`,
//! network trouble) or "permanent" (`channel_not_found`, `invalid_auth`, ...).

use super::blocks::SlackMessage;
use crate::config::SlackSettings;
use serde_json::Value;
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;
use slack_morphism::{SlackClientApiCallContext, SlackClientHttpConnector};
use std::sync::Arc;
use std::time::Duration;

/// Pages of users.conversations read at most (200 channels each).
const MAX_PAGES: usize = 10;

/// Longest wait for any one Slack HTTP call (the hyper client has no timeout of its own).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A message's text and blocks as slack-morphism takes them.
fn content(message: &SlackMessage) -> Result<SlackMessageContent, SendError> {
    let blocks: Vec<SlackBlock> = serde_json::from_value(Value::Array(message.blocks.clone()))
        .map_err(|e| SendError::Permanent(format!("blocks do not match Block Kit: {e}")))?;
    Ok(SlackMessageContent::new().with_text(message.text.clone()).with_blocks(blocks))
}

/// A file for *Download pack*.
#[derive(Debug, Clone, PartialEq)]
pub struct PackFile {
    pub filename: String,
    pub title: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// `ok:false` codes worth retrying; every other code is permanent.
const TRANSIENT: &[&str] = &["ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth another attempt, no earlier than `after` when Slack said so.
    #[error("{reason}")]
    Retry { reason: String, after: Option<Duration> },
    /// Retrying will not help: the error is logged and the message marked failed.
    #[error("{0}")]
    Permanent(String),
}

impl From<SlackClientError> for SendError {
    fn from(e: SlackClientError) -> Self {
        match e {
            SlackClientError::RateLimitError(r) => SendError::Retry { reason: "rate limited (429)".into(), after: r.retry_after },
            SlackClientError::ApiError(a) if TRANSIENT.contains(&a.code.as_str()) => SendError::Retry { reason: a.code, after: None },
            SlackClientError::ApiError(a) => SendError::Permanent(a.code),
            SlackClientError::HttpError(h) if h.status_code.is_server_error() || h.status_code.as_u16() == 408 => {
                SendError::Retry { reason: format!("HTTP {}", h.status_code), after: None }
            }
            SlackClientError::HttpError(h) => SendError::Permanent(format!("HTTP {}", h.status_code)),
            SlackClientError::ProtocolError(p) => SendError::Permanent(format!("unexpected answer from Slack: {}", p.json_error)),
            other => SendError::Retry { reason: other.to_string(), after: None },
        }
    }
}

/// How long to wait before attempt `attempt + 1`: Slack's Retry-After when given, else
/// 5 s doubling per attempt, at most an hour.
pub fn backoff(attempt: i64, retry_after: Option<Duration>) -> Duration {
    let exp = Duration::from_secs(5u64.saturating_mul(1u64 << attempt.clamp(1, 12).saturating_sub(1)));
    retry_after.unwrap_or(exp).min(Duration::from_secs(3600))
}

/// Posts from this process, paced per channel and workspace (`super::pace`).
static PACER: std::sync::LazyLock<super::pace::Pacer> = std::sync::LazyLock::new(super::pace::Pacer::default);

/// The Slack side: one HTTP client, and the bot token when one is configured.
#[derive(Clone)]
pub struct SlackApi {
    client: Arc<SlackHyperClient>,
    token: Option<SlackApiToken>,
    /// `slack.api_url` without its trailing slash.
    base: String,
}

impl std::fmt::Debug for SlackApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackApi").field("token", &self.token.as_ref().map(|_| "[redacted]")).finish()
    }
}

impl SlackApi {
    /// An `http://` API URL (a local fake) allows plain HTTP; `https://` ones allow only TLS.
    pub fn new(settings: &SlackSettings) -> anyhow::Result<Self> {
        let base = settings.api_url.trim_end_matches('/');
        let connector = if base.starts_with("http://") {
            let https = hyper_rustls::HttpsConnectorBuilder::new().with_native_roots()?.https_or_http().enable_http1().build();
            SlackClientHyperConnector::with_connector(https)
        } else {
            SlackClientHyperConnector::new()?
        };
        // No slack-morphism rate control: its chat.postMessage limit is 1/s across all channels
        // (and its tiers need a team id we do not have). `pace` paces posts per channel as Slack
        // documents; 429s are left to the caller, which honours Retry-After durably (outbox) or
        // in its own retry loop.
        let connector = connector.with_slack_api_url(base);
        let token = settings.token().map(|t| SlackApiToken::new(t.to_string().into()));
        Ok(Self { client: Arc::new(SlackClient::new(connector)), token, base: base.to_string() })
    }

    /// Whether a bot token is set, so messages and files can be posted.
    pub fn can_post(&self) -> bool {
        self.token.is_some()
    }

    fn token(&self) -> Result<&SlackApiToken, SendError> {
        self.token.as_ref().ok_or_else(|| SendError::Permanent("no bot token (set PUSHBACK_SLACK__BOT_TOKEN)".into()))
    }

    /// chat.postMessage; returns the new message's `ts`.
    pub async fn post_message(&self, channel: &str, message: &SlackMessage, thread_ts: Option<&str>) -> Result<String, SendError> {
        Ok(self.post(channel, message, thread_ts).await?.1)
    }

    /// chat.postMessage; returns the channel ID Slack posted in and the message's `ts`.
    pub async fn post(&self, channel: &str, message: &SlackMessage, thread_ts: Option<&str>) -> Result<(String, String), SendError> {
        let content = content(message)?;
        let mut request = SlackApiChatPostMessageRequest::new(channel.into(), content).with_unfurl_links(false);
        if let Some(ts) = thread_ts {
            request = request.with_thread_ts(ts.into());
        }
        let token = self.token()?;
        PACER.wait(channel).await;
        let session = self.client.open_session(token);
        let response = timed(session.chat_post_message(&request)).await??;
        Ok((response.channel.to_string(), response.ts.to_string()))
    }

    /// chat.update: replaces the message `ts` in `channel` (a channel ID) with `message`.
    pub async fn update_message(&self, channel: &str, ts: &str, message: &SlackMessage) -> Result<(), SendError> {
        let request = SlackApiChatUpdateRequest::new(channel.into(), content(message)?, ts.into());
        let token = self.token()?;
        let session = self.client.open_session(token);
        timed(session.chat_update(&request)).await??;
        Ok(())
    }

    /// POSTs a message to a `response_url` (no token needed; at most 5 uses in 30 minutes).
    pub async fn respond(&self, response_url: &str, body: &Value) -> Result<(), SendError> {
        let url = url::Url::parse(response_url).map_err(|e| SendError::Permanent(format!("bad response_url: {e}")))?;
        let span = tracing::Span::none();
        let context = SlackClientApiCallContext { rate_control_params: None, token: None, tracing_span: &span, is_sensitive_url: true };
        let _: Value = timed(self.client.http_api.connector.http_post_uri(url, body, context)).await??;
        Ok(())
    }

    /// A Web API method called with a JSON body and the bot token, for views whose fields
    /// slack-morphism's types do not carry (`hash`, inputs with `default_to_current_conversation`).
    pub async fn call_json(&self, method: &str, body: &Value) -> Result<Value, SendError> {
        let url =
            url::Url::parse(&format!("{}/{method}", self.base)).map_err(|e| SendError::Permanent(format!("bad slack.api_url: {e}")))?;
        let token = self.token()?;
        let span = tracing::Span::none();
        let context =
            SlackClientApiCallContext { rate_control_params: None, token: Some(token), tracing_span: &span, is_sensitive_url: false };
        Ok(timed(self.client.http_api.connector.http_post_uri(url, body, context)).await??)
    }

    /// views.publish: `user`'s App Home tab becomes `blocks`. With `hash` (the view's last
    /// known hash) Slack refuses with `hash_conflict` when the view changed since, so a stale
    /// replica never overwrites a newer view. Returns the new view's hash.
    pub async fn publish_home(&self, user: &str, blocks: Vec<Value>, hash: Option<&str>) -> Result<String, SendError> {
        let mut body = serde_json::json!({"user_id": user, "view": {"type": "home", "blocks": blocks}});
        if let Some(hash) = hash {
            body["hash"] = hash.into();
        }
        let answer = self.call_json("views.publish", &body).await?;
        Ok(answer["view"]["hash"].as_str().unwrap_or_default().to_string())
    }

    /// views.open: a modal for the person whose click carried `trigger_id` (valid 3 s).
    pub async fn open_view(&self, trigger_id: &str, view: Value) -> Result<String, SendError> {
        let answer = self.call_json("views.open", &serde_json::json!({"trigger_id": trigger_id, "view": view})).await?;
        Ok(answer["view"]["id"].as_str().unwrap_or_default().to_string())
    }

    /// views.update: the open modal `view_id` becomes `view`; with `hash`, only if unchanged since.
    pub async fn update_view(&self, view_id: &str, hash: Option<&str>, view: Value) -> Result<(), SendError> {
        let mut body = serde_json::json!({"view_id": view_id, "view": view});
        if let Some(hash) = hash {
            body["hash"] = hash.into();
        }
        self.call_json("views.update", &body).await?;
        Ok(())
    }

    /// users.conversations: the channels (ID and name) `user` is a member of, public and private,
    /// following the cursor; paced as one workspace-wide call.
    pub async fn user_channels(&self, user: &str) -> Result<Vec<(String, Option<String>)>, SendError> {
        let token = self.token()?;
        let session = self.client.open_session(token);
        let mut out = Vec::new();
        let mut cursor: Option<SlackCursorId> = None;
        for _ in 0..MAX_PAGES {
            PACER.wait("users.conversations").await;
            let request = SlackApiUsersConversationsRequest::new()
                .with_user(user.into())
                .with_limit(200)
                .with_exclude_archived(true)
                .with_types(vec![SlackConversationType::Public, SlackConversationType::Private])
                .opt_cursor(cursor.take());
            let page = timed(session.users_conversations(&request)).await??;
            out.extend(page.channels.into_iter().map(|c| (c.id.to_string(), c.name)));
            cursor = page.response_metadata.and_then(|m| m.next_cursor).filter(|c| !c.0.is_empty());
            if cursor.is_none() {
                break;
            }
        }
        Ok(out)
    }

    /// apps.connections.open with the app-level token: a Socket Mode WebSocket URL.
    pub async fn open_socket(&self, app_token: &str) -> Result<String, SendError> {
        let token = SlackApiToken::new(app_token.to_string().into());
        let session = self.client.open_session(&token);
        let response = timed(session.apps_connections_open(&SlackApiAppsConnectionOpenRequest::new())).await??;
        Ok(response.url.0.to_string())
    }

    /// Uploads `files` and shares them in `channel`: files.getUploadURLExternal, a POST of
    /// the bytes to the upload URL, then files.completeUploadExternal.
    pub async fn upload_files(&self, channel: &str, files: &[PackFile], comment: &str) -> Result<(), SendError> {
        let token = self.token()?;
        let session = self.client.open_session(token);
        let mut done = Vec::with_capacity(files.len());
        for f in files {
            let url =
                timed(session.get_upload_url_external(&SlackApiFilesGetUploadUrlExternalRequest::new(f.filename.clone(), f.bytes.len())))
                    .await??;
            timed(session.files_upload_via_url(&SlackApiFilesUploadViaUrlRequest::new(
                url.upload_url,
                f.bytes.clone(),
                f.content_type.clone(),
            )))
            .await??;
            done.push(SlackApiFilesComplete::new(url.file_id).with_title(f.title.clone()));
        }
        let complete =
            SlackApiFilesCompleteUploadExternalRequest::new(done).with_channel_id(channel.into()).with_initial_comment(comment.into());
        timed(session.files_complete_upload_external(&complete)).await??;
        Ok(())
    }
}

async fn timed<T>(call: impl std::future::Future<Output = T>) -> Result<T, SendError> {
    tokio::time::timeout(CALL_TIMEOUT, call)
        .await
        .map_err(|_| SendError::Retry { reason: format!("no answer from Slack within {}s", CALL_TIMEOUT.as_secs()), after: None })
}

/// Runs `call` up to `attempts` times, sleeping per `backoff` between transient failures:
/// for work done in a request's background task (response_url answers, uploads).
pub async fn with_retries<T, F, Fut>(attempts: i64, mut call: F) -> Result<T, SendError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, SendError>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Err(SendError::Retry { reason, after }) if attempt < attempts => {
                tracing::info!(attempt, %reason, "Slack call failed; retrying");
                tokio::time::sleep(backoff(attempt, after).min(Duration::from_secs(60))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slack_morphism::errors::*;

    #[test]
    fn slack_errors_sort_into_retry_or_permanent() {
        let api = |code: &str| SlackClientError::ApiError(SlackClientApiError::new(code.into()));
        assert_eq!(SendError::from(api("channel_not_found")), SendError::Permanent("channel_not_found".into()));
        assert_eq!(SendError::from(api("invalid_auth")), SendError::Permanent("invalid_auth".into()));
        assert!(matches!(SendError::from(api("internal_error")), SendError::Retry { .. }));
        let limited = SlackClientError::RateLimitError(SlackRateLimitError::new().with_retry_after(Duration::from_secs(7)));
        assert_eq!(SendError::from(limited), SendError::Retry { reason: "rate limited (429)".into(), after: Some(Duration::from_secs(7)) });
        let http = |code: u16| SlackClientError::HttpError(SlackClientHttpError::new(http::StatusCode::from_u16(code).unwrap()));
        assert!(matches!(SendError::from(http(503)), SendError::Retry { .. }));
        assert!(matches!(SendError::from(http(404)), SendError::Permanent(_)));
    }

    #[test]
    fn backoff_honours_retry_after_and_doubles_otherwise() {
        assert_eq!(backoff(1, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(backoff(1, None), Duration::from_secs(5));
        assert_eq!(backoff(3, None), Duration::from_secs(20));
        assert_eq!(backoff(40, None), Duration::from_secs(3600));
        assert_eq!(backoff(1, Some(Duration::from_secs(86_400))), Duration::from_secs(3600));
    }
}
