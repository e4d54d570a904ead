//! The evidence chart, for a planning doc: the weekly items as bars over a shaded band at the
//! previous window's weekly rate, and the topic's metric as a line on its own right-hand axis.
//! Drawn with plotters in DejaVu Sans (assets/fonts, embedded), as a PNG (an RGB buffer encoded
//! by `png`) or as SVG text. What it says is `spec`'s; this module only places it.

pub mod spec;
pub mod text;

use crate::evidence::pack::EvidencePack;
use crate::text::thousands;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use spec::{ChartSpec, Labels};
use text::Typeset;

pub const WIDTH: u32 = 960;
pub const HEIGHT: u32 = 540;

/// The SVG's `font-family`: a viewer without DejaVu Sans falls back to the next family. (The
/// PNG's text is always the embedded face: `text::Typeset`.)
const FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

const INK: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(95, 102, 110);
const GRID: RGBColor = RGBColor(226, 229, 232);
const AXIS: RGBColor = RGBColor(134, 142, 150);
pub const BAR: RGBColor = RGBColor(52, 101, 164);
const SHORT_WEEK: RGBColor = RGBColor(137, 165, 204);
const BAND: RGBColor = RGBColor(222, 226, 230);
const BAND_EDGE: RGBColor = RGBColor(134, 142, 150);
/// The metric's line, and nothing else, is this colour (the tests look for it).
pub const METRIC: RGBColor = RGBColor(214, 96, 20);

const PAD: i32 = 24;
const HEADER: i32 = 112;
const NOTE_LINE: i32 = 19;
const LEFT_AXIS: i32 = 78;
/// Week labels: across the axis, or a size smaller upright, so a year of weeks still gets one each.
const ACROSS: u32 = 14;
const UPRIGHT: u32 = 13;

type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The chart as a PNG of `WIDTH` × `HEIGHT` pixels.
pub fn render_png(pack: &EvidencePack) -> anyhow::Result<Vec<u8>> {
    register()?;
    let spec = spec::spec(pack);
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = Typeset { inner: BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)), raster: true }.into_drawing_area();
        draw(&root, &spec).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Best);
        enc.write_header()?.write_image_data(&rgb)?;
    }
    Ok(out)
}

/// The same chart as an SVG document (text stays text, in the same font where the viewer has it).
pub fn render_svg(pack: &EvidencePack) -> anyhow::Result<String> {
    render_spec_svg(&spec::spec(pack))
}

/// Any chart of bars (and an optional line on the right axis) as SVG: the monthly review draws
/// its KPI and trend charts with it.
pub fn render_spec_svg(spec: &ChartSpec) -> anyhow::Result<String> {
    register()?;
    let mut svg = String::new();
    {
        let root = Typeset { inner: SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)), raster: false }.into_drawing_area();
        draw(&root, spec).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
    }
    Ok(svg + "\n")
}

fn register() -> anyhow::Result<()> {
    match text::face() {
        Some(_) => Ok(()),
        None => anyhow::bail!("the chart's font (assets/fonts/DejaVuSans.ttf, built in) does not parse"),
    }
}

fn font(size: u32, color: &RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(color)
}

/// Where the weeks' labels go: decided from the text's measured width before anything is drawn.
struct Layout {
    labels: Labels,
    /// Pixels per week.
    slot: f64,
    /// Height of the area under the axis (labels and the axis title).
    label_area: i32,
    /// Width of the right-hand axis (0 without a metric).
    right: i32,
}

fn layout<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, spec: &ChartSpec) -> Result<Layout, DrawingAreaErrorKind<DB::ErrorType>> {
    let right = if spec.metric.is_some() { 84 } else { 0 };
    let slot = f64::from(WIDTH as i32 - 2 * PAD - LEFT_AXIS - right) / spec.bars.len().max(1) as f64;
    let (across, _) = widest_label(root, spec, ACROSS)?;
    let (upright, _) = widest_label(root, spec, UPRIGHT)?;
    // Upright labels stand side by side: each takes an em (capitals and descenders) across.
    let labels = spec::labels(slot, f64::from(across), f64::from(UPRIGHT) / 1.24);
    let label_area = if labels == Labels::Across { 52 } else { upright as i32 + 40 };
    Ok(Layout { labels, slot, label_area, right })
}

/// The widest week label and the tallest line, at `size`.
fn widest_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    size: u32,
) -> Result<(u32, u32), DrawingAreaErrorKind<DB::ErrorType>> {
    let style = font(size, &INK);
    spec.bars.iter().try_fold((0, 0), |(w, h), bar| {
        let (bw, bh) = root.estimate_text_size(&bar.label, &style)?;
        Ok((w.max(bw), h.max(bh)))
    })
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, spec: &ChartSpec) -> Drawn<DB> {
    root.fill(&WHITE)?;
    let layout = layout(root, spec)?;
    root.draw_text(&spec.title, &font(26, &INK), (PAD, 18))?;
    root.draw_text(&spec.subtitle, &font(16, &MUTED), (PAD, 54))?;
    legend(root, spec, 86)?;
    let label_note = spec::label_note(layout.labels, spec.bars.len());
    let notes: Vec<&str> = spec.notes.iter().map(String::as_str).chain(label_note.as_deref()).collect();
    let notes_top = HEIGHT as i32 - 10 - NOTE_LINE * notes.len() as i32;
    for (i, note) in notes.iter().enumerate() {
        root.draw_text(note, &font(13, &MUTED), (PAD, notes_top + NOTE_LINE * i as i32))?;
    }
    plot(root, spec, &layout, HEIGHT as i32 - notes_top + 6)
}

/// One row of keys: the bars, the band, the metric's line.
fn legend<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, spec: &ChartSpec, y: i32) -> Drawn<DB> {
    let style = font(14, &INK);
    let mut x = PAD;
    let mut key = |swatch: &dyn Fn(i32) -> Rectangle<(i32, i32)>, text: &str| -> Drawn<DB> {
        root.draw(&swatch(x))?;
        root.draw_text(text, &style.pos(Pos::new(HPos::Left, VPos::Center)), (x + 22, y))?;
        x += 22 + root.estimate_text_size(text, &style)?.0 as i32 + 26;
        Ok(())
    };
    key(&|x| Rectangle::new([(x, y - 7), (x + 14, y + 7)], BAR.filled()), &spec.bar_legend)?;
    if !spec.previous.legend.is_empty() {
        key(&|x| Rectangle::new([(x, y - 7), (x + 14, y + 7)], BAND.filled()), &spec.previous.legend)?;
    }
    if let Some(m) = &spec.metric {
        key(&|x| Rectangle::new([(x, y - 2), (x + 14, y + 2)], METRIC.filled()), &m.legend)?;
    }
    Ok(())
}

/// The axes, band, bars, week labels and the metric, in the area between header and notes.
fn plot<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, spec: &ChartSpec, layout: &Layout, bottom: i32) -> Drawn<DB> {
    let n = spec.bars.len().max(1) as f64;
    let area = root.margin(HEADER, bottom, PAD, PAD);
    let (m_lo, m_hi) = spec.metric.as_ref().map_or((0.0, 1.0), |m| m.range);
    // The secondary coordinates take the right-hand label area, so the items axis stays left.
    let mut chart = ChartBuilder::on(&area)
        .y_label_area_size(LEFT_AXIS)
        .right_y_label_area_size(layout.right)
        .x_label_area_size(layout.label_area)
        .build_cartesian_2d(0f64..n, 0f64..spec.y_top)?
        .set_secondary_coord(0f64..n, m_lo..m_hi);
    chart.draw_series(std::iter::once(Rectangle::new([(0.0, 0.0), (n, spec.previous.per_week)], BAND.filled())))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(y_ticks(spec.y_top))
        .y_label_formatter(&|v| if v.fract() == 0.0 && *v >= 0.0 { thousands(*v as u64) } else { String::new() })
        .y_desc(&spec.y_title)
        .label_style(font(14, &INK))
        .axis_desc_style(font(15, &INK))
        .bold_line_style(GRID)
        .max_light_lines(0)
        .axis_style(AXIS)
        .draw()?;
    if spec.previous.per_week > 0.0 {
        let edge = vec![(0.0, spec.previous.per_week), (n, spec.previous.per_week)];
        chart.draw_series(std::iter::once(PathElement::new(edge, BAND_EDGE.stroke_width(2))))?;
    }
    bars(&mut chart, spec, layout.slot)?;
    week_labels(root, &chart, spec, layout)?;
    if let Some(m) = &spec.metric {
        metric(&mut chart, m)?;
    }
    // Last, so the metric's line never hides a count.
    if layout.labels == Labels::Across && layout.slot >= 34.0 {
        bar_values(root, &chart, spec)?;
    }
    Ok(())
}

type Xy = Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>;
/// The chart's two coordinate systems: items on the left, the metric on the right.
type Chart<'a, DB> = plotters::chart::DualCoordChartContext<'a, DB, Xy, Xy>;

/// Grid lines at whole numbers: at most seven, so small counts get a line per item.
fn y_ticks(top: f64) -> usize {
    (top as usize + 1).min(7)
}

/// The bars: 72% of a week's width, at most 90 pixels (two weeks need no slabs). A week cut
/// short by the window's start is lighter: it is not comparable with the band's seven days.
fn bars<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, spec: &ChartSpec, slot: f64) -> Drawn<DB> {
    let half = 0.36f64.min(45.0 / slot.max(1.0));
    chart.draw_series(spec.bars.iter().enumerate().map(|(i, bar)| {
        let centre = i as f64 + 0.5;
        let colour = if bar.days < 7 { SHORT_WEEK } else { BAR };
        Rectangle::new([(centre - half, 0.0), (centre + half, bar.count as f64)], colour.filled())
    }))?;
    Ok(())
}

/// Each bar's count above it, on a patch of the background where the metric's line could cross it.
fn bar_values<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart<'_, DB>, spec: &ChartSpec) -> Drawn<DB> {
    let style = font(13, &INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (i, bar) in spec.bars.iter().enumerate().filter(|(_, b)| b.count > 0) {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, bar.count as f64));
        let text = thousands(bar.count);
        if spec.metric.is_some() {
            let (w, h) = root.estimate_text_size(&text, &style)?;
            let (w, h) = (w as i32 / 2 + 2, h as i32 + 3);
            let (_, band_top) = chart.backend_coord(&(0.0, spec.previous.per_week));
            let behind = if y - h / 2 > band_top { BAND } else { WHITE };
            root.draw(&Rectangle::new([(x - w, y - h - 2), (x + w, y - 2)], behind.filled()))?;
        }
        root.draw_text(&text, &style, (x, y - 3))?;
    }
    Ok(())
}

/// Each week's first day under its bar (the most recent week always labelled), and the axis title.
fn week_labels<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &Chart<'_, DB>, spec: &ChartSpec, layout: &Layout) -> Drawn<DB> {
    let n = spec.bars.len();
    let (across, upright) = (font(ACROSS, &INK), font(UPRIGHT, &INK));
    let (_, axis_y) = chart.backend_coord(&(0.0, 0.0));
    for (i, bar) in spec.bars.iter().enumerate() {
        let (x, _) = chart.backend_coord(&(i as f64 + 0.5, 0.0));
        match layout.labels {
            Labels::Across => root.draw_text(&bar.label, &across.pos(Pos::new(HPos::Center, VPos::Top)), (x, axis_y + 8))?,
            Labels::Upright { every } if (n - 1 - i) % every == 0 => {
                let turned = upright.transform(FontTransform::Rotate270).pos(Pos::new(HPos::Right, VPos::Center));
                root.draw_text(&bar.label, &turned, (x, axis_y + 8))?;
            }
            Labels::Upright { .. } => {}
        }
    }
    let (left, _) = chart.backend_coord(&(0.0, 0.0));
    let (right, _) = chart.backend_coord(&(n.max(1) as f64, 0.0));
    let title = font(15, &INK).pos(Pos::new(HPos::Center, VPos::Bottom));
    root.draw_text(&spec.x_title, &title, ((left + right) / 2, axis_y + layout.label_area - 4))
}

/// The metric's weekly means on the right-hand axis: a line through the weeks with values
/// (broken where a week has none) and a dot on each.
fn metric<DB: DrawingBackend>(chart: &mut Chart<'_, DB>, m: &spec::MetricLine) -> Drawn<DB> {
    chart
        .configure_secondary_axes()
        .x_labels(0)
        .y_labels(spec::METRIC_TICKS)
        .y_label_formatter(&|v| spec::metric_tick(*v, m.decimals))
        .y_desc(&m.axis)
        .label_style(font(14, &METRIC))
        .axis_desc_style(font(15, &METRIC))
        .axis_style(AXIS)
        .draw()?;
    let points: Vec<Option<(f64, f64)>> = m.points.iter().enumerate().map(|(i, v)| v.map(|v| (i as f64 + 0.5, v))).collect();
    for run in points.split(Option::is_none) {
        let run: Vec<(f64, f64)> = run.iter().flatten().copied().collect();
        chart.draw_secondary_series(LineSeries::new(run, METRIC.stroke_width(3)))?;
    }
    chart.draw_secondary_series(points.iter().flatten().map(|&p| Circle::new(p, 4, METRIC.filled())))?;
    Ok(())
}
