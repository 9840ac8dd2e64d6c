//! # zopa-simulation
//!
//! Negotiation protocols — stacked alternating offers for any number of
//! parties and NegMAS's mediated single-text protocols — and a library of
//! strategies behind the [`strategy::Strategy`] trait. The protocol owns the
//! loop, the deadline, the seeds and the enforcement of red lines and
//! reservations; a strategy only decides, seeing its own utilities
//! ([`session::PartyView`]) and the offers made.
//!
//! Depends on `zopa-model` only; never on analysis, forecasting or interop.

pub mod protocol;
pub mod session;
pub mod strategy;

pub use protocol::{
    play, saop, saop_with, single_text, single_text_with, Event, Outcome, Protocol, Settings,
    SettingsError, SingleText,
};
pub use session::{PartyView, Session};
pub use strategy::{by_name, Response, Strategy, Turn};

/// Errors of the simulation engine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimError {
    /// The outcome space cannot be enumerated.
    #[error(transparent)]
    Space(#[from] zopa_model::SpaceError),
}
