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
    let mut start = lower.len();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            lower.push(ch.to_ascii_lowercase());
        } else if ch.is_alphanumeric() {
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

/// Words that open a negation scope.
const NEGATORS: &[&str] = &[
    "no", "not", "never", "without", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "havent", "hasnt", "cant", "cannot", "nothing",
    "none", "zero",
];

/// How many tokens after a negator are marked (1 measured best; BENCHMARKS.md).
const NEGATION_SCOPE: usize = 1;

/// Unigrams and bigrams (`"takes forever"`) of a token list. Unigrams inside a negation scope
/// are prefixed `not_` (`no problems` gives `not_problems`, not `problems`), so praise like
/// "never crashes" does not count for the word it negates; bigrams keep the raw words.
pub fn terms(tokens: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(tokens.len() * 2);
    let mut scope = 0usize;
    for token in tokens {
        if NEGATORS.contains(&token.as_str()) {
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

/// FNV-1a, fed incrementally so a term's hash can be built from its pieces without allocating.
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
    fn char(self, c: char) -> Self {
        let mut buf = [0u8; 4];
        self.bytes(c.encode_utf8(&mut buf).as_bytes())
    }
}

/// The hash of one term string, as stored in a model's index.
pub fn term_hash(term: &str) -> u64 {
    Fnv::new().bytes(term.as_bytes()).0
}

/// Calls `f` with the hash of every term `terms(tokens)` would produce, in the same order,
/// without building the strings: the prediction hot path.
pub fn for_each_term_hash<S: AsRef<str>>(tokens: &[S], mut f: impl FnMut(u64)) {
    let mut scope = 0usize;
    for token in tokens.iter().map(AsRef::as_ref) {
        if NEGATORS.contains(&token) {
            f(term_hash(token));
            scope = NEGATION_SCOPE;
        } else if scope > 0 {
            f(Fnv::new().bytes(b"not_").bytes(token.as_bytes()).0);
            scope -= 1;
        } else {
            f(term_hash(token));
        }
    }
    let gram = Fnv::new().bytes(b"~");
    let mut chars: Vec<char> = Vec::with_capacity(32);
    let mut ascii: Vec<u8> = Vec::with_capacity(32);
    for token in tokens.iter().map(AsRef::as_ref) {
        if token.is_ascii() {
            // One byte a character: the same hashes as below, without decoding.
            if token.len() < 4 {
                continue;
            }
            ascii.clear();
            ascii.push(b'<');
            ascii.extend_from_slice(token.as_bytes());
            ascii.push(b'>');
            for w in ascii.windows(4) {
                f(gram.bytes(w).0);
            }
            continue;
        }
        chars.clear();
        chars.push('<');
        chars.extend(token.chars());
        chars.push('>');
        if chars.len() < 6 {
            continue;
        }
        for w in chars.windows(4) {
            f(w.iter().fold(gram, |h, &c| h.char(c)).0);
        }
    }
    for pair in tokens.windows(2) {
        f(Fnv::new().bytes(pair[0].as_ref().as_bytes()).bytes(b" ").bytes(pair[1].as_ref().as_bytes()).0);
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
    fn hashed_terms_are_exactly_the_string_terms() {
        for text in [
            "No lag at all, but it doesn't sync",
            "Ça plante — l'app ne démarre pas!",
            "x",
            "",
            "takes forever to load the checkout page 30s",
        ] {
            let tokens = tokenize(text);
            let mut hashed = Vec::new();
            for_each_term_hash(&tokens, |h| hashed.push(h));
            let from_strings: Vec<u64> = terms(&tokens).iter().map(|t| term_hash(t)).collect();
            assert_eq!(hashed, from_strings, "{text}");
        }
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
