//! Socket Mode's frames as Slack documents them (api.slack.com/apis/socket-mode), parsed and
//! built without I/O: `hello`, `disconnect` with its reason, and the envelopes
//! (`slash_commands`, `interactive`, `events_api`) with their acknowledgement. Also the
//! reconnect backoff, so every rule here is unit-tested.

use serde_json::{Value, json};
use std::time::Duration;

/// A text frame from Slack.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Hello,
    Disconnect(Disconnect),
    Envelope(Envelope),
    /// A `type` this version does not handle: logged and ignored.
    Other(String),
}

/// Why Slack is about to close a connection, and so what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disconnect {
    /// About 10 s before Slack closes the connection.
    Warning,
    /// Slack rotates connections every few hours.
    RefreshRequested,
    /// Socket Mode was switched off in the app's settings.
    LinkDisabled,
    /// More connections than Slack allows for the app.
    TooManyWebsockets,
    /// A reason Slack has not documented: handled like a refresh.
    Unknown,
}

impl Disconnect {
    fn parse(reason: &str) -> Self {
        match reason {
            "warning" => Self::Warning,
            "refresh_requested" => Self::RefreshRequested,
            "link_disabled" => Self::LinkDisabled,
            "too_many_websockets" => Self::TooManyWebsockets,
            _ => Self::Unknown,
        }
    }

    /// The `reason` label of `pushback_slack_socket_reconnects_total`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::RefreshRequested => "refresh_requested",
            Self::LinkDisabled => "link_disabled",
            Self::TooManyWebsockets => "too_many_websockets",
            Self::Unknown => "unknown_disconnect",
        }
    }

    /// Whether the replacement is opened while the old connection still delivers.
    pub fn replace_before_close(self) -> bool {
        matches!(self, Self::Warning | Self::RefreshRequested | Self::Unknown)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SlashCommands,
    Interactive,
    EventsApi,
}

/// One delivery from Slack, acknowledged by its `envelope_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub envelope_id: String,
    pub kind: Kind,
    pub payload: Value,
    /// 0 on first delivery; Slack counts redeliveries of events.
    pub retry_attempt: u64,
    /// Whether the ack may carry a `payload` (a slash command's immediate answer).
    pub accepts_response_payload: bool,
}

impl Envelope {
    /// The keys claimed in the database so a delivery is handled once across replicas: the
    /// envelope, and for events the event (a retried event comes in a new envelope).
    pub fn claim_keys(&self) -> Vec<String> {
        let mut keys = vec![format!("envelope:{}", self.envelope_id)];
        if let (Kind::EventsApi, Some(id)) = (self.kind, self.payload["event_id"].as_str()) {
            keys.push(format!("event:{id}"));
        }
        keys
    }
}

/// A text frame; an error says what was wrong with it (the frame is then ignored).
pub fn parse(text: &str) -> Result<Frame, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    let kind = v["type"].as_str().ok_or("no `type`")?;
    let kind = match kind {
        "hello" => return Ok(Frame::Hello),
        "disconnect" => return Ok(Frame::Disconnect(Disconnect::parse(v["reason"].as_str().unwrap_or_default()))),
        "slash_commands" => Kind::SlashCommands,
        "interactive" => Kind::Interactive,
        "events_api" => Kind::EventsApi,
        other => return Ok(Frame::Other(other.to_string())),
    };
    let envelope_id = v["envelope_id"].as_str().filter(|id| !id.is_empty()).ok_or("an envelope without `envelope_id`")?;
    Ok(Frame::Envelope(Envelope {
        envelope_id: envelope_id.to_string(),
        kind,
        payload: v["payload"].clone(),
        retry_attempt: v["retry_attempt"].as_u64().unwrap_or(0),
        accepts_response_payload: v["accepts_response_payload"].as_bool().unwrap_or(false),
    }))
}

/// The acknowledgement of `envelope_id`, with an immediate answer when there is one.
pub fn ack(envelope_id: &str, payload: Option<Value>) -> String {
    match payload {
        Some(p) => json!({"envelope_id": envelope_id, "payload": p}),
        None => json!({"envelope_id": envelope_id}),
    }
    .to_string()
}

/// A slash command's payload as the form fields the HTTP route reads (strings only).
pub fn fields(payload: &Value) -> std::collections::HashMap<String, String> {
    payload.as_object().map(|o| o.iter().filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))).collect()).unwrap_or_default()
}

/// The wait before reconnect attempt `failures` (1, 2, ...): `first` doubling up to `cap`, each
/// wait drawn from its upper half (`unit` in [0, 1)), so replicas that lost Slack together do
/// not come back in step.
pub fn backoff(failures: u32, first: Duration, cap: Duration, unit: f64) -> Duration {
    let doubled = first.saturating_mul(1u32 << failures.clamp(1, 16).saturating_sub(1)).min(cap);
    doubled.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_disconnects_and_envelopes_parse() {
        assert_eq!(parse(r#"{"type":"hello","num_connections":1,"debug_info":{"host":"x"}}"#), Ok(Frame::Hello));
        for (reason, d) in [
            ("warning", Disconnect::Warning),
            ("refresh_requested", Disconnect::RefreshRequested),
            ("link_disabled", Disconnect::LinkDisabled),
            ("too_many_websockets", Disconnect::TooManyWebsockets),
            ("something_new", Disconnect::Unknown),
        ] {
            assert_eq!(parse(&json!({"type": "disconnect", "reason": reason}).to_string()), Ok(Frame::Disconnect(d)));
        }
        let text = json!({"envelope_id": "e1", "type": "events_api", "payload": {"event_id": "Ev1"}, "retry_attempt": 1,
                          "retry_reason": "timeout", "accepts_response_payload": false})
        .to_string();
        let Ok(Frame::Envelope(e)) = parse(&text) else { panic!("{text}") };
        assert_eq!((e.kind, e.retry_attempt, e.envelope_id.as_str()), (Kind::EventsApi, 1, "e1"));
        assert_eq!(e.claim_keys(), vec!["envelope:e1".to_string(), "event:Ev1".to_string()]);
        let cmd = json!({"envelope_id": "e2", "type": "slash_commands", "payload": {"command": "/evidence", "text": "x"},
                         "accepts_response_payload": true});
        let Ok(Frame::Envelope(c)) = parse(&cmd.to_string()) else { panic!() };
        assert!(c.accepts_response_payload);
        assert_eq!(c.claim_keys(), vec!["envelope:e2".to_string()]);
        assert_eq!(fields(&c.payload)["command"], "/evidence");
    }

    #[test]
    fn malformed_frames_are_errors_not_panics() {
        assert!(parse("not json").is_err());
        assert!(parse("{}").is_err());
        assert!(parse(r#"{"type":"slash_commands","payload":{}}"#).is_err());
        assert_eq!(parse(r#"{"type":"whatever"}"#), Ok(Frame::Other("whatever".into())));
    }

    #[test]
    fn acks_carry_the_envelope_id_and_an_optional_payload() {
        assert_eq!(ack("e1", None), r#"{"envelope_id":"e1"}"#);
        let v: Value = serde_json::from_str(&ack("e2", Some(json!({"text": "hi"})))).unwrap();
        assert_eq!(v, json!({"envelope_id": "e2", "payload": {"text": "hi"}}));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let (first, cap) = (Duration::from_secs(1), Duration::from_secs(60));
        assert_eq!(backoff(1, first, cap, 0.999_999).as_millis(), 999);
        assert_eq!(backoff(1, first, cap, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(3, first, cap, 0.0), Duration::from_secs(2));
        assert_eq!(backoff(10, first, cap, 0.0), Duration::from_secs(30));
        assert_eq!(backoff(u32::MAX, first, cap, 1.0), cap);
    }
}
