//! A shared results store in PostgreSQL, for workers on several machines.
//!
//! SQLite stays the embedded default; it must not be written by several
//! machines over a network file system. With a `postgresql://` URL as the
//! database, every worker — the same `zopa tournament FILE --db URL`
//! command, started anywhere — registers the plan (its identity hash, name,
//! size, shard count and partition) if it is new, then pulls shards one at
//! a time: `SELECT … FOR NO KEY UPDATE SKIP LOCKED` on the shard's row,
//! held in a transaction of its own connection for as long as the worker
//! runs the shard (`NO KEY`: the rows' foreign key to their shard takes a
//! key-share lock, which a plain `FOR UPDATE` would block). The rows go through a second connection, committed a batch at a
//! time, each under the plan's hash and its number (primary key), with the
//! checksum SQLite rows carry.
//!
//! A worker that dies (killed, its machine lost) ends its connections;
//! PostgreSQL rolls back its claim and the shard is free again. The next
//! worker to take it verifies the rows already stored (checksum, number in
//! the shard, configuration hash), runs only the missing ones, and marks
//! the shard done once it holds every one of its rows: nothing is lost,
//! nothing is run twice into the store. [`pull`] copies a finished
//! tournament into a SQLite database equal, row for row, to one run's.
//!
//! Tables (created if missing, under an advisory lock): `zopa_tournaments`,
//! `zopa_shards`, `zopa_negotiations` (docs/tournaments.md).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, NoTls};

use crate::run::{Plan, Record};
use crate::shard::{Partition, Shard, MAX_SHARDS};
use crate::stored::{NewResults, StoredRow, COLUMNS};
use crate::TournamentError;

/// Shards a new tournament is cut into when the first worker does not say.
pub const DEFAULT_SHARDS: u64 = 16;

/// Key of the advisory lock that serialises creating the tables.
const DDL_LOCK: i64 = 0x7a6f_7061;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS zopa_tournaments (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    planned BIGINT NOT NULL,
    shards BIGINT NOT NULL,
    partition TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS zopa_shards (
    hash TEXT NOT NULL REFERENCES zopa_tournaments (hash),
    k BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
    row_count BIGINT,
    worker TEXT,
    finished TIMESTAMPTZ,
    PRIMARY KEY (hash, k));
CREATE TABLE IF NOT EXISTS zopa_negotiations (
    hash TEXT NOT NULL,
    shard BIGINT NOT NULL,
    idx BIGINT NOT NULL,
    config_hash TEXT NOT NULL,
    domain TEXT NOT NULL,
    strategies TEXT NOT NULL,
    rep BIGINT NOT NULL,
    agreement BIGINT,
    utilities TEXT,
    reservations TEXT NOT NULL,
    rounds BIGINT NOT NULL,
    welfare DOUBLE PRECISION,
    pareto_distance DOUBLE PRECISION,
    nash_distance DOUBLE PRECISION,
    checksum TEXT NOT NULL,
    timed_out BIGINT NOT NULL,
    PRIMARY KEY (hash, idx),
    FOREIGN KEY (hash, shard) REFERENCES zopa_shards (hash, k));
";

/// Whether `db` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgresql://") || db.starts_with("postgres://")
}

/// How a worker should cut a new tournament; an existing one keeps its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cut {
    /// Shards (None: the stored count, or [`DEFAULT_SHARDS`] for a new one).
    pub shards: Option<u64>,
    /// Partition (must equal the stored one).
    pub partition: Partition,
}

/// What one worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSummary {
    /// Negotiations in the plan.
    pub planned: u64,
    /// Shards of the plan.
    pub shards: u64,
    /// How the plan's numbers are dealt to them.
    pub partition: Partition,
    /// The shards this worker finished.
    pub finished: Vec<u64>,
    /// Rows of those shards found stored (a dead worker's), not rerun.
    pub resumed: u64,
    /// Negotiations this worker ran and stored.
    pub completed_now: u64,
    /// Shards done, by any worker.
    pub shards_done: u64,
    /// Shards not done but claimed by other live workers.
    pub shards_running: u64,
    /// Stopped early (Ctrl-C): its claim released, its batches stored.
    pub interrupted: bool,
}

fn connect(url: &str) -> Result<Client, TournamentError> {
    Client::connect(url, NoTls).map_err(|e| TournamentError::Postgres {
        what: format!("cannot connect to {}", redact(url)),
        source: e,
    })
}

/// `url` without its password.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((user, host)) if user.contains(':') => {
            let name = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{name}:***@{host}")
        }
        _ => url.to_string(),
    }
}

fn pg(what: &str) -> impl Fn(postgres::Error) -> TournamentError + '_ {
    move |e| TournamentError::Postgres {
        what: what.to_string(),
        source: e,
    }
}

/// Create the tables if missing, and the tournament's rows if new; give
/// back its shard count and partition.
fn register(client: &mut Client, plan: &Plan, cut: Cut) -> Result<Shard, TournamentError> {
    let mut tx = client.transaction().map_err(pg("begin"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&DDL_LOCK])
        .map_err(pg("lock the schema"))?;
    tx.batch_execute(SCHEMA)
        .map_err(pg("create the results tables"))?;
    let n = cut.shards.unwrap_or(DEFAULT_SHARDS);
    if n == 0 || n > MAX_SHARDS {
        return Err(TournamentError::Config(format!(
            "shards must be from 1 to {MAX_SHARDS}, not {n}"
        )));
    }
    tx.execute(
        "INSERT INTO zopa_tournaments (hash, name, planned, shards, partition) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING",
        &[&plan.hash, &plan.file.name, &(plan.total() as i64), &(n as i64), &cut.partition.name()],
    )
    .map_err(pg("register the tournament"))?;
    let row = tx
        .query_one(
            "SELECT shards, partition, planned FROM zopa_tournaments WHERE hash = $1",
            &[&plan.hash],
        )
        .map_err(pg("read the tournament"))?;
    let (stored_n, stored_p, planned): (i64, String, i64) = (row.get(0), row.get(1), row.get(2));
    if planned as u64 != plan.total() {
        return Err(TournamentError::Config(format!(
            "the store holds this tournament ({}) with {planned} negotiations planned, not {}; the store is damaged",
            plan.hash,
            plan.total()
        )));
    }
    if cut.shards.is_some_and(|n| n as i64 != stored_n) || stored_p != cut.partition.name() {
        return Err(TournamentError::Config(format!(
            "the store holds this tournament cut into {stored_n} shards ({stored_p}); run every worker with --shards {stored_n} --partition {stored_p}, or leave --shards out"
        )));
    }
    tx.execute(
        "INSERT INTO zopa_shards (hash, k) SELECT $1, k FROM generate_series(1::BIGINT, $2) AS k ON CONFLICT DO NOTHING",
        &[&plan.hash, &stored_n],
    )
    .map_err(pg("register the shards"))?;
    tx.commit().map_err(pg("commit the registration"))?;
    Ok(Shard {
        k: 1,
        n: stored_n as u64,
        partition: stored_p.parse().map_err(TournamentError::Config)?,
    })
}

/// Work on the tournament in the store at `url` until no shard is left to
/// claim (or `stop` is set): claim a shard, run its missing negotiations
/// on `jobs` threads (None: all cores), mark it done. `worker` names this
/// worker in the shards' rows; `progress(done, planned)` follows the shard
/// in hand.
pub fn work(
    plan: &Plan,
    url: &str,
    cut: Cut,
    jobs: Option<usize>,
    worker: &str,
    progress: &dyn Fn(u64, u64),
    stop: &AtomicBool,
) -> Result<WorkSummary, TournamentError> {
    let mut data = connect(url)?;
    let mut claims = connect(url)?;
    let whole = register(&mut data, plan, cut)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| TournamentError::Config(format!("cannot start worker threads: {e}")))?;
    let mut s = WorkSummary {
        planned: plan.total(),
        shards: whole.n,
        partition: whole.partition,
        finished: vec![],
        resumed: 0,
        completed_now: 0,
        shards_done: 0,
        shards_running: 0,
        interrupted: false,
    };
    while !stop.load(Ordering::Relaxed) {
        let mut claim = claims.transaction().map_err(pg("begin a claim"))?;
        let Some(row) = claim
            .query_opt(
                "SELECT k FROM zopa_shards WHERE hash = $1 AND state = 'pending' ORDER BY k LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED",
                &[&plan.hash],
            )
            .map_err(pg("claim a shard"))?
        else {
            break;
        };
        let shard = Shard {
            k: row.get::<_, i64>(0) as u64,
            ..whole
        };
        let (resumed, now, complete) = run_claimed(&mut data, plan, &shard, &pool, progress, stop)?;
        s.resumed += resumed;
        s.completed_now += now;
        if !complete {
            break; // stopped: the claim rolls back, the rows stay
        }
        claim
            .execute(
                "UPDATE zopa_shards SET state = 'done', row_count = $3, worker = $4, finished = now() WHERE hash = $1 AND k = $2",
                &[&plan.hash, &(shard.k as i64), &(shard.planned(plan.total()) as i64), &worker],
            )
            .map_err(pg("mark the shard done"))?;
        claim.commit().map_err(pg("commit the shard"))?;
        s.finished.push(shard.k);
    }
    s.interrupted = stop.load(Ordering::Relaxed);
    let counts = data
        .query_one(
            "SELECT count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'pending') FROM zopa_shards WHERE hash = $1",
            &[&plan.hash],
        )
        .map_err(pg("count the shards"))?;
    s.shards_done = counts.get::<_, i64>(0) as u64;
    s.shards_running = counts.get::<_, i64>(1) as u64;
    Ok(s)
}

/// Run the negotiations of the claimed `shard` that the store lacks, a
/// committed batch at a time; (rows found stored, rows stored now, whether
/// the shard now holds every row).
fn run_claimed(
    data: &mut Client,
    plan: &Plan,
    shard: &Shard,
    pool: &rayon::ThreadPool,
    progress: &dyn Fn(u64, u64),
    stop: &AtomicBool,
) -> Result<(u64, u64, bool), TournamentError> {
    let total = plan.total();
    let planned = shard.planned(total);
    let mut done = std::collections::HashSet::new();
    for row in data
        .query(
            &format!("SELECT {COLUMNS} FROM zopa_negotiations WHERE hash = $1 AND shard = $2"),
            &[&plan.hash, &(shard.k as i64)],
        )
        .map_err(pg("read the shard's stored rows"))?
    {
        let r = stored_row(&row);
        let bad = |why: String| {
            TournamentError::Config(format!(
                "the store's negotiation {} of shard {}: {why}; the store is damaged",
                r.idx,
                shard.label()
            ))
        };
        r.verify().map_err(&bad)?;
        let i = u64::try_from(r.idx)
            .ok()
            .filter(|&i| shard.contains(i, total))
            .ok_or_else(|| bad("it is not in this shard".into()))?;
        if r.config_hash != plan.config_hash(i, &plan.spec(i)) {
            return Err(bad("it was stored under another configuration".into()));
        }
        done.insert(i);
    }
    let resumed = done.len() as u64;
    progress(resumed, planned);
    let pending = shard.numbers(total).filter(|i| !done.contains(i));
    let mut now = 0u64;
    crate::run::play_batches(plan, pending, pool, stop, &mut |records| {
        store(data, &plan.hash, shard.k, &records)?;
        now += records.len() as u64;
        progress(resumed + now, planned);
        Ok(())
    })?;
    let held: i64 = data
        .query_one(
            "SELECT count(*) FROM zopa_negotiations WHERE hash = $1 AND shard = $2",
            &[&plan.hash, &(shard.k as i64)],
        )
        .map_err(pg("count the shard's rows"))?
        .get(0);
    Ok((resumed, now, held as u64 == planned))
}

/// Store a batch in one statement (one round trip: the columns as arrays,
/// unnested); a row already there is left as it is.
fn store(
    client: &mut Client,
    hash: &str,
    k: u64,
    records: &[Record],
) -> Result<(), TournamentError> {
    let rows: Vec<StoredRow> = records.iter().map(StoredRow::of).collect();
    fn col<T: Clone>(rows: &[StoredRow], f: impl Fn(&StoredRow) -> T) -> Vec<T> {
        rows.iter().map(f).collect()
    }
    let (idx, config_hash, domain, strategies, rep) = (
        col(&rows, |r| r.idx),
        col(&rows, |r| r.config_hash.clone()),
        col(&rows, |r| r.domain.clone()),
        col(&rows, |r| r.strategies.clone()),
        col(&rows, |r| r.rep),
    );
    let (agreement, utilities, reservations, rounds) = (
        col(&rows, |r| r.agreement),
        col(&rows, |r| r.utilities.clone()),
        col(&rows, |r| r.reservations.clone()),
        col(&rows, |r| r.rounds),
    );
    let (welfare, pareto, nash, checksum, timed_out) = (
        col(&rows, |r| r.welfare),
        col(&rows, |r| r.pareto_distance),
        col(&rows, |r| r.nash_distance),
        col(&rows, |r| r.checksum.clone()),
        col(&rows, |r| r.timed_out.unwrap_or(0)),
    );
    let values: [&(dyn ToSql + Sync); 16] = [
        &hash,
        &(k as i64),
        &idx,
        &config_hash,
        &domain,
        &strategies,
        &rep,
        &agreement,
        &utilities,
        &reservations,
        &rounds,
        &welfare,
        &pareto,
        &nash,
        &checksum,
        &timed_out,
    ];
    client
        .execute(
            &format!(
                "INSERT INTO zopa_negotiations (hash, shard, {COLUMNS}) \
                 SELECT $1, $2, * FROM unnest($3::BIGINT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::BIGINT[], $8::BIGINT[], $9::TEXT[], $10::TEXT[], $11::BIGINT[], $12::FLOAT8[], $13::FLOAT8[], $14::FLOAT8[], $15::TEXT[], $16::BIGINT[]) \
                 ON CONFLICT (hash, idx) DO NOTHING"
            ),
            &values,
        )
        .map_err(pg("store a batch of negotiations"))?;
    Ok(())
}

/// A row selected with [`COLUMNS`].
fn stored_row(r: &postgres::Row) -> StoredRow {
    StoredRow {
        idx: r.get(0),
        config_hash: r.get(1),
        domain: r.get(2),
        strategies: r.get(3),
        rep: r.get(4),
        agreement: r.get(5),
        utilities: r.get(6),
        reservations: r.get(7),
        rounds: r.get(8),
        welfare: r.get(9),
        pareto_distance: r.get(10),
        nash_distance: r.get(11),
        checksum: r.get(12),
        timed_out: r.get(13),
    }
}

/// What [`pull`] copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pulled {
    /// The tournament's name.
    pub name: String,
    /// Its identity hash.
    pub tournament_hash: String,
    /// Its shards.
    pub shards: u64,
    /// Rows copied.
    pub rows: u64,
}

/// Copy a finished tournament from the store at `url` into a new SQLite
/// results database `db` (what `zopa report` reads), after checking that
/// every shard is done and every row intact. `tournament` picks one by a
/// prefix of its hash when the store holds several.
pub fn pull(url: &str, tournament: Option<&str>, db: &Path) -> Result<Pulled, TournamentError> {
    NewResults::refuse_existing(db)?;
    let mut client = connect(url)?;
    let found = client
        .query(
            "SELECT hash, name, planned, shards FROM zopa_tournaments WHERE hash LIKE $1 || '%' ORDER BY created",
            &[&tournament.unwrap_or("")],
        )
        .map_err(|e| match e.code() {
            Some(c) if *c == postgres::error::SqlState::UNDEFINED_TABLE => {
                TournamentError::Config(format!("{} holds no zopa tournament", redact(url)))
            }
            _ => pg("list the tournaments")(e),
        })?;
    let list = || {
        found
            .iter()
            .map(|r| format!("{} ({})", r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let row = match found.len() {
        0 => {
            return Err(TournamentError::Config(match tournament {
                Some(t) => format!(
                    "{} holds no tournament whose hash starts with {t}",
                    redact(url)
                ),
                None => format!("{} holds no zopa tournament", redact(url)),
            }))
        }
        1 => &found[0],
        _ => {
            return Err(TournamentError::Config(format!(
            "{} holds several tournaments: {}; name one with --tournament HASH (a prefix will do)",
            redact(url),
            list()
        )))
        }
    };
    let (hash, name, planned, shards): (String, String, i64, i64) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    let pending: Vec<i64> = client
        .query(
            "SELECT k FROM zopa_shards WHERE hash = $1 AND state <> 'done' ORDER BY k",
            &[&hash],
        )
        .map_err(pg("read the shards"))?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if !pending.is_empty() {
        let ks: Vec<String> = pending.iter().map(i64::to_string).collect();
        return Err(TournamentError::Missing {
            shards: pending.iter().map(|&k| k as u64).collect(),
            text: format!(
                "{name}: {} of {shards} shards are not done yet ({}); start a worker (the same zopa tournament command) to finish them, then merge again",
                pending.len(),
                ks.join(", ")
            ),
        });
    }
    let out = NewResults::create(db, &hash, &name, planned as u64)?;
    let rows = copy_rows(&mut client, &out, &hash, &name, planned)?;
    out.finish()?;
    Ok(Pulled {
        name,
        tournament_hash: hash,
        shards: shards as u64,
        rows,
    })
}

/// Copy the rows of tournament `hash` into `out`, checking that they are
/// its `planned` numbers, each intact.
fn copy_rows(
    client: &mut Client,
    out: &NewResults,
    hash: &str,
    name: &str,
    planned: i64,
) -> Result<u64, TournamentError> {
    let mut rows = 0u64;
    let mut expected = 0i64;
    let params: [&(dyn ToSql + Sync); 1] = [&hash];
    let mut it = client
        .query_raw(
            &format!("SELECT {COLUMNS} FROM zopa_negotiations WHERE hash = $1 ORDER BY idx"),
            params,
        )
        .map_err(pg("read the rows"))?;
    while let Some(row) = it.next().map_err(pg("read the rows"))? {
        let r = stored_row(&row);
        if r.idx != expected {
            return Err(TournamentError::Config(format!(
                "{name}: negotiation {expected} is missing from the store although its shard is done; the store is damaged"
            )));
        }
        r.verify().map_err(|why| {
            TournamentError::Config(format!(
                "{name}: negotiation {}: {why}; the store is damaged",
                r.idx
            ))
        })?;
        out.insert(&r)?;
        rows += 1;
        expected += 1;
    }
    if expected != planned {
        return Err(TournamentError::Config(format!(
            "{name}: the store holds {rows} of {planned} negotiations although every shard is done; the store is damaged"
        )));
    }
    Ok(rows)
}
