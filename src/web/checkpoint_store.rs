//! Checkpoints in IndexedDB, one per graph, keyed by the graph's id: the browser gives
//! IndexedDB room by the disk's size, where localStorage's 5 MB is shared with autosave.
//!
//! Two object stores written together in one transaction: `checkpoints` holds each
//! checkpoint's bytes (`core::checkpoint`), `checkpoint-index` a few facts about it (epoch,
//! when, size, the graph's title), so listing them does not read every checkpoint. Every
//! failure — IndexedDB unavailable, a full quota, an aborted transaction — comes back as a
//! sentence; a full quota is told apart ([`PutError::Full`]) so the caller can make room.

use idb::{
    Database, DatabaseEvent, Factory, ObjectStoreParams, Transaction, TransactionMode, TransactionResult,
};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbTransaction;

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

/// Why a checkpoint was not written.
#[derive(Clone, Debug, PartialEq)]
pub enum PutError {
    /// The browser's storage for this site is full.
    Full(String),
    /// Anything else.
    Failed(String),
}

fn sentence(error: impl std::fmt::Display) -> String {
    format!("the browser's database failed ({error})")
}

/// Opens the database, creating its stores on first use.
async fn open() -> Result<Database, String> {
    let factory =
        Factory::new().map_err(|_| "IndexedDB is not available in this browser (or private mode)")?;
    let mut request = factory.open(DATABASE, Some(VERSION)).map_err(sentence)?;
    request.on_upgrade_needed(|event| {
        let Ok(database) = event.database() else { return };
        let existing = database.store_names();
        for store in [BYTES, INDEX] {
            if !existing.iter().any(|name| name == store) {
                // A failure here aborts the upgrade, and the open below reports it.
                let _ = database.create_object_store(store, ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(sentence)
}

/// A read-write or read-only transaction over both stores, with its raw handle (which keeps
/// the reason an aborted transaction gives).
fn transaction(database: &Database, mode: TransactionMode) -> Result<(Transaction, IdbTransaction), String> {
    let transaction = database.transaction(&[BYTES, INDEX], mode).map_err(sentence)?;
    let raw: IdbTransaction = transaction.into();
    Ok((Transaction::from(raw.clone()), raw))
}

/// Waits for `transaction` to commit; a full quota is [`PutError::Full`].
async fn committed(transaction: Transaction, raw: &IdbTransaction) -> Result<(), PutError> {
    let result = transaction.await;
    let reason = raw.error().map(|error| (error.name(), error.message()));
    match (result, reason) {
        (Ok(TransactionResult::Committed), _) => Ok(()),
        (_, Some((name, message))) if name == "QuotaExceededError" => Err(PutError::Full(message)),
        (_, Some((name, message))) => Err(PutError::Failed(sentence(format!("{name}: {message}")))),
        (Err(error), None) => Err(PutError::Failed(sentence(error))),
        (Ok(TransactionResult::Aborted), None) => Err(PutError::Failed(sentence("the write was aborted"))),
    }
}

/// Stores `bytes` as the checkpoint of graph `graph` (titled `title`) after `epoch` epochs,
/// replacing the one it had; `now` is the time in milliseconds since 1970.
///
/// # Errors
/// [`PutError::Full`] when the browser's storage for this site is full; [`PutError::Failed`]
/// otherwise.
pub async fn put(graph: &str, title: &str, epoch: usize, now: f64, bytes: &[u8]) -> Result<(), PutError> {
    let database = open().await.map_err(PutError::Failed)?;
    let (transaction, raw) = transaction(&database, TransactionMode::ReadWrite).map_err(PutError::Failed)?;
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
            .map_err(|_| PutError::Failed(sentence("facts")))?;
    }
    let stores = (transaction.object_store(BYTES), transaction.object_store(INDEX));
    let (Ok(bytes_store), Ok(index_store)) = stores else {
        return Err(PutError::Failed(sentence("its stores are missing")));
    };
    // The requests run within the transaction; its outcome is theirs.
    let written = bytes_store
        .put(&Uint8Array::from(bytes).into(), Some(&key))
        .and_then(|_| index_store.put(&facts.into(), Some(&key)));
    if let Err(error) = written {
        let _ = transaction.abort();
        return Err(PutError::Failed(sentence(error)));
    }
    let outcome = committed(transaction, &raw).await;
    database.close();
    outcome
}

/// The bytes of graph `graph`'s checkpoint, if it has one.
///
/// # Errors
/// A sentence when the database cannot be read.
pub async fn get(graph: &str) -> Result<Option<Vec<u8>>, String> {
    let database = open().await?;
    let (transaction, _) = transaction(&database, TransactionMode::ReadOnly)?;
    let store = transaction.object_store(BYTES).map_err(sentence)?;
    let value = store.get(JsValue::from_str(graph)).map_err(sentence)?.await.map_err(sentence)?;
    database.close();
    Ok(value.and_then(|value| value.dyn_into::<Uint8Array>().ok()).map(|array| array.to_vec()))
}

/// What the index says about every stored checkpoint.
///
/// # Errors
/// A sentence when the database cannot be read.
pub async fn list() -> Result<Vec<Shelved>, String> {
    let database = open().await?;
    let (transaction, _) = transaction(&database, TransactionMode::ReadOnly)?;
    let store = transaction.object_store(INDEX).map_err(sentence)?;
    let values = store.get_all(None, None).map_err(sentence)?.await.map_err(sentence)?;
    database.close();
    Ok(values.iter().filter_map(shelved).collect())
}

/// What the index says about graph `graph`'s checkpoint, if it has one.
///
/// # Errors
/// A sentence when the database cannot be read.
pub async fn find(graph: &str) -> Result<Option<Shelved>, String> {
    let database = open().await?;
    let (transaction, _) = transaction(&database, TransactionMode::ReadOnly)?;
    let store = transaction.object_store(INDEX).map_err(sentence)?;
    let value = store.get(JsValue::from_str(graph)).map_err(sentence)?.await.map_err(sentence)?;
    database.close();
    Ok(value.as_ref().and_then(shelved))
}

/// Removes graph `graph`'s checkpoint.
///
/// # Errors
/// A sentence when the database cannot be changed.
pub async fn delete(graph: &str) -> Result<(), String> {
    let database = open().await?;
    let (transaction, raw) = transaction(&database, TransactionMode::ReadWrite)?;
    for store in [BYTES, INDEX] {
        let store = transaction.object_store(store).map_err(sentence)?;
        // The request runs within the transaction; its outcome is the transaction's.
        let _request = store.delete(JsValue::from_str(graph)).map_err(sentence)?;
    }
    let outcome = committed(transaction, &raw).await.map_err(|error| match error {
        PutError::Full(reason) | PutError::Failed(reason) => reason,
    });
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
