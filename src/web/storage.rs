//! Browser storage (`localStorage`), behind functions that report every failure — storage
//! switched off, private mode, a full quota — as a sentence instead of panicking.

/// The page's `localStorage`.
fn local_storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|_| "browser storage is not available (private mode, or blocked by a setting)".to_owned())?
        .ok_or_else(|| "browser storage is not available (private mode, or blocked by a setting)".to_owned())
}

/// The value stored under `key`, if any.
///
/// # Errors
/// When storage cannot be read.
pub fn get(key: &str) -> Result<Option<String>, String> {
    local_storage()?.get_item(key).map_err(|_| "browser storage could not be read".to_owned())
}

/// Stores `value` under `key`.
///
/// # Errors
/// When storage is unavailable or full.
pub fn set(key: &str, value: &str) -> Result<(), String> {
    local_storage()?.set_item(key, value).map_err(|_| "browser storage is full or unavailable".to_owned())
}
