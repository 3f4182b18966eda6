//! The user's graphs in this browser: autosave, restore on reload, recent graphs, and
//! opening a shared link without losing what was there.
//!
//! Each tab edits one saved graph, under its own id (kept in `sessionStorage`, so a reload
//! finds it again). A new tab starts from a copy of the most recent graph under a new id, and
//! saves only once it is changed: two tabs never write the same entry. Should they ever
//! (a duplicated tab), the one that sees the other's write moves to a copy of its own.
//! Opening a shared link, a template or a file gives the tab a new id too, so the graph it
//! was showing stays in storage, listed under Recent graphs.
//!
//! Nothing is hidden or lost: an entry that does not read is kept aside (listed, with Export
//! and Delete); one written by a newer Kindling is left where it is; past the recent limit the
//! oldest graphs are kept aside too, and a notice says which (`kept_aside`). And should a load
//! of this tab not finish (a graph that crashed the page), the next load starts from the
//! default graph and keeps the one it was opening aside, rather than crashing again.

mod kept_aside;

use std::collections::BTreeSet;
use std::time::Duration;

use leptos::prelude::*;

use super::editor::Editor;
use super::notices::{NoticeKind, Notices};
use crate::core::document::experiment::Experiment;
use crate::core::document::link;
use crate::core::document::saved_graph::{self, KEY_PREFIX, SavedGraph};
use crate::web::clock::epoch_millis;
use crate::web::events::on_page_hidden;
use crate::web::storage;
use crate::web::url;

/// The `sessionStorage` key holding this tab's graph id.
const TAB_KEY: &str = "kindling.tab";
/// The fragment prefix of a shared link: `#g=<link text>`.
pub const LINK_PREFIX: &str = "g=";
/// How long after the last change autosave waits.
const SAVE_DELAY: Duration = Duration::from_millis(400);
/// How long the address bar's fragment must rest before the link in it opens.
const LINK_SETTLE: Duration = Duration::from_millis(250);
/// The `sessionStorage` key present while this tab loads: found at the start of a load, it
/// says the previous one did not finish.
const LOADING_KEY: &str = "kindling.loading";

/// Where autosave stands, shown as `data-autosave` on the document bar (tests wait on it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Autosave {
    /// Storage cannot be used: nothing is saved.
    Off,
    /// A change waits for the autosave delay.
    Pending,
    /// What the tab shows is saved (or was never changed).
    Saved,
    /// The last write failed; the notice said why.
    Failed,
}

impl Autosave {
    pub fn label(self) -> &'static str {
        match self {
            Autosave::Off => "off",
            Autosave::Pending => "pending",
            Autosave::Saved => "saved",
            Autosave::Failed => "failed",
        }
    }
}

/// An entry kept aside: one that did not read, the graph a load that did not finish was
/// opening, or a graph past the recent limit. Listed with Export and Delete.
#[derive(Clone, Debug, PartialEq)]
pub struct Aside {
    pub id: String,
    /// The title the entry gives itself, if it has one.
    pub title: Option<String>,
    pub text: String,
}

/// One line of the recent-graphs list.
#[derive(Clone, Debug, PartialEq)]
pub struct Recent {
    pub id: String,
    pub title: String,
    pub saved_at: f64,
}

#[derive(Clone, Copy)]
pub struct LocalWork {
    editor: Editor,
    notices: Notices,
    /// The id this tab saves under.
    id: RwSignal<String>,
    /// The saved graph a new tab shows a copy of, until the copy is changed and saved under
    /// this tab's id: its checkpoint is the copy's.
    copied_from: RwSignal<Option<String>>,
    /// Whether storage works; false turns autosave off (the notice said why).
    enabled: StoredValue<bool>,
    /// What was last saved (or restored): an unchanged graph is not written again.
    saved: StoredValue<Option<Experiment>>,
    /// Whether this tab has saved under its id. Until it has, it shows a graph it did not
    /// make (the default, or a copy of the latest) and saves only once the graph changes,
    /// not for a view fitted to the screen.
    owned: StoredValue<bool>,
    pending: StoredValue<Option<TimeoutHandle>>,
    /// A failed save was reported; the next success clears it.
    failing: StoredValue<bool>,
    /// Every saved graph, newest first.
    pub recent: RwSignal<Vec<Recent>>,
    /// Entries kept aside.
    pub aside: RwSignal<Vec<Aside>>,
    /// Entries from a newer Kindling, already mentioned.
    newer: StoredValue<BTreeSet<String>>,
    /// Where autosave stands.
    pub state: RwSignal<Autosave>,
}

impl LocalWork {
    /// Restores this tab's graph (or opens the shared link in the address bar) into `editor`,
    /// and starts autosaving it.
    pub fn start(editor: Editor, notices: Notices) -> Self {
        let work = Self::new(editor, notices);
        let interrupted = storage::tab_get(LOADING_KEY).is_some();
        storage::tab_set(LOADING_KEY, "1");
        // The load has finished once the graph restored (or opened) is compiled and drawn: two
        // frames on. The warm-up runs on the default graph, never the user's.
        request_animation_frame(|| request_animation_frame(|| storage::tab_remove(LOADING_KEY)));
        let graphs = match work.read_all() {
            Ok(graphs) => graphs,
            Err(reason) => {
                work.enabled.set_value(false);
                work.state.set(Autosave::Off);
                notices.say(NoticeKind::Warning, text!("autosave-off", reason = reason.to_string()));
                Vec::new()
            }
        };
        if interrupted {
            work.start_afresh(&graphs);
        } else {
            let opened = shared_link().is_some_and(|text| work.open_link(&text, !graphs.is_empty(), true));
            if !opened {
                work.restore(&graphs);
            }
        }
        work.autosave();
        // A link pasted into the address bar opens once the fragment has rested a moment: a
        // page that keeps changing it (a popup that opened this tab) opens one graph, not one
        // saved entry per change.
        let settling: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
        url::on_fragment_change(move || {
            if let Some(handle) = settling.try_update_value(Option::take).flatten() {
                handle.clear();
            }
            let open = move || {
                if let Some(text) = shared_link() {
                    let had_local = !work.recent.read_untracked().is_empty();
                    work.open_link(&text, had_local, false);
                }
            };
            settling.set_value(set_timeout_with_handle(open, LINK_SETTLE).ok());
        });
        work
    }

    /// For a page embedded in another (`?embed`): shows the link in the address bar (else the
    /// default graph) and never touches the reader's own graphs — nothing read, nothing saved.
    pub fn start_embedded(editor: Editor, notices: Notices) -> Self {
        let work = Self::new(editor, notices);
        work.enabled.set_value(false);
        work.state.set(Autosave::Off);
        if let Some(text) = shared_link() {
            match link::open(&text) {
                Ok(experiment) => editor.start_with(experiment),
                Err(error) => notices
                    .say(NoticeKind::Error, text!("document-link-cannot-open", reason = error.to_string())),
            }
        }
        work
    }

    fn new(editor: Editor, notices: Notices) -> Self {
        Self {
            editor,
            notices,
            id: RwSignal::new(new_id()),
            copied_from: RwSignal::new(None),
            enabled: StoredValue::new(true),
            saved: StoredValue::new(None),
            owned: StoredValue::new(false),
            pending: StoredValue::new(None),
            failing: StoredValue::new(false),
            recent: RwSignal::new(Vec::new()),
            aside: RwSignal::new(Vec::new()),
            newer: StoredValue::new(BTreeSet::new()),
            state: RwSignal::new(Autosave::Saved),
        }
    }

    /// Before the graph is replaced by a template or a file: saves it, and moves this tab to
    /// a new id, so the graph replaced stays under Recent graphs (not only in Undo).
    pub fn keep_current(self) {
        self.save_now();
        if self.owned.get_value() {
            self.set_id(new_id());
            storage::tab_set(TAB_KEY, &self.id.get_untracked());
            self.saved.set_value(None);
        }
    }

    fn list(self, graphs: &[SavedGraph]) {
        let recent = graphs.iter().map(|graph| Recent {
            id: graph.id.clone(),
            title: graph.title.clone(),
            saved_at: graph.saved_at,
        });
        self.recent.set(recent.collect());
    }

    /// This tab's graph after a reload; in a new tab, a copy of the most recent graph.
    fn restore(self, graphs: &[SavedGraph]) {
        let tab_id = storage::tab_get(TAB_KEY);
        let own = tab_id.as_ref().and_then(|id| graphs.iter().find(|graph| &graph.id == id));
        // A reloaded tab keeps its id though it never saved (a graph trained unchanged): its
        // checkpoint is under that id.
        if let Some(id) = tab_id.filter(|_| own.is_none()) {
            self.set_id(id);
        }
        if let Some(own) = own {
            self.set_id(own.id.clone());
            self.set_owned();
            self.saved.set_value(Some(own.experiment.clone()));
            self.editor.start_with(own.experiment.clone());
        } else if let Some(latest) = graphs.first() {
            // Saved under this tab's new id once it changes.
            self.copied_from.set(Some(latest.id.clone()));
            self.saved.set_value(Some(latest.experiment.clone()));
            self.editor.start_with(latest.experiment.clone());
        } else {
            self.saved.set_value(Some(self.editor.experiment()));
        }
        storage::tab_set(TAB_KEY, &self.id.get_untracked());
    }

    /// Opens link text from the address bar. The graph shown before stays saved under its id,
    /// in Recent graphs (`had_local` says whether there is such work, for the notice). On a
    /// bad link, says why and changes nothing; returns whether it opened.
    fn open_link(self, text: &str, had_local: bool, starting: bool) -> bool {
        let experiment = match link::open(text) {
            Ok(experiment) => experiment,
            Err(error) => {
                self.notices
                    .say(NoticeKind::Error, text!("document-link-cannot-open", reason = error.to_string()));
                return false;
            }
        };
        if !starting {
            self.save_now();
        }
        // The same graph opened again is the entry it has already, not one more.
        let same = self.read_all().ok().and_then(|graphs| {
            graphs.into_iter().find(|graph| graph.experiment.graph == experiment.graph).map(|graph| graph.id)
        });
        self.set_id(same.unwrap_or_else(new_id));
        storage::tab_set(TAB_KEY, &self.id.get_untracked());
        if starting {
            self.editor.start_with(experiment);
        } else {
            self.editor.open(experiment);
        }
        self.set_owned();
        self.saved.set_value(None);
        self.save_now();
        url::clear_fragment();
        let opened =
            if had_local { text!("document-link-opened-kept") } else { text!("document-link-opened") };
        self.notices.say(NoticeKind::Info, opened);
        true
    }

    /// Saves a short while after every change to the graph or the view, when the page is
    /// hidden, and moves to a copy of its own when another tab writes this tab's entry.
    fn autosave(self) {
        let editor = self.editor;
        Effect::new(move |previous: Option<()>| {
            editor.graph.track();
            editor.viewport.track();
            if previous.is_some() {
                self.schedule();
            }
        });
        // Should Kindling fail before the autosave delay is over, its panic hook saves the
        // graph as it stands: handed over on every change of the graph (not of the view, which
        // changes every frame of a pan and costs nothing to lose).
        Effect::new(move |previous: Option<()>| {
            editor.graph.track();
            if previous.is_some() {
                super::crash::keep(&self.id.get_untracked(), editor.experiment());
            }
        });
        on_page_hidden(move || self.save_now());
        storage::on_change_elsewhere(move |key| {
            if !key.starts_with(KEY_PREFIX) {
                return;
            }
            if key == saved_graph::key(&self.id.get_untracked()) && self.owned.get_value() {
                self.set_id(new_id());
                storage::tab_set(TAB_KEY, &self.id.get_untracked());
                self.saved.set_value(None);
                self.save_now();
                self.notices.say(NoticeKind::Info, text!("autosave-other-tab"));
            }
            let _ = self.read_all();
        });
    }

    fn schedule(self) {
        if !self.enabled.get_value() {
            return;
        }
        if let Some(handle) = self.pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || self.save_now(), SAVE_DELAY).ok();
        self.pending.set_value(handle);
        self.state.set(Autosave::Pending);
    }

    /// Saves the graph now if it changed since it was last saved.
    pub fn save_now(self) {
        if let Some(handle) = self.pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        // A timer may fire after the page's app is gone (unmounted): nothing to save then.
        if self.enabled.try_get_value() != Some(true) {
            return;
        }
        let experiment = self.editor.experiment();
        let unchanged = self.saved.with_value(|saved| {
            saved.as_ref().is_some_and(|saved| {
                *saved == experiment || (!self.owned.get_value() && saved.graph == experiment.graph)
            })
        });
        if unchanged {
            self.state.set(Autosave::Saved);
            return;
        }
        let id = self.id.get_untracked();
        let written = saved_graph::entry(&experiment, epoch_millis())
            .map_err(|error| error.to_string())
            .and_then(|entry| storage::set(&saved_graph::key(&id), &entry).map_err(|full| full.to_string()));
        match written {
            Ok(()) => {
                self.set_owned();
                self.saved.set_value(Some(experiment));
                storage::tab_set(TAB_KEY, &id);
                self.failing.set_value(false);
                self.prune();
                let _ = self.read_all();
                self.state.set(Autosave::Saved);
            }
            Err(reason) if !self.failing.get_value() => {
                self.failing.set_value(true);
                self.state.set(Autosave::Failed);
                self.notices.say(NoticeKind::Warning, text!("autosave-failed", reason = reason));
            }
            Err(_) => self.state.set(Autosave::Failed),
        }
    }

    /// Opens saved graph `id` in this tab (undoably); this tab saves to it from now on.
    pub fn open_recent(self, id: &str) {
        self.save_now();
        let read =
            storage::get(&saved_graph::key(id)).map_err(|reason| reason.to_string()).and_then(|text| {
                let text = text.ok_or_else(|| text!("document-recent-gone"))?;
                saved_graph::read(id, &text).map_err(|error| error.to_string())
            });
        match read {
            Ok(graph) => {
                self.set_id(graph.id.clone());
                self.set_owned();
                storage::tab_set(TAB_KEY, &graph.id);
                self.saved.set_value(Some(graph.experiment.clone()));
                self.editor.open(graph.experiment);
                self.notices.say(NoticeKind::Info, text!("document-recent-opened", title = &graph.title));
            }
            Err(reason) => {
                self.notices.say(NoticeKind::Error, text!("document-recent-failed", reason = reason))
            }
        }
    }

    /// Lists the saved graphs again, after one was deleted elsewhere (the Stored panel).
    pub fn refresh_recent(self) {
        if let Ok(graphs) = self.read_all() {
            self.list(&graphs);
        }
    }

    /// The id this tab saves under.
    pub fn current_id(self) -> String {
        self.id.get_untracked()
    }

    /// The id of the graph whose checkpoint goes with what the tab shows, as it changes:
    /// the id this tab saves under (a template or a file opened starts a new graph; a recent
    /// graph opened is that graph) or, while a new tab shows an unchanged copy of the latest
    /// graph, that graph's.
    pub fn checkpoint_id(self) -> Signal<String> {
        Signal::derive(move || self.copied_from.get().unwrap_or_else(|| self.id.get()))
    }

    fn set_id(self, id: String) {
        self.no_longer_a_copy();
        self.id.set(id);
    }

    /// This tab has saved under its id.
    fn set_owned(self) {
        self.no_longer_a_copy();
        self.owned.set_value(true);
    }

    fn no_longer_a_copy(self) {
        if self.copied_from.read_untracked().is_some() {
            self.copied_from.set(None);
        }
    }
}

/// The link text in the address bar's fragment (`#g=…`), if there is one.
fn shared_link() -> Option<String> {
    url::fragment().and_then(|fragment| fragment.strip_prefix(LINK_PREFIX).map(str::to_owned))
}

/// A fresh graph id: the time and a random part, in base 36.
fn new_id() -> String {
    let base36 = |number: f64| {
        js_sys::Number::from(number.floor()).to_string_with_radix(36).map(String::from).unwrap_or_default()
    };
    format!("{}-{}", base36(epoch_millis()), base36(js_sys::Math::random() * 36f64.powi(6)))
}
