//! Tournaments as jobs in a data directory, for surfaces that run them in
//! the background (`zopa serve`): a job is a folder holding the tournament
//! file as run, the domains it names (uploaded files and built-ins, written
//! by this module only), its plan and its results database. Everything a
//! job needs is on disk, so a restarted process resumes unfinished jobs
//! where they stopped (the database records every finished negotiation;
//! `zopa_tournament::run` skips them).
//!
//! Nothing a client sends names a path outside the job's folder: uploaded
//! file names are checked component by component, domain patterns may not
//! leave the uploads, and job ids are parsed before they reach a path.

use std::path::{Component, Path, PathBuf};

use zopa_model::limits::MAX_UPLOADS;
use zopa_model::{Diagnostic, Diagnostics};
use zopa_tournament::run::{self, Bounds, Plan, RunSummary};
use zopa_tournament::{report, TournamentError};

use crate::builtin;
use crate::tournament::{self as docs, PlanDoc, ReportDoc};
use crate::AppError;

const TOURNAMENT: &str = "tournament.toml";
const PLAN: &str = "plan.json";
const DB: &str = "results.sqlite";
const FAILED: &str = "failed.txt";
const UPLOADS: &str = "uploads";
const BUILTINS: &str = "builtin";

/// A job's id: 20 lowercase hexadecimal digits, in creation order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobId(String);

impl JobId {
    /// The id written `s`, if it is one (anything else names no job).
    pub fn parse(s: &str) -> Option<JobId> {
        (s.len() == 20 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| JobId(s.to_string()))
    }

    /// As written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for JobId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One uploaded file of a job's domains: its relative path (`FOLDER/FILE`
/// or `FILE`) and content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Relative path, `/`-separated.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// What is stored of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Tournament name.
    pub name: String,
    /// Negotiations planned.
    pub planned: u64,
    /// Negotiations in the results database.
    pub completed: u64,
    /// Why the job failed, if it did.
    pub failed: Option<String>,
}

impl Stored {
    /// Whether nothing is left to run.
    pub fn finished(&self) -> bool {
        self.failed.is_some() || self.completed >= self.planned
    }
}

/// The jobs of a data directory (its `tournaments/` folder).
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
    /// The data directory's lock, held while any clone of the store lives.
    _lock: std::sync::Arc<std::fs::File>,
}

/// The lock file of a data directory: one process at a time keeps jobs in it.
pub const LOCK: &str = "zopa.lock";

impl Store {
    /// Open (creating) `data/tournaments`, removing jobs whose creation was
    /// cut short (they were never accepted). The data directory is locked
    /// ([`LOCK`]) for as long as the store lives: a second process (a
    /// second server) is refused instead of resuming the first one's
    /// running jobs into a locked database and marking them failed.
    pub fn open(data: &Path) -> std::io::Result<Store> {
        std::fs::create_dir_all(data)?;
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data.join(LOCK))?;
        lock.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => std::io::Error::new(
                std::io::ErrorKind::WouldBlock,
                format!(
                    "another zopa process keeps its tournaments in {} (it holds {LOCK}); stop it, or give this one another --data",
                    data.display()
                ),
            ),
            std::fs::TryLockError::Error(e) => e,
        })?;
        let root = data.join("tournaments");
        std::fs::create_dir_all(&root)?;
        for e in std::fs::read_dir(&root)?.flatten() {
            if e.file_name().to_string_lossy().starts_with(".tmp-") {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
        Ok(Store {
            root,
            _lock: std::sync::Arc::new(lock),
        })
    }

    fn dir(&self, id: &JobId) -> PathBuf {
        self.root.join(id.as_str())
    }

    /// Every job, oldest first.
    pub fn ids(&self) -> Vec<JobId> {
        let mut ids: Vec<JobId> = std::fs::read_dir(&self.root)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| JobId::parse(&e.file_name().to_string_lossy()))
            .collect();
        ids.sort();
        ids
    }

    /// Whether the job's folder is there (a damaged job's too).
    pub fn dir_exists(&self, id: &JobId) -> bool {
        self.dir(id).is_dir()
    }

    /// Whether the job exists (its plan is there).
    pub fn exists(&self, id: &JobId) -> bool {
        self.dir(id).join(PLAN).is_file()
    }

    /// Remove a job and everything it stored (moved aside first, so a job
    /// is either whole or gone; what a crash leaves aside is removed when
    /// the store is next opened).
    pub fn delete(&self, id: &JobId) -> Result<(), AppError> {
        let aside = self.root.join(format!(".tmp-deleted-{id}"));
        std::fs::rename(self.dir(id), &aside).map_err(io)?;
        std::fs::remove_dir_all(&aside).map_err(io)
    }

    /// Accept a tournament: check the file and its domains (`builtin:NAME`
    /// or patterns over the uploaded files), plan it within `bounds`, and
    /// store it; nothing is stored when any check fails.
    pub fn create(
        &self,
        tournament: &str,
        uploads: Vec<Upload>,
        bounds: &Bounds,
    ) -> Result<(JobId, PlanDoc), AppError> {
        if uploads.len() > MAX_UPLOADS {
            return Err(zopa_model::limits::check(
                "the number of uploaded files",
                uploads.len() as u128,
                MAX_UPLOADS as u64,
                None,
            )
            .expect_err("above the bound")
            .into());
        }
        let (id, tmp) = self.reserve()?;
        let names: Vec<String> = uploads.iter().map(|u| u.path.clone()).collect();
        let made = materialise(&tmp, tournament, uploads).and_then(|()| {
            let plan = load_plan(&tmp, bounds)?;
            unused_uploads(&tmp, &plan, &names)?;
            let doc = docs::plan(&plan);
            write(
                &tmp.join(PLAN),
                serde_json::to_string(&doc).expect("plain data"),
            )?;
            Ok(doc)
        });
        match made {
            Ok(doc) => {
                std::fs::rename(&tmp, self.dir(&id)).map_err(io)?;
                Ok((id, doc))
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                Err(e)
            }
        }
    }

    /// Bytes stored by every job (uploads, plans, results databases).
    pub fn usage(&self) -> u64 {
        bytes_under(&self.root)
    }

    /// Remove the finished jobs (done or failed) whose folder has not
    /// changed for `age`, skipping those `busy` names; the ids removed.
    pub fn expire(&self, age: std::time::Duration, busy: &dyn Fn(&JobId) -> bool) -> Vec<JobId> {
        let now = std::time::SystemTime::now();
        self.ids()
            .into_iter()
            .filter(|id| !busy(id))
            // Three file dates first: only old jobs open their database.
            .filter(|id| {
                last_change(&self.dir(id))
                    .and_then(|t| now.duration_since(t).ok())
                    .is_some_and(|d| d >= age)
            })
            .filter(|id| self.stored(id).is_ok_and(|s| s.finished()))
            .filter(|id| self.delete(id).is_ok())
            .collect()
    }

    /// A fresh id and its temporary folder.
    fn reserve(&self) -> Result<(JobId, PathBuf), AppError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        for bump in 0..1000u128 {
            let id = JobId(format!("{:020x}", (nanos + bump) & ((1 << 80) - 1)));
            let tmp = self.root.join(format!(".tmp-{id}"));
            if !self.dir(&id).exists() && std::fs::create_dir(&tmp).is_ok() {
                return Ok((id, tmp));
            }
        }
        Err(AppError::Storage(std::io::Error::other(
            "cannot allocate a job id",
        )))
    }

    /// The job's plan (its domains loaded again).
    pub fn plan(&self, id: &JobId) -> Result<Plan, AppError> {
        load_plan(&self.dir(id), &Bounds::default())
    }

    /// The plan document stored when the job was accepted.
    pub fn plan_doc(&self, id: &JobId) -> Result<serde_json::Value, AppError> {
        let text = std::fs::read_to_string(self.dir(id).join(PLAN)).map_err(io)?;
        serde_json::from_str(&text).map_err(|e| AppError::Storage(std::io::Error::other(e)))
    }

    /// Run (or resume) the job; a failure is recorded with the job.
    pub fn run(
        &self,
        id: &JobId,
        jobs: Option<usize>,
        progress: &dyn Fn(u64, u64),
        stop: &std::sync::atomic::AtomicBool,
    ) -> Result<RunSummary, AppError> {
        let dir = self.dir(id);
        let ran = self.plan(id).and_then(|plan| {
            run::run(&plan, &dir.join(DB), jobs, progress, stop)
                .map_err(|e| tournament_error(&dir, e))
        });
        if let Err(e) = &ran {
            let mut why = e.to_string();
            if why.trim().is_empty() {
                // Some errors (a full disk, as SQLite reports it) carry no
                // text of their own: say what is known.
                why = format!("the run stopped with an error that gave no message ({e:?})");
            }
            let _ = write(&dir.join(FAILED), why);
        }
        ran
    }

    /// Forget a failed run so the job can run again (what failed it — a
    /// full disk, a read-only database — may be gone); `false` when it had
    /// not failed or its folder is damaged (it cannot run).
    pub fn retry(&self, id: &JobId) -> bool {
        let failed = self.dir(id).join(FAILED);
        failed.is_file() && self.plan_doc(id).is_ok() && std::fs::remove_file(failed).is_ok()
    }

    /// What is stored of the job.
    /// A job whose folder is damaged (its plan unreadable, or without a
    /// name and a number planned) is reported as failed, saying so — never
    /// hidden from the list, never a server error.
    pub fn stored(&self, id: &JobId) -> Result<Stored, AppError> {
        let dir = self.dir(id);
        let plan = match self.plan_doc(id) {
            Ok(p) if p["name"].is_string() && p["planned"].is_u64() => p,
            Ok(_) => return Ok(damaged(id, "it has no name or number of negotiations")),
            Err(e) => return Ok(damaged(id, &e.to_string())),
        };
        let failed = std::fs::read_to_string(dir.join(FAILED)).ok();
        let completed = if dir.join(DB).is_file() {
            report::completed(&dir.join(DB)).unwrap_or(0)
        } else {
            0
        };
        Ok(Stored {
            name: plan["name"].as_str().unwrap_or_default().to_string(),
            planned: plan["planned"].as_u64().unwrap_or_default(),
            completed,
            failed,
        })
    }

    /// The per-strategy report of what the job has completed so far.
    pub fn report(&self, id: &JobId) -> Result<ReportDoc, AppError> {
        let db = self.dir(id).join(DB);
        if !db.is_file() {
            return Err(AppError::NotFound(format!(
                "tournament {id} has no results yet"
            )));
        }
        let r = report::report(&db).map_err(|e| tournament_error(&self.dir(id), e))?;
        Ok(docs::report(&r))
    }

    /// The job's stored rows as a Parquet file's bytes
    /// (`zopa.tournament-rows/1`, as `zopa report --parquet` writes them).
    pub fn rows_parquet(&self, id: &JobId) -> Result<Vec<u8>, AppError> {
        let db = self.dir(id).join(DB);
        if !db.is_file() {
            return Err(AppError::NotFound(format!(
                "tournament {id} has no results yet"
            )));
        }
        zopa_tournament::export::write(&db, Vec::new(), zopa_tournament::export::ROW_GROUP)
            .map(|(_, bytes)| bytes)
            .map_err(|e| tournament_error(&self.dir(id), e))
    }
}

/// Bytes of the files below `dir` (links not followed).
fn bytes_under(dir: &Path) -> u64 {
    let mut total = 0;
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => todo.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// When a job last changed: its plan, results database or failure note
/// (not SQLite's `-wal` and `-shm` files, which a reader creates).
fn last_change(dir: &Path) -> Option<std::time::SystemTime> {
    [PLAN, DB, FAILED]
        .iter()
        .filter_map(|f| std::fs::metadata(dir.join(f)).ok()?.modified().ok())
        .max()
}

/// Every uploaded file belongs to a planned domain: it lies in a domain's
/// folder (a GENIUS or GeniusWeb domain), or in the folder of a domain
/// file (a scenario and its sources). Files no domain uses are refused,
/// named, rather than stored for nothing.
fn unused_uploads(dir: &Path, plan: &Plan, names: &[String]) -> Result<(), AppError> {
    let uploads = dir.join(UPLOADS);
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let roots: Vec<PathBuf> = plan
        .domains
        .iter()
        .map(|d| canonical(&d.path))
        .map(|p| {
            if p.is_dir() {
                p
            } else {
                p.parent().map_or(p.clone(), Path::to_path_buf)
            }
        })
        .collect();
    let unused: Vec<&str> = names
        .iter()
        .filter(|n| {
            let p = canonical(&uploads.join(n));
            !roots.iter().any(|r| p.starts_with(r))
        })
        .map(String::as_str)
        .collect();
    if unused.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = unused.iter().take(5).copied().collect();
    let more = unused.len() - shown.len();
    Err(AppError::Usage(format!(
        "{} uploaded file(s) belong to no domain of the tournament: {}{}; every file must be in a domain's folder or beside a domain file (check `domains` in {TOURNAMENT})",
        unused.len(),
        shown.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    )))
}

/// A job whose plan cannot be read, as a failed job saying why.
fn damaged(id: &JobId, why: &str) -> Stored {
    Stored {
        name: id.as_str().to_string(),
        planned: 0,
        completed: 0,
        failed: Some(format!(
            "the job's folder is damaged: its {PLAN} cannot be used ({why}); submit the tournament again"
        )),
    }
}

fn io(e: std::io::Error) -> AppError {
    AppError::Storage(e)
}

fn write(path: &Path, text: impl AsRef<[u8]>) -> Result<(), AppError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)
}

/// A tournament error, with the job's folder left out of its message (the
/// client never sees where the server keeps its data).
fn tournament_error(dir: &Path, e: TournamentError) -> AppError {
    crate::tournament::app_error(e, Some(dir))
}

fn load_plan(dir: &Path, bounds: &Bounds) -> Result<Plan, AppError> {
    Plan::from_file(&dir.join(TOURNAMENT), bounds).map_err(|e| tournament_error(dir, e))
}

/// Write the tournament file (its domain patterns rewritten to the job's
/// folders), the uploads and the built-ins it names, under `dir`.
fn materialise(dir: &Path, tournament: &str, uploads: Vec<Upload>) -> Result<(), AppError> {
    let mut table: toml::Table = tournament.parse().map_err(|e: toml::de::Error| {
        let mut d = Diagnostics::new(TOURNAMENT);
        d.push(Diagnostic::error("", e.span(), e.message()));
        d.locate(tournament);
        AppError::InvalidInput {
            what: "a tournament file (TOML)",
            diagnostics: d,
        }
    })?;
    let Some(toml::Value::Array(patterns)) = table.get_mut("domains") else {
        return Err(AppError::Usage(format!(
            "{TOURNAMENT}: `domains` must be a list of built-in names (builtin:NAME) or patterns over the uploaded files"
        )));
    };
    for p in patterns.iter_mut() {
        let toml::Value::String(s) = p else {
            return Err(AppError::Usage(format!(
                "{TOURNAMENT}: every entry of `domains` is a string"
            )));
        };
        *s = domain_pattern(dir, s)?;
    }
    let paths = uploads
        .iter()
        .map(|u| relative(&u.path))
        .collect::<Result<Vec<_>, _>>()?;
    distinct_files(&uploads, &paths)?;
    for (u, rel) in uploads.into_iter().zip(paths) {
        write(&dir.join(UPLOADS).join(rel), u.bytes)?;
    }
    write(
        &dir.join(TOURNAMENT),
        toml::to_string(&table).expect("a table"),
    )
}

/// The pattern, relative to the job's folder, for a domain entry: a
/// built-in is written below `builtin/`, anything else is a pattern over
/// the uploads.
fn domain_pattern(dir: &Path, entry: &str) -> Result<String, AppError> {
    if let Some(name) = entry.strip_prefix("builtin:") {
        let b = builtin::find(name).ok_or_else(|| {
            AppError::NotFound(format!(
                "{TOURNAMENT}: no built-in scenario `{name}` (GET /api/v1/scenarios lists them)"
            ))
        })?;
        let base = dir.join(BUILTINS).join(b.name);
        write(&base.join(format!("{}.toml", b.name)), b.toml)?;
        for (path, text) in b.sources {
            write(&base.join(path), text)?;
        }
        return Ok(format!("{BUILTINS}/{0}/{0}.toml", b.name));
    }
    let ok = !entry.is_empty()
        && !entry.contains('\\')
        && Path::new(entry)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        return Err(AppError::Usage(format!(
            "{TOURNAMENT}: domain `{entry}` must be builtin:NAME or a relative pattern over the uploaded files (no `..`, no absolute path)"
        )));
    }
    Ok(format!("{UPLOADS}/{entry}"))
}

/// A plain name for anything a client uploads or names (a file, a folder):
/// 1 to 255 bytes of letters, digits, `.`, `_`, `-`, `+` and spaces, not
/// starting with `.` — never a path, never hidden. Every surface checks
/// names with this one rule.
pub fn plain_name(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 255
        && !p.starts_with('.')
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | ' '))
}

/// Uploaded paths name distinct files: none twice, none a folder of
/// another (`lap` and `lap/x.xml`), which the file system cannot hold.
fn distinct_files(uploads: &[Upload], paths: &[PathBuf]) -> Result<(), AppError> {
    let mut files = std::collections::HashMap::new();
    let mut folders = std::collections::HashMap::new();
    for (u, p) in uploads.iter().zip(paths) {
        if let Some(other) = files.insert(p.clone(), &u.path) {
            return Err(AppError::Usage(format!(
                "uploaded file `{}` is sent twice (also as `{other}`)",
                u.path
            )));
        }
        for folder in p.ancestors().skip(1).filter(|a| !a.as_os_str().is_empty()) {
            folders.entry(folder.to_path_buf()).or_insert(&u.path);
        }
    }
    for (p, name) in &files {
        if let Some(inside) = folders.get(p) {
            return Err(AppError::Usage(format!(
                "uploaded file `{name}` is also a folder of `{inside}`: a path is either a file or a folder"
            )));
        }
    }
    Ok(())
}

/// An uploaded file's relative path, checked: 1 to 4 [`plain_name`]s.
fn relative(path: &str) -> Result<PathBuf, AppError> {
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() > 4 || !parts.iter().all(|p| plain_name(p)) {
        return Err(AppError::Usage(format!(
            "uploaded file name `{path}` is not a relative path of at most 4 plain names (letters, digits, . _ - + and spaces, none starting with a dot)"
        )));
    }
    Ok(parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (Store, PathBuf) {
        let dir = std::env::temp_dir().join(format!(
            "zopa-jobs-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        (Store::open(&dir).unwrap(), dir)
    }

    const SMALL: &str = "name = \"t\"\ndomains = [\"builtin:security-guarantees\"]\nstrategies = [\"boulware\", \"linear\"]\ndeadline = 20\n";

    /// A job over a built-in is accepted, runs to the end, and reports the
    /// same rows as the CLI's run of the same tournament would store.
    #[test]
    fn a_builtin_job_runs_and_reports() {
        let (s, dir) = store();
        let (id, plan) = s.create(SMALL, vec![], &Bounds::default()).unwrap();
        assert_eq!(s.ids(), vec![id.clone()]);
        assert!(plan.planned > 0);
        let st = s.stored(&id).unwrap();
        assert_eq!((st.completed, st.finished()), (0, false));
        let summary = s
            .run(&id, Some(1), &|_, _| {}, &Default::default())
            .unwrap();
        assert_eq!(summary.completed_now, plan.planned);
        let st = s.stored(&id).unwrap();
        assert!(st.finished() && st.failed.is_none());
        assert_eq!(st.completed, plan.planned);
        assert_eq!(s.report(&id).unwrap().negotiations_completed, plan.planned);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// One process keeps jobs in a data directory at a time: a second
    /// store on it is refused while the first lives, and opens once it is
    /// gone.
    #[test]
    fn a_data_directory_has_one_keeper() {
        let (s, dir) = store();
        let clone = s.clone();
        let e = Store::open(&dir).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock);
        assert!(e.to_string().contains("another zopa process"), "{e}");
        drop(s);
        assert!(Store::open(&dir).is_err(), "a clone still holds the lock");
        drop(clone);
        assert!(Store::open(&dir).is_ok());
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A failed job can run again once its cause is gone; a damaged one
    /// cannot, and a job that has not failed has nothing to retry.
    #[test]
    fn a_failed_job_can_be_retried() {
        let (s, dir) = store();
        let (id, _) = s.create(SMALL, vec![], &Bounds::default()).unwrap();
        assert!(!s.retry(&id), "nothing failed");
        let job = dir.join("tournaments").join(id.as_str());
        std::fs::write(job.join(FAILED), "disk full").unwrap();
        assert!(s.stored(&id).unwrap().finished());
        assert!(s.retry(&id));
        let st = s.stored(&id).unwrap();
        assert!(!st.finished() && st.failed.is_none());
        s.run(&id, Some(1), &|_, _| {}, &Default::default())
            .unwrap();
        assert!(s.stored(&id).unwrap().finished());
        std::fs::write(job.join(FAILED), "x").unwrap();
        std::fs::write(job.join(PLAN), "{damaged").unwrap();
        assert!(!s.retry(&id), "a damaged job cannot run");
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A damaged job folder (its plan unreadable or tampered with) is
    /// listed and reported as failed, saying so, not an error.
    #[test]
    fn a_damaged_job_is_reported_as_damaged() {
        let (s, dir) = store();
        let (id, _) = s.create(SMALL, vec![], &Bounds::default()).unwrap();
        for broken in ["{not json", r#"{"name": "t"}"#] {
            std::fs::write(dir.join("tournaments").join(id.as_str()).join(PLAN), broken).unwrap();
            let st = s.stored(&id).unwrap();
            assert!(st.finished(), "{broken}");
            assert!(
                st.failed.as_deref().unwrap().contains("damaged"),
                "{broken}"
            );
            assert_eq!(s.ids(), vec![id.clone()]);
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Uploads the file system cannot hold together — a path sent twice, a
    /// file that is also a folder of another — are the request's error (a
    /// 400, once a 500 "File exists"), and nothing is stored.
    #[test]
    fn clashing_uploads_are_refused() {
        let (s, dir) = store();
        let up = |p: &str| Upload {
            path: p.into(),
            bytes: b"<a/>".to_vec(),
        };
        for (ups, says) in [
            (vec![up("lap"), up("lap/x.xml")], "also a folder of"),
            (vec![up("lap/x.xml"), up("lap")], "also a folder of"),
            (vec![up("a/x.xml"), up("a/x.xml")], "sent twice"),
        ] {
            let e = s.create(SMALL, ups, &Bounds::default()).unwrap_err();
            assert!(
                matches!(e, AppError::Usage(_)) && e.to_string().contains(says),
                "{e}"
            );
        }
        assert!(s.ids().is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Paths that would leave the job's folder are refused and nothing is
    /// stored.
    #[test]
    fn escapes_are_refused_and_leave_nothing() {
        let (s, dir) = store();
        for bad in ["../x", "/etc", "a/../../b", "", "a\\b"] {
            let t = format!("name = \"t\"\ndomains = [{bad:?}]\nstrategies = [\"linear\"]\n");
            let e = s.create(&t, vec![], &Bounds::default()).unwrap_err();
            assert!(matches!(e, AppError::Usage(_)), "{bad}: {e}");
        }
        for bad in [
            "../x.xml",
            "/x.xml",
            "a/./b.xml",
            ".hidden",
            "a/b/c/d/e.xml",
            "a\\b.xml",
        ] {
            let up = Upload {
                path: bad.into(),
                bytes: vec![],
            };
            let e = s.create(SMALL, vec![up], &Bounds::default()).unwrap_err();
            assert!(matches!(e, AppError::Usage(_)), "{bad}: {e}");
        }
        for bad in [
            "..",
            "../../etc/passwd",
            "0123456789abcdef012",
            "0123456789ABCDEF0123",
        ] {
            assert_eq!(JobId::parse(bad), None, "{bad}");
        }
        assert!(s.ids().is_empty());
        assert_eq!(std::fs::read_dir(&s.root).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A malformed tournament file is refused with its line and column.
    #[test]
    fn malformed_files_are_located() {
        let (s, dir) = store();
        let e = s
            .create("name = \"t\"\nseed = = 1\n", vec![], &Bounds::default())
            .unwrap_err();
        let AppError::InvalidInput { diagnostics, .. } = e else {
            panic!("{e}")
        };
        let pos = diagnostics.items[0].pos.unwrap();
        assert_eq!(
            (diagnostics.origin.as_str(), pos.line, pos.col),
            ("tournament.toml", 2, 8)
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The supplier-contract GENIUS domain's files, uploaded under `folder`.
    fn supplier(folder: &str) -> Vec<Upload> {
        let src =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/genius/supplier-contract");
        std::fs::read_dir(src)
            .unwrap()
            .flatten()
            .map(|e| Upload {
                path: format!("{folder}/{}", e.file_name().to_string_lossy()),
                bytes: std::fs::read(e.path()).unwrap(),
            })
            .collect()
    }

    /// Uploads no domain uses are refused, named, and nothing is stored;
    /// the same domain without them is accepted.
    #[test]
    fn unused_uploads_are_refused() {
        let (s, dir) = store();
        let t =
            "name = \"t\"\ndomains = [\"supplier\"]\nstrategies = [\"linear\"]\ndeadline = 10\n";
        let mut ups = supplier("supplier");
        ups.extend(supplier("spare"));
        ups.push(Upload {
            path: "filler.bin".into(),
            bytes: vec![0; 1 << 20],
        });
        let e = s.create(t, ups, &Bounds::default()).unwrap_err();
        let text = e.to_string();
        assert!(matches!(e, AppError::Usage(_)), "{text}");
        assert!(
            text.starts_with("4 uploaded file(s) belong to no domain"),
            "{text}"
        );
        assert!(
            text.contains("filler.bin") && text.contains("spare/"),
            "{text}"
        );
        assert!(s.ids().is_empty());
        assert_eq!(s.usage(), 0, "nothing kept");
        let (id, _) = s
            .create(t, supplier("supplier"), &Bounds::default())
            .unwrap();
        assert_eq!(s.ids(), vec![id]);
        assert!(s.usage() > 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Finished jobs older than the age are removed; unfinished, busy and
    /// recent ones are kept.
    #[test]
    fn finished_jobs_expire() {
        let (s, dir) = store();
        let (done, _) = s.create(SMALL, vec![], &Bounds::default()).unwrap();
        s.run(&done, Some(1), &|_, _| {}, &Default::default())
            .unwrap();
        let (queued, _) = s.create(SMALL, vec![], &Bounds::default()).unwrap();
        let (busy, _) = s.create(SMALL, vec![], &Bounds::default()).unwrap();
        s.run(&busy, Some(1), &|_, _| {}, &Default::default())
            .unwrap();
        let hour = std::time::Duration::from_secs(3600);
        assert!(s.expire(hour, &|_| false).is_empty(), "all recent");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let gone = s.expire(std::time::Duration::from_millis(10), &|id| *id == busy);
        assert_eq!(gone, vec![done.clone()]);
        assert_eq!(s.ids(), vec![queued, busy]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
