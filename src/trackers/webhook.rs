//! The trackers' close webhooks, verified on the raw body and read into one event: issue KEY
//! is now done, closed without being done, or open again. Pure; the HTTP handler is in `ingest`.
//!
//! - GitHub `issues` events, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`;
//!   `closed` with `state_reason` `completed` is done, other closes are not, `reopened` reopens.
//! - Linear `Issue` events, `Linear-Signature: <hex HMAC-SHA256(secret, body)>`, and the body's
//!   `webhookTimestamp` (milliseconds) within 60 s; state type `completed` is done, `canceled`
//!   closed, any other state open.
//! - Jira admin webhooks with a secret, `X-Hub-Signature: sha256=<hex>`; status category `done`
//!   is done, any other open.

use crate::domain::{FieldError, IssueState, Tracker};
use crate::signing::{self, AuthError};
use chrono::{DateTime, Utc};
use http::HeaderMap;
use serde_json::Value;

/// Linear's replay window for `webhookTimestamp`.
pub const LINEAR_TOLERANCE_SECS: i64 = 60;

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Issue `key` moved to `state` at `at`.
    State { key: String, state: IssueState, at: DateTime<Utc> },
    /// A valid event that says nothing about closing (a ping, a label change).
    Ignored(String),
}

/// Checks the signature (and Linear's timestamp) on the raw body.
pub fn verify(tracker: Tracker, secret: &[u8], headers: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> Result<(), AuthError> {
    let (name, prefixed) = match tracker {
        Tracker::Github => ("x-hub-signature-256", true),
        Tracker::Jira => ("x-hub-signature", true),
        Tracker::Linear => ("linear-signature", false),
    };
    let given = signing::header(headers, name)?;
    let hex = if prefixed { given.strip_prefix("sha256=").ok_or(AuthError::MalformedHeader(name))? } else { given };
    signing::equal(&signing::hmac_sha256(secret, &[body]), &signing::decode_hex(hex, name)?)?;
    if tracker == Tracker::Linear {
        let ms = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|v| v["webhookTimestamp"].as_i64())
            .ok_or(AuthError::MalformedHeader("webhookTimestamp"))?;
        signing::within(ms.div_euclid(1000), now.timestamp(), LINEAR_TOLERANCE_SECS)?;
    }
    Ok(())
}

/// Reads a verified body.
pub fn parse(tracker: Tracker, headers: &HeaderMap, body: &[u8], now: DateTime<Utc>) -> Result<Event, FieldError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| FieldError::new("body", format!("not JSON: {e}")))?;
    match tracker {
        Tracker::Github => github(headers, &v, now),
        Tracker::Linear => linear(&v, now),
        Tracker::Jira => jira(&v, now),
    }
}

fn text<'a>(v: &'a Value, pointer: &str, field: &str) -> Result<&'a str, FieldError> {
    v.pointer(pointer).and_then(Value::as_str).filter(|s| !s.is_empty()).ok_or_else(|| FieldError::new(field, "missing or not a string"))
}

fn time(v: &Value, pointer: &str, now: DateTime<Utc>) -> DateTime<Utc> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now)
}

fn github(headers: &HeaderMap, v: &Value, now: DateTime<Utc>) -> Result<Event, FieldError> {
    let event = headers.get("x-github-event").and_then(|h| h.to_str().ok()).unwrap_or_default();
    if event != "issues" {
        return Ok(Event::Ignored(format!("GitHub event '{event}' is not an issues event")));
    }
    let action = text(v, "/action", "action")?;
    let number =
        v.pointer("/issue/number").and_then(Value::as_u64).ok_or_else(|| FieldError::new("issue.number", "missing or not a number"))?;
    let repo = text(v, "/repository/full_name", "repository.full_name")?;
    let key = format!("{repo}#{number}");
    let state = match action {
        "closed" if v.pointer("/issue/state_reason").and_then(Value::as_str) == Some("completed") => IssueState::Done,
        "closed" => IssueState::Closed,
        "reopened" => IssueState::Open,
        other => return Ok(Event::Ignored(format!("issues action '{other}'"))),
    };
    Ok(Event::State { key, state, at: time(v, "/issue/closed_at", now) })
}

fn linear(v: &Value, now: DateTime<Utc>) -> Result<Event, FieldError> {
    let kind = text(v, "/type", "type")?;
    if kind != "Issue" {
        return Ok(Event::Ignored(format!("Linear {kind} event")));
    }
    let key = text(v, "/data/identifier", "data.identifier")?.to_string();
    let state = match text(v, "/data/state/type", "data.state.type")? {
        "completed" => IssueState::Done,
        "canceled" => IssueState::Closed,
        _ => IssueState::Open,
    };
    Ok(Event::State { key, state, at: time(v, "/data/completedAt", now) })
}

fn jira(v: &Value, now: DateTime<Utc>) -> Result<Event, FieldError> {
    let event = text(v, "/webhookEvent", "webhookEvent")?;
    if event != "jira:issue_updated" && event != "jira:issue_created" {
        return Ok(Event::Ignored(format!("Jira event '{event}'")));
    }
    let key = text(v, "/issue/key", "issue.key")?.to_string();
    let state = match text(v, "/issue/fields/status/statusCategory/key", "issue.fields.status.statusCategory.key")? {
        "done" => IssueState::Done,
        _ => IssueState::Open,
    };
    let at = v.pointer("/timestamp").and_then(Value::as_i64).and_then(DateTime::from_timestamp_millis).unwrap_or(now);
    Ok(Event::State { key, state, at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    fn sign(body: &[u8]) -> String {
        hex::encode(signing::hmac_sha256(b"s3cret", &[body]))
    }

    #[test]
    fn github_completed_is_done_not_planned_is_closed_and_reopen_reopens() {
        let h = headers(&[("x-github-event", "issues".into())]);
        let body = |action: &str, reason: &str| {
            json!({"action": action, "issue": {"number": 7, "state_reason": reason, "closed_at": "2026-11-02T10:00:00Z"}, "repository": {"full_name": "acme/web"}}).to_string()
        };
        let now = Utc::now();
        let Event::State { key, state, at } = parse(Tracker::Github, &h, body("closed", "completed").as_bytes(), now).unwrap() else {
            panic!()
        };
        assert_eq!((key.as_str(), state, at.to_rfc3339()), ("acme/web#7", IssueState::Done, "2026-11-02T10:00:00+00:00".into()));
        assert!(matches!(
            parse(Tracker::Github, &h, body("closed", "not_planned").as_bytes(), now).unwrap(),
            Event::State { state: IssueState::Closed, .. }
        ));
        assert!(matches!(
            parse(Tracker::Github, &h, body("reopened", "reopened").as_bytes(), now).unwrap(),
            Event::State { state: IssueState::Open, .. }
        ));
        assert!(matches!(parse(Tracker::Github, &h, body("labeled", "").as_bytes(), now).unwrap(), Event::Ignored(_)));
        let ping = headers(&[("x-github-event", "ping".into())]);
        assert!(matches!(parse(Tracker::Github, &ping, b"{}", now).unwrap(), Event::Ignored(_)));
        let err = parse(Tracker::Github, &h, br#"{"action": "closed", "repository": {"full_name": "a/b"}}"#, now).unwrap_err();
        assert_eq!(err.field, "issue.number");
    }

    #[test]
    fn signatures_are_checked_on_the_raw_body() {
        let body = br#"{"action":"closed"}"#;
        let now = Utc::now();
        let good = headers(&[("x-hub-signature-256", format!("sha256={}", sign(body)))]);
        assert!(verify(Tracker::Github, b"s3cret", &good, body, now).is_ok());
        assert_eq!(verify(Tracker::Github, b"other", &good, body, now), Err(AuthError::BadSignature));
        assert_eq!(verify(Tracker::Github, b"s3cret", &HeaderMap::new(), body, now), Err(AuthError::MissingHeader("x-hub-signature-256")));
        let jira = headers(&[("x-hub-signature", format!("sha256={}", sign(body)))]);
        assert!(verify(Tracker::Jira, b"s3cret", &jira, body, now).is_ok());
    }

    #[test]
    fn linear_needs_a_fresh_webhook_timestamp() {
        let now = Utc::now();
        let fresh = json!({"type": "Issue", "webhookTimestamp": now.timestamp_millis() - 5_000, "data": {"identifier": "ENG-42", "state": {"type": "completed"}}}).to_string();
        let h = headers(&[("linear-signature", sign(fresh.as_bytes()))]);
        assert!(verify(Tracker::Linear, b"s3cret", &h, fresh.as_bytes(), now).is_ok());
        assert!(
            matches!(parse(Tracker::Linear, &h, fresh.as_bytes(), now).unwrap(), Event::State { state: IssueState::Done, ref key, .. } if key == "ENG-42")
        );
        let stale = json!({"type": "Issue", "webhookTimestamp": now.timestamp_millis() - 61_000}).to_string();
        let h = headers(&[("linear-signature", sign(stale.as_bytes()))]);
        assert_eq!(verify(Tracker::Linear, b"s3cret", &h, stale.as_bytes(), now), Err(AuthError::StaleTimestamp { tolerance: 60 }));
    }

    #[test]
    fn jira_status_category_done_is_done() {
        let body = json!({"webhookEvent": "jira:issue_updated", "timestamp": 1_790_000_000_000i64, "issue": {"key": "PROJ-123", "fields": {"status": {"statusCategory": {"key": "done"}}}}}).to_string();
        let Event::State { key, state, at } = parse(Tracker::Jira, &HeaderMap::new(), body.as_bytes(), Utc::now()).unwrap() else {
            panic!()
        };
        assert_eq!((key.as_str(), state, at.timestamp()), ("PROJ-123", IssueState::Done, 1_790_000_000));
        let back = body.replace("\"done\"", "\"indeterminate\"");
        assert!(matches!(
            parse(Tracker::Jira, &HeaderMap::new(), back.as_bytes(), Utc::now()).unwrap(),
            Event::State { state: IssueState::Open, .. }
        ));
    }
}
