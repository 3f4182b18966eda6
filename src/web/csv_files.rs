//! CSV files of the user's own, in IndexedDB, keyed by their SHA-256: picked or dropped once,
//! they train again after a reload, and a graph opened from a link finds its file here when
//! this browser has it. The data never leaves the browser (links carry the file's name, size
//! and hash, not its contents). A database of its own (`kindling-data`), so the checkpoints'
//! schema stays as it is.

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode, TransactionResult};
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::IdbTransaction;

const DATABASE: &str = "kindling-data";
const VERSION: u32 = 1;
const FILES: &str = "csv-files";

fn sentence(error: impl std::fmt::Display) -> String {
    format!("the browser's database failed ({error})")
}

async fn open() -> Result<Database, String> {
    let factory =
        Factory::new().map_err(|_| "IndexedDB is not available in this browser (or private mode)")?;
    let mut request = factory.open(DATABASE, Some(VERSION)).map_err(sentence)?;
    request.on_upgrade_needed(|event| {
        let Ok(database) = event.database() else { return };
        if !database.store_names().iter().any(|name| name == FILES) {
            let _ = database.create_object_store(FILES, ObjectStoreParams::new());
        }
    });
    request.await.map_err(sentence)
}

/// Keeps `bytes`, the file `name`, under `sha256`.
///
/// # Errors
/// A sentence: IndexedDB unavailable, or the site's storage full (said so).
pub async fn put(sha256: &str, name: &str, bytes: &[u8]) -> Result<(), String> {
    let database = open().await?;
    let transaction = database.transaction(&[FILES], TransactionMode::ReadWrite).map_err(sentence)?;
    let raw: IdbTransaction = transaction.into();
    let transaction = idb::Transaction::from(raw.clone());
    let entry = Object::new();
    for (key, value) in [("name", JsValue::from_str(name)), ("bytes", Uint8Array::from(bytes).into())] {
        Reflect::set(&entry, &JsValue::from_str(key), &value).map_err(|_| sentence("entry"))?;
    }
    let store = transaction.object_store(FILES).map_err(sentence)?;
    if let Err(error) = store.put(&entry.into(), Some(&JsValue::from_str(sha256))) {
        let _ = transaction.abort();
        return Err(sentence(error));
    }
    let result = transaction.await;
    match (result, raw.error().map(|error| (error.name(), error.message()))) {
        (Ok(TransactionResult::Committed), _) => Ok(()),
        (_, Some((name, _))) if name == "QuotaExceededError" => {
            Err("the browser's storage for this site is full".to_owned())
        }
        (_, Some((name, message))) => Err(sentence(format!("{name}: {message}"))),
        (Err(error), None) => Err(sentence(error)),
        (Ok(TransactionResult::Aborted), None) => Err(sentence("the write was aborted")),
    }
}

/// The file kept under `sha256`: its name and bytes, if this browser has it.
///
/// # Errors
/// A sentence when IndexedDB fails.
pub async fn get(sha256: &str) -> Result<Option<(String, Vec<u8>)>, String> {
    let database = open().await?;
    let transaction = database.transaction(&[FILES], TransactionMode::ReadOnly).map_err(sentence)?;
    let store = transaction.object_store(FILES).map_err(sentence)?;
    let request = store.get(JsValue::from_str(sha256)).map_err(sentence)?;
    let Some(entry) = request.await.map_err(sentence)? else { return Ok(None) };
    let name = Reflect::get(&entry, &JsValue::from_str("name")).ok().and_then(|name| name.as_string());
    let bytes = Reflect::get(&entry, &JsValue::from_str("bytes"))
        .ok()
        .and_then(|bytes| bytes.dyn_into::<Uint8Array>().ok())
        .map(|bytes| bytes.to_vec());
    Ok(name.zip(bytes))
}
