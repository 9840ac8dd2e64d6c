//! # zopa-server
//!
//! `zopa serve`: the HTTP API over the application layer (`zopa-app`). A
//! route parses its request into an `app` input and options
//! ([`request`]), runs the work off the async runtime (bounded by a
//! semaphore: a saturated server answers 503 at once instead of queueing
//! without end; a time limit answers 422), and answers with the same JSON
//! documents as the CLI's `--json` ([`routes`]). Tournaments run as jobs in
//! a data directory, resumed after a restart ([`tournaments`]). Every
//! failure is an RFC 9457 `application/problem+json` document
//! ([`problem`]); client errors are 4xx, never 5xx. The OpenAPI document is
//! generated from the routes ([`openapi`]).

pub mod clients;
pub mod conn;
pub mod evidence;
pub mod openapi;
pub mod problem;
pub mod queries;
pub mod request;
pub mod routes;
pub mod tournaments;
pub mod web;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::Semaphore;
use tower_http::cors::CorsLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;

pub use axum::http::HeaderValue;
pub use problem::Problem;

/// Largest request body by default, in bytes.
pub const DEFAULT_MAX_BODY: usize = 4 * 1024 * 1024;
/// Requests waiting for a worker by default.
pub const DEFAULT_MAX_QUEUED: usize = 256;
/// Longest a request may wait for a worker and compute by default, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// Most negotiations one tournament may plan, by default.
pub const DEFAULT_MAX_NEGOTIATIONS: u64 = 1_000_000;
/// Most tournaments the data directory keeps, by default.
pub const DEFAULT_MAX_JOBS: usize = 1000;
/// Bytes the data directory's tournaments may take by default (10 GiB).
pub const DEFAULT_MAX_DATA: u64 = 10 << 30;
/// Days a finished tournament is kept by default.
pub const DEFAULT_EXPIRE_DAYS: u64 = 30;
/// Longest wait for a request's headers (or an idle connection's next
/// request) by default, in seconds.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// Longest wait for a request's whole body by default, in seconds.
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;
/// Most connections open at once by default.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Heavy requests one client address may have in flight by default.
pub const DEFAULT_MAX_PER_CLIENT: usize = 8;
/// Longest wait for requests in flight at shutdown by default, in seconds.
pub const DEFAULT_SHUTDOWN_TIMEOUT_SECS: u64 = 10;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body accepted, in bytes (413 above it).
    pub max_body: usize,
    /// Heavy requests (loading and running engines) computing at once.
    pub max_heavy: usize,
    /// Heavy requests waiting for a worker; more get 503 at once.
    pub max_queued: usize,
    /// Longest a heavy request may wait for a worker and compute (503 if no
    /// worker came free in time, 422 if its work outlasts it).
    pub timeout: Duration,
    /// The one origin allowed to call the API from a browser (no CORS
    /// headers without it).
    pub cors: Option<HeaderValue>,
    /// Where tournaments are stored (none: no tournaments).
    pub data: Option<PathBuf>,
    /// Worker threads of a running tournament (None: every core).
    pub tournament_threads: Option<usize>,
    /// Most negotiations one tournament may plan.
    pub max_negotiations: u64,
    /// Most tournaments the data directory keeps (finished ones included;
    /// `DELETE /api/v1/tournaments/{id}` removes one).
    pub max_jobs: usize,
    /// Bytes the data directory's tournaments may take: a submission that
    /// would pass it is refused (422).
    pub max_data: u64,
    /// Finished tournaments unchanged for this long are removed (at start
    /// and at each submission); None keeps them.
    pub expire_after: Option<Duration>,
    /// Heavy requests (loading a scenario, running engines, submitting a
    /// tournament) one client address may have in flight; more get 429.
    pub max_per_client: usize,
    /// Connection bounds: header, body and shutdown timeouts, connections.
    pub connections: conn::Limits,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body: DEFAULT_MAX_BODY,
            max_heavy: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_queued: DEFAULT_MAX_QUEUED,
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            cors: None,
            data: None,
            tournament_threads: None,
            max_negotiations: DEFAULT_MAX_NEGOTIATIONS,
            max_jobs: DEFAULT_MAX_JOBS,
            max_data: DEFAULT_MAX_DATA,
            expire_after: Some(Duration::from_secs(DEFAULT_EXPIRE_DAYS * 86_400)),
            max_per_client: DEFAULT_MAX_PER_CLIENT,
            connections: conn::Limits {
                header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
                body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
                max_connections: DEFAULT_MAX_CONNECTIONS,
                shutdown_timeout: Duration::from_secs(DEFAULT_SHUTDOWN_TIMEOUT_SECS),
            },
        }
    }
}

/// Documents of built-in scenarios by route and query, bounded: at most
/// [`Memo::ENTRIES`] documents of at most [`Memo::MAX_BYTES`] each (the
/// whole memo is dropped when full).
#[derive(Default)]
pub struct Memo(std::sync::Mutex<std::collections::HashMap<String, axum::body::Bytes>>);

impl Memo {
    const ENTRIES: usize = 256;
    const MAX_BYTES: usize = 1 << 20;

    fn get(&self, key: &str) -> Option<axum::body::Bytes> {
        self.0.lock().expect("not poisoned").get(key).cloned()
    }

    fn put(&self, key: String, body: axum::body::Bytes) {
        if body.len() > Self::MAX_BYTES {
            return;
        }
        let mut m = self.0.lock().expect("not poisoned");
        if m.len() >= Self::ENTRIES {
            m.clear();
        }
        m.insert(key, body);
    }
}

/// What every route shares.
pub struct AppState {
    memo: Memo,
    admit: Arc<Semaphore>,
    heavy: Arc<Semaphore>,
    /// Workers of the light lane (validation): a quick request does not
    /// queue behind long analyses.
    light: Arc<Semaphore>,
    timeout: Duration,
    runner: Option<Arc<tournaments::Runner>>,
    /// Heavy requests in flight per client address.
    clients: Arc<clients::Clients>,
    /// The work in flight, cancelled together at shutdown.
    working: Arc<routes::Working>,
}

/// The server: its routes and the tournament worker.
pub struct Server {
    router: Router,
    state: Arc<AppState>,
    connections: conn::Limits,
}

impl Server {
    /// Build the routes and start the tournament worker (resuming unfinished
    /// tournaments of the data directory).
    pub fn new(cfg: &Config) -> std::io::Result<Server> {
        let runner = match &cfg.data {
            Some(dir) => Some(tournaments::Runner::start(
                zopa_app::jobs::Store::open(dir)?,
                cfg.tournament_threads,
                zopa_tournament::run::Bounds {
                    max_negotiations: cfg.max_negotiations,
                    ..Default::default()
                },
                tournaments::Keeping {
                    max_jobs: cfg.max_jobs,
                    max_data: cfg.max_data,
                    expire_after: cfg.expire_after,
                },
            )),
            None => None,
        };
        let state = Arc::new(AppState {
            memo: Memo::default(),
            admit: Arc::new(Semaphore::new(cfg.max_heavy + cfg.max_queued)),
            heavy: Arc::new(Semaphore::new(cfg.max_heavy)),
            light: Arc::new(Semaphore::new(cfg.max_heavy.max(2))),
            timeout: cfg.timeout,
            runner,
            clients: Arc::new(clients::Clients::new(cfg.max_per_client)),
            working: Arc::default(),
        });
        Ok(Server {
            router: router(cfg, state.clone()),
            state,
            connections: cfg.connections,
        })
    }

    /// Serve on `listener` until `shutdown` completes: the server stops
    /// accepting and lets requests in flight finish for at most the
    /// shutdown timeout; then it cancels their work (engines that look at
    /// their token stop within a step; their requests answer 503). A
    /// running tournament stores the batch in flight (it resumes when the
    /// server starts again).
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = self.state.clone();
        let stopping = async move {
            shutdown.await;
            if let Some(r) = &state.runner {
                r.begin_stop();
            }
        };
        let working = self.state.working.clone();
        let served = conn::serve(
            listener,
            self.router,
            self.connections,
            stopping,
            move || working.cancel_all(),
        )
        .await;
        if let Some(r) = self.state.runner.clone() {
            let _ = tokio::task::spawn_blocking(move || r.join()).await;
        }
        served
    }
}

/// Serve `cfg` on `listener` until `shutdown` completes (see [`Server::serve`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    cfg: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    Server::new(&cfg)?.serve(listener, shutdown).await
}

const ROUTES: &str = "GET /healthz, /api/v1/openapi.json, /api/v1/scenarios, /api/v1/scenarios/{id}, /api/v1/tournaments, /api/v1/tournaments/{id}, /api/v1/tournaments/{id}/events, /api/v1/tournaments/{id}/report, /api/v1/tournaments/{id}/rows.parquet; POST /api/v1/validate, /analyze, /brief, /evidence, /space, /score, /forecast, /simulate, /reference, /convert, /tournaments; DELETE /api/v1/tournaments/{id}";

fn router(cfg: &Config, state: Arc<AppState>) -> Router {
    // A heavy route: at most `max_per_client` in flight per client.
    let heavy = |route: axum::routing::MethodRouter<Arc<AppState>>| {
        route.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            clients::bound,
        ))
    };
    let mut r = Router::new()
        .route("/", get(web::index))
        .route("/workbench/app.js", get(web::script))
        .route("/workbench/style.css", get(web::style))
        .route("/healthz", get(health))
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/scenarios", get(routes::scenarios))
        .route("/api/v1/scenarios/{id}", get(routes::scenario_text))
        .route("/api/v1/validate", post(routes::validate))
        .route("/api/v1/analyze", heavy(post(routes::analyze)))
        .route("/api/v1/brief", heavy(post(routes::brief)))
        .route("/api/v1/evidence", heavy(post(evidence::evidence)))
        .route("/api/v1/forecast", heavy(post(routes::forecast)))
        .route("/api/v1/simulate", heavy(post(routes::simulate)))
        .route("/api/v1/reference", heavy(post(routes::reference)))
        .route("/api/v1/convert", heavy(post(routes::convert)))
        .route("/api/v1/space", heavy(post(routes::space)))
        .route("/api/v1/score", heavy(post(routes::score)))
        .route(
            "/api/v1/tournaments",
            get(tournaments::list).merge(heavy(post(tournaments::create))),
        )
        .route(
            "/api/v1/tournaments/{id}",
            get(tournaments::status).delete(tournaments::delete),
        )
        .route("/api/v1/tournaments/{id}/events", get(tournaments::events))
        .route("/api/v1/tournaments/{id}/report", get(tournaments::report))
        .route(
            "/api/v1/tournaments/{id}/rows.parquet",
            get(tournaments::rows),
        )
        .fallback(|| async { Problem::not_found(format!("no such route; the API: {ROUTES}")) })
        .method_not_allowed_fallback(|| async {
            Problem::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed",
                format!("the API: {ROUTES}"),
            )
        })
        .layer(DefaultBodyLimit::max(cfg.max_body))
        .layer(axum::middleware::from_fn_with_state(
            cfg.max_body,
            declared_too_large,
        ))
        .with_state(state);
    if let Some(origin) = &cfg.cors {
        r = r.layer(
            CorsLayer::new()
                .allow_origin(origin.clone())
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE]),
        );
    }
    // One log line per request: method, path, status and latency.
    r.layer(
        TraceLayer::new_for_http()
            .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
            .on_request(())
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
    )
}

/// A body whose declared `Content-Length` is above `max_body` is refused
/// (413) before any of it is read.
async fn declared_too_large(
    axum::extract::State(max_body): axum::extract::State<usize>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > max_body as u64 => axum::response::IntoResponse::into_response(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload too large",
            format!("the body declares {n} bytes; this server accepts at most {max_body} (zopa serve --max-body)"),
        )),
        _ => next.run(req).await,
    }
}

/// Liveness: `ok`.
#[utoipa::path(get, path = "/healthz", tag = "server",
    responses((status = 200, description = "The server is up", body = String, content_type = "text/plain")))]
async fn health() -> &'static str {
    "ok\n"
}

/// This document: the API as OpenAPI 3.1.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "server",
    responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
async fn openapi_json() -> Response {
    routes::json_response(openapi_document())
}

/// The OpenAPI document as served.
pub fn openapi_document() -> String {
    openapi::ApiDoc::openapi()
        .to_pretty_json()
        .expect("a serialisable document")
}
