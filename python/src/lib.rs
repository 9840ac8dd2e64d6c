//! `_zopa`: the native half of the `zopa` Python package. A thin surface
//! like the CLI: it resolves what Python names through `zopa_app`, runs the
//! engines with the GIL released, and returns the same JSON documents as
//! `zopa … --json` (the Python half, `python/zopa/__init__.py`, parses them
//! into objects). Failures raise `NativeError(message, diagnostics_json)`.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use zopa_app::analyze::{AnalysisDoc, AnalyzeRequest, Progress};
use zopa_app::documents;
use zopa_app::input::{self, Input, Loaded};
use zopa_app::AppError;
use zopa_model::{Knob, Syntax};

create_exception!(
    _zopa,
    NativeError,
    PyException,
    "A zopa failure: (message, diagnostics as JSON)."
);

/// An application error as `NativeError(message, diagnostics_json)`; a
/// refusal names the keyword that raises its bound, where Python has one.
fn raise(e: AppError) -> PyErr {
    let diagnostics = e
        .diagnostics()
        .map(documents::diagnostics)
        .unwrap_or_default();
    let json = serde_json::to_string(&diagnostics).expect("plain data");
    let setting = |k: Knob| (k == Knob::Limit).then(|| "limit=".to_string());
    NativeError::new_err((e.message(setting), json))
}

fn usage(message: impl Into<String>) -> PyErr {
    NativeError::new_err((message.into(), "[]".to_string()))
}

fn pretty(doc: &impl serde::Serialize) -> String {
    serde_json::to_string(doc).expect("documents are plain data")
}

/// What `source` names: scenario text (it spans lines), else a built-in id
/// (`builtin:NAME` or a bare name) or a path, as the CLI resolves them.
fn input_of(source: &str) -> Result<Input, AppError> {
    if source.contains('\n') {
        let syntax = if source.trim_start().starts_with('{') {
            Syntax::Json
        } else {
            Syntax::Toml
        };
        return Ok(Input::Text {
            name: "<text>".into(),
            syntax,
            text: source.to_string(),
            sources: Default::default(),
        });
    }
    input::resolve(Some(source), None)
}

/// A loaded, checked scenario.
#[pyclass(module = "zopa._zopa", frozen)]
struct NativeScenario {
    loaded: Loaded,
    input: Input,
}

impl NativeScenario {
    /// The analysis `req` asks for, with the GIL released.
    fn analysis(&self, py: Python<'_>, req: &AnalyzeRequest) -> Result<AnalysisDoc, AppError> {
        py.detach(|| zopa_app::analyze::analyze(&self.loaded, req, Progress::none()))
    }
}

/// An [`AnalyzeRequest`] from Python's keyword arguments: what is not given
/// keeps the application's default.
fn analyze_request(
    top: Option<usize>,
    limit: Option<u64>,
    robustness: Option<usize>,
    seed: Option<u64>,
    (critical_budget, vary_quoted, compare): (Option<u64>, Option<bool>, Option<bool>),
) -> AnalyzeRequest {
    let d = AnalyzeRequest::default();
    AnalyzeRequest {
        top: top.unwrap_or(d.top),
        limit: limit.unwrap_or(d.limit),
        robustness,
        seed: seed.unwrap_or(d.seed),
        critical_budget: critical_budget.unwrap_or(d.critical_budget),
        vary_quoted: vary_quoted.unwrap_or(d.vary_quoted),
        compare: compare.unwrap_or(d.compare),
        ..d
    }
}

#[pymethods]
impl NativeScenario {
    /// The scenario's id.
    #[getter]
    fn id(&self) -> String {
        self.loaded.scenario.meta().id.clone()
    }

    /// The scenario's title.
    #[getter]
    fn title(&self) -> String {
        self.loaded.scenario.meta().title.clone()
    }

    /// Where it came from.
    #[getter]
    fn origin(&self) -> String {
        self.loaded.origin.clone()
    }

    /// `zopa.validation/1`.
    fn validation_json(&self) -> String {
        pretty(&documents::validation(&self.loaded))
    }

    /// `zopa.analysis/1` (`top` frontier packages listed, 0 = all; with
    /// `robustness` runs, the robustness study seeded by `seed`; the search
    /// for critical assumptions within `critical_budget` packages, quoted
    /// claims varied with `vary_quoted`; with `compare`, the readings side
    /// by side); what is not given keeps the application's default
    /// (`zopa_app::analyze`).
    #[pyo3(signature = (top=None, limit=None, robustness=None, seed=None, critical_budget=None, vary_quoted=None, compare=None, robustness_from=None))]
    #[allow(clippy::too_many_arguments)]
    fn analyze_json(
        &self,
        py: Python<'_>,
        top: Option<usize>,
        limit: Option<u64>,
        robustness: Option<usize>,
        seed: Option<u64>,
        critical_budget: Option<u64>,
        vary_quoted: Option<bool>,
        compare: Option<bool>,
        robustness_from: Option<Vec<String>>,
    ) -> PyResult<String> {
        let mut req = analyze_request(
            top,
            limit,
            robustness,
            seed,
            (critical_budget, vary_quoted, compare),
        );
        req.robustness_from = robustness_from
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let doc = self.analysis(py, &req).map_err(raise)?;
        Ok(String::from_utf8(doc.to_json(&self.loaded)).expect("JSON is UTF-8"))
    }

    /// The agreement-space plot (SVG) on actors `x` and `y` (ids; default
    /// the first two).
    #[pyo3(signature = (x=None, y=None, limit=None))]
    fn svg(
        &self,
        py: Python<'_>,
        x: Option<String>,
        y: Option<String>,
        limit: Option<u64>,
    ) -> PyResult<String> {
        let axes = match (&x, &y) {
            (Some(x), Some(y)) => Some((x.as_str(), y.as_str())),
            _ => None,
        };
        let on = zopa_app::plots::axes(&self.loaded, axes).map_err(raise)?;
        let doc = self
            .analysis(
                py,
                &analyze_request(None, limit, None, None, (Some(0), None, None)),
            )
            .map_err(raise)?;
        py.detach(|| zopa_app::plots::analysis_svg(&self.loaded, &doc.analysis, on))
            .map_err(raise)
    }

    /// The one-page brief: `md` (Markdown), `html` (a standalone page) or
    /// `json` (`zopa.brief/1`, every sentence with the claim ids it cites).
    #[pyo3(signature = (format="md", limit=None))]
    fn brief(&self, py: Python<'_>, format: &str, limit: Option<u64>) -> PyResult<String> {
        let limit = limit.unwrap_or(zopa_model::DEFAULT_LIMIT);
        let doc = py
            .detach(|| zopa_app::brief::brief(&self.loaded, limit, zopa_model::Cancel::default()))
            .map_err(raise)?;
        match format {
            "md" => Ok(doc.markdown),
            "html" => Ok(doc.html()),
            "json" => Ok(pretty(&doc)),
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "format must be md, html or json, not {other:?}"
            ))),
        }
    }

    /// `zopa.forecast/1` (what is not given keeps the application's default).
    #[pyo3(signature = (model=None, runs=None, seed=None))]
    fn forecast_json(
        &self,
        py: Python<'_>,
        model: Option<String>,
        runs: Option<usize>,
        seed: Option<u64>,
    ) -> PyResult<String> {
        let d = zopa_app::forecast::Request::default();
        let req = zopa_app::forecast::Request {
            model,
            runs: runs.unwrap_or(d.runs),
            seed: seed.unwrap_or(d.seed),
            ..d
        };
        py.detach(|| zopa_app::forecast::forecast(&self.loaded, &req))
            .map(|doc| pretty(&doc))
            .map_err(raise)
    }

    /// `zopa.score/1`: one deal scored (`zopa score --json`).
    #[pyo3(signature = (deal, limit=None))]
    fn score_json(&self, py: Python<'_>, deal: String, limit: Option<u64>) -> PyResult<String> {
        let limit = limit.unwrap_or(zopa_model::DEFAULT_LIMIT);
        py.detach(|| {
            zopa_app::input::check_limit(limit)?;
            zopa_app::score::score(
                &self.loaded.scenario,
                &deal,
                limit,
                zopa_model::limits::MAX_FRONTIER,
                &Default::default(),
            )
        })
        .map(|doc| pretty(&doc))
        .map_err(raise)
    }

    /// `zopa.simulation/1` with `trace`: every event, offers with every
    /// party's utility.
    /// (What is not given keeps the application's default; the deadline of
    /// a traced simulation is bounded, `zopa_model::limits::MAX_TRACED_ROUNDS`.)
    #[pyo3(signature = (strategies=Vec::new(), protocol=None, deadline=None, seed=None, discount=None))]
    fn simulate_json(
        &self,
        py: Python<'_>,
        strategies: Vec<String>,
        protocol: Option<&str>,
        deadline: Option<usize>,
        seed: Option<u64>,
        discount: Option<f64>,
    ) -> PyResult<String> {
        let d = zopa_app::simulate::Request::default();
        let req = zopa_app::simulate::Request {
            strategies,
            protocol: match protocol {
                Some(p) => p.parse().map_err(usage)?,
                None => d.protocol,
            },
            deadline: deadline.unwrap_or(d.deadline),
            seed: seed.unwrap_or(d.seed),
            discount,
            ..d
        };
        py.detach(|| zopa_app::simulate::simulate(&self.loaded.scenario, &req, true))
            .map(|doc| pretty(&doc))
            .map_err(raise)
    }

    /// The scenario as zopa TOML or JSON text.
    fn text(&self, format: &str) -> PyResult<String> {
        let to: zopa_app::Format = format.parse().map_err(usage)?;
        if !matches!(to, zopa_app::Format::Toml | zopa_app::Format::Json) {
            return Err(usage("text() gives toml or json"));
        }
        let c = zopa_app::convert::convert(
            &self.input,
            &self.loaded,
            to,
            "scenario",
            zopa_model::DEFAULT_LIMIT,
        )
        .map_err(raise)?;
        Ok(c.files
            .into_iter()
            .next()
            .map(|f| f.text)
            .unwrap_or_default())
    }
}

/// Load and check a scenario (file, folder, built-in id, or text).
#[pyfunction]
#[pyo3(signature = (source, limit=None))]
fn load(py: Python<'_>, source: &str, limit: Option<u64>) -> PyResult<NativeScenario> {
    py.detach(|| {
        let input = input_of(source)?;
        let loaded = input::load(&input, limit.unwrap_or(zopa_model::DEFAULT_LIMIT))?;
        Ok(NativeScenario { loaded, input })
    })
    .map_err(raise)
}

/// One party for [`from_negmas`]: name, per issue `(kind, evaluations)`
/// with kind `discrete` or `linear`, weights, reserved value.
type NegmasPartyArgs = (String, Vec<(String, Vec<f64>)>, Vec<f64>, Option<f64>);

/// A scenario from NegMAS utility functions read by `zopa.negmas`
/// (`zopa_app::negmas::from_negmas`: GENIUS's semantics, applied in Rust).
#[pyfunction]
fn from_negmas(
    py: Python<'_>,
    name: &str,
    issues: Vec<(String, Vec<String>)>,
    parties: Vec<NegmasPartyArgs>,
) -> PyResult<NativeScenario> {
    use zopa_app::negmas::Evaluations;
    let mut read = Vec::with_capacity(parties.len());
    for (party, evaluations, weights, reserved_value) in parties {
        let evaluations = evaluations
            .into_iter()
            .map(|(kind, v)| match kind.as_str() {
                "discrete" => Ok(Evaluations::Discrete(v)),
                "linear" => Ok(Evaluations::Linear(v)),
                other => Err(usage(format!(
                    "an evaluation kind is `discrete` or `linear`, not `{other}`"
                ))),
            })
            .collect::<PyResult<_>>()?;
        read.push(zopa_app::negmas::NegmasParty {
            name: party,
            evaluations,
            weights,
            reserved_value,
        });
    }
    py.detach(|| zopa_app::negmas::from_negmas(name, issues, read))
        .map(|(input, loaded)| NativeScenario { loaded, input })
        .map_err(raise)
}

/// `zopa.tournament-run/1` of running (or resuming) the tournament file
/// `config` into the database `db` (`jobs` workers, default one per core).
#[pyfunction]
#[pyo3(signature = (config, db, jobs=None))]
fn tournament(py: Python<'_>, config: &str, db: &str, jobs: Option<usize>) -> PyResult<String> {
    let req = zopa_app::tournament::RunRequest {
        jobs,
        ..Default::default()
    };
    py.detach(|| zopa_app::tournament::run_file(config.as_ref(), db.as_ref(), &req))
        .map(|doc| pretty(&doc))
        .map_err(raise)
}

/// `zopa.tournament-worker/1` of working on the tournament file `config`
/// in the shared PostgreSQL store `url` until no shard is left to claim.
#[pyfunction]
#[pyo3(signature = (config, url, shards=None, partition="contiguous", jobs=None, worker=None))]
fn tournament_worker(
    py: Python<'_>,
    config: &str,
    url: &str,
    shards: Option<u64>,
    partition: &str,
    jobs: Option<usize>,
    worker: Option<String>,
) -> PyResult<String> {
    let partition = partition
        .parse()
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let req = zopa_app::tournament::RunRequest {
        jobs,
        ..Default::default()
    };
    let worker = worker.unwrap_or_else(|| format!("python:{}", std::process::id()));
    let stop = std::sync::atomic::AtomicBool::new(false);
    py.detach(|| {
        zopa_app::tournament::work_postgres(
            config.as_ref(),
            url,
            shards,
            partition,
            &worker,
            &req,
            &|_, _| {},
            &stop,
        )
    })
    .map(|doc| pretty(&doc))
    .map_err(raise)
}

/// `zopa.tournament-merge/1` of copying the finished tournament in the
/// PostgreSQL store `url` into the new SQLite database `db`.
#[pyfunction]
#[pyo3(signature = (url, db, tournament=None))]
fn tournament_pull(
    py: Python<'_>,
    url: &str,
    db: &str,
    tournament: Option<&str>,
) -> PyResult<String> {
    py.detach(|| zopa_app::tournament::pull_postgres(url, tournament, db.as_ref()))
        .map(|doc| pretty(&doc))
        .map_err(raise)
}

/// `zopa.tournament-run/1` of running (or resuming) shard `k` of `n` of the
/// tournament file `config` into the folder `out` (its database and, once
/// complete, its manifest).
#[pyfunction]
#[pyo3(signature = (config, k, n, out, partition="contiguous", jobs=None))]
fn tournament_shard(
    py: Python<'_>,
    config: &str,
    k: u64,
    n: u64,
    out: &str,
    partition: &str,
    jobs: Option<usize>,
) -> PyResult<String> {
    let partition = partition
        .parse()
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let shard = zopa_app::tournament::Shard::parse(&format!("{k}/{n}"), partition)
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let req = zopa_app::tournament::RunRequest {
        jobs,
        ..Default::default()
    };
    let stop = std::sync::atomic::AtomicBool::new(false);
    py.detach(|| {
        zopa_app::tournament::run_shard_file(
            config.as_ref(),
            &shard,
            out.as_ref(),
            &req,
            &|_, _| {},
            &stop,
        )
    })
    .map(|o| pretty(&o.doc))
    .map_err(raise)
}

/// `zopa.tournament-merge/1` of merging the finished shards in `dirs` into
/// the new database `db`.
#[pyfunction]
fn tournament_merge(py: Python<'_>, dirs: Vec<String>, db: &str) -> PyResult<String> {
    let dirs: Vec<std::path::PathBuf> = dirs.into_iter().map(Into::into).collect();
    py.detach(|| zopa_app::tournament::merge(&dirs, db.as_ref()))
        .map(|doc| pretty(&doc))
        .map_err(raise)
}

/// Run shard `k` of `n` of a `runs`-run robustness study of the scenario
/// `source` (as `load` takes it) into the folder `out`; answers the path of
/// the shard's file.
#[pyfunction]
#[pyo3(signature = (source, runs, k, n, out, seed=None, limit=None))]
#[allow(clippy::too_many_arguments)]
fn robustness_shard(
    py: Python<'_>,
    source: &str,
    runs: usize,
    k: u64,
    n: u64,
    out: &str,
    seed: Option<u64>,
    limit: Option<u64>,
) -> PyResult<String> {
    py.detach(|| {
        let input = input_of(source)?;
        let limit = limit.unwrap_or(zopa_model::DEFAULT_LIMIT);
        let loaded = input::load(&input, limit)?;
        let (k, n) = zopa_app::robust_shard::parse_shard(&format!("{k}/{n}"))?;
        let req = zopa_app::robust_shard::ShardRequest {
            runs,
            seed: seed.unwrap_or(zopa_app::DEFAULT_SEED),
            k,
            n,
            limit,
        };
        zopa_app::robust_shard::run_shard(&loaded, &req, out.as_ref(), &|| {}, &Default::default())
    })
    .map(|p| p.display().to_string())
    .map_err(raise)
}

/// `zopa.tournament-report/1` of a results database.
#[pyfunction]
fn report(py: Python<'_>, db: &str) -> PyResult<String> {
    py.detach(|| zopa_app::tournament::report_file(db.as_ref()))
        .map(|doc| pretty(&doc))
        .map_err(raise)
}

/// Write a results database's rows to a Parquet file
/// (`zopa.tournament-export/1`).
#[pyfunction]
fn export_parquet(py: Python<'_>, db: &str, out: &str) -> PyResult<String> {
    py.detach(|| zopa_app::tournament::export_parquet(db.as_ref(), out.as_ref()))
        .map(|doc| pretty(&doc))
        .map_err(raise)
}

/// NegMAS's `pareto_frontier` of an additive space given as
/// `values[party][issue][value]` with `reserved` values: (utility vectors,
/// outcome indices).
#[pyfunction]
#[pyo3(signature = (values, reserved, max_frontier=zopa_model::limits::MAX_FRONTIER))]
fn negmas_frontier(
    py: Python<'_>,
    values: Vec<Vec<Vec<f64>>>,
    reserved: Vec<f64>,
    max_frontier: u64,
) -> PyResult<(Vec<Vec<f64>>, Vec<u64>)> {
    py.detach(|| zopa_app::negmas::table_frontier(&values, &reserved, max_frontier))
        .map_err(raise)
}

/// Each party's (min, max) utility over the space `values[party][issue][value]`.
#[pyfunction]
fn negmas_ranges(py: Python<'_>, values: Vec<Vec<Vec<f64>>>) -> PyResult<Vec<(f64, f64)>> {
    py.detach(|| zopa_app::negmas::table_ranges(&values))
        .map_err(raise)
}

/// Positions of the (nash, kalai, ks, max_welfare) points.
type PointLists = (Vec<usize>, Vec<usize>, Vec<usize>, Vec<usize>);

/// Positions in `frontier` of NegMAS's (nash, kalai, ks, max_welfare) points.
#[pyfunction]
fn negmas_points(
    py: Python<'_>,
    frontier: Vec<Vec<f64>>,
    ranges: Vec<(f64, f64)>,
    reserved: Vec<f64>,
) -> PyResult<PointLists> {
    py.detach(|| zopa_app::negmas::frontier_points(&frontier, &ranges, &reserved))
        .map(|p| (p.nash, p.kalai, p.ks, p.max_welfare))
        .map_err(raise)
}

/// `zopa.evidence/1` of the report `text` (named `name`), against
/// `scenario` when given, scored against `gold` annotations when given.
#[pyfunction]
#[pyo3(signature = (text, scenario=None, name="article", gold=None))]
fn evidence(
    py: Python<'_>,
    text: &str,
    scenario: Option<PyRef<'_, NativeScenario>>,
    name: &str,
    gold: Option<&str>,
) -> PyResult<String> {
    let s = scenario.as_ref().map(|s| (&s.input, &s.loaded));
    py.detach(|| zopa_app::evidence::evidence(name, text.as_bytes(), s, gold.map(|g| ("gold", g))))
        .map(|doc| pretty(&doc))
        .map_err(raise)
}

/// `zopa.evidence-draft/1` of a scenario drafted from `reports` (`(name,
/// text)`, the name being the path the scenario cites), or with
/// `scenario`, `zopa.evidence-update/1`: what the reports add to it.
#[pyfunction]
#[pyo3(signature = (reports, scenario=None))]
fn draft(
    py: Python<'_>,
    reports: Vec<(String, String)>,
    scenario: Option<PyRef<'_, NativeScenario>>,
) -> PyResult<String> {
    let s = scenario.as_ref().map(|s| (&s.input, &s.loaded));
    py.detach(|| {
        let inputs: Vec<zopa_app::evidence::ReportInput<'_>> = reports
            .iter()
            .map(|(name, text)| zopa_app::evidence::ReportInput {
                name: name.clone(),
                cite: name.clone(),
                bytes: text.as_bytes(),
            })
            .collect();
        match s {
            Some(s) => zopa_app::evidence::update(s, &inputs).map(|d| pretty(&d)),
            None => zopa_app::evidence::draft(&inputs).map(|d| pretty(&d)),
        }
    })
    .map_err(raise)
}

/// `zopa.scenarios/1`.
#[pyfunction]
fn scenarios() -> String {
    pretty(&documents::scenarios())
}

#[pymodule]
fn _zopa(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add_class::<NativeScenario>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(tournament, m)?)?;
    m.add_function(wrap_pyfunction!(tournament_shard, m)?)?;
    m.add_function(wrap_pyfunction!(robustness_shard, m)?)?;
    m.add_function(wrap_pyfunction!(tournament_merge, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(export_parquet, m)?)?;
    m.add_function(wrap_pyfunction!(tournament_worker, m)?)?;
    m.add_function(wrap_pyfunction!(tournament_pull, m)?)?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(evidence, m)?)?;
    m.add_function(wrap_pyfunction!(draft, m)?)?;
    m.add_function(wrap_pyfunction!(negmas_frontier, m)?)?;
    m.add_function(wrap_pyfunction!(negmas_ranges, m)?)?;
    m.add_function(wrap_pyfunction!(negmas_points, m)?)?;
    m.add_function(wrap_pyfunction!(from_negmas, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
