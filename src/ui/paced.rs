//! Charts drawn one per animation frame.
//!
//! A publish from the engine changes every chart at once — loss, accuracy, learning rate, the
//! step charts — and drawn and written together they cost one frame all of their drawing and
//! then the page's layout of all of them. On a busy machine (two cores shared by the page, the
//! engine's worker and the browser compiling the engine's code just after load) that one
//! frame ran past 100 ms. So when a chart's data change, its drawing waits in a queue, and each
//! animation frame draws and writes one waiting chart. A chart whose data change again while
//! it waits keeps its place and draws the newest data: the queue never grows past the number
//! of charts, and on a slow machine charts refresh less often instead of the page stuttering.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::tick;

/// A chart's SVG, redrawn in an animation frame of its own after its data change.
#[derive(Clone, Copy)]
pub struct PacedSvg {
    /// The SVG drawn last.
    pub svg: Signal<String>,
    /// Whether a newer drawing waits for its frame (`data-pending` on the chart).
    pub pending: Signal<bool>,
}

/// A chart's drawing, waiting for its frame.
type Drawing = Box<dyn FnOnce()>;

#[derive(Default)]
struct Queue {
    /// Drawings waiting, oldest first, each under its chart's number.
    waiting: VecDeque<(u64, Drawing)>,
    /// Whether the loop that draws them runs.
    drawing: bool,
    /// The number the next chart gets.
    next_chart: u64,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

/// A chart drawn by `draw` from what `inputs` reads: drawn at once for the page's first
/// paint, then again, paced, whenever a signal `inputs` reads changes. `inputs` should be cheap
/// (it runs when the data change); `draw` does the work (it runs in the chart's frame).
pub fn paced<T: 'static>(
    inputs: impl Fn() -> T + 'static,
    draw: impl Fn(&T) -> String + 'static,
) -> PacedSvg {
    let chart = QUEUE.with_borrow_mut(|queue| {
        queue.next_chart += 1;
        queue.next_chart
    });
    let draw = Rc::new(draw);
    let svg = RwSignal::new(untrack(|| draw(&inputs())));
    let pending = RwSignal::new(false);
    Effect::new(move |first_run: Option<()>| {
        let data = inputs();
        if first_run.is_none() {
            return;
        }
        let draw = Rc::clone(&draw);
        pending.set(true);
        enqueue(
            chart,
            Box::new(move || {
                let drawn = draw(&data);
                svg.try_set(drawn);
                pending.try_set(false);
            }),
        );
    });
    PacedSvg { svg: svg.into(), pending: pending.into() }
}

/// Queues `drawing` for `chart`, in place of one already waiting, and starts the loop.
fn enqueue(chart: u64, drawing: Drawing) {
    let start = QUEUE.with_borrow_mut(|queue| {
        match queue.waiting.iter_mut().find(|(waiting, _)| *waiting == chart) {
            Some(slot) => slot.1 = drawing,
            None => queue.waiting.push_back((chart, drawing)),
        }
        !std::mem::replace(&mut queue.drawing, true)
    });
    if start {
        spawn_local(draw_waiting());
    }
}

/// Draws the waiting charts, one after each frame, until none waits.
async fn draw_waiting() {
    loop {
        tick::yield_to_next_frame().await;
        let next = QUEUE.with_borrow_mut(|queue| {
            let next = queue.waiting.pop_front();
            queue.drawing = next.is_some();
            next
        });
        let Some((_, drawing)) = next else { return };
        drawing();
    }
}
