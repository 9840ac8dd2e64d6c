//! Tournaments as background jobs: accepted into the data directory
//! (`zopa_app::jobs`), run one at a time by a worker thread, followed as
//! Server-Sent Events, and resumed when the server starts again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use zopa_app::jobs::{JobId, Store, Upload};
use zopa_tournament::run::Bounds;

use crate::problem::Problem;
use crate::request::{media_type, rejected, utf8};
use crate::routes::{json_response, pretty};
use crate::AppState;

/// Negotiations a job is running: (completed, planned).
type Live = HashMap<JobId, (u64, u64)>;

/// The job queue and its worker.
pub struct Runner {
    store: Store,
    live: Arc<Mutex<Live>>,
    queue: Mutex<Option<std::sync::mpsc::Sender<JobId>>>,
    stop: Arc<AtomicBool>,
    worker: Mutex<Option<std::thread::JoinHandle<()>>>,
    bounds: Bounds,
    keeping: Keeping,
}

/// What the data directory keeps.
#[derive(Debug, Clone, Copy)]
pub struct Keeping {
    /// Most tournaments kept.
    pub max_jobs: usize,
    /// Most bytes kept.
    pub max_data: u64,
    /// Finished tournaments unchanged this long are removed.
    pub expire_after: Option<std::time::Duration>,
}

impl Runner {
    /// Start the worker on `store`, queueing every unfinished job (oldest
    /// first): a restarted server resumes them where they stopped, and
    /// retries those that failed (their cause may be gone; a damaged job
    /// stays failed).
    pub fn start(
        store: Store,
        threads: Option<usize>,
        bounds: Bounds,
        keeping: Keeping,
    ) -> Arc<Runner> {
        let (tx, rx) = std::sync::mpsc::channel::<JobId>();
        let live = Arc::new(Mutex::new(Live::new()));
        let stop = Arc::new(AtomicBool::new(false));
        if let Some(age) = keeping.expire_after {
            for id in store.expire(age, &|_| false) {
                tracing::info!(job = %id, "expired");
            }
        }
        for id in store.ids() {
            store.retry(&id);
            if store.stored(&id).is_ok_and(|s| !s.finished()) {
                let _ = tx.send(id);
            }
        }
        let worker = {
            let (store, live, stop) = (store.clone(), live.clone(), stop.clone());
            std::thread::spawn(move || {
                for id in rx {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    run_job(&store, &live, &stop, &id, threads);
                }
            })
        };
        Arc::new(Runner {
            store,
            live,
            queue: Mutex::new(Some(tx)),
            stop,
            worker: Mutex::new(Some(worker)),
            bounds,
            keeping,
        })
    }

    /// Stop after the batch in flight (everything finished is stored).
    pub fn begin_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.queue.lock().expect("not poisoned").take();
    }

    /// Wait for the worker to store what it finished.
    pub fn join(&self) {
        self.begin_stop();
        if let Some(w) = self.worker.lock().expect("not poisoned").take() {
            let _ = w.join();
        }
    }

    /// Expire old finished jobs, then check that one more job of `size`
    /// bytes fits the data directory's bounds (422 if not).
    fn make_room(&self, size: u64) -> Result<(), Problem> {
        if let Some(age) = self.keeping.expire_after {
            let live = self.live.lock().expect("not poisoned").clone();
            for id in self.store.expire(age, &|id| live.contains_key(id)) {
                tracing::info!(job = %id, "expired");
            }
        }
        let refused = |e: zopa_model::LimitError| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "refused",
                format!("{e}: delete finished tournaments (DELETE /api/v1/tournaments/{{id}})"),
            )
        };
        zopa_model::limits::check(
            "the number of tournaments this server would keep",
            self.store.ids().len() as u128 + 1,
            self.keeping.max_jobs as u64,
            None,
        )
        .map_err(refused)?;
        zopa_model::limits::check(
            "the bytes this server's tournaments would take",
            u128::from(self.store.usage()) + u128::from(size),
            self.keeping.max_data,
            None,
        )
        .map_err(refused)
    }

    /// Remove a job that is not running (409 while it runs).
    fn delete(&self, id: &JobId) -> Result<(), Problem> {
        if !self.store.dir_exists(id) {
            return Err(no_job(id.as_str()));
        }
        if self.live.lock().expect("not poisoned").contains_key(id) {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "running",
                format!("tournament {id} is running; delete it once it has finished"),
            ));
        }
        Ok(self.store.delete(id)?)
    }

    fn status(&self, id: &JobId) -> Result<JobStatus, Problem> {
        if !self.store.exists(id) {
            return Err(no_job(id.as_str()));
        }
        let stored = self.store.stored(id)?;
        let live = self.live.lock().expect("not poisoned").get(id).copied();
        let (state, completed) = match (live, &stored.failed) {
            (Some((done, _)), _) => ("running", done.max(stored.completed)),
            (None, Some(_)) => ("failed", stored.completed),
            (None, None) if stored.completed >= stored.planned => ("done", stored.completed),
            (None, None) => ("queued", stored.completed),
        };
        Ok(JobStatus {
            schema: "zopa.tournament-job/1",
            id: id.to_string(),
            name: stored.name,
            state,
            planned: stored.planned,
            completed,
            error: stored.failed,
            events: format!("/api/v1/tournaments/{id}/events"),
            report: format!("/api/v1/tournaments/{id}/report"),
            rows: format!("/api/v1/tournaments/{id}/rows.parquet"),
        })
    }
}

fn run_job(
    store: &Store,
    live: &Mutex<Live>,
    stop: &AtomicBool,
    id: &JobId,
    threads: Option<usize>,
) {
    if !store.exists(id) {
        return; // deleted while it was queued
    }
    let planned = store.stored(id).map_or(0, |s| s.planned);
    live.lock()
        .expect("not poisoned")
        .insert(id.clone(), (0, planned));
    let progress = |done: u64, total: u64| {
        live.lock()
            .expect("not poisoned")
            .insert(id.clone(), (done, total));
    };
    match store.run(id, threads, &progress, stop) {
        Ok(s) if s.interrupted => {
            tracing::info!(job = %id, "tournament stopped; it resumes when the server starts again")
        }
        Ok(s) => tracing::info!(job = %id, completed = s.completed_now, "tournament finished"),
        Err(e) => tracing::warn!(job = %id, error = %e, "tournament failed"),
    }
    live.lock().expect("not poisoned").remove(id);
}

fn no_job(id: &str) -> Problem {
    Problem::not_found(format!(
        "no tournament `{id}` (GET /api/v1/tournaments lists them)"
    ))
}

/// A tournament job's state.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct JobStatus {
    /// `zopa.tournament-job/1`.
    pub schema: &'static str,
    /// Its id.
    pub id: String,
    /// The tournament's name.
    pub name: String,
    /// `queued` (waiting, or stopped and to be resumed), `running`, `done`
    /// or `failed`.
    pub state: &'static str,
    /// Negotiations planned.
    pub planned: u64,
    /// Negotiations stored.
    pub completed: u64,
    /// Why it failed.
    pub error: Option<String>,
    /// Its progress as Server-Sent Events.
    pub events: String,
    /// Its per-strategy report.
    pub report: String,
    /// Every negotiation it has stored, as a Parquet file.
    pub rows: String,
}

impl JobStatus {
    fn finished(&self) -> bool {
        matches!(self.state, "done" | "failed")
    }
}

fn runner(state: &AppState) -> Result<Arc<Runner>, Problem> {
    state.runner.clone().ok_or_else(|| {
        Problem::not_found(
            "this server keeps no tournaments: start it with `zopa serve --data DIR`",
        )
    })
}

fn job_id(id: &str) -> Result<JobId, Problem> {
    JobId::parse(id).ok_or_else(|| no_job(id))
}

/// The body of `POST /api/v1/tournaments`: a tournament file (TOML), and
/// the uploaded domains' files.
async fn new_job(req: Request) -> Result<(String, Vec<Upload>), Problem> {
    match media_type(req.headers()).as_str() {
        "application/toml" | "text/toml" => {
            let body = axum::body::Bytes::from_request(req, &()).await.map_err(rejected)?;
            Ok((utf8("the tournament file", body.to_vec())?, vec![]))
        }
        "multipart/form-data" => {
            let mp = Multipart::from_request(req, &()).await.map_err(rejected)?;
            let mut file = None;
            let mut uploads = Vec::new();
            for crate::request::Part {
                field, file: name, bytes, ..
            } in crate::request::parts(mp).await?
            {
                match (field.as_str(), name) {
                    ("tournament", _) => file = Some(utf8("the tournament file", bytes)?),
                    (_, Some(path)) => uploads.push(Upload { path, bytes }),
                    (other, None) => {
                        return Err(Problem::bad(format!(
                            "unexpected form field `{other}`: send a `tournament` part and the domains' files (with their FOLDER/FILE names)"
                        )))
                    }
                }
            }
            let file = file.ok_or_else(|| Problem::bad("the upload has no `tournament` part"))?;
            Ok((file, uploads))
        }
        other => Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type",
            format!("a tournament is application/toml (built-in domains) or multipart/form-data (with uploaded domains), not `{other}`"),
        )),
    }
}

/// Start a tournament in the background: its file (TOML: `domains` are
/// `builtin:NAME` entries or patterns over the uploaded files) and the
/// domains' files. Answers 201 with the job's state and `Location`.
#[utoipa::path(post, path = "/api/v1/tournaments", tag = "tournaments",
    request_body(content((String = "application/toml"), (crate::openapi::TournamentUpload = "multipart/form-data")), description = "A tournament file, alone (built-in domains) or with the domains' files"),
    responses((status = 201, description = "Accepted and queued", body = JobStatus),
        crate::openapi::ClientErrors, crate::openapi::Saturated))]
pub async fn create(State(state): State<Arc<AppState>>, req: Request) -> Result<Response, Problem> {
    let runner = runner(&state)?;
    let (file, uploads) = new_job(req).await?;
    let r = runner.clone();
    let status = crate::routes::heavy_value(&state, move |_| {
        let size = file.len() as u64 + uploads.iter().map(|u| u.bytes.len() as u64).sum::<u64>();
        r.make_room(size)?;
        let (id, _) = r.store.create(&file, uploads, &r.bounds)?;
        let status = r.status(&id)?;
        if let Some(q) = r.queue.lock().expect("not poisoned").as_ref() {
            let _ = q.send(id);
        }
        Ok(status)
    })
    .await?;
    let location = format!("/api/v1/tournaments/{}", status.id);
    Ok((
        StatusCode::CREATED,
        [
            (header::LOCATION, location),
            (header::CONTENT_TYPE, "application/json".to_string()),
        ],
        pretty(&status),
    )
        .into_response())
}

/// Delete a tournament job and everything it stored (not while it runs).
#[utoipa::path(delete, path = "/api/v1/tournaments/{id}", tag = "tournaments",
    params(("id" = String, Path, description = "Job id")),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "The job is running", body = Problem, content_type = "application/problem+json"),
        crate::openapi::ClientErrors))]
pub async fn delete(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (runner, id) = (runner(&state)?, job_id(&id)?);
    blocking(move || runner.delete(&id)).await??;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Every tournament job, oldest first.
#[utoipa::path(get, path = "/api/v1/tournaments", tag = "tournaments",
    responses((status = 200, body = Vec<JobStatus>), crate::openapi::ClientErrors))]
pub async fn list(State(state): State<Arc<AppState>>) -> Result<Response, Problem> {
    let runner = runner(&state)?;
    let all = blocking(move || {
        runner
            .store
            .ids()
            .iter()
            .filter_map(|id| runner.status(id).ok())
            .collect::<Vec<_>>()
    })
    .await?;
    Ok(json_response(pretty(&all)))
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Problem> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(crate::routes::stopped)
}

/// A tournament job's state (`zopa.tournament-job/1`).
#[utoipa::path(get, path = "/api/v1/tournaments/{id}", tag = "tournaments",
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = JobStatus), crate::openapi::ClientErrors))]
pub async fn status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (runner, id) = (runner(&state)?, job_id(&id)?);
    let s = blocking(move || runner.status(&id)).await??;
    Ok(json_response(pretty(&s)))
}

/// The per-strategy report of what a job has stored
/// (`zopa.tournament-report/1`, as `zopa report --json` prints it).
#[utoipa::path(get, path = "/api/v1/tournaments/{id}/report", tag = "tournaments",
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, description = "`zopa.tournament-report/1`", body = zopa_app::tournament::ReportDoc), crate::openapi::ClientErrors))]
pub async fn report(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (runner, id) = (runner(&state)?, job_id(&id)?);
    let doc = blocking(move || {
        if !runner.store.exists(&id) {
            return Err(no_job(id.as_str()));
        }
        Ok(runner.store.report(&id)?)
    })
    .await??;
    Ok(json_response(pretty(&doc)))
}

/// Every negotiation a job has stored, one row each, as a Parquet file
/// (`zopa.tournament-rows/1`, as `zopa report --parquet` writes it), for
/// pandas, polars or DuckDB.
#[utoipa::path(get, path = "/api/v1/tournaments/{id}/rows.parquet", tag = "tournaments",
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, description = "A Parquet file (`zopa.tournament-rows/1`: docs/tournaments.md)", content_type = "application/vnd.apache.parquet", body = Vec<u8>), crate::openapi::ClientErrors))]
pub async fn rows(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (runner, id) = (runner(&state)?, job_id(&id)?);
    let name = format!("attachment; filename=\"{id}-rows.parquet\"");
    let bytes = blocking(move || {
        if !runner.store.exists(&id) {
            return Err(no_job(id.as_str()));
        }
        Ok(runner.store.rows_parquet(&id)?)
    })
    .await??;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.apache.parquet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

/// A job's progress as Server-Sent Events: a `progress` event (the job's
/// state) whenever it changes, then `done` or `failed`, and the stream ends.
#[utoipa::path(get, path = "/api/v1/tournaments/{id}/events", tag = "tournaments",
    params(("id" = String, Path, description = "Job id")),
    responses((status = 200, description = "text/event-stream of `progress` events, then `done` or `failed`; each event's data is a `zopa.tournament-job/1` document", content_type = "text/event-stream", body = String),
        crate::openapi::ClientErrors))]
pub async fn events(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (runner, id) = (runner(&state)?, job_id(&id)?);
    let first = {
        let (r, id) = (runner.clone(), id.clone());
        blocking(move || r.status(&id)).await??
    };
    let start = (Some(first), None::<JobStatus>, runner, id);
    let stream = futures_util::stream::unfold(start, |(next, last, runner, id)| async move {
        let mut status = next?;
        loop {
            if last.as_ref() != Some(&status) {
                break;
            }
            if runner.stop.load(Ordering::Relaxed) {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
            let (r, i) = (runner.clone(), id.clone());
            status = blocking(move || r.status(&i)).await.ok()?.ok()?;
        }
        let kind = match status.state {
            "done" => "done",
            "failed" => "failed",
            _ => "progress",
        };
        let event = Event::default()
            .event(kind)
            .data(serde_json::to_string(&status).expect("plain data"));
        let next = (!status.finished()).then(|| status.clone());
        Some((
            Ok::<_, std::convert::Infallible>(event),
            (next, Some(status), runner, id),
        ))
    });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
