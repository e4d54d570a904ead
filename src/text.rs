//! Plain-text helpers shared by the parsers: HTML to text, whitespace, truncation.

/// Turns an HTML fragment into readable plain text: tags dropped, block tags become line
/// breaks, entities decoded, runs of blank space folded. Text that is not HTML (`a < b`,
/// `<3`) passes through unchanged, because only `<` followed by a letter, `/` or `!` opens a tag.
pub fn html_to_text(input: &str) -> String {
    if !input.contains('<') && !input.contains('&') {
        return fold_whitespace(input);
    }
    let mut out = String::with_capacity(input.len());
    let bytes = input.as_bytes();
    let mut i = 0;
    let mut skip_until: Option<&'static str> = None;
    while i < input.len() {
        if let Some(end) = skip_until {
            match find_ci(&input[i..], end) {
                Some(pos) => {
                    i += pos + end.len();
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        let c = bytes[i];
        if c == b'<' && i + 1 < input.len() && is_tag_start(bytes[i + 1]) {
            let Some(close) = input[i..].find('>') else {
                out.push_str(&input[i..]);
                break;
            };
            let tag = &input[i + 1..i + close];
            let name: String =
                tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
            if !tag.starts_with('/') && (name == "script" || name == "style") {
                skip_until = if name == "script" { Some("</script>") } else { Some("</style>") };
            } else if tag.starts_with("!--") {
                if let Some(pos) = input[i..].find("-->") {
                    i += pos + 3;
                    continue;
                }
            } else if matches!(
                name.as_str(),
                "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre"
            ) && !out.ends_with('\n')
            {
                out.push('\n');
            }
            i += close + 1;
        } else if c == b'&' {
            let (decoded, used) = decode_entity(&input[i..]);
            out.push_str(&decoded);
            i += used;
        } else {
            let ch = input[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    fold_whitespace(&out)
}

fn is_tag_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'/' || b == b'!'
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle)
}

fn decode_entity(s: &str) -> (String, usize) {
    // Look for ';' in the first 12 bytes, not `s[..12]`: byte 12 may fall inside a multi-byte
    // character (a panic found by the csv_rows and webhook_freshdesk fuzz targets).
    let Some(end) = s.bytes().take(12).position(|b| b == b';') else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some(' '),
        _ if name.starts_with("#x") || name.starts_with("#X") => u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32),
        _ if name.starts_with('#') => name[1..].parse::<u32>().ok().and_then(char::from_u32),
        _ => None,
    };
    match decoded {
        Some(ch) => (ch.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

/// Folds runs of spaces and tabs to one space, keeps at most one blank line, trims ends.
pub fn fold_whitespace(s: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut blank = false;
    for line in s.lines() {
        let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() {
            if !blank && !lines.is_empty() {
                lines.push(String::new());
            }
            blank = true;
        } else {
            lines.push(folded);
            blank = false;
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines.join("\n")
}

/// Cuts text to at most `max` characters on a word boundary, adding `…` when cut.
pub fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let trimmed = match cut.rfind(char::is_whitespace) {
        Some(pos) if pos > max / 2 => &cut[..pos],
        _ => cut.as_str(),
    };
    format!("{}…", trimmed.trim_end())
}

/// `5439` -> `5,439`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count with its noun in English: "1 item", "2 items", "1 cancellation note", "2,062 items".
/// `noun` is the singular; nouns ending in s, x, ch or sh take "es", a consonant + y takes "ies".
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    let plural = if noun.ends_with(['s', 'x']) || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else if noun.ends_with('y') && !["ay", "ey", "iy", "oy", "uy"].iter().any(|v| noun.ends_with(v)) {
        format!("{}ies", &noun[..noun.len() - 1])
    } else {
        format!("{noun}s")
    };
    format!("{} {plural}", thousands(n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_as_english() {
        assert_eq!(plural(1, "item"), "1 item");
        assert_eq!(plural(0, "item"), "0 items");
        assert_eq!(plural(2, "cancellation note"), "2 cancellation notes");
        assert_eq!(plural(3, "account"), "3 accounts");
        assert_eq!(plural(2, "match"), "2 matches");
        assert_eq!(plural(2, "reply"), "2 replies");
        assert_eq!(plural(2, "day"), "2 days");
        assert_eq!(plural(2062, "item"), "2,062 items");
    }

    use super::*;

    #[test]
    fn an_ampersand_before_multibyte_text_is_not_a_panic() {
        // Byte 12 after the '&' falls inside 'Ô' (found by fuzzing the CSV import and Freshdesk).
        assert_eq!(html_to_text("<b>x</b> &Checkout dÔreate"), "x &Checkout dÔreate");
        assert_eq!(html_to_text("&ééééééé;"), "&ééééééé;");
        assert_eq!(html_to_text("&amp;é"), "&é");
    }

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            html_to_text("<p>Checkout is <b>slow</b> &amp; times out</p><p>Order&nbsp;#12</p>"),
            "Checkout is slow & times out\nOrder #12"
        );
    }

    #[test]
    fn leaves_plain_text_with_angle_brackets_alone() {
        assert_eq!(html_to_text("load time < 2s is fine <3"), "load time < 2s is fine <3");
    }

    #[test]
    fn drops_scripts_styles_and_comments() {
        assert_eq!(html_to_text("a<script>alert(1)</script>b<style>p{}</style>c<!-- x -->d"), "abcd");
    }

    #[test]
    fn numeric_entities_decode() {
        assert_eq!(html_to_text("caf&#233; &#x2014; ok"), "café — ok");
    }

    #[test]
    fn truncation_respects_word_boundaries() {
        let t = truncate_chars("the checkout page takes forever to load", 20);
        assert!(t.chars().count() <= 20, "{t}");
        assert!(t.ends_with('…'));
        assert_eq!(truncate_chars("short", 20), "short");
    }
}
