//! From a graph to a training plan: validation, shapes, budgets, the plan and the rules it
//! states (schedules, early stopping). Imports `model` and `data`.

pub mod batch_order;
pub mod budget;
pub mod compile_error;
pub mod compiler;
pub mod early_stop;
pub mod plan;
pub mod plan_nodes;
pub mod schedule;
pub mod shapes;
pub mod validate;
