//! Every rendering of the hand-made pack.

use super::{Format, render};
use crate::evidence::pack::{build, tests::hand_made};
use crate::evidence::{Answer, Suggestion, Window};

fn answer() -> Answer {
    Answer::Pack(Box::new(build(hand_made())))
}

#[test]
fn markdown_reads_as_an_argument() {
    let md = String::from_utf8(render(&answer(), Format::Md).unwrap()).unwrap();
    for expected in [
        "## Evidence: Checkout is slow (`checkout-slow`)",
        "**6 items from 3 accounts**, 10.0% of all feedback",
        "**$150,000 ARR** at the 2 affected accounts",
        "1 cancellation note from 1 account mentions it, **$30,000 ARR lost**",
        "3.0× more than the previous 28 days (6 vs 2, p = 0.31)",
        "`▃▃▃█`",
        "| acct-a Inc | business | $120,000 | 2 |  |",
        "[original](https://support.example.com/tickets/4)",
        "Performance tags were right 94-97% of the time.",
        "pushback evidence checkout-slow --from 2026-10-01T00:00:00Z",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in\n{md}");
    }
    assert!(!md.contains("<!channel>"), "customer text is escaped");
}

#[test]
fn csv_lists_every_item_with_its_account_and_link() {
    let csv = String::from_utf8(render(&answer(), Format::Csv).unwrap()).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(rdr.headers().unwrap().iter().collect::<Vec<_>>(), super::csv::HEADER);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(&rows[0][0], "1");
    assert_eq!(&rows[0][4], "12000000");
    assert_eq!(&rows[0][6], &format!("{} ext-1", &rows[0][5]), "the reference names the source ticket");
    assert_eq!(&rows[0][8], "https://support.example.com/tickets/1");
    assert_eq!(&rows[0][9], "performance");
    assert!(rows[0][10].contains("[email]") && !csv.contains("alice@"));
}

#[test]
fn csv_cells_cannot_become_spreadsheet_formulas() {
    let mut input = hand_made();
    input.items[0].item.body = "=HYPERLINK(\"http://evil\")".into();
    let csv = String::from_utf8(render(&Answer::Pack(Box::new(build(input))), Format::Csv).unwrap()).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
}

#[test]
fn json_carries_what_the_markdown_shows() {
    let v: serde_json::Value = serde_json::from_slice(&render(&answer(), Format::Json).unwrap()).unwrap();
    assert_eq!(v["outcome"], "pack");
    assert_eq!(v["items"], 6);
    assert_eq!(v["revenue"]["lost_arr_cents"], 3_000_000);
    assert_eq!(v["weekly"].as_array().unwrap().len(), 4);
    assert_eq!(v["quotes"].as_array().unwrap().len(), 4);
    assert!(v["change"]["p_value"].as_f64().unwrap() > 0.3);
    assert!(v["reproduce"]["items_hash"].as_str().unwrap().len() == 32);
    assert!(v.get("rows").is_none(), "rows are the CSV's");
}

/// The chart's pixels as RGB triples.
fn pixels(png_bytes: &[u8]) -> ((u32, u32), Vec<[u8; 3]>) {
    let mut reader = png::Decoder::new(png_bytes).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    ((frame.width, frame.height), buf[..frame.buffer_size()].chunks(3).map(|c| [c[0], c[1], c[2]]).collect())
}

fn count_colour(px: &[[u8; 3]], c: plotters::style::RGBColor) -> usize {
    px.iter().filter(|p| **p == [c.0, c.1, c.2]).count()
}

#[test]
fn the_chart_is_a_png_of_the_series() {
    let png_bytes = render(&answer(), Format::Png).unwrap();
    let (size, px) = pixels(&png_bytes);
    assert_eq!(size, (super::chart::WIDTH, super::chart::HEIGHT));
    assert!(png_bytes.len() < 120_000, "{} bytes", png_bytes.len());
    let title_rows = &px[(18 * size.0 as usize)..(50 * size.0 as usize)];
    let ink = title_rows.iter().filter(|p| p.iter().all(|&v| v < 128)).count();
    assert!(ink > 500, "the title is drawn: {ink} dark pixels in its rows");
    assert!(count_colour(&px, super::chart::BAR) > 10_000, "the bars are drawn");
}

/// The SVG document's text elements, in order.
fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("the SVG is not XML: {e}\n{svg}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or_default().trim().to_string()).collect()
}

#[test]
fn the_svg_chart_labels_every_week_and_both_axes() {
    let svg = String::from_utf8(render(&answer(), Format::Svg).unwrap()).unwrap();
    let texts = svg_texts(&svg);
    for expected in [
        "Checkout is slow: feedback items per week",
        "Items per week",
        "Week starting (2026)",
        "Oct 1",
        "Oct 8",
        "Oct 15",
        "Oct 22",
        "Previous 28 days: 0.5 a week on average",
    ] {
        assert!(texts.iter().any(|t| t == expected), "no text {expected:?} in {texts:?}");
    }
    assert!(texts.iter().any(|t| t.starts_with("6 items from 3 accounts: 3.0× more than the previous 28 days")), "{texts:?}");
    assert!(svg.contains(r#"font-family="DejaVu Sans"#), "the SVG names the shipped font");
    assert!(!texts.iter().any(|t| t.contains("right axis")), "no metric, no right axis");
}

fn svg_of_window(from: &str, to: &str) -> (crate::evidence::EvidencePack, Vec<String>) {
    let mut input = hand_made();
    input.window = Window::between(from, to).unwrap();
    let pack = build(input);
    let svg = String::from_utf8(render(&Answer::Pack(Box::new(pack.clone())), Format::Svg).unwrap()).unwrap();
    (pack, svg_texts(&svg))
}

#[test]
fn a_year_of_weeks_gets_a_label_on_every_week_and_longer_windows_say_which_are_labelled() {
    let (pack, texts) = svg_of_window("2025-10-29", "2026-10-29");
    assert_eq!(pack.weekly.len(), 53);
    for week in &pack.weekly {
        let label = week.from.format("%b %-d").to_string();
        assert!(texts.contains(&label), "{label} in {texts:?}");
    }
    assert!(texts.contains(&"Week starting (2025–2026)".to_string()), "{texts:?}");
    assert!(!texts.iter().any(|t| t.starts_with("One week in")));
    let (pack, texts) = svg_of_window("2023-10-30", "2026-10-29");
    let note = texts.iter().find(|t| t.starts_with("One week in ")).expect("a note says which weeks are labelled");
    let every: usize = note.trim_start_matches("One week in ").split(' ').next().unwrap().parse().unwrap();
    assert!(every > 1);
    let latest = pack.weekly.last().unwrap().from.format("%b %-d").to_string();
    assert!(texts.contains(&latest), "the latest week is always labelled");
}

#[test]
fn a_short_first_week_is_drawn_lighter_and_said_so() {
    let (pack, texts) = svg_of_window("2026-09-29", "2026-10-29");
    assert_eq!((pack.weekly.len(), (pack.weekly[0].to - pack.weekly[0].from).num_days()), (5, 2));
    let note = "2026-09-29 to 2026-10-28 (UTC), generated 2026-10-29 by pushback. The first bar (lighter) covers 2 days: the window is 30 days long.";
    assert!(texts.contains(&note.to_string()), "{texts:?}");
    assert!(texts.contains(&"Previous 30 days: 0.5 a week on average".to_string()), "2 items × 7 / 30 days: {texts:?}");
}

#[test]
fn a_chart_title_with_markup_stays_text_in_the_svg() {
    let mut input = hand_made();
    if let crate::domain::Selector::Defined { title, .. } = &mut input.selector {
        *title = "Checkout <script> & \"slow\"".into();
    }
    let svg = String::from_utf8(render(&Answer::Pack(Box::new(build(input))), Format::Svg).unwrap()).unwrap();
    assert!(svg_texts(&svg).contains(&"Checkout <script> & \"slow\": feedback items per week".to_string()));
}

#[test]
fn no_match_names_the_closest_topics_in_every_format() {
    let answer = Answer::NoMatch {
        topic: "chekout".into(),
        window: Window::between("2026-10-01", "2026-10-29").unwrap(),
        suggestions: vec![Suggestion { slug: "checkout-slow".into(), title: "Checkout is slow".into(), items: 12 }],
    };
    let md = String::from_utf8(render(&answer, Format::Md).unwrap()).unwrap();
    assert!(md.contains("`checkout-slow`: Checkout is slow (12 items)"), "{md}");
    let err = render(&answer, Format::Csv).unwrap_err().to_string();
    assert!(err.contains("checkout-slow"), "{err}");
}

fn with_metric(series: Result<Vec<crate::prometheus::DailyValue>, String>) -> Answer {
    let mut input = hand_made();
    input.metric = Some(crate::evidence::metric::MetricInput { label: "checkout p95 latency (s)".into(), query: "q".into(), series });
    Answer::Pack(Box::new(build(input)))
}

fn rising_series() -> Vec<crate::prometheus::DailyValue> {
    let input = hand_made();
    let start = input.window.previous().from;
    (0..2 * input.window.days())
        .map(|d| crate::prometheus::DailyValue {
            day: (start + chrono::Duration::days(d)).date_naive(),
            value: Some(1.0 + (d as f64 / 10.0)),
        })
        .collect()
}

#[test]
fn a_configured_metric_shows_in_markdown_the_daily_csv_and_the_chart() {
    let answer = with_metric(Ok(rising_series()));
    let md = String::from_utf8(render(&answer, Format::Md).unwrap()).unwrap();
    assert!(md.contains("| Week | Items | checkout p95 latency (s) (mean) |"), "{md}");
    assert!(md.contains("- **Metric:** checkout p95 latency (s): mean "), "{md}");
    assert!(md.contains("- **Together:** "), "{md}");
    let csv = String::from_utf8(render(&answer, Format::DailyCsv).unwrap()).unwrap();
    assert!(csv.starts_with("day,complaints,checkout p95 latency (s)\n"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 28);
    let (_, px) = pixels(&render(&answer, Format::Png).unwrap());
    assert!(count_colour(&px, super::chart::METRIC) > 300, "the metric's line is drawn in its own colour");
    let (_, plain) = pixels(&render(&self::answer(), Format::Png).unwrap());
    assert_eq!(count_colour(&plain, super::chart::METRIC), 0, "no metric, no line");
    let texts = svg_texts(&String::from_utf8(render(&answer, Format::Svg).unwrap()).unwrap());
    assert!(texts.contains(&"checkout p95 latency (s)".to_string()), "the right axis is titled: {texts:?}");
    assert!(texts.contains(&"checkout p95 latency (s), weekly mean (right axis)".to_string()), "{texts:?}");
}

#[test]
fn a_missing_metric_says_why_in_one_line() {
    let answer = with_metric(Err("cannot reach Prometheus at http://127.0.0.1:9".into()));
    let md = String::from_utf8(render(&answer, Format::Md).unwrap()).unwrap();
    assert!(md.contains("- **Metric:** checkout p95 latency (s) is not shown: cannot reach Prometheus"), "{md}");
    assert!(md.contains("| Week | Items |\n"), "no metric column without values");
    let texts = svg_texts(&String::from_utf8(render(&answer, Format::Svg).unwrap()).unwrap());
    assert!(
        texts.contains(&"checkout p95 latency (s) is not shown: cannot reach Prometheus at http://127.0.0.1:9.".to_string()),
        "the chart says why too: {texts:?}"
    );
}
