//! The engine's end of the channel, in its worker (or on the page's thread where no worker can
//! start): the loop that hands the page's commands to the [`Conductor`], advances it a slice at
//! a time, and posts what it says — with what only a browser can do for it: start WebGPU, keep
//! a clock, and run a sweep's helper lanes in workers of their own.
//!
//! In a worker a slice is [`WORKER_SLICE_MILLIS`] and the loop yields a task between slices,
//! so commands come in between; on the page's thread it is [`PAGE_SLICE_MILLIS`] and it yields
//! until the next frame is painted, as training did before workers.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::core::engine::conductor::{Conductor, GpuDevice, Output};
use crate::core::engine::run::Host;
use crate::core::export::requests;
use crate::core::protocol::codec;
use crate::core::protocol::gpu_state::GpuState;
use crate::core::protocol::message::{Command, Event, SweepReport};
use crate::web::{clock, gpu, tick};

/// Training per slice in a worker: long enough that yielding costs little, short enough
/// that a Pause or Stop is taken within a frame or two.
const WORKER_SLICE_MILLIS: f64 = 20.0;

/// The worker's rest after each slice on a machine of [`FEW_CORES`] or fewer: the page's
/// painting (compositing, rasterising) runs beside the engine, and a core given back a few
/// milliseconds in twenty keeps its frames on time; training loses a sixth of its speed
/// there. With more cores the page has one of its own, and the worker only yields.
const WORKER_REST_MILLIS: f64 = 4.0;

/// The most logical cores at which the worker rests after each slice.
const FEW_CORES: usize = 2;

/// Training per slice on the page's thread: about 70% of a 60 Hz frame.
const PAGE_SLICE_MILLIS: f64 = 12.0;

/// CSV files kept to hand on to helper lanes (as `csv_store` keeps them).
const KEPT_FILES: usize = 4;

/// Starts the engine: answers the page's commands until the page goes away.
pub fn start() {
    let Some(port) = Port::find() else {
        let missing = "Kindling's engine found no kindlingPort to talk through"; // not words: console log
        web_sys::console::error_1(&missing.into());
        return;
    };
    let port = Rc::new(port);
    install_panic_report();
    let inbox = Inbox::default();
    port.listen(&inbox);
    wasm_bindgen_futures::spawn_local(drive(port, inbox));
}

/// The JavaScript object the bootstrap (`engine-worker.js`, or the page's fallback) gives the
/// engine: `send(bytes)` to the page, `listen(handler)` for its commands.
struct Port(JsValue);

impl Port {
    fn find() -> Option<Self> {
        let port = js_sys::Reflect::get(&js_sys::global(), &"kindlingPort".into()).ok()?;
        (!port.is_undefined() && !port.is_null()).then_some(Self(port))
    }

    fn send(&self, event: &Event) {
        let bytes = js_sys::Uint8Array::from(codec::encode(event).as_slice());
        if let Ok(send) = js_sys::Reflect::get(&self.0, &"send".into())
            && let Some(send) = send.dyn_ref::<js_sys::Function>()
        {
            let _ = send.call1(&self.0, &bytes);
        }
    }

    fn listen(&self, inbox: &Inbox) {
        let inbox = inbox.clone();
        let handler = Closure::<dyn FnMut(JsValue)>::new(move |data: JsValue| {
            let bytes = js_sys::Uint8Array::new(&data).to_vec();
            match codec::decode::<Command>(&bytes) {
                Ok(command) => inbox.push(command),
                Err(error) => {
                    let unread = format!("a command did not read: {error}"); // not words: console log
                    web_sys::console::warn_1(&unread.into());
                }
            }
        });
        if let Ok(listen) = js_sys::Reflect::get(&self.0, &"listen".into())
            && let Some(listen) = listen.dyn_ref::<js_sys::Function>()
        {
            let _ = listen.call1(&self.0, handler.as_ref());
        }
        // The port holds the handler for the engine's whole life.
        handler.forget();
    }
}

/// A panic is said to the page (the engine cannot go on), then logged as usual.
fn install_panic_report() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(port) = Port::find() {
            port.send(&Event::Crashed { message: info.to_string() });
        }
    }));
}

/// Commands waiting for the loop, and the loop's waker while it waits for one.
#[derive(Clone, Default)]
struct Inbox {
    queue: Rc<RefCell<VecDeque<Command>>>,
    waker: Rc<RefCell<Option<Waker>>>,
}

impl Inbox {
    fn push(&self, command: Command) {
        self.queue.borrow_mut().push_back(command);
        if let Some(waker) = self.waker.borrow_mut().take() {
            waker.wake();
        }
    }

    fn pop(&self) -> Option<Command> {
        self.queue.borrow_mut().pop_front()
    }

    /// Resolves once a command is waiting.
    fn arrival(&self) -> Arrival {
        Arrival(self.clone())
    }
}

struct Arrival(Inbox);

impl Future for Arrival {
    type Output = ();

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0.queue.borrow().is_empty() {
            *self.0.waker.borrow_mut() = Some(context.waker().clone());
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

/// The engine's host: the clock, and word of a lost GPU.
struct BrowserHost;

impl Host for BrowserHost {
    fn now_millis(&self) -> f64 {
        clock::now_millis()
    }

    fn device_lost(&self) -> Option<String> {
        gpu::lost()
    }

    fn report_failure(&self, details: &str) {
        gpu::report_failure(details);
    }
}

/// Whether this engine runs in a worker (else on the page's thread).
fn in_worker() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"document".into()).is_ok_and(|document| document.is_undefined())
}

async fn drive(port: Rc<Port>, inbox: Inbox) {
    let host = BrowserHost;
    let worker = in_worker();
    let slice = if worker { WORKER_SLICE_MILLIS } else { PAGE_SLICE_MILLIS };
    let rests = worker && crate::web::hardware::cores() <= FEW_CORES;
    let mut conductor = Conductor::new();
    let mut helpers = Helpers::new(inbox.clone(), worker);
    port.send(&Event::Ready);
    loop {
        while let Some(command) = inbox.pop() {
            take(command, &mut conductor, &mut helpers, &port, &host).await;
        }
        if conductor.is_waiting() {
            inbox.arrival().await;
            continue;
        }
        let outputs = conductor.advance(clock::now_millis() + slice, &host).await;
        route(outputs, &port, &mut helpers);
        if rests {
            tick::sleep(WORKER_REST_MILLIS).await;
        } else if worker {
            tick::yield_to_next_task().await;
        } else {
            tick::yield_to_next_frame().await;
        }
    }
}

/// Carries out `command`: what only the browser can do here, export requests by the export
/// layer, the rest by the conductor.
async fn take(
    command: Command,
    conductor: &mut Conductor,
    helpers: &mut Helpers,
    port: &Port,
    host: &BrowserHost,
) {
    match command {
        Command::UseGpu { .. } => {
            port.send(&Event::Gpu(GpuState::Detecting));
            match gpu::init().await {
                Ok(started) => {
                    let device =
                        GpuDevice { device: started.device, adapter: started.adapter, f16: started.f16 };
                    route(conductor.gpu_started(device), port, helpers);
                }
                Err(reason) => {
                    port.send(&Event::Gpu(GpuState::Unavailable(reason)));
                    conductor.warm_up();
                }
            }
        }
        Command::WarmUp => conductor.warm_up(),
        Command::AddCsv { name, bytes } => {
            helpers.keep_file(&name, &bytes);
            route(conductor.command(Command::AddCsv { name, bytes }, host), port, helpers);
        }
        Command::Sweep { id, graph, lanes } => {
            let lanes = 1 + helpers.ensure(lanes.saturating_sub(1));
            route(conductor.command(Command::Sweep { id, graph, lanes }, host), port, helpers);
        }
        command => match requests::answer(&command).await {
            Some(answer) => port.send(&answer),
            None => route(conductor.command(command, host), port, helpers),
        },
    }
}

/// Posts the page's events, hands the lanes' orders on; a sweep's end lets its helpers go.
fn route(outputs: Vec<Output>, port: &Port, helpers: &mut Helpers) {
    for output in outputs {
        match output {
            Output::Page(event) => {
                let sweep_over = matches!(
                    &event,
                    Event::Sweep { report: SweepReport::Finished | SweepReport::Stopped, .. }
                );
                port.send(&event);
                if sweep_over {
                    helpers.dismiss();
                }
            }
            Output::Lane { lane, command } => helpers.send(lane, &command),
        }
    }
}

/// A sweep's helper lanes: engines in workers of their own, lane `k` being helper `k − 1`.
struct Helpers {
    workers: Vec<Helper>,
    /// The CSV files the graphs may name, for each new helper.
    files: Vec<(String, Vec<u8>)>,
    inbox: Inbox,
    /// Whether helpers can start (the engine itself runs in a worker).
    possible: bool,
}

/// A helper's worker, and the handlers it calls.
struct Helper {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl Helpers {
    fn new(inbox: Inbox, possible: bool) -> Self {
        Self { workers: Vec::new(), files: Vec::new(), inbox, possible }
    }

    fn keep_file(&mut self, name: &str, bytes: &[u8]) {
        self.files.retain(|(kept, _)| kept != name);
        self.files.push((name.to_owned(), bytes.to_vec()));
        let over = self.files.len().saturating_sub(KEPT_FILES);
        self.files.drain(..over);
    }

    /// Starts helpers until there are `count` (as many as can start); how many there are.
    fn ensure(&mut self, count: usize) -> usize {
        while self.possible && self.workers.len() < count {
            match self.spawn(self.workers.len() + 1) {
                Some(helper) => self.workers.push(helper),
                None => break,
            }
        }
        self.workers.len().min(count)
    }

    /// A helper for lane `lane`: this engine's own worker script again.
    fn spawn(&self, lane: usize) -> Option<Helper> {
        let location = js_sys::Reflect::get(&js_sys::global(), &"location".into()).ok()?;
        let url = js_sys::Reflect::get(&location, &"href".into()).ok()?.as_string()?;
        let options = web_sys::WorkerOptions::new();
        options.set_name(&format!("kindling-lane-{lane}"));
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(&url, &options).ok()?;
        let inbox = self.inbox.clone();
        let on_message = Closure::new(move |message: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&message.data()).to_vec();
            if let Ok(Event::Trial { report, .. }) = codec::decode::<Event>(&bytes) {
                inbox.push(Command::LaneReport { lane, report });
            }
        });
        let inbox = self.inbox.clone();
        let on_error = Closure::new(move |error: web_sys::ErrorEvent| {
            error.prevent_default();
            inbox.push(Command::LaneLost { lane, reason: error.message() });
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let helper = Helper { worker, _on_message: on_message, _on_error: on_error };
        helper.post(&Command::Configure { live_views: false });
        for (name, bytes) in &self.files {
            helper.post(&Command::AddCsv { name: name.clone(), bytes: bytes.clone() });
        }
        Some(helper)
    }

    fn send(&self, lane: usize, command: &Command) {
        if let Some(helper) = lane.checked_sub(1).and_then(|index| self.workers.get(index)) {
            helper.post(command);
        }
    }

    /// Lets every helper go (their memory with them).
    fn dismiss(&mut self) {
        for helper in self.workers.drain(..) {
            helper.worker.terminate();
        }
    }
}

impl Helper {
    fn post(&self, command: &Command) {
        let bytes = js_sys::Uint8Array::from(codec::encode(command).as_slice());
        let transfer = js_sys::Array::of1(&bytes.buffer());
        let _ = self.worker.post_message_with_transfer(&bytes, &transfer);
    }
}
