//! The notice: the page's latest message to the user — why training stopped or could not
//! start, what a link or a file did, that storage is full — with how serious it is. One small
//! handle, shared by everything that speaks to the user. A notice is never lost to the next:
//! the ones it replaces queue under it ("2 earlier") until the user dismisses them.

use leptos::prelude::*;

/// How serious a notice is; shown as `data-kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

impl NoticeKind {
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Info => "info",
            NoticeKind::Warning => "warning",
            NoticeKind::Error => "error",
        }
    }
}

/// A message to the user.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// How many replaced notices are kept under the one on show.
const EARLIER: usize = 6;

/// The notice on show, if any, and those it replaced. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Notices {
    current: RwSignal<Option<Notice>>,
    /// Replaced notices the user has not dismissed, newest first.
    earlier: RwSignal<Vec<Notice>>,
}

impl Notices {
    pub fn new() -> Self {
        Self { current: RwSignal::new(None), earlier: RwSignal::new(Vec::new()) }
    }

    /// Shows `text`; the notice it replaces goes under it, with the earlier ones.
    pub fn say(self, kind: NoticeKind, text: impl Into<String>) {
        let notice = Notice { kind, text: text.into() };
        self.set_aside_current(Some(&notice));
        self.current.set(Some(notice));
    }

    /// Moves the notice on show under the next (unless it says the same as `next`).
    fn set_aside_current(self, next: Option<&Notice>) {
        let Some(current) = self.current.get_untracked() else { return };
        if Some(&current) == next {
            return;
        }
        self.earlier.update(|earlier| {
            earlier.retain(|notice| *notice != current);
            earlier.insert(0, current);
            earlier.truncate(EARLIER);
        });
    }

    /// The replaced notices not yet dismissed, newest first (tracked).
    pub fn earlier(self) -> Vec<Notice> {
        self.earlier.get()
    }

    /// Dismisses the notice on show (the user's ×).
    pub fn dismiss(self) {
        self.current.set(None);
    }

    /// Dismisses every earlier notice.
    pub fn dismiss_earlier(self) {
        self.earlier.set(Vec::new());
    }

    /// Shows a notice only if none is showing: for news nobody asked for (the backend found
    /// at start-up), which must not hide a message the user needs (a link that did not open).
    pub fn mention(self, kind: NoticeKind, text: impl Into<String>) {
        if self.current.read_untracked().is_none() {
            self.say(kind, text);
        }
    }

    /// Whether the notice showing starts with `prefix`, so a repeated problem is said once.
    pub fn showing(self, prefix: &str) -> bool {
        self.current
            .with_untracked(|notice| notice.as_ref().is_some_and(|notice| notice.text.starts_with(prefix)))
    }

    /// Clears the notice on show for what comes next (a run that starts); it stays under
    /// "earlier" until the user dismisses it.
    pub fn clear(self) {
        self.set_aside_current(None);
        self.current.set(None);
    }

    /// The notice on show (tracked).
    pub fn get(self) -> Option<Notice> {
        self.current.get()
    }
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}

/// The notice (`data-testid="notice"`, `data-kind` info/warning/error), with a dismiss button,
/// and the notices it replaced (`data-testid="earlier-notices"`, each `data-kind`), folded.
#[component]
pub fn NoticeView(notices: Notices) -> impl IntoView {
    let current = move || {
        notices.get().map(|Notice { kind, text }| {
            view! {
                <p class=format!("notice notice-{}", kind.label()) data-testid="notice" data-explain="notice" data-kind=kind.label()
                    role=if kind == NoticeKind::Error { "alert" } else { "status" }>
                    {text}
                    <button class="notice-close" aria-label=text!("notices-dismiss") on:click=move |_| notices.dismiss()>"×"</button>
                </p>
            }
        })
    };
    let earlier = move || {
        let earlier = notices.earlier();
        (!earlier.is_empty()).then(|| {
            let count = earlier.len();
            let items = earlier
                .into_iter()
                .map(|Notice { kind, text }| view! { <li data-kind=kind.label()>{text}</li> })
                .collect_view();
            view! {
                <details class="earlier-notices" data-testid="earlier-notices" data-explain="earlier-notices" data-count=count>
                    <summary>{text!("notices-earlier", count = count)}</summary>
                    <ul>{items}</ul>
                    <button class="earlier-dismiss" on:click=move |_| notices.dismiss_earlier()>{text!("notices-dismiss-all")}</button>
                </details>
            }
        })
    };
    view! { {current} {earlier} }
}
