//! The backend every chart of the page draws with: plotters' SVG backend, except that text is
//! measured by its length rather than in the page.
//!
//! In a browser, plotters measures a text by adding a styled `<span>` to the page and reading
//! its size, which lays the whole page out again — for every caption and label of every chart,
//! every time one is drawn. While training that was about a twentieth of the page's thread,
//! and the first run's frames stalled on it. The charts need sizes only to place a caption
//! and to pad labels, which an estimate from the font's size does as well.
//!
//! Every chart's SVG then goes through [`themed`], so that it follows the page's light or dark
//! theme as the HTML around it does.

use plotters::prelude::SVGBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The average advance of a sans-serif character, as a fraction of the font's size.
const CHARACTER_WIDTH: f64 = 0.55;

/// The width and height, in pixels, of `text` in a sans-serif font of `size` pixels.
pub(super) fn text_size(text: &str, size: f64) -> (u32, u32) {
    let width = text.chars().count() as f64 * size * CHARACTER_WIDTH;
    (width.ceil() as u32, size.ceil() as u32)
}

/// `svg` as plotters wrote it, made to follow the page's theme (light or dark, as the system
/// is set): black, in which plotters draws the axes, the tick labels and the captions (and the
/// charts their grid lines and legends, faint or not), becomes the colour of the text around
/// the chart (`currentColor`); white, the legend's box, takes the panel's colour through the
/// stylesheet's `.chart-paper`. The background is left transparent, and the data's colours
/// (lines, points) stay as drawn.
///
/// A translucent colour (the faint grid) is written by plotters as the element's `opacity`,
/// which the browser paints as a group of its own, one per line: a hundred of them made the
/// first frames of a run take 50–100 ms. It is turned into the paint's own opacity (`fill-` and
/// `stroke-opacity`), the same on an element that has one paint, and cheap.
pub(super) fn themed(svg: &str) -> String {
    paint_opacity(
        &svg.replace("=\"#000000\"", "=\"currentColor\"")
            .replace("fill=\"#FFFFFF\"", "class=\"chart-paper\" fill=\"#FFFFFF\""),
    )
}

/// `svg` with every element's `opacity="x"` written as `fill-opacity="x" stroke-opacity="x"`.
fn paint_opacity(svg: &str) -> String {
    const OPACITY: &str = " opacity=\"";
    let mut painted = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    while let Some(at) = rest.find(OPACITY) {
        let value_at = at + OPACITY.len();
        let Some(length) = rest[value_at..].find('"') else { break };
        let value = &rest[value_at..value_at + length];
        painted.push_str(&rest[..at]);
        painted.push_str(&format!(" fill-opacity=\"{value}\" stroke-opacity=\"{value}\""));
        rest = &rest[value_at + length + 1..];
    }
    painted.push_str(rest);
    painted
}

/// [`SVGBackend`] with text measured by [`text_size`].
pub(super) struct ChartBackend<'a>(SVGBackend<'a>);

impl<'a> ChartBackend<'a> {
    /// A chart of `size` pixels, written as SVG into `svg`.
    pub(super) fn with_string(svg: &'a mut String, size: (u32, u32)) -> Self {
        Self(SVGBackend::with_string(svg, size))
    }
}

type Drawn<'a> = Result<(), DrawingErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>>;

impl<'a> DrawingBackend for ChartBackend<'a> {
    type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn<'a> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Drawn<'a> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, colour: BackendColor) -> Drawn<'a> {
        self.0.draw_pixel(point, colour)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn<'a> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<'a> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<'a> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<'a> {
        self.0.draw_circle(centre, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Drawn<'a> {
        self.0.fill_polygon(vertices, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, at: BackendCoord) -> Drawn<'a> {
        self.0.draw_text(text, style, at)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(text, style.size()))
    }

    fn blit_bitmap(&mut self, at: BackendCoord, (width, height): (u32, u32), pixels: &[u8]) -> Drawn<'a> {
        self.0.blit_bitmap(at, (width, height), pixels)
    }
}
