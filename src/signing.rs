//! Shared request-signing primitives for every signed endpoint (vendor webhooks in `ingest`,
//! Slack in `slack`): HMAC, constant-time comparison, header reading and the replay window.
//! A leaf: it knows no scheme, only the pieces schemes are made of.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Why a request is not authentic. All map to 401; the message goes to the log and the body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("missing header {0}")]
    MissingHeader(&'static str),
    #[error("malformed header {0}")]
    MalformedHeader(&'static str),
    #[error("signature does not match")]
    BadSignature,
    #[error("timestamp is outside the {tolerance}s window (replayed or clock skew)")]
    StaleTimestamp { tolerance: i64 },
}

/// A header's trimmed text; missing, blank and non-ASCII values are errors naming the header.
pub fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, AuthError> {
    let value = headers.get(name).ok_or(AuthError::MissingHeader(name))?;
    let text = value.to_str().map_err(|_| AuthError::MalformedHeader(name))?.trim();
    if text.is_empty() { Err(AuthError::MissingHeader(name)) } else { Ok(text) }
}

/// `ts` within `tolerance` seconds of `now`. `abs_diff`: a signed timestamp near `i64::MIN`
/// must not overflow `now - ts` (found by the `signatures` fuzz target).
pub fn within(ts: i64, now: i64, tolerance: i64) -> Result<(), AuthError> {
    if now.abs_diff(ts) > tolerance.max(0).unsigned_abs() {
        return Err(AuthError::StaleTimestamp { tolerance });
    }
    Ok(())
}

/// HMAC-SHA256 over the concatenation of `parts`.
pub fn hmac_sha256(secret: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// HMAC-SHA1 over `body`.
pub fn hmac_sha1(secret: &[u8], body: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Constant-time equality of a computed and a given signature.
pub fn equal(expected: &[u8], given: &[u8]) -> Result<(), AuthError> {
    if expected.len() == given.len() && bool::from(expected.ct_eq(given)) { Ok(()) } else { Err(AuthError::BadSignature) }
}

pub fn decode_b64(text: &str, name: &'static str) -> Result<Vec<u8>, AuthError> {
    B64.decode(text).map_err(|_| AuthError::MalformedHeader(name))
}

pub fn decode_hex(text: &str, name: &'static str) -> Result<Vec<u8>, AuthError> {
    hex::decode(text).map_err(|_| AuthError::MalformedHeader(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replay_window_is_inclusive_and_cannot_overflow() {
        assert!(within(1_000, 1_300, 300).is_ok());
        assert!(within(1_000, 1_301, 300).is_err());
        assert!(within(i64::MIN, i64::MAX, 300).is_err());
        assert!(within(0, 0, -5).is_ok(), "a negative tolerance means exactly now");
    }

    #[test]
    fn equal_needs_the_same_length_and_bytes() {
        assert!(equal(b"abc", b"abc").is_ok());
        assert_eq!(equal(b"abc", b"abd"), Err(AuthError::BadSignature));
        assert_eq!(equal(b"abc", b"ab"), Err(AuthError::BadSignature));
    }
}
