//! A network's weights as PyTorch names and lays them out, in the safetensors format: the
//! initial weights of the exported programs and the page's trained-weights download, which
//! `model.load_state_dict` takes as they are.
//!
//! The exported `nn.Module` holds the Network's layers in `self.layers`, an `nn.Sequential`,
//! so a layer's parameters are `layers.{index}.weight` and `layers.{index}.bias`, `index`
//! being its place in the Network's list (activations and Flatten count). A Linear's weight
//! is PyTorch's `[out, in]`, the transpose of burn's `[in, out]`; a LayerNorm's are burn's
//! `gamma` and `beta`; a BatchNorm1d adds its buffers, `running_mean`, `running_var` and
//! `num_batches_tracked` (PyTorch's is int64, a scalar; Kindling writes it as float32, which
//! `load_state_dict` takes, and reads either), and so does a BatchNorm2d, per channel. A
//! Conv2d's weight is `[out, in / groups, k, k]` in PyTorch and burn alike.

use burn::tensor::{Device, Tensor, Transaction};
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

use crate::core::compile::plan::NetworkPlan;
use crate::core::engine::image_layers::ImageBatchNorm;
use crate::core::engine::mlp::{Layer, LayerParameter, Mlp};
use crate::core::engine::weights::WeightsError;

/// PyTorch's name for a parameter of the layer at `index`.
pub fn parameter_name(index: usize, parameter: LayerParameter) -> String {
    let field = match parameter {
        LayerParameter::LinearWeight | LayerParameter::NormWeight | LayerParameter::ConvWeight => "weight",
        LayerParameter::LinearBias | LayerParameter::NormBias | LayerParameter::ConvBias => "bias",
        LayerParameter::RunningMean => "running_mean",
        LayerParameter::RunningVar => "running_var",
        LayerParameter::BatchesTracked => "num_batches_tracked",
    };
    format!("layers.{index}.{field}")
}

/// `model`'s weights (on any device) as a safetensors file, read back with one asynchronous
/// read.
///
/// # Errors
/// [`WeightsError::Readback`] when the device fails to return the values,
/// [`WeightsError::Format`] when they cannot be written.
pub async fn to_safetensors(model: &Mlp) -> Result<Vec<u8>, WeightsError> {
    let mut names = Vec::new();
    let mut shapes = Vec::new();
    let mut transaction = Transaction::default();
    let mut add = |name: String, tensor: Tensor<1>, shape: Vec<usize>| {
        names.push(name);
        shapes.push(shape);
        transaction = std::mem::take(&mut transaction).register(tensor);
    };
    for (index, layer) in model.layers().iter().enumerate() {
        match layer {
            Layer::Linear(linear) => {
                let [d_in, d_out] = linear.weight.dims();
                // PyTorch's [out, in].
                let weight = linear.weight.val().transpose().reshape([d_in * d_out]);
                add(parameter_name(index, LayerParameter::LinearWeight), weight, vec![d_out, d_in]);
                if let Some(bias) = &linear.bias {
                    add(parameter_name(index, LayerParameter::LinearBias), bias.val(), vec![d_out]);
                }
            }
            Layer::LayerNorm(norm) => {
                let [width] = norm.gamma.dims();
                add(parameter_name(index, LayerParameter::NormWeight), norm.gamma.val(), vec![width]);
                if let Some(beta) = &norm.beta {
                    add(parameter_name(index, LayerParameter::NormBias), beta.val(), vec![width]);
                }
            }
            Layer::Conv2d(conv) => {
                let conv = &conv.conv;
                let dims = conv.weight.dims();
                let weight = conv.weight.val().reshape([dims.iter().product::<usize>()]);
                add(parameter_name(index, LayerParameter::ConvWeight), weight, dims.to_vec());
                if let Some(bias) = &conv.bias {
                    add(parameter_name(index, LayerParameter::ConvBias), bias.val(), bias.dims().to_vec());
                }
            }
            Layer::BatchNorm(norm) | Layer::BatchNorm2d(ImageBatchNorm { norm, .. }) => {
                let [width] = norm.weight.dims();
                add(parameter_name(index, LayerParameter::NormWeight), norm.weight.val(), vec![width]);
                add(parameter_name(index, LayerParameter::NormBias), norm.bias.val(), vec![width]);
                let buffers = [
                    (LayerParameter::RunningMean, norm.running_mean.value_sync(), vec![width]),
                    (LayerParameter::RunningVar, norm.running_var.value_sync(), vec![width]),
                    (LayerParameter::BatchesTracked, norm.batches_tracked.value_sync(), vec![]),
                ];
                for (parameter, value, shape) in buffers {
                    add(parameter_name(index, parameter), value, shape);
                }
            }
            _ => {}
        }
    }
    let data =
        transaction.execute_async().await.map_err(|error| WeightsError::Readback(format!("{error:?}")))?;
    let bytes: Vec<Vec<u8>> =
        data.iter().map(|data| data.iter::<f32>().flat_map(f32::to_le_bytes).collect()).collect();
    let views = names
        .into_iter()
        .zip(shapes)
        .zip(&bytes)
        .map(|((name, shape), bytes)| Ok((name, TensorView::new(Dtype::F32, shape, bytes)?)))
        .collect::<Result<Vec<_>, safetensors::SafeTensorError>>()
        .map_err(|error| WeightsError::Format(error.to_string()))?;
    safetensors::serialize(views, None).map_err(|error| WeightsError::Format(error.to_string()))
}

/// Loads a safetensors file with PyTorch's names and layouts into a network of `plan` on
/// `device`. Every parameter must be there, as float32 of its shape with finite values, and
/// nothing else.
///
/// # Errors
/// [`WeightsError::Format`] for bytes that are not safetensors, [`WeightsError::Mismatch`]
/// naming the first parameter that is missing, of another type or shape, or not finite, or
/// the tensors the network does not have.
pub fn from_safetensors(bytes: &[u8], plan: &NetworkPlan, device: &Device) -> Result<Mlp, WeightsError> {
    let file = SafeTensors::deserialize(bytes).map_err(|error| WeightsError::Format(error.to_string()))?;
    let mut unused: Vec<String> = file.names().into_iter().map(str::to_owned).collect();
    let model = Mlp::try_from_values(plan, device, |index, parameter, shape| {
        let name = parameter_name(index, parameter);
        unused.retain(|other| *other != name);
        let mismatch = |problem: String| {
            WeightsError::Mismatch(text!("weights-file-parameter", name = &name, problem = problem))
        };
        let tensor = file.tensor(&name).map_err(|_| mismatch(text!("weights-file-parameter-missing")))?;
        // PyTorch's layout: a Linear's weight is [out, in].
        let expected: Vec<usize> = match parameter {
            LayerParameter::LinearWeight => shape.iter().rev().copied().collect(),
            _ => shape.to_vec(),
        };
        // PyTorch's own file holds its count of batches as int64.
        let count = parameter == LayerParameter::BatchesTracked && tensor.dtype() == Dtype::I64;
        if tensor.dtype() != Dtype::F32 && !count {
            return Err(mismatch(text!(
                "weights-file-parameter-dtype",
                dtype = format!("{:?}", tensor.dtype())
            )));
        }
        if tensor.shape() != expected.as_slice() {
            return Err(mismatch(text!(
                "weights-file-parameter-shape",
                shape = format!("{:?}", tensor.shape()),
                expected = format!("{expected:?}")
            )));
        }
        let values: Vec<f32> = if count {
            let counts = tensor.data().chunks_exact(8).map(|bytes| {
                i64::from_le_bytes([
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                ])
            });
            counts.map(|count| count as f32).collect()
        } else {
            tensor
                .data()
                .chunks_exact(4)
                .map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
                .collect()
        };
        if count && values.iter().any(|&count| count < 0.0) {
            return Err(mismatch(text!("weights-file-negative-count")));
        }
        if parameter == LayerParameter::RunningVar && values.iter().any(|&variance| variance < 0.0) {
            return Err(mismatch(text!("weights-file-negative-variance")));
        }
        if let Some(bad) = values.iter().find(|value| !value.is_finite()) {
            return Err(mismatch(text!("weights-file-parameter-not-finite", value = bad.to_string())));
        }
        Ok(match (parameter, shape) {
            // Back to burn's [in, out].
            (LayerParameter::LinearWeight, &[d_in, d_out]) => {
                (0..d_in * d_out).map(|i| values[(i % d_out) * d_in + i / d_out]).collect()
            }
            _ => values,
        })
    })?;
    if !unused.is_empty() {
        unused.sort();
        return Err(WeightsError::Mismatch(text!(
            "weights-file-unknown-parameters",
            names = unused.join(", ")
        )));
    }
    Ok(model)
}
