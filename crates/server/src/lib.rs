//! # zopa-server
//!
//! `zopa serve`: the HTTP API over the application layer (`zopa-app`). A
//! route parses its request into an `app` input and options, runs the work
//! off the async runtime (bounded by a semaphore: a saturated server answers
//! 503 at once instead of queueing without end), and answers with the same
//! JSON documents as the CLI's `--json`. Every failure is an RFC 9457
//! `application/problem+json` document; client errors are 4xx, never 5xx.
//!
//! Served so far: `GET /healthz`, `GET /api/v1/scenarios`,
//! `GET /api/v1/scenarios/{id}`, and `POST /api/v1/validate`, `/analyze`,
//! `/forecast`, `/simulate`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use zopa_app::documents::{self, Diagnostic};
use zopa_app::input::{self, Input, Loaded};
use zopa_app::AppError;
use zopa_model::Syntax;

/// Server settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body: usize,
    /// Heavy requests (validation, analysis) run at once; more get 503.
    pub max_heavy: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body: 4 * 1024 * 1024,
            max_heavy: 2 * std::thread::available_parallelism().map_or(2, |n| n.get()),
        }
    }
}

struct AppState {
    heavy: Semaphore,
}

/// The routes, ready to serve.
pub fn router(cfg: Config) -> Router {
    let state = Arc::new(AppState {
        heavy: Semaphore::new(cfg.max_heavy),
    });
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/api/v1/scenarios", get(scenarios))
        .route("/api/v1/validate", post(validate))
        .route("/api/v1/analyze", post(analyze))
        .route("/api/v1/forecast", post(forecast))
        .route("/api/v1/simulate", post(simulate))
        .route("/api/v1/scenarios/{id}", get(scenario_text))
        .fallback(|| async {
            Problem::new(
                StatusCode::NOT_FOUND,
                "no such route",
                "see /api/v1/scenarios, /api/v1/validate, /api/v1/analyze",
            )
        })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed",
                "GET /healthz, /api/v1/scenarios and /api/v1/scenarios/{id}; POST /api/v1/validate, /analyze, /forecast and /simulate",
            )
        })
        .layer(DefaultBodyLimit::max(cfg.max_body))
        .with_state(state)
}

/// Serve on `listener` until `shutdown` completes; requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    cfg: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(cfg))
        .with_graceful_shutdown(shutdown)
        .await
}

/// An RFC 9457 problem document, with the located diagnostics of an invalid
/// scenario.
#[derive(Debug, Serialize)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What happened, in one sentence or more.
    pub detail: String,
    /// Every located problem (may be empty).
    pub diagnostics: Vec<Diagnostic>,
}

impl Problem {
    fn new(status: StatusCode, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank".into(),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            diagnostics: vec![],
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::to_vec(&self).expect("plain data");
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response()
    }
}

impl From<AppError> for Problem {
    fn from(e: AppError) -> Self {
        let detail = e.to_string();
        match e {
            AppError::Invalid(d) | AppError::InvalidInput { diagnostics: d, .. } => Problem {
                diagnostics: documents::diagnostics(&d),
                ..Problem::new(StatusCode::BAD_REQUEST, "invalid scenario", detail)
            },
            AppError::NotFound(_) => Problem::new(StatusCode::NOT_FOUND, "not found", detail),
            AppError::Usage(_) => Problem::new(StatusCode::BAD_REQUEST, "bad request", detail),
            AppError::Space(_) | AppError::Refused(_) | AppError::Engine(_) => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "refused", detail)
            }
            AppError::Load(_) | AppError::Import(_) => {
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "cannot load", detail)
            }
        }
    }
}

fn json_response(body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn scenarios() -> Response {
    json_response(pretty(&documents::scenarios()))
}

/// A built-in's text and the source documents it cites.
#[derive(Debug, Serialize)]
struct ScenarioText {
    schema: &'static str,
    name: &'static str,
    summary: &'static str,
    /// The scenario, TOML.
    toml: &'static str,
    /// Cited path → document text.
    sources: std::collections::BTreeMap<&'static str, &'static str>,
}

async fn scenario_text(
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, Problem> {
    let b = zopa_app::builtin::find(&id).ok_or_else(|| {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not found",
            format!("no built-in scenario `{id}` (GET /api/v1/scenarios lists them)"),
        )
    })?;
    let doc = ScenarioText {
        schema: "zopa.scenario-text/1",
        name: b.name,
        summary: b.summary,
        toml: b.toml,
        sources: b.sources.iter().copied().collect(),
    };
    Ok(json_response(pretty(&doc)))
}

/// Options every scenario route takes in its query string.
#[derive(Debug, Deserialize)]
struct ScenarioQuery {
    /// A built-in scenario instead of a body.
    scenario: Option<String>,
    /// Frontier packages listed (0 = all).
    top: Option<usize>,
    /// Outcome-space limit (at most the CLI's).
    limit: Option<u64>,
    /// Forecast: one model only.
    model: Option<String>,
    /// Forecast: Monte Carlo runs (default 1000, at most the CLI's bound).
    runs: Option<usize>,
    /// Forecast and simulation: seed.
    seed: Option<u64>,
    /// Simulation: `ACTOR=STRATEGY` assignments, comma-separated.
    strategies: Option<String>,
    /// Simulation: protocol (saop, veto, hill).
    protocol: Option<String>,
    /// Simulation: deadline in rounds.
    deadline: Option<usize>,
    /// Simulation: discount factor per round.
    discount: Option<f64>,
}

/// The scenario of a request: `?scenario=NAME` for a built-in, else the
/// body, TOML or JSON as its `Content-Type` says.
fn request_input(q: &ScenarioQuery, headers: &HeaderMap, body: &Bytes) -> Result<Input, Problem> {
    if let Some(name) = &q.scenario {
        if !body.is_empty() {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "bad request",
                "send either ?scenario=NAME or a scenario body, not both",
            ));
        }
        return zopa_app::builtin::find(name)
            .map(Input::Builtin)
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::NOT_FOUND,
                    "not found",
                    format!("no built-in scenario `{name}` (GET /api/v1/scenarios lists them)"),
                )
            });
    }
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let syntax = match ct.as_str() {
        "application/toml" | "text/toml" => Syntax::Toml,
        "application/json" => Syntax::Json,
        other => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported media type",
                format!("a scenario is application/toml or application/json, not `{other}`"),
            ))
        }
    };
    let text = std::str::from_utf8(body).map_err(|e| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad request",
            format!("the body is not UTF-8 (byte {})", e.valid_up_to()),
        )
    })?;
    Ok(Input::Text {
        name: "request".into(),
        syntax,
        text: text.to_string(),
        sources: HashMap::new(),
    })
}

/// Load the request's scenario and run `work` on it off the async runtime,
/// at most `max_heavy` at once (503 beyond); answer the JSON it returns.
async fn answer(
    state: &AppState,
    r: ScenarioRequest,
    work: impl FnOnce(&Loaded, &ScenarioRequest) -> Result<Vec<u8>, Problem> + Send + 'static,
) -> Result<Response, Problem> {
    let Ok(_permit) = state.heavy.try_acquire() else {
        return Err(Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "saturated",
            "every worker is busy; retry shortly",
        ));
    };
    let job = move || {
        let loaded = input::load(&r.input, r.limit).map_err(Problem::from)?;
        work(&loaded, &r)
    };
    let body = tokio::task::spawn_blocking(job).await.unwrap_or_else(|e| {
        Err(Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error",
            format!("the work stopped: {e}"),
        ))
    })?;
    Ok(json_response(body))
}

/// A document as pretty-printed JSON.
fn pretty(doc: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(doc).expect("documents are plain data")
}

fn limit_of(q: &ScenarioQuery) -> Result<u64, Problem> {
    let limit = q.limit.unwrap_or(zopa_model::DEFAULT_LIMIT);
    zopa_model::limits::check(
        "the outcome-space limit",
        u128::from(limit),
        zopa_model::DEFAULT_LIMIT,
        None,
    )
    .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "refused", e.to_string()))?;
    Ok(limit)
}

/// A scenario request: its input (built-in or body), outcome-space limit
/// and listing size, with every rejection (query, body size, media type) as
/// a problem document.
struct ScenarioRequest {
    input: Input,
    limit: u64,
    top: usize,
    query: ScenarioQuery,
}

impl<S: Send + Sync> FromRequest<S> for ScenarioRequest {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        let rejected = |status: StatusCode, text: String| Problem::new(status, "bad request", text);
        let Query(q) = Query::<ScenarioQuery>::try_from_uri(req.uri())
            .map_err(|e| rejected(e.status(), e.body_text()))?;
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| rejected(e.status(), e.body_text()))?;
        Ok(ScenarioRequest {
            input: request_input(&q, &headers, &body)?,
            limit: limit_of(&q)?,
            top: q.top.unwrap_or(10),
            query: q,
        })
    }
}

async fn validate(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest,
) -> Result<Response, Problem> {
    answer(&state, r, |loaded, _| {
        Ok(pretty(&documents::validation(loaded)))
    })
    .await
}

async fn analyze(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest,
) -> Result<Response, Problem> {
    answer(&state, r, |loaded, r| {
        let opts = zopa_analysis::Options {
            limit: r.limit,
            ..Default::default()
        };
        let analysis = zopa_analysis::analyze(&loaded.scenario, &opts)
            .map_err(|e| Problem::from(AppError::from(e)))?;
        let report = zopa_app::report::Report {
            scenario: &loaded.scenario,
            origin: &loaded.origin,
            analysis: &analysis,
            top: r.top,
        };
        let mut out = Vec::new();
        zopa_app::report::json::write(&report, &mut out).expect("writing to memory");
        Ok(out)
    })
    .await
}

async fn forecast(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest,
) -> Result<Response, Problem> {
    let d = zopa_app::forecast::Request::default();
    let req = zopa_app::forecast::Request {
        model: r.query.model.clone(),
        runs: r.query.runs.unwrap_or(d.runs),
        seed: r.query.seed.unwrap_or(d.seed),
        ..d
    };
    answer(&state, r, move |loaded, _| {
        let f = zopa_app::forecast::run(&loaded.scenario, &req, &|| {})?;
        Ok(pretty(&zopa_app::forecast::document(
            &f,
            &loaded.scenario,
            &loaded.origin,
        )))
    })
    .await
}

async fn simulate(
    State(state): State<Arc<AppState>>,
    r: ScenarioRequest,
) -> Result<Response, Problem> {
    let q = &r.query;
    let d = zopa_app::simulate::Request::default();
    let req = zopa_app::simulate::Request {
        strategies: q
            .strategies
            .as_deref()
            .map(|s| s.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        protocol: match &q.protocol {
            Some(p) => p
                .parse()
                .map_err(|e: String| Problem::new(StatusCode::BAD_REQUEST, "bad request", e))?,
            None => d.protocol,
        },
        deadline: q.deadline.unwrap_or(d.deadline),
        seed: q.seed.unwrap_or(d.seed),
        discount: q.discount,
        ..d
    };
    answer(&state, r, move |loaded, _| {
        let sim = zopa_app::simulate::prepare(&loaded.scenario, &req)?;
        let out = sim.play(&mut |_| {});
        let placement = sim.place(&out)?;
        Ok(pretty(&sim.document(&out, &placement)))
    })
    .await
}
