//! # zopa-tournament
//!
//! Resumable, parallel negotiation tournaments. A tournament file names
//! domains (zopa scenarios, GENIUS or GeniusWeb folders, globs), strategies,
//! repetitions, protocol and deadline; the plan — every assignment of
//! strategies to each domain's parties, times the repetitions — is numbered,
//! and every finished negotiation is stored in SQLite in its own transaction
//! under its number and configuration hash. Killing the process at any moment
//! loses at most the negotiations in flight; running the same command again
//! finishes the rest, with no result lost or duplicated.
//!
//! This crate composes the engines (interop to read domains, simulation to
//! negotiate, analysis for distances to the Pareto frontier and the Nash
//! package); the engines stay independent of each other.

pub mod config;
pub mod export;
pub mod pg;
pub mod report;
pub mod run;
pub mod shard;
pub mod stats;
mod stored;

pub use config::TournamentFile;

/// Errors of a tournament.
#[derive(Debug, thiserror::Error)]
pub enum TournamentError {
    /// The tournament file is invalid.
    #[error("{0}")]
    Config(String),
    /// A domain cannot be loaded or simulated.
    #[error("{0}")]
    Domain(String),
    /// A size is above its bound (a knob raises it).
    #[error(transparent)]
    Refused(#[from] zopa_model::LimitError),
    /// The results database.
    #[error("results database")]
    Db(#[from] rusqlite::Error),
    /// The PostgreSQL results store.
    #[error("PostgreSQL results store: {what}")]
    Postgres {
        /// What was being done.
        what: String,
        /// The client's error.
        #[source]
        source: postgres::Error,
    },
    /// A merge is missing shards (numbered from 1): run them and merge again.
    #[error("{text}")]
    Missing {
        /// The missing shards' numbers.
        shards: Vec<u64>,
        /// What to say.
        text: String,
    },
}
