//! # zopa-forecast
//!
//! Forecasts of where a negotiation settles, by the established models of
//! political bargaining: KTAB's Spatial Model of Politics ([`smp`], with
//! KTAB's CSV input in [`ktab`]).
//!
//! Depends on `zopa-model` only; never on analysis, simulation or interop.

pub mod ktab;
pub mod smp;

/// Errors of the forecasting engine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// Malformed input, with its 1-based line and column.
    #[error("{line}:{col}: {message}")]
    Input {
        /// Line.
        line: usize,
        /// Column.
        col: usize,
        /// What is wrong.
        message: String,
    },
}
