//! Reads a topic's service metric from Prometheus (`/api/v1/query_range`, one point per day)
//! for evidence packs. A leaf: it knows HTTP and Prometheus's JSON, nothing of packs. Every
//! failure comes back as one plain sentence for the pack, never as an error that stops it.

use crate::config::{PrometheusSettings, redact_url};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Prometheus refuses a range query with more points than this per series.
pub const MAX_POINTS: i64 = 11_000;

/// The metric's value for one UTC day: the query evaluated at the end of that day (the next
/// midnight), so a `[1d]` range covers exactly the day. `None` when Prometheus had no sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DailyValue {
    pub day: NaiveDate,
    pub value: Option<f64>,
}

/// A Prometheus to ask, or none configured.
#[derive(Debug, Clone, Default)]
pub struct Source {
    inner: Option<Arc<Inner>>,
}

#[derive(Debug)]
struct Inner {
    client: reqwest::Client,
    base: String,
    user: Option<String>,
    password: Option<SecretString>,
    token: Option<SecretString>,
    timeout_ms: u64,
}

impl Source {
    /// The client for `settings`; `Source::default()` (none) when `url` is unset.
    pub fn new(settings: &PrometheusSettings) -> anyhow::Result<Self> {
        let Some(url) = settings.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) else { return Ok(Self::default()) };
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(settings.timeout_ms))
            .build()
            .map_err(|e| anyhow::anyhow!("cannot build the Prometheus HTTP client: {e}"))?;
        let inner = Inner {
            client,
            base: url.trim_end_matches('/').to_string(),
            user: settings.user.clone(),
            password: settings.password.clone(),
            token: settings.token.clone(),
            timeout_ms: settings.timeout_ms,
        };
        Ok(Self { inner: Some(Arc::new(inner)) })
    }

    pub fn is_configured(&self) -> bool {
        self.inner.is_some()
    }

    /// `query` for each of the `days` UTC days starting at `from` (a midnight), or why not.
    pub async fn daily(&self, query: &str, from: DateTime<Utc>, days: i64) -> Result<Vec<DailyValue>, String> {
        let Some(inner) = &self.inner else {
            return Err("no Prometheus is configured (set PUSHBACK_PROMETHEUS__URL)".into());
        };
        if days > MAX_POINTS {
            return Err(format!("{days} daily points exceed Prometheus's limit of {MAX_POINTS} per query; ask for a shorter window"));
        }
        let (start, end) = (from + Duration::days(1), from + Duration::days(days));
        let params = [
            ("query", daily_query(query)),
            ("start", start.timestamp().to_string()),
            ("end", end.timestamp().to_string()),
            ("step", "86400".into()),
        ];
        let mut request = inner.client.post(format!("{}/api/v1/query_range", inner.base)).form(&params);
        if let Some(token) = &inner.token {
            request = request.bearer_auth(token.expose_secret());
        } else if let Some(user) = &inner.user {
            request = request.basic_auth(user, inner.password.as_ref().map(|p| p.expose_secret().to_string()));
        }
        let shown = redact_url(&inner.base);
        let response = request.send().await.map_err(|e| transport_error(&e, &shown, inner.timeout_ms))?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(|e| transport_error(&e, &shown, inner.timeout_ms))?;
        parse_response(status, &body, from, days)
    }
}

/// The query a day's value is read with, evaluated at the midnight that ends the day. A query
/// with a range selector (`max_over_time(x[1d])`, `rate(x[1d])`, a subquery) covers the day as
/// written. An instant query (`max(gauge)`) would read only that midnight: the day's last
/// sample, or the next day's first one when a sample falls on the midnight itself, which shifts
/// the series by a day. It is averaged over the day's own 5-minute steps instead, 00:00 to 23:55
/// (`offset 1s` keeps the next midnight's step out).
pub fn daily_query(query: &str) -> String {
    if has_range_selector(query) {
        return query.to_string();
    }
    // A comment runs to the end of its line: the wrapping's closing parenthesis goes on the next.
    let end = if query.contains('#') { "\n" } else { "" };
    format!("avg_over_time(({query}{end})[1d:5m] offset 1s)")
}

/// Whether a PromQL expression has a range selector or subquery: a `[` outside string literals
/// and comments.
pub fn has_range_selector(query: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = query.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), '\\') if q != '`' => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '#') => {
                chars.by_ref().find(|&c| c == '\n');
            }
            (None, '[') => return true,
            (None, _) => {}
        }
    }
    false
}

fn transport_error(e: &reqwest::Error, url: &str, timeout_ms: u64) -> String {
    if e.is_timeout() {
        format!("Prometheus at {url} did not answer within {} s", timeout_ms as f64 / 1000.0)
    } else if e.is_connect() {
        format!("cannot reach Prometheus at {url} (connection refused or no route); check PUSHBACK_PROMETHEUS__URL")
    } else {
        format!("Prometheus at {url} failed: {e}")
    }
}

#[derive(Deserialize)]
struct Envelope {
    status: String,
    #[serde(rename = "errorType", default)]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "resultType")]
    result_type: String,
    result: Vec<Series>,
}

#[derive(Deserialize)]
struct Series {
    values: Vec<(f64, String)>,
}

/// Turns Prometheus's answer into one value per day, or the sentence that explains why not.
pub fn parse_response(status: u16, body: &str, from: DateTime<Utc>, days: i64) -> Result<Vec<DailyValue>, String> {
    let envelope: Option<Envelope> = serde_json::from_str(body).ok();
    match (status, &envelope) {
        (401 | 403, _) => {
            return Err(format!("Prometheus refused the credentials (HTTP {status}); check PUSHBACK_PROMETHEUS__USER/PASSWORD or TOKEN"));
        }
        (_, Some(e)) if e.status == "error" => {
            let what = format!("{}: {}", e.error_type.as_deref().unwrap_or("error"), e.error.as_deref().unwrap_or("no detail"));
            return Err(match status {
                503 => format!("Prometheus is unavailable (HTTP 503, {what})"),
                400 | 422 => format!("Prometheus refused the topic's metric query (HTTP {status}, {what}); check `metric` in rules.toml"),
                _ => format!("Prometheus answered with an error (HTTP {status}, {what})"),
            });
        }
        (200..=299, Some(_)) => {}
        (503, None) => return Err("Prometheus is unavailable (HTTP 503)".into()),
        (200..=299, None) => return Err("Prometheus's answer is not the JSON of its HTTP API; check PUSHBACK_PROMETHEUS__URL".into()),
        (_, _) => return Err(format!("Prometheus answered HTTP {status}; check PUSHBACK_PROMETHEUS__URL")),
    }
    let data = envelope.and_then(|e| e.data).ok_or("Prometheus's answer has no data")?;
    if data.result_type != "matrix" {
        return Err(format!("the metric query returned a {}, not a range of values", data.result_type));
    }
    match data.result.len() {
        0 => Err("the metric query returned no data for these days".into()),
        1 => Ok(by_day(&data.result[0].values, from, days)),
        n => Err(format!("the metric query returns {n} series; aggregate it to one (e.g. max(...) or sum(...)) in rules.toml")),
    }
}

/// The value evaluated at midnight ending day d belongs to day d.
fn by_day(values: &[(f64, String)], from: DateTime<Utc>, days: i64) -> Vec<DailyValue> {
    let mut out: Vec<DailyValue> = (0..days).map(|d| DailyValue { day: (from + Duration::days(d)).date_naive(), value: None }).collect();
    for (t, raw) in values {
        let day = ((*t as i64) - from.timestamp()) / 86_400 - 1;
        let value = raw.parse::<f64>().ok().filter(|v| v.is_finite());
        if let Some(slot) = usize::try_from(day).ok().and_then(|d| out.get_mut(d)) {
            slot.value = value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn from() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn a_matrix_becomes_one_value_per_day_with_gaps() {
        let end1 = from().timestamp() + 86_400;
        let body = format!(
            r#"{{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{}},"values":[[{end1},"1.5"],[{},"NaN"],[{},"4"]]}}]}}}}"#,
            end1 + 86_400,
            end1 + 3 * 86_400
        );
        let days = parse_response(200, &body, from(), 5).unwrap();
        let values: Vec<Option<f64>> = days.iter().map(|d| d.value).collect();
        assert_eq!(values, vec![Some(1.5), None, None, Some(4.0), None]);
        assert_eq!(days[0].day, from().date_naive());
    }

    #[test]
    fn instant_queries_are_averaged_over_the_day_and_range_queries_kept() {
        for q in ["max_over_time(x[1d])", "rate(http_requests_total{job=\"a\"}[1d])", "max(x)[1d:5m]", "sum(rate(x[5m]))"] {
            assert!(has_range_selector(q), "{q}");
            assert_eq!(daily_query(q), q);
        }
        for q in ["max(gauge)", "x{path=\"/a[1]\"}", "histogram_quantile(0.95, sum by (le) (x_bucket)) # [1d]", "y{a='[b]'}"] {
            assert!(!has_range_selector(q), "{q}");
        }
        assert_eq!(daily_query("max(gauge)"), "avg_over_time((max(gauge))[1d:5m] offset 1s)");
    }

    #[test]
    fn errors_read_as_one_sentence_naming_what_to_fix() {
        let bad = r#"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#;
        let e = parse_response(400, bad, from(), 3).unwrap_err();
        assert!(e.contains("HTTP 400") && e.contains("parse error at char 5") && e.contains("rules.toml"), "{e}");
        assert!(parse_response(422, bad, from(), 3).unwrap_err().contains("HTTP 422"));
        let down = r#"{"status":"error","errorType":"unavailable","error":"not ready"}"#;
        assert!(parse_response(503, down, from(), 3).unwrap_err().starts_with("Prometheus is unavailable"));
        assert!(parse_response(503, "Service Unavailable", from(), 3).unwrap_err().starts_with("Prometheus is unavailable"));
        assert!(parse_response(401, "", from(), 3).unwrap_err().contains("PUSHBACK_PROMETHEUS__USER"));
        let empty = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert_eq!(parse_response(200, empty, from(), 3).unwrap_err(), "the metric query returned no data for these days");
        let two = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[]},{"metric":{},"values":[]}]}}"#;
        assert!(parse_response(200, two, from(), 3).unwrap_err().contains("returns 2 series"));
        assert!(parse_response(200, "<html>", from(), 3).unwrap_err().contains("PUSHBACK_PROMETHEUS__URL"));
    }

    #[tokio::test]
    async fn an_unreachable_or_unset_prometheus_gives_the_reason() {
        let none = Source::default();
        assert!(none.daily("up", from(), 3).await.unwrap_err().contains("PUSHBACK_PROMETHEUS__URL"));
        // A port nothing listens on: bind one, then close it.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let settings = PrometheusSettings { url: Some(format!("http://127.0.0.1:{port}")), ..Default::default() };
        let source = Source::new(&settings).unwrap();
        let e = source.daily("up", from(), 3).await.unwrap_err();
        assert!(e.contains("cannot reach Prometheus"), "{e}");
        assert!(source.daily("up", from(), MAX_POINTS + 1).await.unwrap_err().contains("11000"));
    }
}
