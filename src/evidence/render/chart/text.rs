//! Text in the chart's font. plotters' own ab_glyph text drops each glyph's side bearing and
//! rounds the pen to whole pixels (uneven letter spacing: "Oct 1 2"), so `Typeset` wraps a
//! plotters backend and lays text out itself with ab_glyph: kerning, side bearings, sub-pixel
//! pen positions, anchors and upright (rotated) text. A raster backend gets the glyphs as
//! pixels; the SVG backend keeps writing `<text>` and only takes the measurements, so both
//! place their labels alike. Sizes follow plotters' SVG convention: an em is `size / 1.24` px.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use std::sync::OnceLock;

const FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

/// The embedded face, parsed once.
pub fn face() -> Option<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(FONT).ok()).as_ref()
}

/// One line of text at one size: each glyph's pen position from the left, and the box.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub scale: PxScale,
    pub glyphs: Vec<(ab_glyph::GlyphId, f32)>,
    pub width: f32,
    pub ascent: f32,
    pub height: f32,
}

/// Lays out `text` at plotters size `size` (em = size / 1.24 px).
pub fn layout(font: &FontRef<'static>, size: f64, text: &str) -> Line {
    let em = size as f32 / 1.24;
    let units = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(em * font.height_unscaled() / units);
    let scaled = font.as_scaled(scale);
    let (mut pen, mut prev) = (0.0f32, None);
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    Line { scale, glyphs, width: pen, ascent: scaled.ascent(), height: scaled.ascent() - scaled.descent() }
}

/// A plotters backend whose text is laid out by `layout`, and drawn as pixels when `raster`.
pub struct Typeset<B> {
    pub inner: B,
    pub raster: bool,
}

impl<B: DrawingBackend> Typeset<B> {
    fn rasterise<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        let font = face().ok_or_else(|| DrawingErrorKind::FontError("the chart's font does not parse".into()))?;
        let line = layout(font, style.size(), text);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -line.height / 2.0,
            VPos::Bottom => -line.height,
        };
        let transform = style.transform();
        let scaled = font.as_scaled(line.scale);
        for &(id, x) in &line.glyphs {
            let glyph = id.with_scale_and_position(line.scale, point(dx + x, dy + line.ascent));
            let Some(outline) = scaled.outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            let mut pixels = Vec::new();
            outline.draw(|x, y, coverage| {
                if coverage > 0.0 {
                    pixels.push((bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32, coverage));
                }
            });
            for (x, y, coverage) in pixels {
                let (x, y) = transform.transform(x, y);
                let alpha = color.alpha * f64::from(coverage.min(1.0));
                self.inner.draw_pixel((pos.0 + x, pos.1 + y), BackendColor { alpha, rgb: color.rgb })?;
            }
        }
        Ok(())
    }
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        if self.raster { self.rasterise(text, style, pos) } else { self.inner.draw_text(text, style, pos) }
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let font = face().ok_or_else(|| DrawingErrorKind::FontError("the chart's font does not parse".into()))?;
        let line = layout(font, style.size(), text);
        Ok((line.width.ceil() as u32, line.height.ceil() as u32))
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_is_embedded_and_spaces_glyphs_by_their_advances() {
        let font = face().expect("assets/fonts/DejaVuSans.ttf parses");
        let line = layout(font, 14.0 * 1.24, "Oct 12");
        // DejaVu Sans advances, in units of 2048 per em: O 1612, c 1126, t 803, space 651, 1 1303, 2 1303.
        let em = 14.0f32;
        let expected = [0.0, 1612.0, 2738.0, 3541.0, 4192.0, 5495.0].map(|u| u * em / 2048.0);
        for ((_, x), want) in line.glyphs.iter().zip(expected) {
            assert!((x - want).abs() < 0.05, "{:?}", line.glyphs);
        }
        assert!((line.width - 6798.0 * em / 2048.0).abs() < 0.05, "{}", line.width);
        assert!(font.glyph_id('ρ').0 != 0 && font.glyph_id('×').0 != 0, "Greek and × are in the subset");
        // The subset's legacy `kern` table: T o is -348 units.
        let to = layout(font, 14.0 * 1.24, "To");
        assert!((to.glyphs[1].1 - (1251.0 - 348.0) * em / 2048.0).abs() < 0.05, "kerned: {:?}", to.glyphs);
    }
}
