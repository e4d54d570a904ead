//! The weekly series as a PNG bar chart, drawn into an indexed pixel buffer with a built-in
//! 5×7 font (no font files, no system libraries), with the previous window's weekly average as
//! a dashed line.

use crate::evidence::pack::EvidencePack;

const W: usize = 720;
const H: usize = 320;
const LEFT: usize = 56;
const RIGHT: usize = 16;
const TOP: usize = 44;
const BOTTOM: usize = 40;

// Palette indices.
const BG: u8 = 0;
const INK: u8 = 1;
const BAR: u8 = 2;
const GRID: u8 = 3;
const PREV: u8 = 4;
const METRIC: u8 = 5;
const PALETTE: [u8; 18] = [255, 255, 255, 33, 37, 41, 52, 101, 164, 222, 226, 230, 230, 126, 34, 196, 30, 120];

pub fn render_png(pack: &EvidencePack) -> anyhow::Result<Vec<u8>> {
    let mut canvas = Canvas::new();
    let title = format!("{}: ITEMS PER WEEK", pack.slug.to_uppercase());
    canvas.text(LEFT, 12, &title, 2, INK);

    let counts: Vec<u64> = pack.weekly.iter().map(|w| w.count).collect();
    let weeks = counts.len().max(1);
    let prev_avg = pack.change.previous as f64 / weeks as f64;
    let top_value = counts.iter().copied().max().unwrap_or(0).max(prev_avg.ceil() as u64).max(1);
    let (plot_w, plot_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let y_of = |v: f64| TOP + plot_h - ((v / top_value as f64) * plot_h as f64).round() as usize;

    // Axes and a light grid at quarters.
    for q in 0..=4u64 {
        let y = y_of(top_value as f64 * q as f64 / 4.0);
        canvas.hline(LEFT, LEFT + plot_w, y, if q == 0 { INK } else { GRID }, false);
    }
    canvas.vline(LEFT, TOP, TOP + plot_h, INK);
    canvas.text_right(LEFT - 6, y_of(top_value as f64) - 3, &top_value.to_string(), 1, INK);
    canvas.text_right(LEFT - 6, y_of(0.0) - 3, "0", 1, INK);

    let slot = plot_w / weeks;
    let bar = (slot * 7 / 10).max(1);
    for (i, &c) in counts.iter().enumerate() {
        let x0 = LEFT + i * slot + (slot - bar) / 2;
        let y0 = y_of(c as f64);
        canvas.rect(x0, y0, x0 + bar, TOP + plot_h, BAR);
    }
    if pack.change.previous > 0 {
        let y = y_of(prev_avg);
        canvas.hline(LEFT, LEFT + plot_w, y, PREV, true);
        canvas.text_right(LEFT + plot_w, y.saturating_sub(10), "PREVIOUS WINDOW AVERAGE", 1, PREV);
    }
    if let (Some(first), Some(last)) = (pack.weekly.first(), pack.weekly.last()) {
        canvas.text(LEFT, TOP + plot_h + 10, &first.from.format("%Y-%m-%d").to_string(), 1, INK);
        canvas.text_right(LEFT + plot_w, TOP + plot_h + 10, &last.from.format("%Y-%m-%d").to_string(), 1, INK);
    }
    canvas.text(LEFT, H - 14, &format!("{} ITEMS, {} ACCOUNTS", pack.items, pack.accounts), 1, INK);
    metric_line(&mut canvas, pack, slot);
    canvas.encode()
}

/// The topic's metric (weekly mean) as a line over the bars, on its own scale from 0 to its
/// maximum, named with that maximum in the legend.
fn metric_line(canvas: &mut Canvas, pack: &EvidencePack, slot: usize) {
    let Some(m) = pack.metric.as_ref().filter(|m| m.unavailable.is_none()) else { return };
    let max = m.weekly_mean.iter().flatten().copied().fold(0.0f64, f64::max);
    if max <= 0.0 {
        return;
    }
    let plot_h = H - TOP - BOTTOM;
    let points: Vec<Option<(usize, usize)>> = m
        .weekly_mean
        .iter()
        .enumerate()
        .map(|(i, v)| v.map(|v| (LEFT + i * slot + slot / 2, TOP + plot_h - ((v / max) * plot_h as f64).round() as usize)))
        .collect();
    for pair in points.windows(2) {
        if let [Some(a), Some(b)] = pair {
            canvas.line(*a, *b, METRIC);
        }
    }
    for (x, y) in points.iter().flatten() {
        canvas.rect(x.saturating_sub(2), y.saturating_sub(2), x + 3, y + 3, METRIC);
    }
    let legend = format!("LINE: {}, TOP {}", m.label, crate::evidence::metric::number(max));
    canvas.text_right(W - RIGHT, H - 14, &legend, 1, METRIC);
}

struct Canvas {
    px: Vec<u8>,
}

impl Canvas {
    fn new() -> Self {
        Self { px: vec![BG; W * H] }
    }

    fn set(&mut self, x: usize, y: usize, c: u8) {
        if x < W && y < H {
            self.px[y * W + x] = c;
        }
    }

    fn rect(&mut self, x0: usize, y0: usize, x1: usize, y1: usize, c: u8) {
        for y in y0..y1.min(H) {
            for x in x0..x1.min(W) {
                self.px[y * W + x] = c;
            }
        }
    }

    fn hline(&mut self, x0: usize, x1: usize, y: usize, c: u8, dashed: bool) {
        for x in x0..=x1 {
            if !dashed || (x / 6) % 2 == 0 {
                self.set(x, y, c);
            }
        }
    }

    /// A two-pixel-thick straight line (Bresenham).
    fn line(&mut self, (x0, y0): (usize, usize), (x1, y1): (usize, usize), c: u8) {
        let (mut x, mut y) = (x0 as i64, y0 as i64);
        let (dx, dy) = ((x1 as i64 - x).abs(), -(y1 as i64 - y).abs());
        let (sx, sy) = (if x < x1 as i64 { 1 } else { -1 }, if y < y1 as i64 { 1 } else { -1 });
        let mut err = dx + dy;
        loop {
            self.set(x as usize, y as usize, c);
            self.set(x as usize, y as usize + 1, c);
            if x == x1 as i64 && y == y1 as i64 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }

    fn vline(&mut self, x: usize, y0: usize, y1: usize, c: u8) {
        for y in y0..=y1 {
            self.set(x, y, c);
        }
    }

    fn text(&mut self, x: usize, y: usize, text: &str, scale: usize, c: u8) {
        for (i, ch) in text.chars().enumerate() {
            let rows = glyph(ch);
            for (r, bits) in rows.iter().enumerate() {
                for col in 0..5 {
                    if bits & (0b10000 >> col) != 0 {
                        let (gx, gy) = (x + i * 6 * scale + col * scale, y + r * scale);
                        self.rect(gx, gy, gx + scale, gy + scale, c);
                    }
                }
            }
        }
    }

    fn text_right(&mut self, right: usize, y: usize, text: &str, scale: usize, c: u8) {
        let width = text.chars().count() * 6 * scale;
        self.text(right.saturating_sub(width), y, text, scale, c);
    }

    fn encode(self) -> anyhow::Result<Vec<u8>> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, W as u32, H as u32);
            enc.set_color(png::ColorType::Indexed);
            enc.set_depth(png::BitDepth::Eight);
            enc.set_palette(&PALETTE[..]);
            enc.set_compression(png::Compression::Best);
            let mut writer = enc.write_header()?;
            writer.write_image_data(&self.px)?;
        }
        Ok(out)
    }
}

/// 5×7 glyphs, one byte per row (low five bits, leftmost pixel = 0b10000). Lower case is drawn
/// as upper case; characters without a glyph are drawn as a box.
fn glyph(ch: char) -> [u8; 7] {
    match ch.to_ascii_uppercase() {
        ' ' => [0; 7],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ',' => [0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08],
        '/' => [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
        '%' => [0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03],
        '(' => [0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02],
        ')' => [0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08],
        _ => [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F],
    }
}
