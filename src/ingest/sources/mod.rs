//! Vendor payloads to `NewFeedback`: one module per source, each a pure function of the raw
//! body (and headers where the vendor puts the event type there).

pub mod csv_rows;
pub mod freshdesk;
pub mod generic;
pub mod helpscout;
pub mod intercom;
pub mod stripe;
pub mod typeform;
pub mod zendesk;

use crate::domain::{FieldError, NewFeedback, Source};
use chrono::{DateTime, TimeZone, Utc};
use http::HeaderMap;
use serde_json::Value;

/// The outcome of parsing one authentic request.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Items(Vec<NewFeedback>),
    /// A valid event we deliberately don't store (a ping, a user event...), with the reason.
    Ignored(String),
}

/// What the parsers may need beyond the body.
#[derive(Debug, Clone)]
pub struct ParseContext {
    pub received_at: DateTime<Utc>,
    pub zendesk_subdomain: Option<String>,
    /// Typeform: which questions hold the score and the comment, and the scale.
    pub survey_form: typeform::SurveyForm,
}

impl ParseContext {
    pub fn now() -> Self {
        Self { received_at: Utc::now(), zendesk_subdomain: None, survey_form: typeform::SurveyForm::default() }
    }
}

/// Parses a webhook body for `source`.
/// Every item it returns follows the survey rule (`NewFeedback::check_survey`): a survey without
/// a valid score is refused, whichever vendor's parser made it.
pub fn parse(source: Source, headers: &HeaderMap, body: &[u8], ctx: &ParseContext) -> Result<Parsed, FieldError> {
    let parsed = parse_vendor(source, headers, body, ctx)?;
    if let Parsed::Items(items) = &parsed {
        let many = items.len() > 1;
        for (i, item) in items.iter().enumerate() {
            item.check_survey().map_err(|e| if many { FieldError::new(format!("[{i}].{}", e.field), e.message) } else { e })?;
        }
    }
    Ok(parsed)
}

fn parse_vendor(source: Source, headers: &HeaderMap, body: &[u8], ctx: &ParseContext) -> Result<Parsed, FieldError> {
    let json = parse_json(body)?;
    match source {
        Source::Zendesk => zendesk::parse(&json, ctx),
        Source::Intercom => intercom::parse(&json, ctx),
        Source::Helpscout => {
            let event = headers.get("x-helpscout-event").and_then(|v| v.to_str().ok());
            helpscout::parse(&json, event, ctx)
        }
        Source::Stripe => stripe::parse(&json, ctx),
        Source::Freshdesk => freshdesk::parse(&json, ctx),
        Source::Generic => generic::parse(&json, ctx),
        Source::Typeform => typeform::parse(&json, ctx),
        Source::Csv => Err(FieldError::new("source", "csv is an import format, not a webhook")),
    }
}

/// Parses JSON, naming the line and column of a syntax error. serde_json's recursion limit
/// (128) rejects pathologically nested documents.
pub fn parse_json(body: &[u8]) -> Result<Value, FieldError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(FieldError::new("body", "request body is empty; expected a JSON document"));
    }
    serde_json::from_slice(body).map_err(|e| {
        let what = if std::str::from_utf8(body).is_err() { "body is not valid UTF-8 JSON" } else { "body is not valid JSON" };
        FieldError::new("body", format!("{what}: {e}"))
    })
}

/// A string or number field as text (vendors send ids both ways). Empty strings count as absent.
pub fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    match cur {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Like `text_at` but the field must be present; the error names it.
pub fn require_text(v: &Value, path: &[&str]) -> Result<String, FieldError> {
    text_at(v, path).ok_or_else(|| FieldError::new(path.join("."), "is required (a non-empty string or number)"))
}

/// Tags sent as an array of strings, an array of `{field: name}` objects, or a delimited string.
pub fn tags_at(v: &Value, path: &[&str], object_field: &str) -> Vec<String> {
    let mut cur = v;
    for key in path {
        match cur.get(key) {
            Some(next) => cur = next,
            None => return Vec::new(),
        }
    }
    let mut out: Vec<String> = match cur {
        Value::Array(items) => items
            .iter()
            .filter_map(|t| match t {
                Value::String(s) => Some(s.clone()),
                Value::Object(_) => t.get(object_field).and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .collect(),
        Value::String(s) => s.split([',', ' ']).map(str::to_string).collect(),
        _ => Vec::new(),
    };
    out.retain(|t| !t.trim().is_empty());
    for t in &mut out {
        *t = t.trim().to_string();
    }
    out
}

/// A time sent as unix seconds (number or numeric string) or RFC 3339 / common date formats.
pub fn time_at(v: &Value, path: &[&str]) -> Option<DateTime<Utc>> {
    let mut cur = v;
    for key in path {
        cur = cur.get(key)?;
    }
    match cur {
        Value::Number(n) => n.as_i64().and_then(unix_to_utc),
        Value::String(s) => parse_time(s),
        _ => None,
    }
}

fn unix_to_utc(secs: i64) -> Option<DateTime<Utc>> {
    // Milliseconds are sometimes sent where seconds are expected.
    let secs = if secs > 100_000_000_000 { secs / 1000 } else { secs };
    Utc.timestamp_opt(secs, 0).single()
}

/// Parses the time formats vendors actually send.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        return unix_to_utc(n);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%:z"] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc())
}

/// Rejects an item with no words to classify.
pub fn require_body(body: String, field: &str) -> Result<String, FieldError> {
    if body.trim().is_empty() { Err(FieldError::new(field, "is empty after removing HTML; nothing to store")) } else { Ok(body) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_getters_accept_vendor_variants() {
        let v = json!({"a": {"id": 12, "s": " x ", "e": ""}, "tags": "vip, slow checkout", "t2": [{"tag": "a"}, "b"]});
        assert_eq!(text_at(&v, &["a", "id"]).as_deref(), Some("12"));
        assert_eq!(text_at(&v, &["a", "s"]).as_deref(), Some("x"));
        assert_eq!(text_at(&v, &["a", "e"]), None);
        assert_eq!(tags_at(&v, &["tags"], "name"), vec!["vip", "slow", "checkout"]);
        assert_eq!(tags_at(&v, &["t2"], "tag"), vec!["a", "b"]);
    }

    #[test]
    fn times_parse_in_every_vendor_format() {
        let expect = Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap();
        for s in
            ["2026-11-02T10:00:00Z", "2026-11-02T11:00:00+01:00", "1793613600", "2026-11-02 10:00:00", "Mon, 02 Nov 2026 10:00:00 +0000"]
        {
            assert_eq!(parse_time(s), Some(expect), "{s}");
        }
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn bad_json_names_the_position() {
        let err = parse_json(b"{\"id\": }").unwrap_err();
        assert_eq!(err.field, "body");
        assert!(err.message.contains("line 1"), "{}", err.message);
        let deep = "[".repeat(10_000);
        assert!(parse_json(deep.as_bytes()).is_err());
        assert!(parse_json(b"\xff\xfe").unwrap_err().message.contains("UTF-8"));
    }
}
