//! What is kept aside, and why: saved entries that do not read, the graph and link a load
//! that did not finish was opening, and the oldest graphs past the recent limit — each moved
//! to its own key (`saved_graph::ASIDE_PREFIX`), listed with Export and Delete, never deleted
//! unasked.

use leptos::prelude::*;

use crate::core::document::experiment::ReadError;
use crate::core::document::saved_graph::{self, ASIDE_PREFIX, KEY_PREFIX, MAX_RECENT, SavedGraph};
use crate::ui::notices::NoticeKind;
use crate::web::storage::{self, StorageError};
use crate::web::url;

use super::{Aside, LocalWork, TAB_KEY, new_id, shared_link};

impl LocalWork {
    /// Every saved graph, newest first; entries that do not read are moved aside, with a
    /// warning.
    pub(super) fn read_all(self) -> Result<Vec<SavedGraph>, StorageError> {
        let mut graphs = Vec::new();
        let mut unreadable = Vec::new();
        for key in storage::keys_with_prefix(KEY_PREFIX)? {
            let id = key[KEY_PREFIX.len()..].to_owned();
            let Some(text) = storage::get(&key)? else { continue };
            match saved_graph::read(&id, &text) {
                Ok(graph) => graphs.push(graph),
                Err(error) => unreadable.push((id, text, error)),
            }
        }
        let newer_found: Vec<String> = unreadable
            .iter()
            .filter(|(_, _, error)| matches!(error, ReadError::Newer { .. }))
            .map(|(id, _, _)| id.clone())
            .collect();
        // A newer Kindling's entries stay where they are, for it to open; said once.
        let unmentioned =
            newer_found.iter().filter(|id| !self.newer.with_value(|newer| newer.contains(*id))).count();
        if unmentioned > 0 {
            self.newer.update_value(|newer| newer.extend(newer_found.iter().cloned()));
            self.notices.say(NoticeKind::Info, text!("autosave-newer", count = unmentioned));
        }
        unreadable.retain(|(_, _, error)| !matches!(error, ReadError::Newer { .. }));
        for (id, text, error) in unreadable {
            let aside = format!("{ASIDE_PREFIX}{id}");
            let kept = storage::set(&aside, &text).and_then(|()| storage::remove(&saved_graph::key(&id)));
            let reason = error.to_string();
            let notice = match kept {
                Ok(()) => text!("autosave-unreadable-kept", reason = reason, key = aside),
                Err(_) => text!("autosave-unreadable-stays", reason = reason, key = saved_graph::key(&id)),
            };
            self.notices.say(NoticeKind::Warning, notice);
        }
        graphs.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
        self.list(&graphs);
        self.list_aside();
        Ok(graphs)
    }

    /// Reads the entries kept aside into [`Self::aside`].
    pub(super) fn list_aside(self) {
        let aside = storage::keys_with_prefix(ASIDE_PREFIX)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|key| {
                let text = storage::get(&key).ok().flatten()?;
                let title = saved_graph::title_of_entry(&text).or_else(|| {
                    key.starts_with(&format!("{ASIDE_PREFIX}link-"))
                        .then(|| text!("autosave-aside-link", count = text.len()))
                });
                Some(Aside { id: key[ASIDE_PREFIX.len()..].to_owned(), title, text })
            })
            .collect();
        self.aside.set(aside);
    }

    /// Downloads the entry kept aside as `id`, as it is stored.
    pub fn export_aside(self, id: &str) {
        let text = self.aside.with_untracked(|aside| {
            aside.iter().find(|entry| entry.id == id).map(|entry| entry.text.clone())
        });
        let Some(text) = text else { return };
        if let Err(reason) = crate::web::download::download(
            &format!("kindling-kept-aside-{id}.json"),
            text.as_bytes(),
            "application/json",
        ) {
            self.notices.say(NoticeKind::Error, text!("autosave-aside-export-failed", reason = reason));
        }
    }

    /// Deletes the entry kept aside as `id`.
    pub fn delete_aside(self, id: &str) {
        match storage::remove(&format!("{ASIDE_PREFIX}{id}")) {
            Ok(()) => self.notices.say(NoticeKind::Info, text!("autosave-aside-deleted")),
            Err(reason) => self
                .notices
                .say(NoticeKind::Error, text!("autosave-aside-delete-failed", reason = reason.to_string())),
        }
        self.list_aside();
    }

    /// The start of a load after one that did not finish: the graph that load was opening
    /// (this tab's, or the shared link's) is kept aside, not opened again, and the editor
    /// starts from the default graph under a new id.
    pub(super) fn start_afresh(self, graphs: &[SavedGraph]) {
        let (mut kept_graph, mut kept_link) = (false, false);
        if let Some(own) = storage::tab_get(TAB_KEY).filter(|id| graphs.iter().any(|graph| &graph.id == id)) {
            let key = saved_graph::key(&own);
            if let Ok(Some(text)) = storage::get(&key)
                && storage::set(&format!("{ASIDE_PREFIX}{own}"), &text)
                    .and_then(|()| storage::remove(&key))
                    .is_ok()
            {
                kept_graph = true;
            }
        }
        if let Some(text) = shared_link() {
            let id = format!("link-{}", new_id());
            if storage::set(&format!("{ASIDE_PREFIX}{id}"), &text).is_ok() {
                kept_link = true;
            }
            url::clear_fragment();
        }
        storage::tab_set(TAB_KEY, &self.id.get_untracked());
        self.saved.set_value(Some(self.editor.experiment()));
        let _ = self.read_all();
        let notice = match (kept_graph, kept_link) {
            (false, false) => text!("autosave-interrupted"),
            (true, false) => text!("autosave-interrupted-kept-graph"),
            (false, true) => text!("autosave-interrupted-kept-link"),
            (true, true) => text!("autosave-interrupted-kept-both"),
        };
        self.notices.say(NoticeKind::Warning, notice);
    }

    /// Moves the oldest graphs past [`MAX_RECENT`] (never this tab's) to the entries kept
    /// aside — listed with Export and Delete, never deleted unasked — and says which.
    pub(super) fn prune(self) {
        let id = self.id.get_untracked();
        let recent = self.recent.get_untracked();
        let moved: Vec<String> = recent
            .iter()
            .filter(|graph| graph.id != id)
            .skip(MAX_RECENT - 1)
            .filter(|old| {
                let key = saved_graph::key(&old.id);
                // Moved only once it is written aside: a full storage leaves it where it is.
                storage::get(&key).ok().flatten().is_some_and(|text| {
                    storage::set(&format!("{ASIDE_PREFIX}{}", old.id), &text)
                        .and_then(|()| storage::remove(&key))
                        .is_ok()
                })
            })
            .map(|old| text!("autosave-pruned-title", title = &old.title))
            .collect();
        if !moved.is_empty() {
            self.list_aside();
            self.notices.say(
                NoticeKind::Info,
                text!("autosave-pruned", count = MAX_RECENT, titles = moved.join(", ")),
            );
        }
    }
}
