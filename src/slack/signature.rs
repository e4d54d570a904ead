//! Slack's v0 request signature: `v0=` + hex(HMAC-SHA256(signing secret, `v0:{ts}:{raw body}`)),
//! checked in constant time on the raw bytes, with a replay window. Pure: `now` is a parameter.

use crate::signing::{AuthError, equal, header, hmac_sha256, within};
use http::HeaderMap;

pub const SIGNATURE: &str = "x-slack-signature";
pub const TIMESTAMP: &str = "x-slack-request-timestamp";

/// The header value Slack would send for `body` at `ts` (also what tests sign with).
pub fn sign(secret: &[u8], ts: i64, body: &[u8]) -> String {
    format!("v0={}", hex::encode(hmac_sha256(secret, &[b"v0:", ts.to_string().as_bytes(), b":", body])))
}

/// Accepts the request only when the signature matches and the timestamp is within
/// `tolerance` seconds of `now`.
pub fn verify(headers: &HeaderMap, body: &[u8], secret: &[u8], now: i64, tolerance: i64) -> Result<(), AuthError> {
    let given = header(headers, SIGNATURE)?;
    let ts_text = header(headers, TIMESTAMP)?;
    let ts: i64 = ts_text.parse().map_err(|_| AuthError::MalformedHeader(TIMESTAMP))?;
    let hex_sig = given.strip_prefix("v0=").ok_or(AuthError::MalformedHeader(SIGNATURE))?;
    let given = hex::decode(hex_sig).map_err(|_| AuthError::MalformedHeader(SIGNATURE))?;
    let expected = hmac_sha256(secret, &[b"v0:", ts_text.as_bytes(), b":", body]);
    equal(&expected, &given)?;
    within(ts, now, tolerance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    // Slack's documented example (docs.slack.dev, verifying requests from Slack).
    const SECRET: &[u8] = b"8f742231b10e8888abcd99yyyzzz85a5";
    const TS: i64 = 1531420618;
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const EXPECTED: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    fn headers(sig: &str, ts: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(SIGNATURE, HeaderValue::from_str(sig).unwrap());
        h.insert(TIMESTAMP, HeaderValue::from_str(ts).unwrap());
        h
    }

    #[test]
    fn extreme_timestamps_are_stale_not_an_overflow() {
        for ts in [i64::MIN, i64::MIN + 1, i64::MAX] {
            let h = headers(&sign(SECRET, ts, BODY.as_bytes()), &ts.to_string());
            assert_eq!(verify(&h, BODY.as_bytes(), SECRET, TS, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }), "{ts}");
        }
    }

    #[test]
    fn slacks_documented_vector_verifies_at_its_own_time() {
        assert_eq!(sign(SECRET, TS, BODY.as_bytes()), EXPECTED);
        assert_eq!(verify(&headers(EXPECTED, "1531420618"), BODY.as_bytes(), SECRET, TS + 10, 300), Ok(()));
    }

    #[test]
    fn forged_stale_and_missing_signatures_are_refused() {
        let h = headers(EXPECTED, "1531420618");
        assert_eq!(verify(&h, b"text=tampered", SECRET, TS, 300), Err(AuthError::BadSignature));
        assert_eq!(verify(&h, BODY.as_bytes(), b"other-secret", TS, 300), Err(AuthError::BadSignature));
        assert_eq!(verify(&h, BODY.as_bytes(), SECRET, TS + 301, 300), Err(AuthError::StaleTimestamp { tolerance: 300 }));
        assert_eq!(verify(&HeaderMap::new(), BODY.as_bytes(), SECRET, TS, 300), Err(AuthError::MissingHeader(SIGNATURE)));
        assert_eq!(
            verify(&headers("a2114d57", "1531420618"), BODY.as_bytes(), SECRET, TS, 300),
            Err(AuthError::MalformedHeader(SIGNATURE))
        );
        assert_eq!(verify(&headers(EXPECTED, "soon"), BODY.as_bytes(), SECRET, TS, 300), Err(AuthError::MalformedHeader(TIMESTAMP)));
    }
}
