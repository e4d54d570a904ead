//! Atlassian Document Format from the pack's Markdown: Jira Cloud's REST v3 takes descriptions
//! as ADF, not Markdown. Covers what `evidence::render::markdown` writes: headings, bullet
//! lists, block quotes, tables, paragraphs, and inline bold, italics, code, links and escapes.

use serde_json::{Value, json};

/// The whole document: `{"type": "doc", "version": 1, "content": [...]}`.
pub fn from_markdown(markdown: &str) -> Value {
    json!({"type": "doc", "version": 1, "content": blocks(&markdown.lines().collect::<Vec<_>>())})
}

/// Block nodes from lines; each block kind consumes the run of lines that belongs to it.
fn blocks(lines: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        let run = |pred: fn(&str) -> bool| lines[i..].iter().take_while(|l| pred(l.trim_end())).count();
        if line.trim().is_empty() {
            i += 1;
        } else if let Some((level, text)) = heading(line) {
            out.push(json!({"type": "heading", "attrs": {"level": level}, "content": inline(text)}));
            i += 1;
        } else if line.starts_with('>') {
            let n = run(|l| l.starts_with('>'));
            let inner: Vec<&str> = lines[i..i + n].iter().map(|l| l.trim_end().trim_start_matches('>').trim_start()).collect();
            out.push(json!({"type": "blockquote", "content": blocks(&inner)}));
            i += n;
        } else if line.starts_with("- ") {
            let n = run(|l| l.starts_with("- "));
            let items: Vec<Value> =
                lines[i..i + n].iter().map(|l| json!({"type": "listItem", "content": [paragraph(&[&l.trim_end()[2..]])]})).collect();
            out.push(json!({"type": "bulletList", "content": items}));
            i += n;
        } else if line.starts_with('|') {
            let n = run(|l| l.starts_with('|'));
            out.push(table(&lines[i..i + n]));
            i += n;
        } else {
            let n = run(|l| !l.trim().is_empty() && heading(l).is_none() && !l.starts_with(['>', '|']) && !l.starts_with("- ")).max(1);
            out.push(paragraph(&lines[i..i + n]));
            i += n;
        }
    }
    out
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    let rest = line[level..].strip_prefix(' ')?;
    (1..=6).contains(&level).then_some((level, rest.trim()))
}

/// One paragraph; its source lines are kept apart with hard breaks.
fn paragraph(lines: &[&str]) -> Value {
    let mut content = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            content.push(json!({"type": "hardBreak"}));
        }
        content.extend(inline(line.trim()));
    }
    if content.is_empty() { json!({"type": "paragraph"}) } else { json!({"type": "paragraph", "content": content}) }
}

/// A Markdown table: the first row is the header, the `|---|` row is dropped.
fn table(lines: &[&str]) -> Value {
    let rows: Vec<Vec<String>> = lines.iter().map(|l| split_row(l.trim())).filter(|cells| !cells.iter().all(|c| is_rule(c))).collect();
    let content: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(r, cells)| {
            let kind = if r == 0 { "tableHeader" } else { "tableCell" };
            let cells: Vec<Value> = cells.iter().map(|c| json!({"type": kind, "content": [paragraph(&[c.as_str()])]})).collect();
            json!({"type": "tableRow", "content": cells})
        })
        .collect();
    json!({"type": "table", "content": content})
}

fn is_rule(cell: &str) -> bool {
    !cell.is_empty() && cell.chars().all(|c| matches!(c, '-' | ':'))
}

/// Cells of `| a | b \| c |`, honouring escaped pipes.
fn split_row(line: &str) -> Vec<String> {
    let inner = line.strip_prefix('|').unwrap_or(line);
    let inner = inner.strip_suffix('|').filter(|s| !s.ends_with('\\')).unwrap_or(inner);
    let (mut cells, mut cell, mut chars) = (Vec::new(), String::new(), inner.chars());
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cell.push('\\');
                cell.extend(chars.next());
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

/// Text nodes with marks. `**bold**`, `*italic*`, `` `code` ``, `[text](url)`, `\x` escapes;
/// `<sub>` tags are dropped.
fn inline(text: &str) -> Vec<Value> {
    let text = text.replace("<sub>", "").replace("</sub>", "");
    let chars: Vec<char> = text.chars().collect();
    let mut out = Spans::default();
    let (mut strong, mut em, mut i) = (false, false, 0);
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() {
            out.push(&chars[i + 1].to_string(), strong, em, None, false);
            i += 2;
        } else if c == '`' {
            let end = chars[i + 1..].iter().position(|&c| c == '`').map(|p| p + i + 1);
            let Some(end) = end else {
                out.push("`", strong, em, None, false);
                i += 1;
                continue;
            };
            out.push(&chars[i + 1..end].iter().collect::<String>(), false, false, None, true);
            i = end + 1;
        } else if c == '*' && chars.get(i + 1) == Some(&'*') {
            strong = !strong;
            i += 2;
        } else if c == '*' {
            em = !em;
            i += 1;
        } else if let Some((label, url, next)) = link(&chars, i) {
            for node in inline(&label) {
                let t = node["text"].as_str().unwrap_or_default().to_string();
                out.push(&t, strong, em, Some(url.clone()), false);
            }
            i = next;
        } else {
            out.push(&c.to_string(), strong, em, None, false);
            i += 1;
        }
    }
    out.nodes
}

/// `[label](url)` starting at `i`: the label, the URL and the index after it.
fn link(chars: &[char], i: usize) -> Option<(String, String, usize)> {
    if chars[i] != '[' {
        return None;
    }
    let close = chars[i..].iter().position(|&c| c == ']')? + i;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = chars[close..].iter().position(|&c| c == ')')? + close;
    let url: String = chars[close + 2..end].iter().collect();
    url.starts_with("http").then(|| (chars[i + 1..close].iter().collect(), url, end + 1))
}

/// Text nodes, merging neighbours with the same marks.
#[derive(Default)]
struct Spans {
    nodes: Vec<Value>,
    last: Option<(bool, bool, Option<String>, bool)>,
}

impl Spans {
    fn push(&mut self, text: &str, strong: bool, em: bool, href: Option<String>, code: bool) {
        if text.is_empty() {
            return;
        }
        let key = (strong, em, href.clone(), code);
        if self.last.as_ref() == Some(&key) {
            let last = self.nodes.last_mut().expect("a node for the last key");
            let joined = format!("{}{text}", last["text"].as_str().unwrap_or_default());
            last["text"] = Value::String(joined);
            return;
        }
        let mut marks = Vec::new();
        if code {
            marks.push(json!({"type": "code"}));
        } else {
            if strong {
                marks.push(json!({"type": "strong"}));
            }
            if em {
                marks.push(json!({"type": "em"}));
            }
        }
        if let Some(href) = href {
            marks.push(json!({"type": "link", "attrs": {"href": href}}));
        }
        let node =
            if marks.is_empty() { json!({"type": "text", "text": text}) } else { json!({"type": "text", "text": text, "marks": marks}) };
        self.nodes.push(node);
        self.last = Some(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_and_inline_marks() {
        let doc = from_markdown("## Evidence: Checkout (`checkout-slow`)\n\n- **38 items** from 5 accounts\n- plain\n");
        assert_eq!(doc["type"], "doc");
        assert_eq!(doc["version"], 1);
        let c = &doc["content"];
        assert_eq!(
            c[0],
            json!({"type": "heading", "attrs": {"level": 2}, "content": [
            {"type": "text", "text": "Evidence: Checkout ("},
            {"type": "text", "text": "checkout-slow", "marks": [{"type": "code"}]},
            {"type": "text", "text": ")"}]})
        );
        assert_eq!(c[1]["type"], "bulletList");
        assert_eq!(
            c[1]["content"][0],
            json!({"type": "listItem", "content": [{"type": "paragraph", "content": [
            {"type": "text", "text": "38 items", "marks": [{"type": "strong"}]},
            {"type": "text", "text": " from 5 accounts"}]}]})
        );
        assert_eq!(c[1]["content"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn quotes_keep_their_lines_links_and_escapes() {
        let doc = from_markdown("> Paying takes 30 \\*seconds\\*\n>\n> — Acme, zendesk #48213 · [original](https://x.zendesk.com/t/1)\n");
        let quote = &doc["content"][0];
        assert_eq!(quote["type"], "blockquote");
        assert_eq!(quote["content"][0], json!({"type": "paragraph", "content": [{"type": "text", "text": "Paying takes 30 *seconds*"}]}));
        let attribution = &quote["content"][1]["content"];
        assert_eq!(attribution[0], json!({"type": "text", "text": "— Acme, zendesk #48213 · "}));
        assert_eq!(
            attribution[1],
            json!({"type": "text", "text": "original", "marks": [{"type": "link", "attrs": {"href": "https://x.zendesk.com/t/1"}}]})
        );
    }

    #[test]
    fn tables_have_a_header_row_and_no_rule_row() {
        let doc = from_markdown("| Week | Items |\n|---|---:|\n| 1 – 7 | 4 |\n| a \\| b | 5 |\n");
        let table = &doc["content"][0];
        assert_eq!(table["type"], "table");
        let rows = table["content"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["content"][0]["type"], "tableHeader");
        assert_eq!(
            rows[1]["content"][1],
            json!({"type": "tableCell", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "4"}]}]})
        );
        assert_eq!(rows[2]["content"][0]["content"][0]["content"][0]["text"], "a | b");
    }

    #[test]
    fn paragraphs_keep_line_breaks_and_empty_cells_are_valid() {
        let doc = from_markdown("Matched by: `x`\nMost frequent: *y*\n\n| A | B |\n|---|---|\n| | z |");
        let p = &doc["content"][0]["content"];
        assert_eq!(p[2], json!({"type": "hardBreak"}));
        assert_eq!(p[4], json!({"type": "text", "text": "y", "marks": [{"type": "em"}]}));
        assert_eq!(doc["content"][1]["content"][1]["content"][0]["content"][0], json!({"type": "paragraph"}));
    }

    #[test]
    fn the_rendered_pack_converts_without_stray_markdown() {
        let md = "## Evidence: T (`t`)\n\n*2026-01-01 → 2026-01-02 (1 days) · generated x*\n\n### What customers say\n\n> hi\n>\n> — unknown account, generic slow-3, ticket, 2026-01-01\n> counted because: `rule:slow`\n";
        let text = from_markdown(md).to_string();
        for stray in ["**", "](", "\"## ", "\"> "] {
            assert!(!text.contains(stray), "{stray} left in {text}");
        }
    }
}
