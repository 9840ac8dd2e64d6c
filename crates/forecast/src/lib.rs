//! # zopa-forecast
//!
//! Forecasts of where a negotiation settles, by the established models of
//! political bargaining, each behind the [`model::Model`] trait: the
//! compromise model and weighted median ([`baseline`]), Nash bargaining
//! ([`nash`]), Bueno de Mesquita's expected-utility model ([`eum`]) and
//! KTAB's Spatial Model of Politics ([`smp`], with KTAB's CSV input in
//! [`ktab`]). [`spatial`] maps a scenario onto the 0–100 issue scales;
//! [`sensitivity`] perturbs the analyst's assumptions (rayon, seeded).

//!
//! Depends on `zopa-model` only; never on analysis, simulation or interop.

pub mod baseline;
pub mod eum;
pub mod ktab;
pub mod model;
pub mod nash;
pub mod sensitivity;
pub mod smp;
pub mod spatial;

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
    /// A model cannot run on this input.
    #[error("{0}")]
    Model(String),
    /// The caller cancelled the work (a [`zopa_model::Cancel`]).
    #[error("the forecast was cancelled")]
    Cancelled,
}
