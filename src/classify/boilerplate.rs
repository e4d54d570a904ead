//! Support boilerplate out of a text before it becomes features, a reason or a quote:
//! greetings and sign-offs, stock sentences ("This is urgent for us.", "Thanks in advance!"),
//! quoted earlier replies ("On Tue, 3 Dec 2026, Jane <jane@x.com> wrote:" and `>` lines),
//! email signatures and footers, and ticket-form headers ("Email: ...", "Browser: ...").
//! In training, classification and quotes alike, so the model never learns that "hi" or a
//! ticket form's field names go with a tag. Pure, and cheap enough for every item at ingest.

use std::borrow::Cow;

/// The text without its boilerplate: what the customer actually wrote. Lines are kept in
/// order (joined by `\n`); an unchanged text comes back borrowed.
pub fn strip(text: &str) -> Cow<'_, str> {
    let lines = content_lines(text);
    let mut out = String::with_capacity(text.len());
    let mut norm = String::new();
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        // A greeting opens the body, which may follow a subject line.
        let line = without_greeting(without_greeting(line));
        let start = out.len();
        for sentence in sentences(line) {
            let sentence = without_stock_ending(sentence.trim());
            if !is_stock_sentence(sentence, n == last, &mut norm) {
                if out.len() > start {
                    out.push(' ');
                }
                out.push_str(sentence);
            }
        }
        if out.len() > start {
            out.push('\n');
        }
    }
    while out.ends_with('\n') {
        out.pop();
    }
    if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
}

/// The lines a person wrote: up to a quoted earlier reply, a signature or a footer; without
/// `>` quotes, ticket-form fields or blank lines. A form's text fields keep their value.
fn content_lines(text: &str) -> Vec<&str> {
    let all: Vec<&str> = text.lines().map(str::trim).collect();
    let mut kept: Vec<&str> = Vec::with_capacity(all.len());
    for (i, &line) in all.iter().enumerate() {
        let next = all[i + 1..].iter().copied().find(|l| !l.is_empty()).unwrap_or("");
        if starts_reply(line, next) || starts_signature(line) {
            break;
        }
        if is_sign_off(line) {
            if kept.is_empty() {
                continue;
            }
            break;
        }
        if line.is_empty() || line.starts_with('>') || is_marker(line) {
            continue;
        }
        match form_field(line) {
            Some(FormField::Header) => {}
            Some(FormField::Text(value)) if !value.is_empty() => kept.push(value),
            Some(FormField::Text(_)) => {}
            None => kept.push(line),
        }
    }
    kept
}

/// Whether `a` starts with `prefix`, ASCII case ignored.
fn starts_ci(a: &str, prefix: &str) -> bool {
    a.len() >= prefix.len() && a.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn ends_ci(a: &str, suffix: &str) -> bool {
    a.len() >= suffix.len() && a.as_bytes()[a.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

/// The first line of a quoted earlier message: "On <date>, <name> wrote:" (on one line or
/// two), Outlook's "-----Original Message-----" or "From: / Sent:" block, a forwarded message,
/// or a line of underscores.
fn starts_reply(line: &str, next: &str) -> bool {
    let header = |l: &str| ["sent:", "date:", "to:", "subject:"].iter().any(|p| starts_ci(l, p));
    (starts_ci(line, "on ") && (ends_ci(line, "wrote:") || (line.len() < 200 && next.eq_ignore_ascii_case("wrote:"))))
        || (starts_ci(line, "le ") && ends_ci(line, "a écrit :"))
        || (line.starts_with("---") && (contains_ci(line, "original message") || contains_ci(line, "forwarded")))
        || (starts_ci(line, "from:") && header(next))
        || (line.len() >= 10 && line.bytes().all(|b| b == b'_'))
}

/// The first line of a signature or footer: `--`, "Sent from my iPhone", "Get Outlook for
/// iOS", a confidentiality notice.
fn starts_signature(line: &str) -> bool {
    if line == "--" || line == "—" || line == "-- " {
        return true;
    }
    if ["sent from my ", "sent from mail for", "get outlook for", "disclaimer:", "this email and any", "this e-mail and any"]
        .iter()
        .any(|p| starts_ci(line, p))
    {
        return true;
    }
    contains_ci(line, "confidential") && ["email", "e-mail", "message", "notice"].iter().any(|w| contains_ci(line, w))
}

/// Whether `word` is one of the `|`-separated entries of `list`.
fn one_of(list: &str, word: &str) -> bool {
    list.split('|').any(|w| w == word)
}

/// Whether `hay` contains `needle` (lower-case ASCII), case ignored, without allocating.
fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Lines a help desk adds around a message: Zendesk's "##- Please type your reply above
/// this line -##", "[cid:image001.png]" image stubs.
fn is_marker(line: &str) -> bool {
    (line.starts_with("##-") && line.ends_with("-##")) || (line.starts_with("[cid:") && line.ends_with(']'))
}

/// Lines that are only a sign-off, normalised.
const SIGN_OFFS: &str = "thanks|thank you|thanks again|many thanks|thanks in advance|thank you in advance|thanks so much|thanks a lot|thx|best|\
    best regards|regards|kind regards|warm regards|warmest regards|cheers|sincerely|yours sincerely|yours truly|all the best|\
    best wishes|br";

/// A line that is only a sign-off ("Thanks,", "Best regards", "Cheers!"): the name, title and
/// company follow it.
fn is_sign_off(line: &str) -> bool {
    if line.is_empty() || line.len() > 40 {
        return false;
    }
    let mut norm = String::new();
    normalise(line, &mut norm);
    one_of(SIGN_OFFS, &norm)
}

enum FormField<'a> {
    /// A field that says who or where, not what happened: dropped.
    Header,
    /// A field that holds the message ("Description: ..."): its value.
    Text(&'a str),
}

/// Form fields that say who or where, not what happened.
const HEADERS: &str = "name|full name|first name|last name|your name|email|e-mail|email address|your email|phone|phone number|company|\
    company name|organization|organisation|account|account id|account name|customer id|user id|plan|subscription|priority|\
    urgency|severity|browser|browser version|os|operating system|device|app version|version|platform|submitted via|\
    submitted from|submitted by|ticket id|ticket number|ticket|requester|category|type|product|product area|url|page url|\
    website|ip|ip address|user agent|form|channel|status|tags|language|country|region|timezone|time zone|cc|reply to|reply-to|\
    attachments|attachment|order id|order number";
/// Form fields that hold the message.
const TEXT: &str = "subject|description|message|details|issue|comments|comment|problem|question|body|describe the issue|describe your issue|\
    what happened|how can we help|summary";

/// A ticket form's `Field: value` line, by the field's name.
fn form_field(line: &str) -> Option<FormField<'_>> {
    let colon = line.find(':')?;
    if colon > 32 {
        return None;
    }
    let key = line[..colon].trim().to_ascii_lowercase();
    let value = line[colon + 1..].trim();
    if one_of(HEADERS, &key) {
        Some(FormField::Header)
    } else if one_of(TEXT, &key) {
        Some(FormField::Text(value))
    } else {
        None
    }
}

/// `line` without an opening greeting ("Hi team,", "Hello!", "Good morning Acme support -").
/// On any line: a body's greeting follows its subject line.
fn without_greeting(line: &str) -> &str {
    let first = line.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let greeting = ["hi", "hello", "hey", "dear", "greetings", "hiya", "howdy"].iter().any(|g| first.eq_ignore_ascii_case(g))
        || ["good morning", "good afternoon", "good evening"].iter().any(|g| starts_ci(line, g));
    if !greeting {
        return line;
    }
    // The greeting ends at the first separator, within its first five words ("Hello Acme
    // support team,"); without one, only a line that is nothing but a greeting goes.
    let at = [line.find([',', '!', ':', '—', '.', '\n']), line.find(" - ")].into_iter().flatten().min();
    match at {
        Some(at) if line[..at].split_whitespace().count() <= 5 => line[at..].trim_start_matches([',', '!', ':', '—', '.', ' ', '-']),
        _ if line.split_whitespace().count() <= 2 => "",
        _ => line,
    }
}

/// Sentences of a line: split after `.`, `!` or `?` followed by a space (so "v2.3" and
/// "1.5 s" stay whole).
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let end = matches!(bytes[i], b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|b| *b == b' ');
            i += 1;
            if end {
                while i < bytes.len() && matches!(bytes[i], b'.' | b'!' | b'?') {
                    i += 1;
                }
                let s = &line[start..i];
                start = i;
                return Some(s);
            }
        }
        (start < bytes.len()).then(|| {
            let s = &line[start..];
            start = bytes.len();
            s
        })
    })
    .filter(|s| !s.trim().is_empty())
}

/// Stock phrases that end a sentence they were tacked onto ("help please This is urgent for us.").
const STOCK_ENDINGS: [&str; 5] = ["this is urgent for us", "thanks in advance", "any update would help", "please advise", "help please"];

/// `sentence` without a stock phrase at its end (and its punctuation); whole when nothing else is left.
fn without_stock_ending(sentence: &str) -> &str {
    let body = sentence.trim_end_matches(['.', '!', '?', ' ']);
    for ending in STOCK_ENDINGS {
        if body.len() > ending.len() && ends_ci(body, ending) && body.is_char_boundary(body.len() - ending.len()) {
            let rest = body[..body.len() - ending.len()].trim_end();
            if rest.ends_with(|c: char| c.is_alphanumeric() || matches!(c, '.' | '!' | '?' | ',' | ')')) {
                return without_stock_ending(rest.trim_end_matches(','));
            }
        }
    }
    sentence
}

/// Lower-case words of `text` joined by single spaces into `out` (apostrophes dropped, as the
/// tokenizer does).
fn normalise(text: &str, out: &mut String) {
    out.clear();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| *c != '\'' && *c != '’').flat_map(char::to_lowercase));
    }
}

/// A sentence that says nothing about the product: thanks, urgency, "please advise", a
/// greeting on its own; and, at the end of the text, a sign-off with a name ("Thanks, Jane").
fn is_stock_sentence(sentence: &str, last_line: bool, norm: &mut String) -> bool {
    if sentence.len() > 64 {
        return false;
    }
    normalise(sentence, norm);
    if norm.is_empty() {
        return true;
    }
    if one_of(STOCK, norm) {
        return true;
    }
    let words = norm.split(' ').count();
    let sign_off = ["thanks", "thank you", "regards", "best regards", "kind regards", "cheers", "many thanks"];
    last_line && words <= 4 && sign_off.iter().any(|s| norm.starts_with(s) && norm[s.len()..].starts_with(' '))
}

/// Whole sentences (normalised) that are support boilerplate.
const STOCK: &str = "hi|hello|hey|hi team|hello team|hey team|hi there|hello there|hey there|hi all|hello all|hi support|hello support|\
    dear support|dear support team|good morning|good afternoon|good evening|thanks|thank you|thanks a lot|thanks so much|\
    thank you so much|many thanks|thanks again|thanks in advance|thank you in advance|thx|ty|cheers|please advise|please help|help please|\
    please help us|this is urgent|this is urgent for us|this is very urgent|this is very urgent for us|urgent|\
    this is quite urgent|any update would help|any update would be appreciated|any updates|any update|\
    any help would be appreciated|any help is appreciated|help would be appreciated|hope you are well|hope youre well|\
    i hope youre well|i hope you are well|hope this finds you well|i hope this email finds you well|\
    looking forward to your reply|looking forward to hearing from you|let me know if you need anything else|\
    let me know if you need more information|let me know if you need more info|please let me know|best|best regards|regards|\
    kind regards|warm regards|sincerely|have a nice day|have a great day|thanks for your help|thank you for your help|\
    thanks for the help|appreciate your help|appreciate it|much appreciated|thanks for looking into this|\
    thank you for looking into this|please look into this|please get back to me|please get back to us asap|\
    please get back to me asap|asap";

#[cfg(test)]
mod tests;
