//! The scenario routes: each parses its options, runs the application layer
//! off the async runtime and answers the CLI's `--json` document.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zopa_app::analyze::{AnalyzeRequest, Progress};
use zopa_app::documents;
use zopa_app::input::{self, Format, Input, Loaded};
use zopa_model::Cancel;

use crate::problem::Problem;
use crate::queries::{
    AnalyzeQuery, BriefQuery, ConvertQuery, ForecastQuery, ReferenceQuery, RouteQuery, ScoreQuery,
    SimulateQuery, SpaceQuery, ValidateQuery,
};
use crate::request::ScenarioRequest;
use crate::AppState;

/// A JSON document.
pub fn json_response(body: impl Into<axum::body::Body>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body.into()).into_response()
}

/// A document as pretty-printed JSON (as the CLI prints it).
pub fn pretty(doc: &impl Serialize) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(doc).expect("documents are plain data");
    v.push(b'\n');
    v
}

/// The tokens of the work in flight, so that a stopping server cancels it
/// all (engines that look at their token stop within a step).
#[derive(Default)]
pub struct Working {
    tokens: std::sync::Mutex<std::collections::HashMap<u64, Cancel>>,
    next: std::sync::atomic::AtomicU64,
    stopped: std::sync::atomic::AtomicBool,
}

impl Working {
    /// A token for new work; it is cancelled at once if the server is
    /// stopping. The work leaves the registry when the [`Enrolled`] drops.
    fn enrol(self: &Arc<Self>) -> (Cancel, Enrolled) {
        use std::sync::atomic::Ordering;
        let cancel = Cancel::new();
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(id, cancel.clone());
        if self.stopped.load(Ordering::SeqCst) {
            cancel.cancel();
        }
        (
            cancel,
            Enrolled {
                working: self.clone(),
                id,
            },
        )
    }

    /// Cancel the work in flight and any work that starts from now on.
    pub fn cancel_all(&self) {
        self.stopped
            .store(true, std::sync::atomic::Ordering::SeqCst);
        for c in self.lock().values() {
            c.cancel();
        }
    }

    /// Whether the server is stopping.
    pub fn stopping(&self) -> bool {
        self.stopped.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<u64, Cancel>> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One piece of work's place in [`Working`].
pub struct Enrolled {
    working: Arc<Working>,
    id: u64,
}

impl Drop for Enrolled {
    fn drop(&mut self) {
        self.working.lock().remove(&self.id);
    }
}

/// Run `work` off the async runtime, at most `max_heavy` at once with at
/// most `max_queued` more waiting (503 beyond). The request time limit
/// covers the wait for a worker and the work together: a request that
/// waited it out is answered 503 without running, one whose work outlasts
/// it 422. The work gets a [`Cancel`] that the time limit cancels: engines
/// that look at it stop within a step and free their slot (the others
/// finish in the background, still holding it).
pub async fn heavy_value<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(Cancel) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    run_in(state, &state.heavy, work).await
}

/// [`heavy_value`] on the workers of `lane` (the heavy lane, or the light
/// one that validations use, so they never wait behind analyses).
pub(crate) async fn run_in<T: Send + 'static>(
    state: &AppState,
    lane: &Arc<tokio::sync::Semaphore>,
    work: impl FnOnce(Cancel) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let deadline = tokio::time::Instant::now() + state.timeout;
    // Admitted (running or waiting for a worker), or 503 at once.
    let Ok(_admitted) = state.admit.clone().try_acquire_owned() else {
        return Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "saturated",
            "every worker is busy and the queue is full; retry shortly",
        ));
    };
    let Ok(permit) = tokio::time::timeout_at(deadline, lane.clone().acquire_owned()).await else {
        return Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "saturated",
            format!(
                "no worker came free within this server's time limit of {} s; retry shortly",
                state.timeout.as_secs_f64()
            ),
        ));
    };
    let permit = permit.expect("the semaphore is never closed");
    let (cancel, enrolled) = state.working.enrol();
    let token = cancel.clone();
    let job = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let _enrolled = enrolled;
        work(token)
    });
    match tokio::time::timeout_at(deadline, job).await {
        Ok(Ok(Err(_))) if state.working.stopping() => Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "stopping",
            "the server is stopping and cancelled this work; retry when it is back",
        )),
        Ok(Ok(value)) => value,
        Ok(Err(e)) => Err(stopped(e)),
        Err(_) => Err({
            cancel.cancel();
            Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too long",
            format!(
                "the work took longer than this server's time limit of {} s (zopa serve --timeout); ask for less (a lower `limit`, fewer `runs`, a shorter `deadline`)",
                state.timeout.as_secs_f64()
            ),
            )
        }),
    }
}

/// A blocking task that panicked or was cancelled: the server's fault.
pub fn stopped(e: tokio::task::JoinError) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error",
        format!("the work stopped: {e}"),
    )
}

/// [`heavy_value`] answering the JSON document the work returns.
pub async fn heavy(
    state: &AppState,
    work: impl FnOnce(Cancel) -> Result<Vec<u8>, Problem> + Send + 'static,
) -> Result<Response, Problem> {
    heavy_value(state, work).await.map(json_response)
}

/// Load the request's scenario and run `work` on it (see [`heavy`]).
/// A built-in's document is the same for the same route and query: it is
/// computed once and then answered from memory.
async fn answer<Q: RouteQuery>(
    state: &AppState,
    r: ScenarioRequest<Q>,
    work: impl FnOnce(&Loaded, &ScenarioRequest<Q>, Cancel) -> Result<Vec<u8>, Problem> + Send + 'static,
) -> Result<Response, Problem> {
    answer_in(state, &state.heavy, r, work).await
}

/// [`answer`] on the workers of `lane`.
async fn answer_in<Q: RouteQuery>(
    state: &AppState,
    lane: &Arc<tokio::sync::Semaphore>,
    r: ScenarioRequest<Q>,
    work: impl FnOnce(&Loaded, &ScenarioRequest<Q>, Cancel) -> Result<Vec<u8>, Problem> + Send + 'static,
) -> Result<Response, Problem> {
    let key = matches!(r.input, Input::Builtin(_)).then(|| r.key.clone());
    if let Some(body) = key.as_ref().and_then(|k| state.memo.get(k)) {
        return Ok(json_response(body));
    }
    let body = run_in(state, lane, move |cancel| {
        let loaded = input::load(&r.input, r.limit).map_err(Problem::from)?;
        work(&loaded, &r, cancel)
    })
    .await?;
    let body = axum::body::Bytes::from(body);
    if let Some(k) = key {
        state.memo.put(k, body.clone());
    }
    Ok(json_response(body))
}

/// The built-in scenarios (`zopa.scenarios/1`).
#[utoipa::path(get, path = "/api/v1/scenarios", tag = "scenarios",
    responses((status = 200, description = "`zopa.scenarios/1`: every built-in scenario", body = zopa_app::documents::ScenariosDoc)))]
pub async fn scenarios() -> Response {
    json_response(pretty(&documents::scenarios()))
}

/// A built-in's text and the source documents it cites.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ScenarioText {
    /// `zopa.scenario-text/1`.
    schema: &'static str,
    /// Its name.
    name: &'static str,
    /// One line.
    summary: &'static str,
    /// The scenario, TOML.
    toml: &'static str,
    /// Cited path → document text.
    #[schema(value_type = Object)]
    sources: std::collections::BTreeMap<&'static str, &'static str>,
}

/// A built-in scenario's TOML and its cited sources (`zopa.scenario-text/1`).
#[utoipa::path(get, path = "/api/v1/scenarios/{id}", tag = "scenarios",
    params(("id" = String, Path, description = "Built-in name", example = "security-guarantees")),
    responses((status = 200, body = ScenarioText),
        (status = 404, description = "No such built-in", body = Problem, content_type = "application/problem+json")))]
pub async fn scenario_text(Path(id): Path<String>) -> Result<Response, Problem> {
    let b = zopa_app::builtin::find(&id).ok_or_else(|| {
        Problem::not_found(format!(
            "no built-in scenario `{id}` (GET /api/v1/scenarios lists them)"
        ))
    })?;
    Ok(json_response(pretty(&ScenarioText {
        schema: "zopa.scenario-text/1",
        name: b.name,
        summary: b.summary,
        toml: b.toml,
        sources: b.sources.iter().copied().collect(),
    })))
}

/// Validate a scenario (`zopa.validation/1`).
#[utoipa::path(post, path = "/api/v1/validate", tag = "scenario",
    params(crate::queries::ValidateQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.validation/1`", body = zopa_app::documents::ValidationDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn validate(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<ValidateQuery>,
) -> Result<Response, Problem> {
    // Validation is quick (loading is bounded, quote look-ups indexed): it
    // has its own lane, so it answers while analyses hold every heavy worker.
    answer_in(&state, &state.light, r, |loaded, _, _| {
        Ok(pretty(&documents::validation(loaded)))
    })
    .await
}

/// Analyze a scenario: ZOPA, Pareto frontier, solutions, blocking
/// (`zopa.analysis/1`).
#[utoipa::path(post, path = "/api/v1/analyze", tag = "scenario",
    params(crate::queries::AnalyzeQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.analysis/1`", body = zopa_app::report::json::AnalysisJson), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn analyze(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<AnalyzeQuery>,
) -> Result<Response, Problem> {
    let req = r.query.request(r.limit);
    zopa_app::analyze::check(&req).map_err(Problem::from)?;
    answer(&state, r, move |loaded, _, cancel| {
        let req = AnalyzeRequest { cancel, ..req };
        let doc = zopa_app::analyze::analyze(loaded, &req, Progress::none())?;
        Ok(doc.to_json(loaded))
    })
    .await
}

/// A one-page brief: the bottom line, the three findings that matter, what
/// each depends on, what rests on what, who said what — in words, every
/// sentence with the claim ids it rests on (`zopa.brief/1`, with the brief
/// in Markdown).
#[utoipa::path(post, path = "/api/v1/brief", tag = "scenario",
    params(crate::queries::BriefQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.brief/1`", body = zopa_app::brief::BriefDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn brief(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<BriefQuery>,
) -> Result<Response, Problem> {
    answer(&state, r, move |loaded, r, cancel| {
        Ok(pretty(&zopa_app::brief::brief(loaded, r.limit, cancel)?))
    })
    .await
}

/// Forecast the outcome per issue with the political-bargaining models
/// (`zopa.forecast/1`).
#[utoipa::path(post, path = "/api/v1/forecast", tag = "scenario",
    params(crate::queries::ForecastQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.forecast/1`", body = zopa_app::forecast::ForecastDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn forecast(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<ForecastQuery>,
) -> Result<Response, Problem> {
    let req = r.query.request();
    answer(&state, r, move |loaded, _, cancel| {
        let req = zopa_app::forecast::Request { cancel, ..req };
        Ok(pretty(&zopa_app::forecast::forecast(loaded, &req)?))
    })
    .await
}

/// Play one negotiation and place its agreement (`zopa.simulation/1`; with
/// `trace=true`, plus `trace`: every event, offers with every party's
/// utility).
#[utoipa::path(post, path = "/api/v1/simulate", tag = "scenario",
    params(crate::queries::SimulateQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.simulation/1`", body = zopa_app::simulate::SimulationDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn simulate(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<SimulateQuery>,
) -> Result<Response, Problem> {
    let (req, trace) = r.query.request()?;
    answer(&state, r, move |loaded, _, cancel| {
        let req = zopa_app::simulate::Request { cancel, ..req };
        Ok(pretty(&zopa_app::simulate::simulate(
            &loaded.scenario,
            &req,
            trace,
        )?))
    })
    .await
}

/// NegMAS reference values of an uploaded GENIUS folder, in the schema of
/// docs/negmas-compatibility.md (as `zopa reference DIR` prints them).
#[utoipa::path(post, path = "/api/v1/reference", tag = "scenario",
    params(crate::queries::ReferenceQuery), request_body(content((crate::openapi::FolderUpload = "multipart/form-data")), description = "A GENIUS folder's files"),
    responses((status = 200, description = "NegMAS reference values (docs/negmas-compatibility.md)", body = zopa_app::negmas::ReferenceDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn reference(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<ReferenceQuery>,
) -> Result<Response, Problem> {
    let Input::Files { name, files } = r.input else {
        return Err(Problem::bad(
            "the reference values are computed from a GENIUS folder: upload its files as multipart/form-data",
        ));
    };
    let (limit, max_frontier) = (
        r.limit,
        r.query
            .max_frontier
            .unwrap_or(zopa_model::limits::MAX_FRONTIER)
            .clamp(1, zopa_model::limits::MAX_FRONTIER),
    );
    heavy(&state, move |cancel| {
        let mut t = zopa_app::negmas::Timings::default();
        let doc =
            zopa_app::negmas::reference_files(&name, files, limit, max_frontier, &mut t, &cancel)?;
        Ok(pretty(&doc))
    })
    .await
}

/// Convert a scenario to zopa TOML or JSON, or a GENIUS or GeniusWeb
/// folder; the files come back in the document (`zopa.conversion/1` with
/// `files`).
#[utoipa::path(post, path = "/api/v1/convert", tag = "scenario",
    params(crate::queries::ConvertQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.conversion/1` with `files`", body = zopa_app::documents::ConversionDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn convert(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<ConvertQuery>,
) -> Result<Response, Problem> {
    let to: Format = r
        .query
        .to
        .as_deref()
        .ok_or_else(|| Problem::bad("say the target format: ?to=toml, json, genius or geniusweb"))?
        .parse()
        .map_err(Problem::bad)?;
    answer(&state, r, move |loaded, r, _| {
        let file = format!("{}.{}", loaded.scenario.meta().id, to.name());
        let c = zopa_app::convert::convert(&r.input, loaded, to, &file, r.limit)?;
        let output = match to {
            Format::Toml | Format::Json => file,
            Format::Genius | Format::Geniusweb | Format::Deliberation | Format::Lamen => {
                loaded.scenario.meta().id.clone()
            }
        };
        let written = c.files.iter().map(|f| f.path.clone()).collect();
        let files = c
            .files
            .into_iter()
            .map(|f| documents::ConvertedFile {
                path: f.path,
                text: f.text,
            })
            .collect();
        Ok(pretty(&documents::conversion(
            loaded,
            &output,
            to,
            written,
            &c.warnings,
            Some(files),
        )))
    })
    .await
}

/// The packages of the outcome space with every actor's utility and their
/// status (red line, below a reservation, in the agreement space), sampled
/// above `points` (`zopa.space/1`): what the workbench's plot draws.
#[utoipa::path(post, path = "/api/v1/space", tag = "scenario",
    params(crate::queries::SpaceQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.space/1`", body = zopa_app::space::SpaceDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn space(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<SpaceQuery>,
) -> Result<Response, Problem> {
    let points = r.query.points.unwrap_or(zopa_app::space::DEFAULT_POINTS);
    answer(&state, r, move |loaded, _, _| {
        Ok(pretty(&zopa_app::space::space(loaded, points)?))
    })
    .await
}

/// One deal scored (`zopa.score/1`, as `zopa score --json` prints it): each
/// party's utility and whether it accepts (and why not), whether the deal
/// passes, whether it is Pareto-optimal, and its distance to the Nash
/// package.
#[utoipa::path(post, path = "/api/v1/score", tag = "scenario",
    params(crate::queries::ScoreQuery), request_body(content((Option<String> = "application/toml", example = crate::openapi::example_toml), (Option<crate::openapi::ScenarioJson> = "application/json"), (Option<crate::openapi::ScenarioUpload> = "multipart/form-data")), description = "A scenario: TOML, JSON, or an upload; none with ?scenario=NAME"),
    responses((status = 200, description = "`zopa.score/1`", body = zopa_app::score::ScoreDoc), crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn score(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest<ScoreQuery>,
) -> Result<Response, Problem> {
    answer(&state, r, move |loaded, r, cancel| {
        Ok(pretty(&zopa_app::score::score(
            &loaded.scenario,
            &r.query.deal,
            r.limit,
            zopa_model::limits::MAX_FRONTIER,
            &cancel,
        )?))
    })
    .await
}
