//! Where a learner stands in each lesson, kept in this browser: the step, the steps done, the
//! answers given — under a key made of the lesson's own text (`kindling.lesson.<hash>`), so a
//! lesson edited by its author starts afresh. The tab remembers which lesson it showed, so a
//! reload goes on where it was, and a lesson opened from a link starts at its first step.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::teach::lesson::Lesson;
use crate::web::storage;

const PREFIX: &str = "kindling.lesson.";
/// The tab's lesson (its key): a lesson shown again in this tab goes on where it was.
const TAB_KEY: &str = "kindling.lesson-tab";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub step: usize,
    pub done: BTreeSet<usize>,
    pub guesses: BTreeMap<usize, String>,
}

/// The key `lesson`'s progress is stored under.
pub fn key_of(lesson: &Lesson) -> String {
    let text = serde_json::to_string(lesson).unwrap_or_default();
    let hash = Sha256::digest(text.as_bytes());
    hash[..8].iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `key`'s progress as stored.
pub fn load_untouched(key: &str) -> Progress {
    storage::get(&format!("{PREFIX}{key}"))
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// `key`'s progress, as the tab shows its lesson now: where the learner stood, if this tab
/// showed it last or `resume` says so; else the steps done and the answers, from the first
/// step.
pub fn load(key: &str) -> Progress {
    let stored = load_untouched(key);
    let here = storage::tab_get(TAB_KEY).as_deref() == Some(key);
    storage::tab_set(TAB_KEY, key);
    Progress { step: if here { stored.step } else { 0 }, ..stored }
}

/// The next lesson shown in this tab is `lesson`, opened to go on where the learner was.
pub fn resume(lesson: &Lesson) {
    storage::tab_set(TAB_KEY, &key_of(lesson));
}

/// Stores `progress` under `key` (a full storage only loses the progress, said nowhere: the
/// lesson itself goes on).
pub fn save(key: &str, progress: &Progress) {
    if key.is_empty() {
        return;
    }
    if let Ok(text) = serde_json::to_string(progress) {
        let _ = storage::set(&format!("{PREFIX}{key}"), &text);
    }
}
