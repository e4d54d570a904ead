//! Reasons that read as evidence: over a generated 20,000-item history (greetings, sign-offs
//! and "This is urgent for us." included, as `synth` writes tickets), no explanation, pack or
//! digest shows a function word or a greeting as the reason an item counts, and every term
//! shown as an item's reason is one of the terms of its cleaned text.

use crate::helpers::spawn_app;
use chrono::{Duration, Utc};
use pushback::classify::boilerplate::strip;
use pushback::classify::features::text_terms;
use pushback::classify::reasons::is_function_word;
use pushback::evidence::render::{Format, render};
use pushback::evidence::{self, Request};
use pushback::synth::{GenParams, accounts, items};

/// Words the issue found shown as reasons: never one again, alone or as a phrase of them only.
const NAMED: &[&str] = &["hey", "hi", "hello", "says", "since", "before", "about", "thanks", "team", "urgent", "the", "is"];

/// Every `term:X` in `text` (JSON, Markdown or Slack blocks), X up to the closing quote or backtick.
fn shown_terms(text: &str) -> Vec<String> {
    text.match_indices("term:")
        .map(|(at, _)| text[at + 5..].chars().take_while(|c| !matches!(c, '"' | '`' | '\\' | ',' | ')')).collect::<String>())
        .collect()
}

/// The term as its words, a negated word by the word it negates.
fn words(term: &str) -> Vec<&str> {
    term.split(' ').map(|w| w.strip_prefix("not_").unwrap_or(w)).collect()
}

fn assert_evidence(term: &str, context: &str) {
    let ws = words(term);
    assert!(!ws.iter().all(|w| is_function_word(w)), "`term:{term}` is only function words or greetings, in {context}");
    assert!(!ws.iter().all(|w| NAMED.contains(w)), "`term:{term}` is a greeting or function word, in {context}");
    assert!(!term.trim().is_empty() && !term.starts_with('~'), "`term:{term}` is no word, in {context}");
}

#[tokio::test]
async fn no_pack_digest_or_explanation_of_a_20000_item_history_gives_a_function_word_or_greeting_as_a_reason() {
    let app = spawn_app().await;
    let now = Utc::now();
    let params = GenParams { count: 20_000, seed: 24, end: now - Duration::hours(1), days: 56, accounts: Some(300) };
    let generated = items(&params, &pushback::classify::seed::corpus_rows(), &accounts(&params));
    let classifier = pushback::app::offline_classifier(&app.settings).unwrap();
    let prepared = pushback::ingest::prepare(generated, &classifier, false);

    let (mut tagged, mut with_terms, mut greeted) = (0, 0, 0);
    for stored in &prepared {
        let (subject, body) = (&stored.item.subject, &stored.item.body);
        let text = if subject.is_empty() { body.clone() } else { format!("{subject}\n{body}") };
        let cleaned_terms = text_terms(&strip(&text));
        greeted += usize::from(body.starts_with("Hi ") || body.starts_with("Hey") || body.starts_with("Hello"));
        let c = &stored.classification;
        tagged += usize::from(c.performance || c.reliability);
        for term in c.explanation.iter().filter_map(|e| e.strip_prefix("term:")) {
            with_terms += 1;
            assert_evidence(term, &format!("the explanation of {text:?}"));
            assert!(cleaned_terms.iter().any(|t| t == term), "`term:{term}` is not in the cleaned text of {text:?}");
        }
    }
    assert!(
        tagged > 5_000 && with_terms > 5_000 && greeted > 1_000,
        "a history worth checking: {tagged} tagged, {with_terms} terms, {greeted} greeted"
    );
    for chunk in prepared.chunks(2000) {
        app.store.write_batch(chunk, now).await.unwrap();
    }

    let (mut packs, mut shown) = (0, 0);
    let none = pushback::prometheus::Source::default();
    for topic in &classifier.rules.topics {
        let request = Request { quotes: 8, ..Request::last_days(&topic.slug, 56, now) };
        let answer = evidence::answer(&app.store, &classifier, &none, &request, now).await.unwrap();
        for format in [Format::Json, Format::Md] {
            let text = String::from_utf8(render(&answer, format).unwrap()).unwrap();
            for term in shown_terms(&text) {
                shown += 1;
                assert_evidence(&term, &format!("the {format:?} pack of {}", topic.slug));
            }
        }
        packs += 1;
    }
    assert!(packs >= 5 && shown > 50, "{packs} packs showed {shown} terms");

    let (state, _writer) = pushback::app::AppState::new(app.store.clone(), classifier.clone(), app.settings.clone());
    let schedule = pushback::domain::DigestSchedule::parse("monday", "00:00", "UTC").unwrap();
    for week in [schedule.week_of(now), schedule.week_of(now - Duration::days(7))] {
        let digest = pushback::slack::digest::compose_week(&state, week, Some("C0DIGEST")).await.unwrap();
        let text = serde_json::to_string(&digest.messages).unwrap() + &serde_json::to_string(&digest.sections).unwrap();
        for term in shown_terms(&text) {
            assert_evidence(&term, &format!("the digest of {week}"));
        }
        assert!(text.contains("Weekly feedback digest"), "{text}");
        // The footer words the precision per set, lowest first, never one pooled figure.
        assert!(text.contains("How far these tags can be trusted: performance tags were right "), "{text}");
        assert!(text.contains("of the time on two sets of real reviews the model had not seen ("), "{text}");
    }
}
