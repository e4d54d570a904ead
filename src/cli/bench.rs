//! `pushback bench classify`: the classifier's speed on typical items, one core.

use crate::classify::seed;
use crate::classify::train::{Example, TrainParams, train};
use crate::config::Settings;
use crate::synth::{GenParams, accounts, items};
use crate::text::plural;
use std::time::Instant;

/// Typical support items (120-400 characters) from the synthetic generator, and labelled
/// examples for training, both deterministic: the history ends on a fixed day, so every run
/// classifies the same texts.
fn workload(n: usize) -> (Vec<String>, Vec<Example>) {
    let end = chrono::DateTime::from_timestamp(1_796_558_400, 0).expect("a valid time"); // 2026-12-06 12:00 UTC
    let params = GenParams { count: n * 2, seed: 11, end, days: 365, accounts: Some(50) };
    let rows = seed::corpus_rows();
    let generated = items(&params, &rows, &accounts(&params));
    let texts: Vec<String> = generated
        .iter()
        .map(|i| format!("{}\n{}", i.subject, i.body))
        .filter(|t| (120..=400).contains(&t.chars().count()))
        .take(n)
        .collect();
    // 8,000 labelled examples: the corpus, then the corpus again behind ticket greetings.
    let mut examples = seed::corpus();
    let base = examples.clone();
    let openers = ["Hi team, ", "Hello, ", "Hey, ", "Quick note: ", "FYI "];
    let mut i = 0;
    while examples.len() < 8000 {
        let e = &base[i % base.len()];
        examples.push(Example { text: format!("{}{}", openers[(i / base.len()) % openers.len()], e.text), ..e.clone() });
        i += 1;
    }
    (texts, examples)
}

/// Passes over the typical items in the batch measurement.
const BATCH_PASSES: usize = 5;

pub fn classify(settings: &Settings, n: usize) -> anyhow::Result<()> {
    let classifier = super::offline_classifier(settings)?;
    let (texts, examples) = workload(n);
    anyhow::ensure!(!texts.is_empty(), "no typical items generated");
    let mean_len = texts.iter().map(|t| t.chars().count()).sum::<usize>() as f64 / texts.len() as f64;
    println!(
        "classifier {} on {} (mean {:.0} chars), one thread",
        classifier.version(),
        plural(texts.len() as u64, "typical item"),
        mean_len
    );

    // Warm up, then the batch: every item classified back to back, five times; the median
    // pass is the figure (a shared machine slows some passes down), the range is shown.
    let mut tagged = 0usize;
    for t in texts.iter().take(1000) {
        tagged += usize::from(classifier.classify_text(t).performance);
    }
    let mut passes: Vec<f64> = (0..BATCH_PASSES)
        .map(|_| {
            let started = Instant::now();
            for t in &texts {
                tagged += usize::from(classifier.classify_text(t).reliability);
            }
            texts.len() as f64 / started.elapsed().as_secs_f64()
        })
        .collect();
    passes.sort_by(f64::total_cmp);
    let median = passes[passes.len() / 2];
    println!(
        "batch:       {median:>10.0} items/s ({:.2} µs/item; median of {BATCH_PASSES} passes, {:.0}-{:.0})",
        1e6 / median,
        passes[0],
        passes[passes.len() - 1]
    );

    // One at a time: each item timed on its own.
    let mut lat: Vec<f64> = texts
        .iter()
        .take(20_000)
        .map(|t| {
            let s = Instant::now();
            let c = classifier.classify_text(t);
            std::hint::black_box(&c);
            s.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize];
    println!("single item: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs", pct(0.5), pct(0.99), lat[lat.len() - 1]);

    let started = Instant::now();
    let model = train(&examples[..8000], &TrainParams::default())?;
    println!("training:    {:.2} s on {} examples ({} features)", started.elapsed().as_secs_f64(), 8000, model.vocabulary.len());
    // The shipped recipe: the model itself plus one model per left-out public set.
    let started = Instant::now();
    let shipped = crate::classify::recipe::shipped_model(&TrainParams::default())?;
    println!("shipped recipe: {:.2} s ({}, with its leave-one-set-out figures)", started.elapsed().as_secs_f64(), shipped.version);
    std::hint::black_box(tagged);
    Ok(())
}

/// `pushback bench evidence`: build the pack for a topic `runs` times against the configured
/// database (queries, pack, Slack and Markdown renders) and report latency percentiles.
pub async fn evidence(settings: &Settings, topic: &str, days: i64, runs: usize) -> anyhow::Result<()> {
    use crate::evidence::render::{self, Format};
    anyhow::ensure!(runs > 0, "--runs must be positive");
    let store = super::open_store(settings).await?;
    let classifier = super::load_classifier(settings, &store).await?;
    let total = store.count_items().await?;
    let now = chrono::Utc::now();
    let request = crate::evidence::Request::last_days(topic, days, now);
    let prometheus = crate::prometheus::Source::new(&settings.prometheus)?;
    // The answer as `/evidence` gives it (from the rollups for a topic) and, in turn with it, the
    // pack built from every item (what the CSV reads; every pack before issue 22's last part).
    let (mut lat, mut lat_items) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let mut items = 0;
    for run in 0..=runs {
        for with_rows in [false, true] {
            let started = Instant::now();
            let answer = match with_rows {
                false => crate::evidence::answer(&store, &classifier, &prometheus, &request, now).await?,
                true => crate::evidence::answer_with_rows(&store, &classifier, &prometheus, &request, now).await?,
            };
            let slack = crate::slack::evidence::message(&answer, false);
            let md = render::render(&answer, Format::Md)?;
            let elapsed = started.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box((slack, md));
            if let crate::evidence::Answer::Pack(p) = &answer {
                items = p.items;
            }
            if run > 0 {
                // run 0 warms the caches
                if with_rows { lat_items.push(elapsed) } else { lat.push(elapsed) }
            }
        }
    }
    stages(&store, &classifier, topic, request.window, now).await?;
    let head = format!(
        "evidence `{topic}` over {} on {} ({} stored, {items} in the pack), {}",
        plural(days.unsigned_abs(), "day"),
        store.backend(),
        plural(total as u64, "item"),
        plural(runs as u64, "run")
    );
    println!("{head}: {}", percentiles(&mut lat));
    println!("  the same pack from every item (the CSV's path), in turn with it: {}", percentiles(&mut lat_items));
    Ok(())
}

/// "p50 …, p90 …, p99 …, max …" of latencies in milliseconds.
fn percentiles(lat: &mut [f64]) -> String {
    lat.sort_by(f64::total_cmp);
    let pct = |q: f64| lat[((lat.len() as f64 * q).ceil() as usize).clamp(1, lat.len()) - 1];
    format!("p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms", pct(0.5), pct(0.9), pct(0.99), lat[lat.len() - 1])
}

/// Where the time goes, once: each query alone, then the pure build and the renders.
async fn stages(
    store: &crate::store::Store,
    classifier: &crate::classify::Classifier,
    topic: &str,
    w: crate::evidence::Window,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    use crate::evidence::render::{self, Format};
    let Some(selector) = crate::evidence::selector::resolve(topic, &classifier.rules) else { return Ok(()) };
    let t = Instant::now();
    let rows = store.evidence_items(&selector, w).await?;
    let t_items = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    store.evidence_count(&selector, w.previous()).await?;
    let t_prev = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    store.count_between(w.from, w.to).await?;
    store.count_between(w.previous().from, w.previous().to).await?;
    let t_totals = t.elapsed().as_secs_f64() * 1000.0;
    // The other way for each: the previous count from the items, the totals' three counts
    // (all, performance, reliability) recounted from the items.
    let t = Instant::now();
    store.evidence_count_scan(&selector, w.previous()).await?;
    let t_prev_scan = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    store.category_counts_of_items(w.from, w.to).await?;
    store.category_counts_of_items(w.previous().from, w.previous().to).await?;
    let t_totals_items = t.elapsed().as_secs_f64() * 1000.0;
    let n = rows.len();
    let t = Instant::now();
    let pack = crate::evidence::pack::build(bare_input(selector.clone(), w, rows, now));
    let t_build = t.elapsed().as_secs_f64() * 1000.0;
    let rollups = match &selector {
        crate::domain::Selector::Defined { slug, .. } => rollup_stages(store, slug, &selector, w).await?,
        crate::domain::Selector::Search { .. } => "a free-text search: built from its items".to_string(),
    };
    let answer = crate::evidence::Answer::Pack(Box::new(pack));
    let t = Instant::now();
    std::hint::black_box((crate::slack::evidence::message(&answer, false), render::render(&answer, Format::Md)?));
    let t_render = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    std::hint::black_box(render::render(&answer, Format::Png)?);
    let t_png = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    std::hint::black_box(render::render(&answer, Format::Svg)?);
    let t_svg = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "  stages: previous count {t_prev:.1} ms (rollups; items {t_prev_scan:.1} ms), totals {t_totals:.1} ms (rollup totals; the three counts from the items {t_totals_items:.1} ms), renders {t_render:.1} ms\n  \
         from the rollups: {rollups}\n  from the items (the CSV): items query {t_items:.1} ms ({}), build {t_build:.1} ms; chart (Download pack, not in the answer) PNG {t_png:.1} ms, SVG {t_svg:.1} ms",
        plural(n as u64, "row")
    );
    Ok(())
}

/// A pack's input with only its items (no counts, versions or precision): the build's own cost.
fn bare_input(
    selector: crate::domain::Selector,
    window: crate::evidence::Window,
    items: Vec<crate::domain::PackItem>,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::evidence::pack::PackInput {
    crate::evidence::pack::PackInput {
        selector,
        window,
        items,
        previous_count: 0,
        total_current: 1,
        total_previous: 1,
        model_version: String::new(),
        rules_version: String::new(),
        precision: Default::default(),
        precision_text: Default::default(),
        precision_measured_on: None,
        team_precision: Default::default(),
        generated_at: now,
        quotes: crate::evidence::DEFAULT_QUOTES,
        thresholds: crate::evidence::quotes::DEFAULT_THRESHOLDS,
        metric: None,
    }
}

/// The rollup path's queries one by one, once: counts and accounts, the quotes' first
/// candidates, reasons, the hash's lines.
async fn rollup_stages(
    store: &crate::store::Store,
    slug: &str,
    selector: &crate::domain::Selector,
    w: crate::evidence::Window,
) -> anyhow::Result<String> {
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let cuts: Vec<i64> = w.weeks().iter().map(|x| x.from.timestamp()).chain(std::iter::once(w.to.timestamp())).collect();
    let t = Instant::now();
    let figures = store.topic_figures(slug, w, &cuts).await?;
    let t_figures = ms(t);
    let t = Instant::now();
    let top = store.top_scored(slug, w, crate::evidence::pack::selector_category(selector), 40).await?;
    let t_top = ms(t);
    let t = Instant::now();
    let (reasons, lines) = store.topic_reasons_and_lines(slug, w).await?;
    let t_reasons = ms(t);
    Ok(format!(
        "counts, weeks, accounts and churn {t_figures:.1} ms ({} accounts, {} churned), the 40 surest items {t_top:.1} ms ({} read), \
         reasons and the hash's lines (every item read once in the database) {t_reasons:.1} ms ({} distinct, {} bytes)",
        figures.accounts,
        figures.churned.len(),
        top.len(),
        reasons.len(),
        lines.len()
    ))
}
