//! The page's handle on the engine: sends commands, numbers activities, and remembers what a
//! fresh engine must be told again (its configuration, the CSV files) should the first one
//! crash. Events come back to the one routing function `App` gives [`Engine::start`].

use std::rc::Rc;

use leptos::prelude::*;

use super::notices::{NoticeKind, Notices};
use crate::core::protocol::message::{ActivityId, Command, Event};
use crate::web::engine_link::{EngineLink, Trouble};

/// The engine, as the page holds it. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Engine {
    link: StoredValue<Option<EngineLink>, LocalStorage>,
    /// The last number given to an activity.
    last_id: StoredValue<ActivityId>,
    /// What every new engine is told first: its configuration and the CSV files.
    setup: StoredValue<Vec<Command>>,
    /// Whether the engine is up (Train can start).
    pub ready: RwSignal<bool>,
    /// Whether it runs on the page's thread (no worker could start).
    pub on_page: RwSignal<bool>,
    /// Bumped when the engine crashed: whatever was under way is gone.
    pub crashes: RwSignal<u32>,
    notices: Notices,
}

impl Engine {
    pub fn new(notices: Notices) -> Self {
        Self {
            link: StoredValue::new_local(None),
            last_id: StoredValue::new(0),
            setup: StoredValue::new(Vec::new()),
            ready: RwSignal::new(false),
            on_page: RwSignal::new(false),
            crashes: RwSignal::new(0),
            notices,
        }
    }

    /// Starts the engine; every event goes to `route`.
    pub fn start(self, route: impl Fn(Event) + 'static) {
        let route = Rc::new(route);
        let on_event = Rc::new(move |event: Event| {
            match &event {
                Event::Ready => self.ready.set(true),
                Event::Crashed { message } => self.crashed(message),
                _ => {}
            }
            route(event);
        });
        let on_trouble = Rc::new(move |trouble: Trouble| match trouble {
            Trouble::OnThePage(why) => {
                self.on_page.set(true);
                self.notices.mention(NoticeKind::Info, text!("run-engine-on-page", reason = why));
            }
            Trouble::Crashed(why) => self.crashed(&why),
            Trouble::Failed(why) => {
                self.ready.set(false);
                self.notices.say(NoticeKind::Error, text!("run-engine-failed", reason = why));
            }
        });
        self.link.set_value(Some(EngineLink::start(on_event, on_trouble)));
    }

    /// The engine failed: whatever it was doing is gone. A worker is started afresh and told
    /// its setup again; the graph, the charts and the stored checkpoints stay.
    fn crashed(self, why: &str) {
        self.ready.set(false);
        self.crashes.update(|crashes| *crashes += 1);
        let restarted = self.link.with_value(|link| link.as_ref().is_some_and(EngineLink::restart));
        if restarted {
            self.setup.with_value(|setup| {
                for command in setup {
                    self.send_now(command);
                }
            });
        }
        let text = if restarted {
            text!("run-engine-restarting", reason = why)
        } else {
            text!("run-engine-stopped", reason = why)
        };
        self.notices.say(NoticeKind::Error, text);
    }

    /// A number for a new activity.
    pub fn next_id(self) -> ActivityId {
        self.last_id.update_value(|id| *id += 1);
        self.last_id.get_value()
    }

    /// Sends `command`.
    pub fn send(self, command: Command) {
        self.send_now(&command);
    }

    /// Sends `command`, and again to any engine started after a crash.
    pub fn send_to_every_engine(self, command: Command) {
        self.send_now(&command);
        self.setup.update_value(|setup| {
            if let Command::AddCsv { name, .. } = &command {
                setup.retain(|kept| !matches!(kept, Command::AddCsv { name: kept, .. } if kept == name));
            }
            setup.push(command);
        });
    }

    fn send_now(self, command: &Command) {
        self.link.with_value(|link| {
            if let Some(link) = link {
                link.send(command);
            }
        });
    }
}
