//! IndexedDB, as the stores that use it share it: opening a database (creating its stores on
//! first use), and a transaction's outcome, with every failure a [`StorageError`] — a full
//! quota told apart, so callers can make room.

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, Transaction, TransactionResult};
use web_sys::IdbTransaction;

use super::storage::StorageError;

/// A failure of the browser's database, with what it said.
pub fn failed(error: impl std::fmt::Display) -> StorageError {
    StorageError::Database(error.to_string())
}

/// Opens database `name` at `version`, creating the object stores of `stores` it lacks.
///
/// # Errors
/// [`StorageError::Unavailable`] without IndexedDB (some private modes); else what opening
/// it said.
pub async fn open_database(
    name: &str,
    version: u32,
    stores: &'static [&'static str],
) -> Result<Database, StorageError> {
    let factory = Factory::new().map_err(|_| StorageError::Unavailable)?;
    let mut request = factory.open(name, Some(version)).map_err(failed)?;
    request.on_upgrade_needed(move |event| {
        let Ok(database) = event.database() else { return };
        let existing = database.store_names();
        for store in stores {
            if !existing.iter().any(|name| name == store) {
                // A failure here aborts the upgrade, and the open reports it.
                let _ = database.create_object_store(store, ObjectStoreParams::new());
            }
        }
    });
    request.await.map_err(failed)
}

/// `transaction` with its raw handle, which keeps the reason an aborted transaction gives.
pub fn with_reason(transaction: Transaction) -> (Transaction, IdbTransaction) {
    let raw: IdbTransaction = transaction.into();
    (Transaction::from(raw.clone()), raw)
}

/// Waits for `transaction` (whose raw handle is `raw`) to commit.
///
/// # Errors
/// [`StorageError::Full`] when the site's quota is used up; else why it did not commit.
pub async fn committed(transaction: Transaction, raw: &IdbTransaction) -> Result<(), StorageError> {
    let result = transaction.await;
    let reason = raw.error().map(|error| (error.name(), error.message()));
    match (result, reason) {
        (Ok(TransactionResult::Committed), _) => Ok(()),
        (_, Some((name, _))) if name == "QuotaExceededError" => Err(StorageError::Full),
        (_, Some((name, message))) => Err(failed(format!("{name}: {message}"))),
        (Err(error), None) => Err(failed(error)),
        (Ok(TransactionResult::Aborted), None) => Err(failed(text!("database-aborted"))),
    }
}
