//! CSV files of the user's own, in IndexedDB, keyed by their SHA-256: picked or dropped once,
//! they train again after a reload, and a graph opened from a link finds its file here when
//! this browser has it. The data never leaves the browser (links carry the file's name, size
//! and hash, not its contents). A database of its own (`kindling-data`), so the checkpoints'
//! schema stays as it is.
//!
//! Two object stores written together: `csv-files` holds each file (its name and bytes),
//! `csv-index` what listing them needs (name, size, when kept), so the "Stored in this
//! browser" panel does not read every file. Files kept before the index existed are listed
//! from their entries.

use idb::{Database, TransactionMode};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::database::{committed, failed, open_database, with_reason};
use super::storage::StorageError;

const DATABASE: &str = "kindling-data";
const VERSION: u32 = 2;
const FILES: &str = "csv-files";
const INDEX: &str = "csv-index";

async fn open() -> Result<Database, StorageError> {
    open_database(DATABASE, VERSION, &[FILES, INDEX]).await
}

/// A file kept, as the index lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptFile {
    pub sha256: String,
    pub name: String,
    /// Bytes.
    pub size: usize,
    /// When it was kept, in milliseconds since 1970 (0 for files kept before the index).
    pub saved_at: f64,
}

/// Keeps `bytes`, the file `name`, under `sha256`; `now` is the time in milliseconds since
/// 1970.
///
/// # Errors
/// IndexedDB unavailable, the site's storage full ([`StorageError::Full`]), or why else not.
pub async fn put(sha256: &str, name: &str, bytes: &[u8], now: f64) -> Result<(), StorageError> {
    let database = open().await?;
    let (transaction, raw) =
        with_reason(database.transaction(&[FILES, INDEX], TransactionMode::ReadWrite).map_err(failed)?);
    let entry = object(&[("name", JsValue::from_str(name)), ("bytes", Uint8Array::from(bytes).into())])?;
    let facts = object(&[
        ("name", JsValue::from_str(name)),
        ("size", JsValue::from_f64(bytes.len() as f64)),
        ("savedAt", JsValue::from_f64(now)),
    ])?;
    let key = JsValue::from_str(sha256);
    let (Ok(files), Ok(index)) = (transaction.object_store(FILES), transaction.object_store(INDEX)) else {
        return Err(failed(text!("database-no-stores")));
    };
    // The requests run within the transaction; its outcome is theirs.
    if let Err(error) = files.put(&entry, Some(&key)).and_then(|_| index.put(&facts, Some(&key))) {
        let _ = transaction.abort();
        return Err(failed(error));
    }
    let outcome = committed(transaction, &raw).await;
    database.close();
    outcome
}

/// An object with `fields`.
fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, StorageError> {
    let entry = Object::new();
    for (key, value) in fields {
        Reflect::set(&entry, &JsValue::from_str(key), value)
            .map_err(|_| failed(text!("database-no-entry")))?;
    }
    Ok(entry.into())
}

/// Every file kept, as the index lists it (files kept before the index from their entries).
///
/// # Errors
/// Why IndexedDB could not be read.
pub async fn list() -> Result<Vec<KeptFile>, StorageError> {
    let database = open().await?;
    let transaction = database.transaction(&[FILES, INDEX], TransactionMode::ReadOnly).map_err(failed)?;
    let (files, index) =
        (transaction.object_store(FILES).map_err(failed)?, transaction.object_store(INDEX).map_err(failed)?);
    let keys = files.get_all_keys(None, None).map_err(failed)?.await.map_err(failed)?;
    let mut kept = Vec::with_capacity(keys.len());
    for key in keys {
        let Some(sha256) = key.as_string() else { continue };
        let facts = match index.get(key.clone()).map_err(failed)?.await.map_err(failed)? {
            Some(facts) => Some(facts),
            // Kept before the index: its entry says its name and size.
            None => files.get(key).map_err(failed)?.await.map_err(failed)?,
        };
        let Some(facts) = facts else { continue };
        let field = |name: &str| Reflect::get(&facts, &JsValue::from_str(name)).ok();
        let size = field("size").and_then(|size| size.as_f64()).or_else(|| {
            field("bytes")
                .and_then(|bytes| bytes.dyn_into::<Uint8Array>().ok())
                .map(|bytes| bytes.length() as f64)
        });
        kept.push(KeptFile {
            sha256,
            name: field("name").and_then(|name| name.as_string()).unwrap_or_default(),
            size: size.unwrap_or(0.0).max(0.0) as usize,
            saved_at: field("savedAt").and_then(|at| at.as_f64()).unwrap_or(0.0),
        });
    }
    database.close();
    Ok(kept)
}

/// Removes the file kept under `sha256`.
///
/// # Errors
/// Why IndexedDB could not be changed.
pub async fn delete(sha256: &str) -> Result<(), StorageError> {
    let database = open().await?;
    let (transaction, raw) =
        with_reason(database.transaction(&[FILES, INDEX], TransactionMode::ReadWrite).map_err(failed)?);
    for store in [FILES, INDEX] {
        let store = transaction.object_store(store).map_err(failed)?;
        // The request runs within the transaction; its outcome is the transaction's.
        let _request = store.delete(JsValue::from_str(sha256)).map_err(failed)?;
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
