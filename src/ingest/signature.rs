//! Each vendor's webhook authentication, checked on the raw body bytes with constant-time
//! comparison. Pure: the clock is a parameter (`now`), so tests can use vendors' old vectors.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::domain::Source;
pub use crate::signing::{AuthError, hmac_sha1, hmac_sha256};
use crate::signing::{decode_b64, decode_hex, equal, header, within};

pub const ZENDESK_SIGNATURE: &str = "x-zendesk-webhook-signature";
pub const ZENDESK_TIMESTAMP: &str = "x-zendesk-webhook-signature-timestamp";
pub const INTERCOM_SIGNATURE: &str = "x-hub-signature";
pub const HELPSCOUT_SIGNATURE: &str = "x-helpscout-signature";
pub const STRIPE_SIGNATURE: &str = "stripe-signature";
pub const FRESHDESK_TOKEN: &str = "x-pushback-token";
pub const GENERIC_SIGNATURE: &str = "x-pushback-signature";
pub const GENERIC_TIMESTAMP: &str = "x-pushback-timestamp";
pub const TYPEFORM_SIGNATURE: &str = "typeform-signature";

/// Checks `source`'s scheme. `now` is unix seconds; `tolerance` the replay window in seconds.
pub fn verify(source: Source, headers: &HeaderMap, body: &[u8], secret: &[u8], now: i64, tolerance: i64) -> Result<(), AuthError> {
    match source {
        Source::Zendesk => verify_zendesk(headers, body, secret, now, tolerance),
        Source::Intercom => verify_intercom(headers, body, secret),
        Source::Helpscout => verify_helpscout(headers, body, secret),
        Source::Stripe => verify_stripe(headers, body, secret, now, tolerance),
        Source::Freshdesk => verify_token(headers, secret),
        Source::Generic => verify_generic(headers, body, secret, now, tolerance),
        Source::Typeform => verify_typeform(headers, body, secret),
        Source::Csv => Err(AuthError::BadSignature),
    }
}

/// Zendesk: base64(HMAC-SHA256(secret, timestamp + body)), timestamp RFC 3339.
fn verify_zendesk(headers: &HeaderMap, body: &[u8], secret: &[u8], now: i64, tol: i64) -> Result<(), AuthError> {
    let signature = decode_b64(header(headers, ZENDESK_SIGNATURE)?, ZENDESK_SIGNATURE)?;
    let ts = header(headers, ZENDESK_TIMESTAMP)?;
    let expected = hmac_sha256(secret, &[ts.as_bytes(), body]);
    equal(&expected, &signature)?;
    let when = chrono::DateTime::parse_from_rfc3339(ts).map_err(|_| AuthError::MalformedHeader(ZENDESK_TIMESTAMP))?;
    within(when.timestamp(), now, tol)
}

/// Intercom: `sha1=<hex HMAC-SHA1(client secret, body)>`.
fn verify_intercom(headers: &HeaderMap, body: &[u8], secret: &[u8]) -> Result<(), AuthError> {
    let value = header(headers, INTERCOM_SIGNATURE)?;
    let hexsig = value.strip_prefix("sha1=").ok_or(AuthError::MalformedHeader(INTERCOM_SIGNATURE))?;
    equal(&hmac_sha1(secret, body), &decode_hex(hexsig, INTERCOM_SIGNATURE)?)
}

/// Help Scout: base64(HMAC-SHA1(secret, body)).
fn verify_helpscout(headers: &HeaderMap, body: &[u8], secret: &[u8]) -> Result<(), AuthError> {
    let signature = decode_b64(header(headers, HELPSCOUT_SIGNATURE)?, HELPSCOUT_SIGNATURE)?;
    equal(&hmac_sha1(secret, body), &signature)
}

/// Stripe: `t=<unix>,v1=<hex>[,v1=...]` over `"{t}.{body}"`; any v1 may match (rolling secrets).
/// The `whsec_...` secret is the key exactly as given.
fn verify_stripe(headers: &HeaderMap, body: &[u8], secret: &[u8], now: i64, tol: i64) -> Result<(), AuthError> {
    let value = header(headers, STRIPE_SIGNATURE)?;
    let mut ts: Option<&str> = None;
    let mut candidates = Vec::new();
    for pair in value.split(',') {
        match pair.trim().split_once('=') {
            Some(("t", t)) => ts = Some(t),
            Some(("v1", sig)) => candidates.push(sig),
            _ => {}
        }
    }
    let ts = ts.ok_or(AuthError::MalformedHeader(STRIPE_SIGNATURE))?;
    let ts_num: i64 = ts.parse().map_err(|_| AuthError::MalformedHeader(STRIPE_SIGNATURE))?;
    if candidates.is_empty() {
        return Err(AuthError::MalformedHeader(STRIPE_SIGNATURE));
    }
    let expected = hmac_sha256(secret, &[ts.as_bytes(), b".", body]);
    let matched = candidates.iter().any(|sig| hex::decode(sig).is_ok_and(|given| equal(&expected, &given).is_ok()));
    if !matched {
        return Err(AuthError::BadSignature);
    }
    within(ts_num, now, tol)
}

/// Freshdesk cannot sign: a shared token in `X-Pushback-Token`, compared in constant time.
/// Both sides are hashed first so the comparison does not leak the token's length.
fn verify_token(headers: &HeaderMap, secret: &[u8]) -> Result<(), AuthError> {
    let given = header(headers, FRESHDESK_TOKEN)?;
    equal(&Sha256::digest(secret), &Sha256::digest(given.as_bytes()))
}

/// Our generic format: `X-Pushback-Signature: v1=<hex HMAC-SHA256(secret, "{ts}.{body}")>`.
fn verify_generic(headers: &HeaderMap, body: &[u8], secret: &[u8], now: i64, tol: i64) -> Result<(), AuthError> {
    let value = header(headers, GENERIC_SIGNATURE)?;
    let ts = header(headers, GENERIC_TIMESTAMP)?;
    let ts_num: i64 = ts.parse().map_err(|_| AuthError::MalformedHeader(GENERIC_TIMESTAMP))?;
    let hexsig = value.strip_prefix("v1=").ok_or(AuthError::MalformedHeader(GENERIC_SIGNATURE))?;
    equal(&hmac_sha256(secret, &[ts.as_bytes(), b".", body]), &decode_hex(hexsig, GENERIC_SIGNATURE)?)?;
    within(ts_num, now, tol)
}

/// Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, body)>`. Typeform signs no
/// timestamp, so there is no replay window; a redelivery is recognised by the response's token.
fn verify_typeform(headers: &HeaderMap, body: &[u8], secret: &[u8]) -> Result<(), AuthError> {
    let value = header(headers, TYPEFORM_SIGNATURE)?;
    let b64 = value.strip_prefix("sha256=").ok_or(AuthError::MalformedHeader(TYPEFORM_SIGNATURE))?;
    equal(&hmac_sha256(secret, &[body]), &decode_b64(b64, TYPEFORM_SIGNATURE)?)
}

/// Signing helpers: the counterpart of each check, used by tests, the load generator and docs.
pub mod sign {
    use super::*;

    pub fn generic(secret: &[u8], ts: i64, body: &[u8]) -> String {
        format!("v1={}", hex::encode(hmac_sha256(secret, &[ts.to_string().as_bytes(), b".", body])))
    }
    /// A generic-format delivery of `body` to `url`, signed now (what the load and alert
    /// benchmarks send).
    pub fn generic_post(client: &reqwest::Client, url: &str, secret: &[u8], body: String) -> reqwest::RequestBuilder {
        let ts = chrono::Utc::now().timestamp();
        let signature = generic(secret, ts, body.as_bytes());
        client
            .post(url)
            .header("content-type", "application/json")
            .header(GENERIC_TIMESTAMP, ts.to_string())
            .header(GENERIC_SIGNATURE, signature)
            .body(body)
    }
    pub fn stripe(secret: &[u8], ts: i64, body: &[u8]) -> String {
        format!("t={ts},v1={}", hex::encode(hmac_sha256(secret, &[ts.to_string().as_bytes(), b".", body])))
    }
    pub fn zendesk(secret: &[u8], ts_rfc3339: &str, body: &[u8]) -> String {
        B64.encode(hmac_sha256(secret, &[ts_rfc3339.as_bytes(), body]))
    }
    pub fn intercom(secret: &[u8], body: &[u8]) -> String {
        format!("sha1={}", hex::encode(hmac_sha1(secret, body)))
    }
    pub fn helpscout(secret: &[u8], body: &[u8]) -> String {
        B64.encode(hmac_sha1(secret, body))
    }
    pub fn typeform(secret: &[u8], body: &[u8]) -> String {
        format!("sha256={}", B64.encode(hmac_sha256(secret, &[body])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    const NOW: i64 = 1_700_000_000;
    const TYPEFORM_VECTOR: &str = "sha256=Vd2tGrbPvN73sZCdvsqyU//EHh+2qC/lDV7M3WMDbG0=";

    #[test]
    fn correctly_signed_extreme_timestamps_are_stale_not_an_overflow() {
        let body = b"{}";
        for ts in [i64::MIN, i64::MIN + 1, i64::MAX] {
            let h = headers(&[(GENERIC_SIGNATURE, &sign::generic(b"k", ts, body)), (GENERIC_TIMESTAMP, &ts.to_string())]);
            assert_eq!(verify(Source::Generic, &h, body, b"k", NOW, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }), "{ts}");
            let h = headers(&[(STRIPE_SIGNATURE, &sign::stripe(b"k", ts, body))]);
            assert_eq!(verify(Source::Stripe, &h, body, b"k", NOW, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }), "{ts}");
        }
    }

    #[test]
    fn zendesk_published_vector_is_body_then_timestamp_so_we_reject_it() {
        // Zendesk's older docs vector signs body+timestamp; the current docs (which we follow)
        // sign timestamp+body. This pins that choice: the old vector must not verify.
        let secret = b"HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=";
        let body = br#"{"say": "hello"}"#;
        let ts = "2021-07-25T10:00:00Z";
        let old = B64.encode(hmac_sha256(secret, &[body, ts.as_bytes()]));
        assert_eq!(old, "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=");
        let now = 1_627_207_200; // the vector's own time
        let h = headers(&[(ZENDESK_SIGNATURE, &old), (ZENDESK_TIMESTAMP, ts)]);
        assert_eq!(verify(Source::Zendesk, &h, body, secret, now, 300), Err(AuthError::BadSignature));
        let h = headers(&[(ZENDESK_SIGNATURE, &sign::zendesk(secret, ts, body)), (ZENDESK_TIMESTAMP, ts)]);
        assert_eq!(verify(Source::Zendesk, &h, body, secret, now, 300), Ok(()));
        assert_eq!(verify(Source::Zendesk, &h, body, secret, now + 301, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }));
    }

    #[test]
    fn signers_match_vectors_from_an_independent_tool() {
        // Computed independently with Python's hmac, hashlib and base64 modules.
        let body = br#"{"id":"T-1","body":"checkout is slow"}"#;
        assert_eq!(
            sign::generic(b"gen-secret", 1_793_613_600, body),
            "v1=c5e80f7f7622b0ddd75e8790744929109140a2e827d828f8dc2cbd7745586559"
        );
        assert_eq!(
            sign::stripe(b"whsec_test_secret", 1_793_613_600, body),
            "t=1793613600,v1=4c098077345c3128bdf7765cac8a22eb22aab1e3bc08e2d51aee95f70e47e799"
        );
        assert_eq!(sign::zendesk(b"zd-secret", "2026-11-02T10:00:00Z", body), "gWzY8VCn2qFfSpjiwoW+kGRObDHbV1E/5EgitE5CcPg=");
        assert_eq!(sign::intercom(b"ic-secret", body), "sha1=54982cc10e29144c2a403442548b3c08a48b741c");
        assert_eq!(sign::helpscout(b"asdffdsa", body), "EXYCUbhjijekETFjza7IRaSFnZs=");
    }

    #[test]
    fn intercom_vector_from_python_sdk_shape() {
        let body = b"{\"type\":\"notification_event\"}";
        let h = headers(&[(INTERCOM_SIGNATURE, &sign::intercom(b"secret", body))]);
        assert_eq!(verify(Source::Intercom, &h, body, b"secret", NOW, 300), Ok(()));
        assert_eq!(verify(Source::Intercom, &h, body, b"other", NOW, 300), Err(AuthError::BadSignature));
        let h = headers(&[(INTERCOM_SIGNATURE, "md5=abc")]);
        assert_eq!(verify(Source::Intercom, &h, body, b"secret", NOW, 300), Err(AuthError::MalformedHeader(INTERCOM_SIGNATURE)));
    }

    #[test]
    fn helpscout_uses_base64_sha1() {
        let body = b"{\"id\":1}";
        let sig = sign::helpscout(b"asdffdsa", body);
        assert_eq!(sig.len(), 28);
        let h = headers(&[(HELPSCOUT_SIGNATURE, &sig)]);
        assert_eq!(verify(Source::Helpscout, &h, body, b"asdffdsa", NOW, 300), Ok(()));
        assert_eq!(verify(Source::Helpscout, &h, b"{\"id\":2}", b"asdffdsa", NOW, 300), Err(AuthError::BadSignature));
    }

    #[test]
    fn stripe_accepts_any_v1_and_uses_whsec_verbatim() {
        let secret = b"whsec_test_secret";
        let body = b"{\"id\":\"evt_1\"}";
        let good = sign::stripe(secret, NOW, body);
        let rolled = format!("t={NOW},v1={},{}", "00".repeat(32), good.split(',').nth(1).unwrap());
        for header_value in [good.as_str(), rolled.as_str()] {
            let h = headers(&[(STRIPE_SIGNATURE, header_value)]);
            assert_eq!(verify(Source::Stripe, &h, body, secret, NOW, 300), Ok(()));
        }
        let h = headers(&[(STRIPE_SIGNATURE, &good)]);
        assert_eq!(verify(Source::Stripe, &h, body, secret, NOW + 301, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }));
        assert_eq!(verify(Source::Stripe, &h, body, b"test_secret", NOW, 300), Err(AuthError::BadSignature));
    }

    #[test]
    fn typeform_is_base64_sha256_of_the_body_with_a_prefix() {
        // Computed independently: base64.b64encode(hmac.new(b"tf-secret", body, hashlib.sha256).digest())
        let body = br#"{"id":"T-1","body":"checkout is slow"}"#;
        assert_eq!(sign::typeform(b"tf-secret", body), TYPEFORM_VECTOR);
        let h = headers(&[(TYPEFORM_SIGNATURE, TYPEFORM_VECTOR)]);
        assert_eq!(verify(Source::Typeform, &h, body, b"tf-secret", NOW, 300), Ok(()));
        assert_eq!(verify(Source::Typeform, &h, body, b"other", NOW, 300), Err(AuthError::BadSignature));
        assert_eq!(verify(Source::Typeform, &h, b"{}", b"tf-secret", NOW, 300), Err(AuthError::BadSignature));
        let bare = headers(&[(TYPEFORM_SIGNATURE, TYPEFORM_VECTOR.trim_start_matches("sha256="))]);
        assert_eq!(verify(Source::Typeform, &bare, body, b"tf-secret", NOW, 300), Err(AuthError::MalformedHeader(TYPEFORM_SIGNATURE)));
        assert_eq!(
            verify(Source::Typeform, &HeaderMap::new(), body, b"tf-secret", NOW, 300),
            Err(AuthError::MissingHeader(TYPEFORM_SIGNATURE))
        );
    }

    #[test]
    fn freshdesk_token_must_match_exactly() {
        let h = headers(&[(FRESHDESK_TOKEN, "tok-123")]);
        assert_eq!(verify(Source::Freshdesk, &h, b"", b"tok-123", NOW, 300), Ok(()));
        assert_eq!(verify(Source::Freshdesk, &h, b"", b"tok-1234", NOW, 300), Err(AuthError::BadSignature));
        assert_eq!(verify(Source::Freshdesk, &HeaderMap::new(), b"", b"tok-123", NOW, 300), Err(AuthError::MissingHeader(FRESHDESK_TOKEN)));
    }

    #[test]
    fn generic_checks_signature_then_window() {
        let body = b"{\"id\":\"1\",\"body\":\"slow\"}";
        let ts = NOW.to_string();
        let h = headers(&[(GENERIC_SIGNATURE, &sign::generic(b"k", NOW, body)), (GENERIC_TIMESTAMP, &ts)]);
        assert_eq!(verify(Source::Generic, &h, body, b"k", NOW + 300, 300), Ok(()));
        assert_eq!(verify(Source::Generic, &h, body, b"k", NOW + 301, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }));
        // The timestamp is part of what is signed: moving it breaks the signature.
        let h2 = headers(&[(GENERIC_SIGNATURE, &sign::generic(b"k", NOW, body)), (GENERIC_TIMESTAMP, "1700000001")]);
        assert_eq!(verify(Source::Generic, &h2, body, b"k", NOW, 300), Err(AuthError::BadSignature));
        let h3 = headers(&[(GENERIC_TIMESTAMP, &ts)]);
        assert_eq!(verify(Source::Generic, &h3, body, b"k", NOW, 300), Err(AuthError::MissingHeader(GENERIC_SIGNATURE)));
    }
}
