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
        "performance tags were right 94.0% of the time on 5,439 real reviews the model had not seen (urr, rp)",
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

#[test]
fn the_chart_is_a_png_of_the_series() {
    let png_bytes = render(&answer(), Format::Png).unwrap();
    let decoder = png::Decoder::new(png_bytes.as_slice());
    let reader = decoder.read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (720, 320));
    assert!(png_bytes.len() < 20_000, "{} bytes", png_bytes.len());
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
    let png_bytes = render(&answer, Format::Png).unwrap();
    let mut reader = png::Decoder::new(png_bytes.as_slice()).read_info().unwrap();
    let mut px = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut px).unwrap();
    assert!(px.iter().filter(|&&c| c == 5).count() > 200, "the metric's line is drawn in its own colour");
    let plain = render(&self::answer(), Format::Png).unwrap();
    let mut reader = png::Decoder::new(plain.as_slice()).read_info().unwrap();
    let mut px = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut px).unwrap();
    assert!(!px.contains(&5), "no metric, no line");
}

#[test]
fn a_missing_metric_says_why_in_one_line() {
    let answer = with_metric(Err("cannot reach Prometheus at http://127.0.0.1:9".into()));
    let md = String::from_utf8(render(&answer, Format::Md).unwrap()).unwrap();
    assert!(md.contains("- **Metric:** checkout p95 latency (s) is not shown: cannot reach Prometheus"), "{md}");
    assert!(md.contains("| Week | Items |\n"), "no metric column without values");
}
