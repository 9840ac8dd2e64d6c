//! The tournament file (TOML).
//!
//! ```toml
//! name = "example"
//! seed = 1
//! repetitions = 2          # runs of each assignment (different seeds)
//! protocol = "saop"        # saop | veto | hill
//! deadline = 1000          # rounds
//! rotate_roles = true      # every ordered assignment of strategies to parties
//! domains = ["genius/*", "supplier-contract.toml"]   # folders or scenario files; globs, relative to this file
//! strategies = ["boulware", "linear", "conceder", "hardliner", "tft", "micro"]
//! discount = 0.99         # optional, per round
//! time_limit = 2.5         # optional: seconds of wall-clock time per negotiation
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use zopa_simulation::{Protocol, Settings};

use crate::TournamentError;

/// A tournament as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TournamentFile {
    /// Name.
    pub name: String,
    /// Seed of the whole tournament.
    #[serde(default = "one")]
    pub seed: u64,
    /// Repetitions of each assignment.
    #[serde(default = "one_usize")]
    pub repetitions: usize,
    /// `saop`, `veto` or `hill`.
    #[serde(default, deserialize_with = "protocol")]
    pub protocol: Protocol,
    /// Deadline in rounds.
    #[serde(default = "thousand")]
    pub deadline: usize,
    /// Every ordered assignment (true) or every unordered one (false).
    #[serde(default = "yes")]
    pub rotate_roles: bool,
    /// Domain paths or globs (relative to the tournament file).
    pub domains: Vec<String>,
    /// Strategy specs (see `zopa_simulation::by_name`).
    pub strategies: Vec<String>,
    /// Discount factor per round applied to agreement utilities (none by default).
    #[serde(default)]
    pub discount: Option<f64>,
    /// Wall-clock seconds a negotiation may take (none by default): one
    /// that outlasts it is stopped between two moves and recorded as timed
    /// out.
    #[serde(default)]
    pub time_limit: Option<f64>,
}

/// Longest per-negotiation time limit, in seconds (a day).
pub const MAX_TIME_LIMIT: f64 = 86_400.0;

fn one() -> u64 {
    1
}
fn one_usize() -> usize {
    1
}
fn protocol<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Protocol, D::Error> {
    let name = String::deserialize(d)?;
    name.parse().map_err(serde::de::Error::custom)
}
fn thousand() -> usize {
    1000
}
fn yes() -> bool {
    true
}

impl TournamentFile {
    /// Read and check a tournament file; domain globs are expanded (sorted).
    pub fn load(path: &Path) -> Result<(Self, Vec<PathBuf>), TournamentError> {
        let text = zopa_model::limits::read_text(path).map_err(TournamentError::Config)?;
        let t: TournamentFile = toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    let col = s.start
                        - text[..s.start.min(text.len())]
                            .rfind('\n')
                            .map_or(0, |i| i + 1)
                        + 1;
                    format!("{}:{line}:{col}: ", path.display())
                })
                .unwrap_or_else(|| format!("{}: ", path.display()));
            TournamentError::Config(format!("{at}{}", e.message()))
        })?;
        if t.strategies.is_empty() || t.domains.is_empty() {
            return Err(TournamentError::Config(format!(
                "{}: needs at least one domain and one strategy",
                path.display()
            )));
        }
        if t.repetitions == 0 || t.deadline == 0 {
            return Err(TournamentError::Config(format!(
                "{}: repetitions and deadline must be ≥ 1",
                path.display()
            )));
        }
        if let Some(l) = t.time_limit {
            if !(l > 0.0 && l <= MAX_TIME_LIMIT) {
                return Err(TournamentError::Config(format!(
                    "{}: time_limit must be a number of seconds above 0 and at most {MAX_TIME_LIMIT}, not {l}",
                    path.display()
                )));
            }
        }
        // The deadline's bound is the plan's (it depends on --max-rounds).
        Settings {
            deadline: t.deadline,
            seed: t.seed,
            trace: false,
            discount: t.discount,
            cancel: Default::default(),
        }
        .check(u64::MAX)
        .map_err(|e| TournamentError::Config(format!("{}: {e}", path.display())))?;
        for s in &t.strategies {
            zopa_simulation::by_name(s)
                .map_err(|e| TournamentError::Config(format!("{}: {e}", path.display())))?;
        }
        let base = path.parent().unwrap_or(Path::new("."));
        let mut domains = Vec::new();
        for pattern in &t.domains {
            let full = base.join(pattern);
            let mut hits: Vec<PathBuf> = glob::glob(&full.to_string_lossy())
                .map_err(|e| {
                    TournamentError::Config(format!(
                        "{}: bad domain pattern `{pattern}`: {e}",
                        path.display()
                    ))
                })?
                .filter_map(Result::ok)
                .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "toml" || e == "json"))
                .collect();
            if hits.is_empty() {
                return Err(TournamentError::Config(format!(
                    "{}: domain pattern `{pattern}` matches nothing",
                    path.display()
                )));
            }
            hits.sort();
            domains.extend(hits);
        }
        domains.dedup();
        Ok((t, domains))
    }
}
