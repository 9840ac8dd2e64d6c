//! # zopa-app
//!
//! The application layer between the engines and the surfaces (the CLI
//! today, the HTTP server next): it resolves what a user names — a built-in
//! scenario, a file, a GENIUS or GeniusWeb folder, or text sent without any
//! file system — into a checked scenario ([`input`]), and builds the JSON
//! documents every surface returns ([`documents`]), with their `serde` types
//! defined once; NegMAS compatibility is assembled here ([`negmas`]).
//! Surfaces parse arguments or routes, call this layer, and render.
//!
//! Depends on the model and the engines; no engine depends on it.

pub mod analyze;
pub mod brief;
pub mod builtin;
pub mod claims;
pub mod convert;
pub mod deal;
pub mod documents;
pub mod error;
pub mod evidence;
pub mod forecast;
pub mod html;
pub mod init;
pub mod input;
pub mod jobs;
pub mod negmas;
pub mod plots;
pub mod pyrandom;
pub mod report;
pub mod robust_shard;
pub mod score;
pub mod simulate;
pub mod space;
pub mod tournament;

pub use error::{AppError, Class};

/// The seed of every seeded process (robustness study, sensitivity
/// analysis, simulation) when the request gives none.
pub const DEFAULT_SEED: u64 = 1;
pub use input::{Format, Input, Loaded};
