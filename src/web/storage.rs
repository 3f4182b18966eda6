//! Browser storage (`localStorage`, and `sessionStorage` for what belongs to one tab), behind
//! functions that report every failure — storage switched off, private mode, a full quota —
//! as a [`StorageError`] instead of panicking.

use wasm_bindgen::JsCast;

use super::events::listen;

/// Why browser storage could not be used. The page says it as a clause ("Autosave failed:
/// browser storage is full").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    Unavailable,
    Unreadable,
    /// The site's quota is used up (`QuotaExceededError`).
    Full,
    Unwritable,
    /// IndexedDB failed, saying this.
    Database(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&match self {
            StorageError::Unavailable => text!("storage-unavailable"),
            StorageError::Unreadable => text!("storage-unreadable"),
            StorageError::Full => text!("storage-full"),
            StorageError::Unwritable => text!("storage-unwritable"),
            StorageError::Database(reason) => text!("storage-database-failed", reason = reason.as_str()),
        })
    }
}

impl std::error::Error for StorageError {}

/// The page's `localStorage`.
fn local_storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .ok_or(StorageError::Unavailable)?
        .local_storage()
        .map_err(|_| StorageError::Unavailable)?
        .ok_or(StorageError::Unavailable)
}

/// The value stored under `key`, if any.
///
/// # Errors
/// When storage cannot be read.
pub fn get(key: &str) -> Result<Option<String>, StorageError> {
    local_storage()?.get_item(key).map_err(|_| StorageError::Unreadable)
}

/// Stores `value` under `key`.
///
/// # Errors
/// When storage is unavailable or full.
pub fn set(key: &str, value: &str) -> Result<(), StorageError> {
    local_storage()?.set_item(key, value).map_err(|error| {
        let name = error.dyn_ref::<web_sys::DomException>().map(web_sys::DomException::name);
        if name.as_deref() == Some("QuotaExceededError") {
            StorageError::Full
        } else {
            StorageError::Unwritable
        }
    })
}

/// Removes `key`.
///
/// # Errors
/// When storage is unavailable.
pub fn remove(key: &str) -> Result<(), StorageError> {
    local_storage()?.remove_item(key).map_err(|_| StorageError::Unwritable)
}

/// Every key that starts with `prefix`.
///
/// # Errors
/// When storage cannot be read.
pub fn keys_with_prefix(prefix: &str) -> Result<Vec<String>, StorageError> {
    let storage = local_storage()?;
    let length = storage.length().map_err(|_| StorageError::Unreadable)?;
    Ok((0..length)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(prefix))
        .collect())
}

/// The value this tab keeps under `key` (`sessionStorage`: it survives a reload of the tab,
/// and no other tab sees it).
pub fn tab_get(key: &str) -> Option<String> {
    web_sys::window()?.session_storage().ok()??.get_item(key).ok()?
}

/// Keeps `value` under `key` for this tab; quietly does nothing where that is not possible.
pub fn tab_set(key: &str, value: &str) {
    if let Some(storage) = web_sys::window().and_then(|window| window.session_storage().ok().flatten()) {
        let _ = storage.set_item(key, value);
    }
}

/// Removes what this tab keeps under `key`; quietly does nothing where that is not possible.
pub fn tab_remove(key: &str) {
    if let Some(storage) = web_sys::window().and_then(|window| window.session_storage().ok().flatten()) {
        let _ = storage.remove_item(key);
    }
}

/// Calls `handler` with the key whenever another tab changes `localStorage`.
pub fn on_change_elsewhere(mut handler: impl FnMut(String) + 'static) {
    let Some(window) = web_sys::window() else { return };
    listen(&window, "storage", move |event| {
        if let Some(key) = event.dyn_ref::<web_sys::StorageEvent>().and_then(web_sys::StorageEvent::key) {
            handler(key);
        }
    });
}
