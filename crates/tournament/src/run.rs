//! Planning and running a tournament, with SQLite checkpoints.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rusqlite::{params, Connection};
use zopa_analysis::Concept;
use zopa_simulation::{by_name, saop, single_text, Session, Settings, SingleText, Strategy};

use crate::{TournamentError, TournamentFile};

/// Largest outcome space a tournament domain may have (strategies rank
/// every acceptable outcome per party).
pub const DOMAIN_LIMIT: u64 = 1_000_000;

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

/// The numbered plan of a tournament.
pub struct Plan {
    /// The tournament file.
    pub file: TournamentFile,
    /// Domains, in plan order.
    pub domains: Vec<Domain>,
    /// Assignments of strategies to parties, per number of parties.
    assignments: std::collections::BTreeMap<usize, Vec<Vec<usize>>>,
    /// First negotiation number of each domain, and the total at the end.
    starts: Vec<u64>,
    /// Hash of the whole tournament configuration.
    pub hash: String,
}

fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn assignments(m: usize, s: usize, ordered: bool) -> Vec<Vec<usize>> {
    let total = s.pow(m as u32);
    (0..total)
        .map(|mut k| {
            let mut v = vec![0; m];
            for slot in v.iter_mut().rev() {
                *slot = k % s;
                k /= s;
            }
            v
        })
        .filter(|v| ordered || v.windows(2).all(|w| w[0] <= w[1]))
        .collect()
}

impl Plan {
    /// Load the domains and number the negotiations.
    pub fn new(file: TournamentFile, paths: Vec<PathBuf>) -> Result<Self, TournamentError> {
        let mut domains = Vec::new();
        for path in paths {
            let (s, _) = zopa_interop::load::load(&path, DOMAIN_LIMIT)
                .map_err(|e| TournamentError::Domain(format!("{}: {e}", path.display())))?;
            let session = Session::new(&s, DOMAIN_LIMIT)
                .map_err(|e| TournamentError::Domain(format!("{}: {e}", path.display())))?;
            let a = zopa_analysis::analyze(&s, &Default::default())
                .map_err(|e| TournamentError::Domain(format!("{}: {e}", path.display())))?;
            domains.push(Domain {
                name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path,
                session,
                reservations: s.actors.iter().map(|x| x.reservation).collect(),
                frontier: a
                    .agreement_frontier
                    .iter()
                    .map(|p| p.utilities.clone())
                    .collect(),
                nash: a.solution(Concept::Nash).map(|n| n.point.utilities.clone()),
            });
        }
        let s = file.strategies.len();
        let mut assigns = std::collections::BTreeMap::new();
        let mut starts = vec![0u64];
        for d in &domains {
            let m = d.session.n_parties();
            let list = assigns
                .entry(m)
                .or_insert_with(|| assignments(m, s, file.rotate_roles));
            let n = list.len() as u64 * file.repetitions as u64;
            starts.push(starts.last().expect("non-empty") + n);
        }
        let desc = format!(
            "{}|{}|{}|{}|{}|{}|{:?}|{:?}|{:?}",
            file.name,
            file.seed,
            file.repetitions,
            file.protocol,
            file.deadline,
            file.rotate_roles,
            file.strategies,
            domains
                .iter()
                .map(|d| d.path.display().to_string())
                .collect::<Vec<_>>(),
            file.discount
        );
        Ok(Plan {
            hash: format!("{:016x}", fnv(desc.as_bytes())),
            file,
            domains,
            assignments: assigns,
            starts,
        })
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
        let list = &self.assignments[&self.domains[d].session.n_parties()];
        let reps = self.file.repetitions as u64;
        Spec {
            domain: d,
            strategies: list[(local / reps) as usize].clone(),
            rep: (local % reps) as usize,
        }
    }

    fn config_hash(&self, idx: u64, spec: &Spec) -> String {
        let names: Vec<&str> = spec
            .strategies
            .iter()
            .map(|&k| self.file.strategies[k].as_str())
            .collect();
        let desc = format!(
            "{}|{idx}|{}|{:?}|{}",
            self.hash,
            self.domains[spec.domain].path.display(),
            names,
            spec.rep
        );
        format!("{:016x}", fnv(desc.as_bytes()))
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
        };
        let names: Vec<String> = spec
            .strategies
            .iter()
            .map(|&k| self.file.strategies[k].clone())
            .collect();
        let out = match self.file.protocol.as_str() {
            "veto" => single_text(&dom.session, SingleText::Veto, &settings),
            "hill" => single_text(&dom.session, SingleText::HillClimbing, &settings),
            _ => {
                let mut st: Vec<Box<dyn Strategy>> = names
                    .iter()
                    .map(|n| by_name(n).expect("checked at load"))
                    .collect();
                saop(&dom.session, &mut st, &settings)
            }
        };
        let dist = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
                .sqrt()
        };
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
                .and_then(|u| dom.frontier.iter().map(|f| dist(u, f)).reduce(f64::min)),
            nash_distance: utilities
                .as_ref()
                .and_then(|u| dom.nash.as_ref().map(|n| dist(u, n))),
            utilities,
            reservations: dom.reservations.clone(),
            rounds: out.rounds,
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
}

/// Open (or create) the results database in WAL mode.
pub fn open_db(path: &Path) -> Result<Connection, TournamentError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
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
            nash_distance REAL);",
    )?;
    Ok(conn)
}

/// Store one record in its own transaction: a kill loses nothing committed.
fn store(conn: &mut Connection, r: &Record) -> Result<(), TournamentError> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT OR IGNORE INTO negotiations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            r.idx as i64,
            r.config_hash,
            r.domain,
            serde_json::to_string(&r.strategies).expect("plain data"),
            r.rep as i64,
            r.agreement.map(|a| a as i64),
            r.utilities.as_ref().map(|u| serde_json::to_string(u).expect("plain data")),
            serde_json::to_string(&r.reservations).expect("plain data"),
            r.rounds as i64,
            r.welfare,
            r.pareto_distance,
            r.nash_distance,
        ],
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
}

/// Run (or resume) the plan into the database at `db`, with `jobs` threads
/// (None: all cores). `progress(done, total)` is called after each batch.
pub fn run(
    plan: &Plan,
    db: &Path,
    jobs: Option<usize>,
    progress: &dyn Fn(u64, u64),
) -> Result<RunSummary, TournamentError> {
    let mut conn = open_db(db)?;
    let total = plan.total();
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'tournament_hash'",
            [],
            |r| r.get(0),
        )
        .ok();
    match stored {
        Some(h) if h != plan.hash => {
            return Err(TournamentError::Config(format!(
                "{} holds results of another tournament (configuration hash {h}, this one {}); use another --db",
                db.display(),
                plan.hash
            )))
        }
        Some(_) => {}
        None => {
            let tx = conn.transaction()?;
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('tournament_hash', ?1)", params![plan.hash])?;
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('name', ?1)", params![plan.file.name])?;
            tx.execute("INSERT OR REPLACE INTO meta VALUES ('negotiations_planned', ?1)", params![total.to_string()])?;
            tx.commit()?;
        }
    }
    // Completed negotiations, as a bitset (memory: total/8 bytes).
    let mut done = vec![0u64; total.div_ceil(64) as usize];
    let mut already = 0u64;
    {
        let mut stmt = conn.prepare("SELECT idx FROM negotiations")?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        for i in rows {
            let i = i? as u64;
            if i < total {
                done[(i / 64) as usize] |= 1 << (i % 64);
                already += 1;
            }
        }
    }
    progress(already, total);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
        .map_err(|e| TournamentError::Config(format!("cannot start worker threads: {e}")))?;
    const BATCH: usize = 256;
    // Workers compute batches while this thread writes finished ones: a
    // bounded channel keeps at most two batches in memory.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(1);
    let mut now = 0u64;
    let mut write_result: Result<(), TournamentError> = Ok(());
    std::thread::scope(|scope| {
        scope.spawn(move || {
            // Pending numbers are generated lazily from the bitset.
            let mut pending = (0..total).filter(|i| done[(i / 64) as usize] & (1 << (i % 64)) == 0);
            loop {
                let batch: Vec<u64> = pending.by_ref().take(BATCH).collect();
                if batch.is_empty() {
                    break;
                }
                let records: Vec<Record> =
                    pool.install(|| batch.par_iter().map(|&i| plan.run_one(i)).collect());
                if tx.send(records).is_err() {
                    break; // the writer stopped (database error)
                }
            }
        });
        for records in rx {
            for r in records {
                if let Err(e) = store(&mut conn, &r) {
                    write_result = Err(e);
                    return;
                }
                now += 1;
            }
            progress(already + now, total);
        }
    });
    write_result?;
    Ok(RunSummary {
        planned: total,
        already_done: already,
        completed_now: now,
    })
}
