//! Planning and running a tournament, with SQLite checkpoints.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rusqlite::{params, Connection};
use zopa_analysis::{distance, distance_to_frontier, Concept};
use zopa_simulation::{by_name, play, Protocol, Session, Settings, SettingsError, Strategy};

use crate::shard::{Partition, Shard};
use crate::{TournamentError, TournamentFile};

use zopa_model::limits::MAX_SESSION_PACKAGES;

/// A loaded domain with what the report needs.
pub struct Domain {
    /// Where it came from.
    pub path: PathBuf,
    /// Short name (file or folder name).
    pub name: String,
    session: Session,
    reservations: Vec<f64>,
    /// Utility vectors of the agreement space's Pareto frontier.
    frontier: Vec<Vec<f64>>,
    /// Utilities of the Nash package, if the agreement space is not empty.
    nash: Option<Vec<f64>>,
}

/// One planned negotiation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Domain index.
    pub domain: usize,
    /// Strategy index of each party.
    pub strategies: Vec<usize>,
    /// Repetition.
    pub rep: usize,
}

/// Bounds on what a tournament may ask for (`docs/limits.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Largest deadline, in rounds (`--max-rounds`).
    pub max_rounds: u64,
    /// Most negotiations in the plan (`--max-negotiations`).
    pub max_negotiations: u64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_rounds: zopa_model::limits::MAX_ROUNDS,
            max_negotiations: zopa_model::limits::MAX_NEGOTIATIONS,
        }
    }
}

/// The assignments of `s` strategies to `m` parties, in lexicographic order,
/// computed from their number: every ordered one (`s^m`), or every multiset
/// (non-decreasing sequences, `C(s + m − 1, m)`). Nothing is materialised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignments {
    /// Parties.
    pub m: usize,
    /// Strategies.
    pub s: usize,
    /// Ordered (roles rotate) or not.
    pub ordered: bool,
}

/// C(n + r − 1, r): non-decreasing sequences of length `r` over `n` values,
/// saturated at `u128::MAX`.
fn multichoose(n: u128, r: u128) -> u128 {
    if r == 0 {
        return 1;
    }
    if n == 0 {
        return 0;
    }
    // C(n − 1 + j, j) for j = 1..=r, each step exact.
    let mut c: u128 = 1;
    for j in 1..=r {
        c = match c.checked_mul(n - 1 + j) {
            Some(x) => x / j,
            None => return u128::MAX,
        };
    }
    c
}

impl Assignments {
    /// How many there are (saturated at `u128::MAX`).
    pub fn count(&self) -> u128 {
        let (s, m) = (self.s as u128, self.m);
        if self.ordered {
            u32::try_from(m)
                .ok()
                .and_then(|m| s.checked_pow(m))
                .unwrap_or(u128::MAX)
        } else {
            multichoose(s, m as u128)
        }
    }

    /// The `k`-th assignment (`k < count()`): a strategy index per party.
    pub fn get(&self, mut k: u128) -> Vec<usize> {
        let (s, m) = (self.s, self.m);
        let mut v = vec![0; m];
        if self.ordered {
            for slot in v.iter_mut().rev() {
                *slot = (k % s as u128) as usize;
                k /= s as u128;
            }
            return v;
        }
        let mut lo = 0;
        for (i, slot) in v.iter_mut().enumerate() {
            let rest = (m - i - 1) as u128;
            for x in lo..s {
                let c = multichoose((s - x) as u128, rest);
                if k < c {
                    *slot = x;
                    lo = x;
                    break;
                }
                k -= c;
            }
        }
        v
    }
}

/// The numbered plan of a tournament.
pub struct Plan {
    /// The tournament file.
    pub file: TournamentFile,
    /// Domains, in plan order.
    pub domains: Vec<Domain>,
    /// First negotiation number of each domain, and the total at the end.
    starts: Vec<u64>,
    /// Canonical hash (SHA-256, hex) of everything that determines the
    /// results: each domain's resolved content and every parameter — not the
    /// tournament's name or how its paths are spelled.
    pub hash: String,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A 64-bit seed from a string (FNV-1a): the negotiations' seeds.
pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Plan {
    /// Load the domains and number the negotiations, refusing a deadline or
    /// a plan above `bounds` before anything proportional to them exists.
    pub fn new(
        file: TournamentFile,
        paths: Vec<PathBuf>,
        bounds: &Bounds,
    ) -> Result<Self, TournamentError> {
        Settings {
            deadline: file.deadline,
            seed: file.seed,
            trace: false,
            discount: file.discount,
            cancel: Default::default(),
        }
        .check(bounds.max_rounds)
        .map_err(|e| match e {
            SettingsError::TooManyRounds(l) => TournamentError::Refused(l),
            other => TournamentError::Config(other.to_string()),
        })?;
        let mut domains = Vec::new();
        let mut contents = Vec::new();
        for path in paths {
            let fail = |e: &dyn std::fmt::Display| {
                TournamentError::Domain(format!("{}: {e}", path.display()))
            };
            let (s, _) =
                zopa_interop::load::load(&path, MAX_SESSION_PACKAGES).map_err(|e| fail(&e))?;
            let session = Session::new(&s, MAX_SESSION_PACKAGES).map_err(|e| fail(&e))?;
            let a = zopa_analysis::analyze(&s, &Default::default()).map_err(|e| fail(&e))?;
            contents.push(s.to_doc().to_json_string().map_err(|e| fail(&e))?);
            domains.push(Domain {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
                session,
                reservations: s.actors().iter().map(|x| x.reservation).collect(),
                frontier: a
                    .agreement_frontier
                    .iter()
                    .map(|p| p.utilities.to_vec())
                    .collect(),
                nash: a.solution(Concept::Nash).map(|n| n.point.utilities.clone()),
            });
        }
        let mut total: u128 = 0;
        let mut starts = vec![0u64];
        for d in &domains {
            let per_domain = Plan::assignments_of(&file, d)
                .count()
                .saturating_mul(file.repetitions as u128);
            total = total.saturating_add(per_domain);
            zopa_model::limits::check(
                "the number of negotiations planned",
                total,
                bounds.max_negotiations,
                Some(zopa_model::Knob::MaxNegotiations),
            )?;
            starts.push(total as u64);
        }
        let mut canonical = serde_json::json!({
            "seed": file.seed,
            "repetitions": file.repetitions,
            "protocol": file.protocol.name(),
            "deadline": file.deadline,
            "rotate_roles": file.rotate_roles,
            "strategies": file.strategies,
            "discount": file.discount,
            "domains": contents,
        });
        // A time limit changes results; without one the identity is the one
        // earlier databases carry.
        if let Some(l) = file.time_limit {
            canonical["time_limit"] = serde_json::json!(l);
        }
        Ok(Plan {
            hash: sha256_hex(canonical.to_string().as_bytes()),
            file,
            domains,
            starts,
        })
    }

    /// Read a tournament file (its domain patterns relative to it) and plan
    /// it within `bounds`.
    pub fn from_file(path: &Path, bounds: &Bounds) -> Result<Self, TournamentError> {
        let (file, domains) = TournamentFile::load(path)?;
        Plan::new(file, domains, bounds)
    }

    fn assignments_of(file: &TournamentFile, d: &Domain) -> Assignments {
        Assignments {
            m: d.session.n_parties(),
            s: file.strategies.len(),
            ordered: file.rotate_roles,
        }
    }

    /// Number of planned negotiations.
    pub fn total(&self) -> u64 {
        *self.starts.last().expect("non-empty")
    }

    /// Planned negotiations per domain.
    pub fn per_domain(&self) -> Vec<(String, usize, u64)> {
        self.domains
            .iter()
            .enumerate()
            .map(|(d, dom)| {
                (
                    dom.name.clone(),
                    dom.session.n_parties(),
                    self.starts[d + 1] - self.starts[d],
                )
            })
            .collect()
    }

    /// The negotiation numbered `idx`.
    pub fn spec(&self, idx: u64) -> Spec {
        let d = self.starts.partition_point(|&s| s <= idx) - 1;
        let local = idx - self.starts[d];
        let reps = self.file.repetitions as u64;
        Spec {
            domain: d,
            strategies: Plan::assignments_of(&self.file, &self.domains[d])
                .get(u128::from(local / reps)),
            rep: (local % reps) as usize,
        }
    }

    /// The hash stored with negotiation `idx`: the plan's hash and what the
    /// negotiation is (domain number, strategies, repetition).
    pub fn config_hash(&self, idx: u64, spec: &Spec) -> String {
        let names: Vec<&str> = spec
            .strategies
            .iter()
            .map(|&k| self.file.strategies[k].as_str())
            .collect();
        let desc = serde_json::json!([self.hash, idx, spec.domain, names, spec.rep]);
        sha256_hex(desc.to_string().as_bytes())[..16].to_string()
    }

    /// Run negotiation `idx`.
    pub fn run_one(&self, idx: u64) -> Record {
        let spec = self.spec(idx);
        let dom = &self.domains[spec.domain];
        let settings = Settings {
            deadline: self.file.deadline,
            seed: fnv(format!("{}|{idx}", self.file.seed).as_bytes()),
            trace: false,
            discount: self.file.discount,
            cancel: self.file.time_limit.map_or_else(Default::default, |l| {
                zopa_model::Cancel::with_time_limit(std::time::Duration::from_secs_f64(l))
            }),
        };
        let names: Vec<String> = spec
            .strategies
            .iter()
            .map(|&k| self.file.strategies[k].clone())
            .collect();
        let mut strategies: Vec<Box<dyn Strategy>> = match self.file.protocol {
            Protocol::Saop => names
                .iter()
                .map(|n| by_name(n).expect("checked at load"))
                .collect(),
            Protocol::Veto | Protocol::Hill => vec![],
        };
        let out = play(
            &dom.session,
            self.file.protocol,
            &mut strategies,
            &settings,
            &mut |_| {},
        );
        // Scores are the discounted utilities when the tournament discounts.
        let utilities = out.discounted.clone();
        Record {
            idx,
            config_hash: self.config_hash(idx, &spec),
            domain: dom.name.clone(),
            strategies: names,
            rep: spec.rep,
            agreement: out.agreement,
            welfare: utilities.as_ref().map(|u| u.iter().sum()),
            pareto_distance: utilities
                .as_ref()
                .and_then(|u| distance_to_frontier(u, dom.frontier.iter().map(Vec::as_slice))),
            nash_distance: utilities
                .as_ref()
                .and_then(|u| dom.nash.as_ref().map(|n| distance(u, n))),
            utilities,
            reservations: dom.reservations.clone(),
            rounds: out.rounds,
            timed_out: out.stopped,
        }
    }
}

/// One finished negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Negotiation number.
    pub idx: u64,
    /// Hash of its configuration.
    pub config_hash: String,
    /// Domain name.
    pub domain: String,
    /// Strategy of each party.
    pub strategies: Vec<String>,
    /// Repetition.
    pub rep: usize,
    /// Agreed outcome.
    pub agreement: Option<u64>,
    /// Utilities of the agreement.
    pub utilities: Option<Vec<f64>>,
    /// The parties' reservations (their score without agreement).
    pub reservations: Vec<f64>,
    /// Rounds used.
    pub rounds: usize,
    /// Sum of utilities of the agreement.
    pub welfare: Option<f64>,
    /// Distance of the agreement to the agreement space's Pareto frontier.
    pub pareto_distance: Option<f64>,
    /// Distance of the agreement to the Nash package.
    pub nash_distance: Option<f64>,
    /// The tournament's `time_limit` stopped it (its result is the state
    /// when it was stopped, and depends on the machine's speed).
    pub timed_out: bool,
}

/// The results database, open for writing by this process alone.
pub struct Db {
    /// The connection (declared first: dropped before the lock is released).
    pub conn: Connection,
    /// An advisory lock on the database file, held while the database is open.
    _lock: std::fs::File,
}

/// Open (or create) the results database for writing, in WAL mode, holding
/// an advisory lock on the file: a second process on the same database is
/// refused instead of redoing the work, while `zopa report` can still read
/// it. An existing database must pass SQLite's integrity check before it is
/// extended.
pub fn open_db(path: &Path) -> Result<Db, TournamentError> {
    let existed = path.metadata().is_ok_and(|m| m.len() > 0);
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| TournamentError::Config(format!("cannot open {}: {e}", path.display())))?;
    if let Err(e) = lock.try_lock() {
        return Err(TournamentError::Config(match e {
            std::fs::TryLockError::WouldBlock => format!(
                "{} is in use by another process (a tournament still running?); wait for it to finish or use another --db",
                path.display()
            ),
            std::fs::TryLockError::Error(e) => format!("cannot lock {}: {e}", path.display()),
        }));
    }
    let fail = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            damaged(path, &e.to_string())
        }
        _ => TournamentError::Db(e),
    };
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(fail)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(fail)?;
    if existed {
        let verdict: String = conn
            .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
            .map_err(fail)?;
        if verdict != "ok" {
            return Err(damaged(path, &verdict));
        }
    }
    create_tables(&conn).map_err(fail)?;
    // A database from before row checksums gets the column; its old rows
    // stay unchecked, new ones carry theirs.
    if !crate::stored::has_column(&conn, "checksum").map_err(fail)? {
        conn.execute_batch("ALTER TABLE negotiations ADD COLUMN checksum TEXT")
            .map_err(fail)?;
    }
    // Likewise the time-out flag: old rows read as not timed out.
    if !crate::stored::has_column(&conn, "timed_out").map_err(fail)? {
        conn.execute_batch("ALTER TABLE negotiations ADD COLUMN timed_out INTEGER")
            .map_err(fail)?;
    }
    Ok(Db { conn, _lock: lock })
}

/// The results tables, if missing.
pub(crate) fn create_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS negotiations (
            idx INTEGER PRIMARY KEY,
            config_hash TEXT NOT NULL,
            domain TEXT NOT NULL,
            strategies TEXT NOT NULL,
            rep INTEGER NOT NULL,
            agreement INTEGER,
            utilities TEXT,
            reservations TEXT NOT NULL,
            rounds INTEGER NOT NULL,
            welfare REAL,
            pareto_distance REAL,
            nash_distance REAL,
            checksum TEXT,
            timed_out INTEGER);",
    )
}

fn damaged(path: &Path, why: &str) -> TournamentError {
    TournamentError::Config(format!(
        "{} is damaged ({why}); it is not extended: move it aside and run again to start afresh",
        path.display()
    ))
}

/// Check the stored tournament's identity against the plan (writing it into
/// a new database), and every stored row against the plan; return the
/// completed numbers as a bitset and their count.
fn adopt(
    conn: &mut Connection,
    plan: &Plan,
    shard: Option<&Shard>,
    db: &Path,
) -> Result<(Vec<u64>, u64), TournamentError> {
    let total = plan.total();
    let label = shard.map(Shard::label);
    let stored_shard: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'shard'", [], |r| {
            r.get(0)
        })
        .ok();
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'tournament_hash'",
            [],
            |r| r.get(0),
        )
        .ok();
    let rows: i64 = conn.query_row("SELECT count(*) FROM negotiations", [], |r| r.get(0))?;
    match stored {
        Some(h) if h != plan.hash => {
            return Err(TournamentError::Config(format!(
                "{} holds results of another tournament (configuration hash {h}, this one {}); use another --db",
                db.display(),
                plan.hash
            )))
        }
        Some(_) if stored_shard != label => {
            let what = |x: &Option<String>| x.as_ref().map_or("the whole plan".to_string(), |l| format!("shard {l}"));
            return Err(TournamentError::Config(format!(
                "{} holds {} of this tournament, not {}; use another --db (or --out)",
                db.display(),
                what(&stored_shard),
                what(&label)
            )));
        }
        Some(_) => {}
        None if rows > 0 => {
            return Err(TournamentError::Config(format!(
                "{} holds {rows} results but no tournament identity (damaged, or not written by this zopa); use another --db",
                db.display()
            )))
        }
        None => {
            let tx = conn.transaction()?;
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('tournament_hash', ?1)", params![plan.hash])?;
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('name', ?1)", params![plan.file.name])?;
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('negotiations_planned', ?1)", params![total.to_string()])?;
            if let Some(l) = &label {
                tx.execute("INSERT OR REPLACE INTO meta VALUES ('shard', ?1)", params![l])?;
            }
            tx.commit()?;
        }
    }
    // Completed negotiations, as a bitset (memory: total/8 bytes).
    let mut done = vec![0u64; total.div_ceil(64) as usize];
    let mut already = 0u64;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM negotiations",
        crate::stored::COLUMNS
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = crate::stored::StoredRow::read(r)?;
        row.verify().map_err(|why| damaged(db, &why))?;
        let (i, hash) = (row.idx, row.config_hash);
        let Some(i) = u64::try_from(i).ok().filter(|&i| i < total) else {
            return Err(damaged(
                db,
                &format!("it holds negotiation number {i}, outside this plan's 0..{total}"),
            ));
        };
        if let Some(s) = shard.filter(|s| !s.contains(i, total)) {
            return Err(damaged(
                db,
                &format!(
                    "it holds negotiation {i}, which is not in shard {}",
                    s.label()
                ),
            ));
        }
        if hash != plan.config_hash(i, &plan.spec(i)) {
            return Err(damaged(
                db,
                &format!("negotiation {i} was stored under another configuration ({hash})"),
            ));
        }
        done[(i / 64) as usize] |= 1 << (i % 64);
        already += 1;
    }
    Ok((done, already))
}

/// Store one record in its own transaction: a kill loses nothing committed.
fn store(conn: &mut Connection, r: &Record) -> Result<(), TournamentError> {
    let tx = conn.transaction()?;
    tx.execute(
        &format!(
            "INSERT OR IGNORE INTO negotiations ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            crate::stored::COLUMNS
        ),
        rusqlite::params_from_iter(crate::stored::StoredRow::of(r).values()),
    )?;
    tx.commit()?;
    Ok(())
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSummary {
    /// Planned negotiations.
    pub planned: u64,
    /// Already in the database before this run.
    pub already_done: u64,
    /// Completed by this run.
    pub completed_now: u64,
    /// Stopped early because `stop` was set; what finished is stored.
    pub interrupted: bool,
}

/// Run (or resume) the plan into the database at `db`, with `jobs` threads
/// (None: all cores). `progress(done, total)` is called after each batch.
/// Setting `stop` (for example on Ctrl-C) ends the run after the batch in
/// flight, with every finished negotiation stored.
pub fn run(
    plan: &Plan,
    db: &Path,
    jobs: Option<usize>,
    progress: &dyn Fn(u64, u64),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<RunSummary, TournamentError> {
    let mut handle = open_db(db)?;
    run_into(&mut handle, plan, None, db, jobs, progress, stop)
}

/// Run (or resume) shard `shard` of the plan into `dir`: its rows in
/// `dir/shard-K-of-N.sqlite` (resumed if present) and, once every one of
/// them is stored, its manifest `dir/shard-K-of-N.json` (see [`crate::shard`]).
pub fn run_shard(
    plan: &Plan,
    shard: &Shard,
    dir: &Path,
    jobs: Option<usize>,
    progress: &dyn Fn(u64, u64),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<(RunSummary, Option<crate::shard::Manifest>), TournamentError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        TournamentError::Config(format!("cannot create the folder {}: {e}", dir.display()))
    })?;
    let db = dir.join(format!("{}.sqlite", shard.stem()));
    let mut handle = open_db(&db)?;
    let summary = run_into(&mut handle, plan, Some(shard), &db, jobs, progress, stop)?;
    if summary.interrupted {
        return Ok((summary, None));
    }
    // A finished shard is one self-contained file (no write-ahead log
    // beside it), ready to be copied off the machine that ran it.
    handle.conn.pragma_update(None, "journal_mode", "DELETE")?;
    let m = crate::shard::manifest_of(
        &handle.conn,
        &db,
        shard,
        &plan.file.name,
        &plan.hash,
        plan.total(),
    )?;
    let path = dir.join(format!("{}.json", shard.stem()));
    let partial = path.with_extension("json.partial");
    let text = serde_json::to_string_pretty(&m).expect("plain data") + "\n";
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| TournamentError::Config(format!("cannot write {}: {e}", path.display())))?;
    Ok((summary, Some(m)))
}

/// Negotiations per batch: what a Ctrl-C waits for, and what a kill loses
/// at most beyond the rows stored.
pub(crate) const BATCH: usize = 256;

/// Play the negotiations `pending` numbers in batches of [`BATCH`] on
/// `pool`, handing each finished batch to `sink` on this thread while the
/// workers compute the next (a bounded channel: at most two batches in
/// memory). Ends when `pending` is exhausted, after the batch in flight
/// when `stop` is set, or at the first error of `sink`, which it returns.
pub(crate) fn play_batches(
    plan: &Plan,
    pending: impl Iterator<Item = u64> + Send,
    pool: &rayon::ThreadPool,
    stop: &std::sync::atomic::AtomicBool,
    sink: &mut dyn FnMut(Vec<Record>) -> Result<(), TournamentError>,
) -> Result<(), TournamentError> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(1);
    let mut result = Ok(());
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut pending = pending;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let batch: Vec<u64> = pending.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                let records: Vec<Record> =
                    pool.install(|| batch.par_iter().map(|&i| plan.run_one(i)).collect());
                if tx.send(records).is_err() {
                    break; // the sink failed
                }
            }
        });
        for records in rx {
            if let Err(e) = sink(records) {
                result = Err(e);
                return; // drops the receiver: the producer stops
            }
        }
    });
    result
}

fn run_into(
    handle: &mut Db,
    plan: &Plan,
    shard: Option<&Shard>,
    db: &Path,
    jobs: Option<usize>,
    progress: &dyn Fn(u64, u64),
    stop: &std::sync::atomic::AtomicBool,
) -> Result<RunSummary, TournamentError> {
    let conn = &mut handle.conn;
    let all = plan.total();
    let total = shard.map_or(all, |s| s.planned(all));
    let (done, already) = adopt(conn, plan, shard, db)?;
    progress(already, total);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| TournamentError::Config(format!("cannot start worker threads: {e}")))?;
    // Pending numbers are generated lazily from the bitset.
    let whole = Shard {
        k: 1,
        n: 1,
        partition: Partition::Contiguous,
    };
    let pending = shard
        .unwrap_or(&whole)
        .numbers(all)
        .filter(move |i| done[(i / 64) as usize] & (1 << (i % 64)) == 0);
    let mut now = 0u64;
    play_batches(plan, pending, &pool, stop, &mut |records| {
        for r in records {
            store(conn, &r)?;
            now += 1;
        }
        progress(already + now, total);
        Ok(())
    })?;
    Ok(RunSummary {
        planned: total,
        already_done: already,
        completed_now: now,
        interrupted: already + now < total,
    })
}

#[cfg(test)]
mod tests {
    use super::Assignments;

    /// Brute force: every digit string of length m over s values in
    /// lexicographic order, all of them or the non-decreasing ones.
    fn oracle(m: usize, s: usize, ordered: bool) -> Vec<Vec<usize>> {
        let mut all: Vec<Vec<usize>> = vec![vec![]];
        for _ in 0..m {
            all = all
                .into_iter()
                .flat_map(|p| {
                    (0..s).map(move |x| {
                        let mut q = p.clone();
                        q.push(x);
                        q
                    })
                })
                .collect();
        }
        all.retain(|v| ordered || v.windows(2).all(|w| w[0] <= w[1]));
        all
    }

    #[test]
    fn lazy_assignments_match_the_enumeration() {
        for m in 1..=4 {
            for s in 1..=5 {
                for ordered in [true, false] {
                    let a = Assignments { m, s, ordered };
                    let want = oracle(m, s, ordered);
                    assert_eq!(a.count(), want.len() as u128, "{a:?}");
                    for (k, v) in want.iter().enumerate() {
                        assert_eq!(&a.get(k as u128), v, "{a:?} #{k}");
                    }
                }
            }
        }
    }

    #[test]
    fn huge_counts_saturate_instead_of_wrapping() {
        let a = Assignments {
            m: 40,
            s: 1000,
            ordered: true,
        };
        assert_eq!(a.count(), u128::MAX);
        let b = Assignments {
            m: 3,
            s: 200,
            ordered: true,
        };
        assert_eq!(b.count(), 8_000_000);
        assert_eq!(b.get(7_999_999), vec![199, 199, 199]);
    }
}
