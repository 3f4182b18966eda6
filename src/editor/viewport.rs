//! The canvas viewport: which part of the graph the screen shows, and at what zoom.
//! `screen = world · scale + offset`.

use crate::core::document::experiment::View;
pub use crate::core::document::experiment::{MAX_SCALE, MIN_SCALE};
use crate::core::model::graph::Pos;

/// The view an experiment carries (`core::experiment::View`), with the editor's maths on it.
pub type Viewport = View;

/// An axis-aligned box in world units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub min: Pos,
    pub max: Pos,
}

impl Viewport {
    /// The world point under screen point `(x, y)`.
    pub fn to_world(&self, x: f32, y: f32) -> Pos {
        Pos { x: (x - self.offset_x) / self.scale, y: (y - self.offset_y) / self.scale }
    }

    /// Moves the view by a screen distance.
    pub fn pan(&self, dx: f32, dy: f32) -> Self {
        Self { offset_x: self.offset_x + dx, offset_y: self.offset_y + dy, ..*self }
    }

    /// Zooms by `factor` keeping the world point under screen point `(x, y)` where it is.
    pub fn zoom_at(&self, x: f32, y: f32, factor: f32) -> Self {
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let anchor = self.to_world(x, y);
        Self { offset_x: x - anchor.x * scale, offset_y: y - anchor.y * scale, scale }
    }

    /// The view that shows all of `bounds` centred in a `width × height` screen with
    /// `margin` pixels around it, never zoomed in past 1.
    pub fn fit(bounds: Bounds, width: f32, height: f32, margin: f32) -> Self {
        let (w, h) = ((bounds.max.x - bounds.min.x).max(1.0), (bounds.max.y - bounds.min.y).max(1.0));
        let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h).clamp(MIN_SCALE, 1.0);
        let centre = Pos { x: (bounds.min.x + bounds.max.x) / 2.0, y: (bounds.min.y + bounds.max.y) / 2.0 };
        Self { offset_x: width / 2.0 - centre.x * scale, offset_y: height / 2.0 - centre.y * scale, scale }
    }

    /// The world box the screen shows.
    pub fn visible(&self, width: f32, height: f32) -> Bounds {
        Bounds { min: self.to_world(0.0, 0.0), max: self.to_world(width, height) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_still() {
        let view = Viewport { offset_x: 40.0, offset_y: -20.0, scale: 0.8 };
        let before = view.to_world(300.0, 200.0);
        let zoomed = view.zoom_at(300.0, 200.0, 1.5);
        assert!((zoomed.scale - 1.2).abs() < 1e-6);
        let after = zoomed.to_world(300.0, 200.0);
        assert!((before.x - after.x).abs() < 1e-3 && (before.y - after.y).abs() < 1e-3);
        assert_eq!(view.zoom_at(0.0, 0.0, 1000.0).scale, MAX_SCALE);
    }

    #[test]
    fn fit_shows_the_whole_box_centred() {
        let bounds = Bounds { min: Pos { x: 0.0, y: 0.0 }, max: Pos { x: 2000.0, y: 500.0 } };
        let view = Viewport::fit(bounds, 1000.0, 500.0, 20.0);
        let shown = view.visible(1000.0, 500.0);
        assert!(shown.min.x <= 0.0 && shown.max.x >= 2000.0, "{shown:?}");
        assert!(shown.min.y <= 0.0 && shown.max.y >= 500.0, "{shown:?}");
        let centre = view.to_world(500.0, 250.0);
        assert!((centre.x - 1000.0).abs() < 1e-3 && (centre.y - 250.0).abs() < 1e-3);
    }

    #[test]
    fn panning_moves_by_screen_pixels() {
        let view = Viewport { scale: 2.0, ..Viewport::default() }.pan(10.0, -4.0);
        assert_eq!(view.to_world(10.0, -4.0), Pos { x: 0.0, y: 0.0 });
    }
}
