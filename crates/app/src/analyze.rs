//! `analyze`, the one entry every surface calls: a typed request with one
//! set of defaults, the analysis and (when asked) the robustness study, and
//! the document (`zopa.analysis/1`) they make. The CLI, the HTTP server and
//! Python convert their arguments into an [`AnalyzeRequest`] and render the
//! [`AnalysisDoc`]; none of them states a default or assembles the steps.

use std::sync::atomic::AtomicU64;

use zopa_analysis::robustness::Robustness;
use zopa_analysis::Analysis;
use zopa_model::{limits, Cancel};

use crate::report::critical::{ComparisonDoc, CriticalDoc, Reading};
use crate::report::Report;
use crate::{AppError, Loaded};

/// Frontier packages a document lists by default.
pub const DEFAULT_TOP: usize = 10;

/// Packages the critical-assumption search may walk by default.
pub const DEFAULT_CRITICAL_BUDGET: u64 = 20_000_000;

/// Seed of the robustness study by default.
pub use crate::DEFAULT_SEED;

/// What to analyse for, with its bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyzeRequest {
    /// Frontier packages listed in the document, best total first (0: all).
    /// Default [`DEFAULT_TOP`].
    pub top: usize,
    /// Most work one count may do: packages walked, or partial packages for
    /// meet in the middle. Default [`zopa_model::DEFAULT_LIMIT`]; meet in
    /// the middle is held to [`limits::MAX_HALVES`] whatever it says.
    pub limit: u64,
    /// Most Pareto frontier candidates kept at any step (ties keep every
    /// tied package). Default [`limits::MAX_FRONTIER`].
    pub max_frontier: u64,
    /// Monte Carlo runs of the robustness study, 1 to [`limits::MAX_RUNS`]
    /// (none: no study). Default none.
    pub robustness: Option<usize>,
    /// Seed of the robustness study. Default [`DEFAULT_SEED`].
    pub seed: u64,
    /// Folders of the robustness study's shards to merge instead of running
    /// it here (`crate::robust_shard`). Default none.
    pub robustness_from: Vec<std::path::PathBuf>,
    /// Most packages the critical-assumption search may walk in all (0: no
    /// search). Default [`DEFAULT_CRITICAL_BUDGET`].
    pub critical_budget: u64,
    /// Whether the critical-assumption search varies quoted claims too.
    /// Default false.
    pub vary_quoted: bool,
    /// Compare the scenario as written with each of its interpretations
    /// and zopa's stress tests. Default false.
    pub compare: bool,
    /// Stops the work when cancelled ([`AppError::Cancelled`]).
    pub cancel: Cancel,
}

impl Default for AnalyzeRequest {
    fn default() -> Self {
        AnalyzeRequest {
            top: DEFAULT_TOP,
            limit: zopa_model::DEFAULT_LIMIT,
            max_frontier: limits::MAX_FRONTIER,
            robustness: None,
            seed: DEFAULT_SEED,
            robustness_from: Vec::new(),
            critical_budget: DEFAULT_CRITICAL_BUDGET,
            vary_quoted: false,
            compare: false,
            cancel: Cancel::default(),
        }
    }
}

/// What a surface may show while an analysis runs.
#[derive(Clone, Copy)]
pub struct Progress<'a> {
    /// Packages walked by counting so far (updated every 2^20).
    pub walked: &'a AtomicU64,
    /// Called once per finished robustness run.
    pub run: &'a (dyn Fn() + Sync),
}

impl Progress<'_> {
    /// Shows nothing.
    pub fn none() -> Progress<'static> {
        static WALKED: AtomicU64 = AtomicU64::new(0);
        Progress {
            walked: &WALKED,
            run: &|| {},
        }
    }
}

/// The analysis of one scenario, as every surface shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisDoc {
    /// Agreement space, frontiers, solutions, blocking.
    pub analysis: Analysis,
    /// The robustness study, when one was asked for.
    pub robustness: Option<Robustness>,
    /// What the headline conclusions depend on (none when the search was
    /// turned off).
    pub critical: Option<CriticalDoc>,
    /// The readings side by side, when asked for.
    pub comparison: Option<ComparisonDoc>,
    /// Frontier packages listed (0: all).
    pub top: usize,
}

impl AnalysisDoc {
    /// What the report shows, for the scenario it analyses.
    pub fn report<'a>(&'a self, loaded: &'a Loaded) -> Report<'a> {
        Report {
            scenario: &loaded.scenario,
            origin: &loaded.origin,
            analysis: &self.analysis,
            top: self.top,
            robustness: self.robustness.as_ref(),
            critical: self.critical.as_ref(),
            comparison: self.comparison.as_ref(),
        }
    }

    /// The `zopa.analysis/1` document, streamed to `out` as it is
    /// serialised (a large frontier is never held twice).
    pub fn write_json(
        &self,
        loaded: &Loaded,
        out: &mut impl std::io::Write,
    ) -> std::io::Result<()> {
        crate::report::json::write(&self.report(loaded), out)
    }

    /// The `zopa.analysis/1` document in memory.
    pub fn to_json(&self, loaded: &Loaded) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_json(loaded, &mut out)
            .expect("writing to memory cannot fail");
        out
    }
}

/// Check a request's bounds before any work: robustness runs in
/// 1..=[`limits::MAX_RUNS`].
pub fn check(req: &AnalyzeRequest) -> Result<(), AppError> {
    crate::input::check_limit(req.limit)?;
    if req.max_frontier == 0 {
        return Err(AppError::Usage(
            "the frontier bound (max_frontier) is at least 1".into(),
        ));
    }
    if let Some(runs) = req.robustness {
        if runs == 0 {
            return Err(AppError::Usage(
                "the robustness study needs at least 1 Monte Carlo run".into(),
            ));
        }
        limits::check("the robustness runs", runs as u128, limits::MAX_RUNS, None)?;
    }
    Ok(())
}

/// Analyse a loaded scenario as `req` asks: the analysis, then the
/// robustness study if asked for. Refusals name the bound they hit;
/// a cancelled request answers [`AppError::Cancelled`].
pub fn analyze(
    loaded: &Loaded,
    req: &AnalyzeRequest,
    progress: Progress<'_>,
) -> Result<AnalysisDoc, AppError> {
    check(req)?;
    let opts = zopa_analysis::Options {
        limit: req.limit,
        max_frontier: req.max_frontier,
        cancel: req.cancel.clone(),
        ..Default::default()
    };
    let analysis = zopa_analysis::analyze_with_progress(&loaded.scenario, &opts, progress.walked)?;
    let robustness = match req.robustness {
        Some(runs) if !req.robustness_from.is_empty() => Some(crate::robust_shard::merge(
            loaded,
            runs,
            req.seed,
            &req.robustness_from,
        )?),
        Some(runs) => {
            let params = zopa_analysis::robustness::Params {
                runs,
                seed: req.seed,
                bands: *loaded.scenario.bands(),
            };
            Some(zopa_analysis::robustness::study_until(
                &loaded.scenario,
                &params,
                req.limit,
                progress.run,
                &req.cancel,
            )?)
        }
        None => None,
    };
    let critical = critical(loaded, req)?;
    let comparison = if req.compare {
        Some(compare(loaded, req)?)
    } else {
        None
    };
    Ok(AnalysisDoc {
        analysis,
        robustness,
        critical,
        comparison,
        top: req.top,
    })
}

/// The scenario as written beside each interpretation and stress test.
fn compare(loaded: &Loaded, req: &AnalyzeRequest) -> Result<ComparisonDoc, AppError> {
    use zopa_analysis::critical::{self, Stress};
    let s = &loaded.scenario;
    let bands = *s.bands();
    let mut readings = vec![Reading {
        kind: "as_written",
        id: "as_written".into(),
        name: "The scenario as written".into(),
        grounds: None,
        changes: vec![],
    }];
    for x in s.interpretations() {
        let grounds = match (&x.basis.note, x.basis.evidence.len()) {
            (Some(note), 0) => note.clone(),
            (Some(note), n) => format!("{note} ({n} quote(s) as context)"),
            (None, n) => format!("{n} quote(s) as context"),
        };
        readings.push(Reading {
            kind: "interpretation",
            id: x.id.clone(),
            name: x.name.clone(),
            grounds: Some(grounds),
            changes: critical::interpretation(s, x),
        });
    }
    for t in Stress::ALL {
        readings.push(Reading {
            kind: "stress_test",
            id: t.key().into(),
            name: t.name().into(),
            grounds: Some(
                "built by zopa from the scenario (docs/analysis.md, \"Readings side by side\")"
                    .into(),
            ),
            changes: t.changes(s, &bands),
        });
    }
    let mut outcomes = Vec::with_capacity(readings.len());
    for r in &readings {
        match critical::outcome_with(s, &r.changes, req.limit, &req.cancel) {
            Ok(o) => outcomes.push(o),
            Err(zopa_analysis::AnalysisError::Space(e)) => {
                return Ok(crate::report::critical::comparison_skipped(format!(
                    "not compared: each reading walks the outcome space, and {e}"
                )))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(crate::report::critical::comparison(s, &readings, &outcomes))
}

/// The critical-assumption search `req` asks for, in words.
fn critical(loaded: &Loaded, req: &AnalyzeRequest) -> Result<Option<CriticalDoc>, AppError> {
    if req.critical_budget == 0 {
        return Ok(None);
    }
    let params = zopa_analysis::critical::Params {
        budget: req.critical_budget,
        vary_quoted: req.vary_quoted,
        bands: *loaded.scenario.bands(),
        ..Default::default()
    };
    let found = zopa_analysis::critical::search(&loaded.scenario, &params, req.limit, &req.cancel)?;
    Ok(Some(crate::report::critical::document(
        &loaded.scenario,
        &found,
        &params,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::default_loaded as default_scenario;

    #[test]
    fn the_defaults_are_stated_once() {
        let r = AnalyzeRequest::default();
        assert_eq!((r.top, r.seed, r.robustness), (10, 1, None));
        assert_eq!(r.limit, zopa_model::DEFAULT_LIMIT);
        assert_eq!(r.max_frontier, limits::MAX_FRONTIER);
    }

    #[test]
    fn bad_runs_are_refused_before_any_work() {
        let loaded = default_scenario();
        for (runs, want) in [
            (0, "at least 1"),
            (limits::MAX_RUNS as usize + 1, "above the limit"),
        ] {
            let req = AnalyzeRequest {
                robustness: Some(runs),
                ..Default::default()
            };
            let e = analyze(&loaded, &req, Progress::none()).unwrap_err();
            assert!(e.to_string().contains(want), "{e}");
        }
    }

    #[test]
    fn a_cancelled_request_answers_nothing() {
        let loaded = default_scenario();
        let req = AnalyzeRequest::default();
        req.cancel.cancel();
        assert!(matches!(
            analyze(&loaded, &req, Progress::none()),
            Err(AppError::Cancelled)
        ));
        let req = AnalyzeRequest {
            robustness: Some(50),
            ..Default::default()
        };
        let done = analyze(&loaded, &req, Progress::none()).unwrap();
        assert_eq!(done.robustness.as_ref().map(|r| r.params.runs), Some(50));
        assert_eq!(done.analysis.agreement_size, 63);
    }
}
