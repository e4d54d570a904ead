//! The bodies of the fuzz targets, kept in a library so the same code runs under libFuzzer
//! (`cargo fuzz run <target>`) and as a plain test over the seed corpus (`cargo test` here, and
//! the main crate's `cargo test` through tests/fuzz_corpus.rs).
//! Each must never panic, hang or overflow the stack, whatever the bytes.

use http::{HeaderMap, HeaderName, HeaderValue};
use pushback::classify::{Classifier, seed};
use pushback::domain::Source;
use pushback::ingest::signature::{self, hmac_sha256};
use pushback::ingest::sources::{ParseContext, Parsed, csv_rows, parse};
use std::sync::LazyLock;

const SECRET: &[u8] = b"fuzz-secret";
/// A fixed "now", so a failing input reproduces.
const NOW: i64 = 1_793_613_600;
const TOLERANCE: i64 = 300;

static CLASSIFIER: LazyLock<Classifier> = LazyLock::new(|| {
    let rules = pushback::classify::rules::Rules::parse(seed::DEFAULT_RULES_TOML, "built-in rules").expect("built-in rules parse");
    Classifier::new(seed::default_model(), rules)
});

fn ctx() -> ParseContext {
    ParseContext {
        received_at: pushback::store::from_unix(NOW),
        zendesk_subdomain: Some("acme".into()),
        survey_form: pushback::ingest::sources::typeform::SurveyForm {
            score_field: Some("nps_score".into()),
            comment_field: Some("nps_reason".into()),
            survey: Some("nps".into()),
        },
    }
}

/// A webhook body for `source` (Help Scout's event name from the first line when it has one),
/// then what happens to accepted items: classification, redaction and Slack escaping.
pub fn webhook(source: Source, data: &[u8]) {
    let mut headers = HeaderMap::new();
    let mut body = data;
    if source == Source::Helpscout {
        if let Some(nl) = data.iter().position(|&b| b == b'\n') {
            if let Ok(event) = HeaderValue::from_bytes(&data[..nl]) {
                headers.insert("x-helpscout-event", event);
                body = &data[nl + 1..];
            }
        }
    }
    if let Ok(Parsed::Items(items)) = parse(source, &headers, body, &ctx()) {
        for item in items {
            assert!(!item.external_id.is_empty(), "an item without an id was accepted");
            let _ = CLASSIFIER.classify(&item.subject, &item.body);
            let _ = pushback::redact::redact(&item.body);
            let shown = pushback::slack::blocks::ticket_text(&item.body, 300);
            assert!(!shown.contains('<') && !shown.contains('>'), "mrkdwn survived escaping: {shown}");
        }
    }
}

fn header(headers: &mut HeaderMap, name: &'static str, value: &[u8]) {
    if let Ok(v) = HeaderValue::from_bytes(value) {
        headers.insert(HeaderName::from_static(name), v);
    }
}

/// `selector | part 0 | 0x00 | part 1 | 0x00 | body`. The selector picks the scheme (six
/// webhook sources, then Slack) and the mode: raw (parts are the signature and timestamp
/// headers as sent) or signed (part 1 is a timestamp the harness signs correctly, so the
/// replay-window arithmetic sees every value an honest sender could produce).
pub fn signatures(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let mut parts = rest.splitn(3, |&b| b == 0);
    let (a, b, body) = (parts.next().unwrap_or(&[]), parts.next().unwrap_or(&[]), parts.next().unwrap_or(&[]));
    let scheme = (selector & 0x7f) % 7;
    if selector & 0x80 == 0 {
        raw_signature(scheme, a, b, body);
    } else if let Ok(ts) = std::str::from_utf8(b) {
        signed_timestamp(scheme, ts.trim(), body);
    }
}

/// Raw mode: the parts are the signature and timestamp headers as sent.
fn raw_signature(scheme: u8, a: &[u8], b: &[u8], body: &[u8]) {
    let mut headers = HeaderMap::new();
    match Source::WEBHOOK.get(scheme as usize) {
        Some(&source) => {
            for (name, value) in [(raw_headers(source).0, a), (raw_headers(source).1, b)] {
                header(&mut headers, name, value);
            }
            let result = signature::verify(source, &headers, body, SECRET, NOW, TOLERANCE);
            assert!(result.is_err() || !headers.is_empty(), "accepted without any header");
        }
        None => {
            header(&mut headers, pushback::slack::signature::SIGNATURE, a);
            header(&mut headers, pushback::slack::signature::TIMESTAMP, b);
            let _ = pushback::slack::signature::verify(&headers, body, SECRET, NOW, TOLERANCE);
        }
    }
}

/// Signed mode: a correct signature over a fuzzed timestamp, which must be accepted exactly
/// when it is a number inside the replay window.
fn signed_timestamp(scheme: u8, ts: &str, body: &[u8]) {
    if ts.is_empty() || ts.contains(['\r', '\n', ',', '\0']) {
        return;
    }
    let mut headers = HeaderMap::new();
    let in_window = |secs: i64| (i128::from(NOW) - i128::from(secs)).abs() <= i128::from(TOLERANCE);
    match scheme {
        0 | 6 => {
            let (result, expected) = if scheme == 0 {
                let sig = format!("v1={}", hex(&hmac_sha256(SECRET, &[ts.as_bytes(), b".", body])));
                header(&mut headers, signature::GENERIC_SIGNATURE, sig.as_bytes());
                header(&mut headers, signature::GENERIC_TIMESTAMP, ts.as_bytes());
                (signature::verify(Source::Generic, &headers, body, SECRET, NOW, TOLERANCE), ts.parse::<i64>().ok().map(in_window))
            } else {
                let sig = format!("v0={}", hex(&hmac_sha256(SECRET, &[b"v0:", ts.as_bytes(), b":", body])));
                header(&mut headers, pushback::slack::signature::SIGNATURE, sig.as_bytes());
                header(&mut headers, pushback::slack::signature::TIMESTAMP, ts.as_bytes());
                (pushback::slack::signature::verify(&headers, body, SECRET, NOW, TOLERANCE), ts.parse::<i64>().ok().map(in_window))
            };
            if headers.len() == 2 {
                assert_eq!(result.is_ok(), expected == Some(true), "timestamp {ts:?}: {result:?}");
            }
        }
        1 => {
            let sig = format!("t={ts},v1={}", hex(&hmac_sha256(SECRET, &[ts.as_bytes(), b".", body])));
            header(&mut headers, signature::STRIPE_SIGNATURE, sig.as_bytes());
            let result = signature::verify(Source::Stripe, &headers, body, SECRET, NOW, TOLERANCE);
            if headers.len() == 1 && !ts.contains('=') {
                assert_eq!(result.is_ok(), ts.parse::<i64>().ok().map(in_window) == Some(true), "stripe t={ts:?}: {result:?}");
            }
        }
        _ => {
            let sig = pushback::ingest::signature::sign::zendesk(SECRET, ts, body);
            header(&mut headers, signature::ZENDESK_SIGNATURE, sig.as_bytes());
            header(&mut headers, signature::ZENDESK_TIMESTAMP, ts.as_bytes());
            let _ = signature::verify(Source::Zendesk, &headers, body, SECRET, NOW, TOLERANCE);
        }
    }
}

fn raw_headers(source: Source) -> (&'static str, &'static str) {
    match source {
        Source::Zendesk => (signature::ZENDESK_SIGNATURE, signature::ZENDESK_TIMESTAMP),
        Source::Intercom => (signature::INTERCOM_SIGNATURE, "x-unused"),
        Source::Helpscout => (signature::HELPSCOUT_SIGNATURE, "x-helpscout-event"),
        Source::Stripe => (signature::STRIPE_SIGNATURE, "x-unused"),
        Source::Freshdesk => (signature::FRESHDESK_TOKEN, "x-unused"),
        Source::Typeform => (signature::TYPEFORM_SIGNATURE, "x-unused"),
        Source::Generic | Source::Csv => (signature::GENERIC_SIGNATURE, signature::GENERIC_TIMESTAMP),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `command | newline | text`, as Slack sends them.
pub fn slash_command(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (command, rest) = text.split_once('\n').unwrap_or(("/pushback", &text));
    let _ = pushback::slack::commands::SlashCommand::parse(command, rest);
    for word in rest.split_whitespace() {
        if let Some(days) = pushback::slack::commands::parse_window(word) {
            assert!((1..=pushback::slack::commands::MAX_WINDOW_DAYS).contains(&days));
        }
    }
}

/// A CSV import file: header, then every row.
pub fn csv_rows(data: &[u8]) {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let Ok(header) = reader.headers().cloned() else { return };
    let Ok(header) = csv_rows::CsvHeader::new(&header) else { return };
    for record in reader.records().take(1000) {
        let Ok(record) = record else { continue };
        if let Ok(item) = csv_rows::parse_row(&header, &record, &ctx()) {
            assert!(!item.external_id.is_empty() && !item.body.is_empty());
            let _ = CLASSIFIER.classify(&item.subject, &item.body);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every target's body over its seed corpus (fuzz/corpus/<target>/) and a few fixed cases.
    use super::*;
    use std::path::Path;

    fn corpus(target: &str) -> Vec<Vec<u8>> {
        // This file is also compiled into the main crate's tests (tests/fuzz_corpus.rs), so the
        // corpus is found from the file's own place: fuzz/src/lib.rs -> fuzz/corpus.
        let this_file = Path::new(env!("CARGO_MANIFEST_DIR")).join(file!());
        let dir = this_file.parent().and_then(Path::parent).expect("fuzz/src/lib.rs").join("corpus").join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir).map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
        files.sort();
        let inputs: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        assert!(!inputs.is_empty(), "no seed corpus in {}", dir.display());
        inputs
    }

    #[test]
    fn webhook_parsers_survive_their_corpus() {
        for (target, source) in [
            ("webhook_zendesk", Source::Zendesk),
            ("webhook_intercom", Source::Intercom),
            ("webhook_helpscout", Source::Helpscout),
            ("webhook_stripe", Source::Stripe),
            ("webhook_freshdesk", Source::Freshdesk),
            ("webhook_generic", Source::Generic),
        ] {
            for input in corpus(target) {
                webhook(source, &input);
            }
            webhook(source, "[".repeat(100_000).as_bytes());
            webhook(source, b"\xff\xfe");
        }
    }

    #[test]
    fn signature_checks_survive_their_corpus() {
        for input in corpus("signatures") {
            signatures(&input);
        }
    }

    #[test]
    fn extreme_timestamps_are_refused_without_overflow() {
        // Found by the `signatures` target (Slack's check, after 2.1 million executions):
        // `(now - ts).abs()` overflowed for a correctly signed ts near i64::MIN.
        for ts in ["-9223372036854775808", "9223372036854775807", "-9223372036854775807"] {
            for scheme in [0x80u8, 0x86, 0x81] {
                let mut input = vec![scheme, 0];
                input.extend_from_slice(ts.as_bytes());
                input.extend_from_slice(b"\0{}");
                signatures(&input);
            }
        }
    }

    #[test]
    fn slash_commands_and_csv_survive_their_corpus() {
        for input in corpus("slash_command") {
            slash_command(&input);
        }
        for input in corpus("csv_rows") {
            csv_rows(&input);
        }
    }
}
