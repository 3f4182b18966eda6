//! The notice: the page's latest message to the user — why training stopped or could not
//! start, what a link or a file did, that storage is full — with how serious it is. One small
//! handle, shared by everything that speaks to the user.

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

/// The notice on show, if any. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Notices {
    current: RwSignal<Option<Notice>>,
}

impl Notices {
    pub fn new() -> Self {
        Self { current: RwSignal::new(None) }
    }

    /// Shows `text`, replacing whatever was showing.
    pub fn say(self, kind: NoticeKind, text: impl Into<String>) {
        self.current.set(Some(Notice { kind, text: text.into() }));
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

    pub fn clear(self) {
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

/// The notice (`data-testid="notice"`, `data-kind` info/warning/error), with a dismiss button.
#[component]
pub fn NoticeView(notices: Notices) -> impl IntoView {
    move || {
        notices.get().map(|Notice { kind, text }| {
            view! {
                <p class=format!("notice notice-{}", kind.label()) data-testid="notice" data-kind=kind.label()
                    role=if kind == NoticeKind::Error { "alert" } else { "status" }>
                    {text}
                    <button class="notice-close" aria-label="Dismiss" on:click=move |_| notices.clear()>"×"</button>
                </p>
            }
        })
    }
}
