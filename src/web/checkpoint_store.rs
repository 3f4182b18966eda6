//! Checkpoints in IndexedDB, one per graph, keyed by the graph's id: the browser gives
//! IndexedDB room by the disk's size, where localStorage's 5 MB is shared with autosave.
//!
//! Two object stores written together in one transaction: `checkpoints` holds each
//! checkpoint's bytes (`core::checkpoint`), `checkpoint-index` a few facts about it (epoch,
//! when, size, the graph's title), so listing them does not read every checkpoint. Every
//! failure — IndexedDB unavailable, a full quota, an aborted transaction — comes back as a
//! [`StorageError`]; a full quota is told apart ([`StorageError::Full`]) so the caller can make
//! room.

use idb::{Database, Transaction, TransactionMode};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbTransaction;

use super::database::{committed, failed, open_database, with_reason};
use super::storage::StorageError;

const DATABASE: &str = "kindling";
const VERSION: u32 = 1;
const BYTES: &str = "checkpoints";
const INDEX: &str = "checkpoint-index";

/// What the index says about a stored checkpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Shelved {
    /// The id of the graph it belongs to.
    pub graph: String,
    /// The graph's title when it was saved.
    pub title: String,
    pub epoch: usize,
    /// When it was saved, in milliseconds since 1970.
    pub saved_at: f64,
    /// Its size in bytes.
    pub size: usize,
}

/// Opens the database, creating its stores on first use.
async fn open() -> Result<Database, StorageError> {
    open_database(DATABASE, VERSION, &[BYTES, INDEX]).await
}

/// A read-write or read-only transaction over both stores, with its raw handle.
fn transaction(
    database: &Database,
    mode: TransactionMode,
) -> Result<(Transaction, IdbTransaction), StorageError> {
    Ok(with_reason(database.transaction(&[BYTES, INDEX], mode).map_err(failed)?))
}

/// Stores `bytes` as the checkpoint of graph `graph` (titled `title`) after `epoch` epochs,
/// replacing the one it had; `now` is the time in milliseconds since 1970.
///
/// # Errors
/// [`StorageError::Full`] when the browser's storage for this site is full; else why not.
pub async fn put(graph: &str, title: &str, epoch: usize, now: f64, bytes: &[u8]) -> Result<(), StorageError> {
    let database = open().await?;
    let (transaction, raw) = transaction(&database, TransactionMode::ReadWrite)?;
    let key = JsValue::from_str(graph);
    let facts = Object::new();
    for (name, value) in [
        ("graph", JsValue::from_str(graph)),
        ("title", JsValue::from_str(title)),
        ("epoch", JsValue::from_f64(epoch as f64)),
        ("savedAt", JsValue::from_f64(now)),
        ("size", JsValue::from_f64(bytes.len() as f64)),
    ] {
        Reflect::set(&facts, &JsValue::from_str(name), &value)
            .map_err(|_| failed(text!("database-no-index-entry")))?;
    }
    let stores = (transaction.object_store(BYTES), transaction.object_store(INDEX));
    let (Ok(bytes_store), Ok(index_store)) = stores else {
        return Err(failed(text!("database-no-stores")));
    };
    // The requests run within the transaction; its outcome is theirs.
    let written = bytes_store
        .put(&Uint8Array::from(bytes).into(), Some(&key))
        .and_then(|_| index_store.put(&facts.into(), Some(&key)));
    if let Err(error) = written {
        let _ = transaction.abort();
        return Err(failed(error));
    }
    let outcome = committed(transaction, &raw).await;
    database.close();
    outcome
}

/// The bytes of graph `graph`'s checkpoint, if it has one.
///
/// # Errors
/// Why the database could not be read.
pub async fn get(graph: &str) -> Result<Option<Vec<u8>>, StorageError> {
    let database = open().await?;
    let (transaction, _) = transaction(&database, TransactionMode::ReadOnly)?;
    let store = transaction.object_store(BYTES).map_err(failed)?;
    let value = store.get(JsValue::from_str(graph)).map_err(failed)?.await.map_err(failed)?;
    database.close();
    Ok(value.and_then(|value| value.dyn_into::<Uint8Array>().ok()).map(|array| array.to_vec()))
}

/// What the index says about every stored checkpoint.
///
/// # Errors
/// Why the database could not be read.
pub async fn list() -> Result<Vec<Shelved>, StorageError> {
    let database = open().await?;
    let (transaction, _) = transaction(&database, TransactionMode::ReadOnly)?;
    let store = transaction.object_store(INDEX).map_err(failed)?;
    let values = store.get_all(None, None).map_err(failed)?.await.map_err(failed)?;
    database.close();
    Ok(values.iter().filter_map(shelved).collect())
}

/// What the index says about graph `graph`'s checkpoint, if it has one.
///
/// # Errors
/// Why the database could not be read.
pub async fn find(graph: &str) -> Result<Option<Shelved>, StorageError> {
    let database = open().await?;
    let (transaction, _) = transaction(&database, TransactionMode::ReadOnly)?;
    let store = transaction.object_store(INDEX).map_err(failed)?;
    let value = store.get(JsValue::from_str(graph)).map_err(failed)?.await.map_err(failed)?;
    database.close();
    Ok(value.as_ref().and_then(shelved))
}

/// Removes graph `graph`'s checkpoint.
///
/// # Errors
/// Why the database could not be changed.
pub async fn delete(graph: &str) -> Result<(), StorageError> {
    let database = open().await?;
    let (transaction, raw) = transaction(&database, TransactionMode::ReadWrite)?;
    for store in [BYTES, INDEX] {
        let store = transaction.object_store(store).map_err(failed)?;
        // The request runs within the transaction; its outcome is the transaction's.
        let _request = store.delete(JsValue::from_str(graph)).map_err(failed)?;
    }
    let outcome = committed(transaction, &raw).await;
    database.close();
    outcome
}

/// An index entry, read defensively: anything else in the store is skipped.
fn shelved(value: &JsValue) -> Option<Shelved> {
    let field = |name: &str| Reflect::get(value, &JsValue::from_str(name)).ok();
    Some(Shelved {
        graph: field("graph")?.as_string()?,
        title: field("title")?.as_string().unwrap_or_default(),
        epoch: field("epoch")?.as_f64().filter(|epoch| *epoch >= 0.0)? as usize,
        saved_at: field("savedAt")?.as_f64().unwrap_or(0.0),
        size: field("size")?.as_f64().unwrap_or(0.0).max(0.0) as usize,
    })
}
