//! Personal data out of text: emails, phone numbers, card numbers (Luhn-checked), IBANs and
//! IP addresses become placeholders. Applied to everything that leaves the service, and at
//! ingest when `ingest.redact_at_ingest` is set.

use regex::Regex;
use std::sync::LazyLock;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}\b").expect("valid regex"));
// 13-19 digits, optionally grouped by spaces or dashes.
static CARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:\d[ \-]?){12,18}\d\b").expect("valid regex"));
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b").expect("valid regex"));
static IPV4: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b").expect("valid regex"));
static IPV6: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}\b)?").expect("valid regex")
});
// International or national phone numbers: optional +, 7-15 digits with common separators.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+\d{1,3}[ .\-]?)?(?:\(\d{1,4}\)[ .\-]?)?\d{2,4}[ .\-]\d{2,4}[ .\-]?\d{2,6}\b").expect("valid regex"));

fn luhn_ok(digits: &str) -> bool {
    let ds: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&ds.len()) {
        return false;
    }
    let sum: u32 = ds.iter().rev().enumerate().map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }).sum();
    sum % 10 == 0
}

/// Replaces personal data in `text` with `[email]`, `[card]`, `[iban]`, `[ip]`, `[phone]`.
pub fn redact(text: &str) -> String {
    let step = EMAIL.replace_all(text, "[email]");
    let step = CARD.replace_all(&step, |c: &regex::Captures| if luhn_ok(&c[0]) { "[card]".to_string() } else { c[0].to_string() });
    let step = IBAN.replace_all(&step, "[iban]");
    let step = IPV4.replace_all(&step, "[ip]");
    let step = IPV6.replace_all(&step, |c: &regex::Captures| {
        // Times like 10:30 are not addresses: require at least two colons.
        if c[0].matches(':').count() >= 2 { "[ip]".to_string() } else { c[0].to_string() }
    });
    replace_phones(&step)
}

/// Phone numbers, but not a run cut out of a longer number (an order or card number): the
/// match must not touch another digit, directly or across one separator.
fn replace_phones(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let bytes = text.as_bytes();
    let digit_near = |i: Option<usize>, step_back: bool| -> bool {
        let Some(i) = i else { return false };
        let at = |j: usize| bytes.get(j).copied().unwrap_or(b'x');
        if at(i).is_ascii_digit() {
            return true;
        }
        let next = if step_back { i.checked_sub(1) } else { Some(i + 1) };
        matches!(at(i), b' ' | b'-' | b'.') && next.is_some_and(|j| at(j).is_ascii_digit())
    };
    for m in PHONE.find_iter(text) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        let before = m.start().checked_sub(1);
        let glued = digit_near(before, true) || digit_near(Some(m.end()).filter(|&e| e < bytes.len()), false);
        if (7..=15).contains(&digits) && !glued {
            out.push_str(&text[last..m.start()]);
            out.push_str("[phone]");
            last = m.end();
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_each_kind_of_personal_data() {
        let cases = [
            ("mail me at jane.doe+x@example.co.uk now", "mail me at [email] now"),
            ("card 4111 1111 1111 1111 declined", "card [card] declined"),
            ("card 4111-1111-1111-1111", "card [card]"),
            ("iban DE89 3704 0044 0532 0130 00 please", "iban [iban] please"),
            ("from 192.168.10.200 today", "from [ip] today"),
            ("v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 x", "v6 [ip] x"),
            ("call +1 415-555-0132 asap", "call [phone] asap"),
            ("call (415) 555-0132", "call [phone]"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    #[test]
    fn leaves_ordinary_numbers_alone() {
        for keep in [
            "order 4111 1111 1111 1112 failed",
            "took 30 seconds at 10:30",
            "version 2.4.1 is slow",
            "error 500 on checkout",
            "ticket #123456",
        ] {
            assert_eq!(redact(keep), keep);
        }
    }
}
