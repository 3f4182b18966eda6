//! CSV files of the user's own, in IndexedDB, keyed by their SHA-256: picked or dropped once,
//! they train again after a reload, and a graph opened from a link finds its file here when
//! this browser has it. The data never leaves the browser (links carry the file's name, size
//! and hash, not its contents). A database of its own (`kindling-data`), so the checkpoints'
//! schema stays as it is.

use idb::{Database, TransactionMode};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::database::{committed, failed, open_database, with_reason};
use super::storage::StorageError;

const DATABASE: &str = "kindling-data";
const VERSION: u32 = 1;
const FILES: &str = "csv-files";

async fn open() -> Result<Database, StorageError> {
    open_database(DATABASE, VERSION, &[FILES]).await
}

/// Keeps `bytes`, the file `name`, under `sha256`.
///
/// # Errors
/// IndexedDB unavailable, the site's storage full ([`StorageError::Full`]), or why else not.
pub async fn put(sha256: &str, name: &str, bytes: &[u8]) -> Result<(), StorageError> {
    let database = open().await?;
    let (transaction, raw) =
        with_reason(database.transaction(&[FILES], TransactionMode::ReadWrite).map_err(failed)?);
    let entry = Object::new();
    for (key, value) in [("name", JsValue::from_str(name)), ("bytes", Uint8Array::from(bytes).into())] {
        Reflect::set(&entry, &JsValue::from_str(key), &value)
            .map_err(|_| failed("its entry could not be made"))?;
    }
    let store = transaction.object_store(FILES).map_err(failed)?;
    if let Err(error) = store.put(&entry.into(), Some(&JsValue::from_str(sha256))) {
        let _ = transaction.abort();
        return Err(failed(error));
    }
    let outcome = committed(transaction, &raw).await;
    database.close();
    outcome
}

/// The file kept under `sha256`: its name and bytes, if this browser has it.
///
/// # Errors
/// Why IndexedDB could not be read.
pub async fn get(sha256: &str) -> Result<Option<(String, Vec<u8>)>, StorageError> {
    let database = open().await?;
    let transaction = database.transaction(&[FILES], TransactionMode::ReadOnly).map_err(failed)?;
    let store = transaction.object_store(FILES).map_err(failed)?;
    let request = store.get(JsValue::from_str(sha256)).map_err(failed)?;
    let Some(entry) = request.await.map_err(failed)? else { return Ok(None) };
    let name = Reflect::get(&entry, &JsValue::from_str("name")).ok().and_then(|name| name.as_string());
    let bytes = Reflect::get(&entry, &JsValue::from_str("bytes"))
        .ok()
        .and_then(|bytes| bytes.dyn_into::<Uint8Array>().ok())
        .map(|bytes| bytes.to_vec());
    Ok(name.zip(bytes))
}
