//! Tensors read back from the device — always asynchronously, several in one transaction
//! (a synchronous read panics on WebGPU in the browser) — and a one-hot that needs no read.

use burn::tensor::{Int, Tensor, Transaction};

use crate::core::report::train_error::TrainError;

/// Reads `tensors` back in one transaction: each as a list of numbers.
pub async fn read(tensors: Vec<Tensor<1>>) -> Result<Vec<Vec<f64>>, TrainError> {
    let transaction =
        tensors.into_iter().fold(Transaction::default(), |transaction, tensor| transaction.register(tensor));
    let data =
        transaction.execute_async().await.map_err(|error| TrainError::Readback(format!("{error:?}")))?;
    Ok(data.iter().map(|data| data.iter::<f64>().collect()).collect())
}

/// One-hot rows `[rows, classes]` of class indices, on the device. (burn's `one_hot` checks
/// the indices with a synchronous read first, which panics on WebGPU in the browser.)
pub fn one_hot(indices: Tensor<1, Int>, classes: usize) -> Tensor<2> {
    let [rows] = indices.dims();
    let columns = Tensor::<1, Int>::arange(0..classes as i64, &indices.device()).reshape([1, classes]);
    indices.reshape([rows, 1]).expand([rows, classes]).equal(columns.expand([rows, classes])).float()
}
