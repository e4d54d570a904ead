//! Text to terms: lower-cased word tokens plus adjacent-word bigrams. Pure and allocation-light,
//! because it runs for every item at ingest and for every row in training.

/// Splits text into lower-case word tokens. Apostrophes inside words are dropped
/// (`doesn't` → `doesnt`), digits are kept, everything else separates tokens.
pub fn tokenize(text: &str) -> Vec<String> {
    let (mut lower, mut spans) = (String::new(), Vec::new());
    tokenize_into(text, &mut lower, &mut spans);
    spans.iter().map(|&(a, b)| lower[a..b].to_string()).collect()
}

/// `tokenize` without a string per token (the prediction hot path): the tokens, lower-cased and
/// end to end, into `lower`, and where each is in it into `spans`.
pub fn tokenize_into(text: &str, lower: &mut String, spans: &mut Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut start = lower.len();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_alphanumeric() {
            lower.push(char::from(bytes[i].to_ascii_lowercase()));
            i += 1;
            continue;
        }
        let ch = if bytes[i].is_ascii() { char::from(bytes[i]) } else { text[i..].chars().next().expect("i is on a char boundary") };
        i += ch.len_utf8();
        if ch.is_alphanumeric() {
            lower.extend(ch.to_lowercase());
        } else if (ch == '\'' || ch == '’') && lower.len() > start {
            continue;
        } else if lower.len() > start {
            spans.push((start, lower.len()));
            start = lower.len();
        }
    }
    if lower.len() > start {
        spans.push((start, lower.len()));
    }
}

/// Whether `token` opens a negation scope ("no", "not", "never", "doesnt"...). A `match`, which
/// the compiler turns into a switch on length before comparing bytes: this runs for every token
/// of every item.
fn is_negator(token: &str) -> bool {
    matches!(
        token,
        "no" | "not"
            | "never"
            | "without"
            | "dont"
            | "doesnt"
            | "didnt"
            | "isnt"
            | "wasnt"
            | "arent"
            | "havent"
            | "hasnt"
            | "cant"
            | "cannot"
            | "nothing"
            | "none"
            | "zero"
    )
}

/// How many tokens after a negator are marked (1 measured best; BENCHMARKS.md).
const NEGATION_SCOPE: usize = 1;

/// Unigrams and bigrams (`"takes forever"`) of a token list. Unigrams inside a negation scope
/// are prefixed `not_` (`no problems` gives `not_problems`, not `problems`), so praise like
/// "never crashes" does not count for the word it negates; bigrams keep the raw words.
pub fn terms(tokens: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len() * 2);
    let mut scope = 0usize;
    for token in tokens {
        if is_negator(token) {
            out.push(token.clone());
            scope = NEGATION_SCOPE;
        } else if scope > 0 {
            out.push(format!("not_{token}"));
            scope -= 1;
        } else {
            out.push(token.clone());
        }
    }
    for token in tokens {
        char_grams(token, &mut out);
    }
    for pair in tokens.windows(2) {
        let mut bigram = String::with_capacity(pair[0].len() + pair[1].len() + 1);
        bigram.push_str(&pair[0]);
        bigram.push(' ');
        bigram.push_str(&pair[1]);
        out.push(bigram);
    }
    out
}

/// Character 4-grams of a word padded with `<` and `>` (`<cra`, `rash`, `sh>`...), marked
/// with `~` so they never collide with words. They catch inflections and misspellings
/// ("crashs", "crashing", "laggy") that whole words miss.
fn char_grams(token: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = std::iter::once('<').chain(token.chars()).chain(std::iter::once('>')).collect();
    if chars.len() < 6 {
        return;
    }
    for w in chars.windows(4) {
        let mut g = String::with_capacity(9);
        g.push('~');
        g.extend(w);
        out.push(g);
    }
}

/// FNV-1a, fed incrementally so a term's key can be built from its pieces without allocating.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self
    }
}

/// A word's key (also a `not_` word's): FNV-1a of its bytes.
fn word_key(word: &[u8]) -> u64 {
    Fnv::new().bytes(word).0
}

/// A word pair's key, from its two words' keys: the pair's bytes are not hashed again.
fn pair_key(first: u64, second: u64) -> u64 {
    mix(first.rotate_left(29) ^ second, 0xC2B2_AE3D_27D4_EB4F)
}

/// A character 4-gram's key when its four characters are ASCII: the four bytes as one number,
/// mixed (one multiplication instead of hashing five bytes).
fn ascii_gram_key(gram: [u8; 4]) -> u64 {
    mix(u64::from(u32::from_le_bytes(gram)) | 1 << 40, 0x9E37_79B9_7F4A_7C15)
}

/// Multiplies by an odd constant and folds the high half into the low one, so both ends of the
/// key depend on every input bit (a hash table indexes by the low bits).
fn mix(x: u64, k: u64) -> u64 {
    let h = x.wrapping_mul(k);
    h ^ (h >> 32)
}

/// A character 4-gram's key from its characters (`~` not included).
fn gram_key(gram: &[char]) -> u64 {
    if gram.iter().all(char::is_ascii) {
        return ascii_gram_key([0, 1, 2, 3].map(|i| gram[i] as u8));
    }
    let mut buf = [0u8; 4];
    gram.iter().fold(Fnv::new().bytes(b"~"), |h, c| h.bytes(c.encode_utf8(&mut buf).as_bytes())).0
}

/// The key of one term as `terms` writes it (`word`, `not_word`, `first second`, `~gram`), as
/// stored in a model's index: what `for_each_term_key` computes for the same term.
pub fn term_key(term: &str) -> u64 {
    if let Some(gram) = term.strip_prefix('~') {
        let chars: Vec<char> = gram.chars().collect();
        if chars.len() == 4 {
            return gram_key(&chars);
        }
    }
    match term.split_once(' ') {
        Some((first, second)) => pair_key(word_key(first.as_bytes()), word_key(second.as_bytes())),
        None => word_key(term.as_bytes()),
    }
}

/// Calls `f` with the key of every term `terms` would produce for the tokens `tokenize_into`
/// wrote to `lower` and `spans` (the same terms, in another order), without building the
/// strings: the prediction hot path.
pub fn for_each_term_key(lower: &str, spans: &[(usize, usize)], mut f: impl FnMut(u64)) {
    let mut scope = 0usize;
    let mut previous = None;
    let mut chars = Vec::new();
    for &(a, b) in spans {
        let token = &lower.as_bytes()[a..b];
        let key = word_key(token);
        if is_negator(&lower[a..b]) {
            f(key);
            scope = NEGATION_SCOPE;
        } else if scope > 0 {
            f(Fnv::new().bytes(b"not_").bytes(token).0);
            scope -= 1;
        } else {
            f(key);
        }
        if let Some(first) = previous {
            f(pair_key(first, key));
        }
        previous = Some(key);
        if token.is_ascii() {
            // One byte a character: the windows of `<token>` are `<abc`, the token's own
            // 4-byte windows, then `xyz>`.
            if token.len() < 4 {
                continue;
            }
            let n = token.len();
            f(ascii_gram_key([b'<', token[0], token[1], token[2]]));
            for w in token.windows(4) {
                f(ascii_gram_key([w[0], w[1], w[2], w[3]]));
            }
            f(ascii_gram_key([token[n - 3], token[n - 2], token[n - 1], b'>']));
            continue;
        }
        chars.clear();
        chars.push('<');
        chars.extend(lower[a..b].chars());
        chars.push('>');
        if chars.len() < 6 {
            continue;
        }
        for w in chars.windows(4) {
            f(gram_key(w));
        }
    }
}

/// Terms of a text, each counted once per occurrence.
pub fn text_terms(text: &str) -> Vec<String> {
    terms(&tokenize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_words_case_and_apostrophes() {
        assert_eq!(tokenize("App DOESN'T load—takes 30s!"), vec!["app", "doesnt", "load", "takes", "30s"]);
        assert_eq!(tokenize("  "), Vec::<String>::new());
        assert_eq!(tokenize("Ça plante"), vec!["ça", "plante"]);
    }

    #[test]
    fn terms_include_bigrams() {
        let t = text_terms("takes forever to load");
        assert!(t.contains(&"takes forever".to_string()));
        assert!(t.contains(&"load".to_string()));
        assert_eq!(t.iter().filter(|t| !t.starts_with('~')).count(), 4 + 3);
        assert!(t.contains(&"~orev".to_string()));
    }

    #[test]
    fn term_keys_are_exactly_the_string_terms_keys() {
        for text in [
            "No lag at all, but it doesn't sync",
            "Ça plante — l'app ne démarre pas!",
            "x",
            "",
            "takes forever to load the checkout page 30s",
            "not never nothing zero none, cannot dont: abcd abc ab",
            "naïve café straße 東京 ok",
        ] {
            let (mut lower, mut spans) = (String::new(), Vec::new());
            tokenize_into(text, &mut lower, &mut spans);
            let mut keys = Vec::new();
            for_each_term_key(&lower, &spans, |k| keys.push(k));
            let mut from_strings: Vec<u64> = terms(&tokenize(text)).iter().map(|t| term_key(t)).collect();
            keys.sort_unstable();
            from_strings.sort_unstable();
            assert_eq!(keys, from_strings, "{text}");
        }
        // Different terms, different keys: words, pairs, negated words and grams never meet.
        let mut all: Vec<u64> =
            ["ab", "a b", "b a", "not_ab", "~abcd", "~<abc", "abcd", "~café", "~afé>"].iter().map(|t| term_key(t)).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 9);
    }

    #[test]
    fn negation_marks_the_next_word() {
        let t = text_terms("no problems at all today");
        assert!(t.contains(&"not_problems".to_string()));
        assert!(!t.contains(&"problems".to_string()));
        assert!(t.contains(&"at".to_string()) && t.contains(&"today".to_string()));
        assert!(t.contains(&"no problems".to_string()));
    }
}
