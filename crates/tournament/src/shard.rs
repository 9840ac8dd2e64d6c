//! Shards: a tournament's numbered plan cut into N parts that run anywhere
//! (one after another, on a cluster's job array, in Python executors) and
//! merge back into the database one run would have written.
//!
//! A negotiation's random stream comes from the tournament's seed and its
//! number in the plan, never from the worker that plays it, so a shard's
//! rows are the same whoever runs them, and the merged rows equal an
//! unsharded run's row for row. Two partitions, as cargo-nextest offers:
//!
//! * `contiguous` (the default): shard K of N holds the numbers from
//!   ⌊(K−1)·T/N⌋ to ⌊K·T/N⌋ − 1 of the T planned — neighbouring
//!   negotiations, usually one domain, together;
//! * `hash`: shard K holds the numbers whose FNV-1a hash is K − 1 modulo N —
//!   every shard a sample of every domain, so shards take about equally
//!   long when domains differ in cost.
//!
//! A finished shard writes a manifest beside its rows (the plan's identity,
//! the shard, how many rows and a hash of their checksums); [`merge`] checks
//! identity, coverage (missing and duplicated shards named) and every row
//! before it writes the merged database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};

use crate::stored::{NewResults, StoredRow, COLUMNS};
use crate::TournamentError;

/// How the plan's numbers are dealt to shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Partition {
    /// Consecutive ranges.
    Contiguous,
    /// By a hash of the number.
    Hash,
}

impl Partition {
    /// Its name: `contiguous` or `hash`.
    pub fn name(self) -> &'static str {
        match self {
            Partition::Contiguous => "contiguous",
            Partition::Hash => "hash",
        }
    }
}

impl std::str::FromStr for Partition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "contiguous" => Ok(Partition::Contiguous),
            "hash" => Ok(Partition::Hash),
            _ => Err(format!("partition must be contiguous or hash, not `{s}`")),
        }
    }
}

/// Shard `k` (1-based) of `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard, 1 to `n`.
    pub k: u64,
    /// How many shards.
    pub n: u64,
    /// How numbers are dealt.
    pub partition: Partition,
}

/// Most shards a plan may be cut into.
pub const MAX_SHARDS: u64 = 1_000_000;

impl Shard {
    /// `K/N` (1 ≤ K ≤ N ≤ [`MAX_SHARDS`]) with a partition.
    pub fn parse(text: &str, partition: Partition) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("a shard is K/N (for example 3/8), not `{text}`"))?;
        let num = |x: &str, what: &str| {
            x.trim().parse::<u64>().map_err(|_| {
                format!("`{text}`: {what} must be a whole number (a shard is K/N, for example 3/8)")
            })
        };
        let (k, n) = (num(k, "K")?, num(n, "N")?);
        if n == 0 || n > MAX_SHARDS {
            return Err(format!("`{text}`: N must be from 1 to {MAX_SHARDS}"));
        }
        if k == 0 || k > n {
            return Err(format!(
                "`{text}`: K must be from 1 to N ({n}); shards are numbered from 1"
            ));
        }
        Ok(Shard { k, n, partition })
    }

    /// Whether negotiation `idx` of `total` is in this shard.
    pub fn contains(&self, idx: u64, total: u64) -> bool {
        match self.partition {
            Partition::Contiguous => self.range(total).contains(&idx),
            Partition::Hash => hash(idx) % self.n == self.k - 1,
        }
    }

    /// The numbers a contiguous shard holds (a hashed one may hold any).
    pub fn range(&self, total: u64) -> std::ops::Range<u64> {
        let cut = |k: u64| (u128::from(k) * u128::from(total) / u128::from(self.n)) as u64;
        match self.partition {
            Partition::Contiguous => cut(self.k - 1)..cut(self.k),
            Partition::Hash => 0..total,
        }
    }

    /// The shard's numbers, in increasing order.
    pub fn numbers(&self, total: u64) -> impl Iterator<Item = u64> + '_ {
        self.range(total).filter(move |&i| self.contains(i, total))
    }

    /// How many of `total` negotiations the shard holds.
    pub fn planned(&self, total: u64) -> u64 {
        match self.partition {
            Partition::Contiguous => {
                let r = self.range(total);
                r.end - r.start
            }
            Partition::Hash => self.numbers(total).count() as u64,
        }
    }

    /// `shard-K-of-N`: the stem of its database and manifest.
    pub fn stem(&self) -> String {
        format!("shard-{}-of-{}", self.k, self.n)
    }

    /// `K/N (partition)`, as stored in a shard's database.
    pub fn label(&self) -> String {
        format!("{}/{} ({})", self.k, self.n, self.partition.name())
    }
}

/// FNV-1a of a number's little-endian bytes (the plan's seeds' hash).
fn hash(idx: u64) -> u64 {
    crate::run::fnv(&idx.to_le_bytes())
}

/// `zopa.tournament-shard/1`: what a finished shard wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// `zopa.tournament-shard/1`.
    pub schema: String,
    /// The tournament's name.
    pub name: String,
    /// The plan's identity (SHA-256 of everything that determines results).
    pub tournament_hash: String,
    /// Negotiations in the whole plan.
    pub planned_total: u64,
    /// The shard.
    pub shard: Shard,
    /// Rows in the shard's database.
    pub rows: u64,
    /// SHA-256 of the rows' checksums, in number order.
    pub rows_sha256: String,
    /// The shard's database, beside the manifest.
    pub database: String,
}

/// Schema identifier of a manifest.
pub const MANIFEST: &str = "zopa.tournament-shard/1";

/// SHA-256 (hex) of the rows' checksums in number order.
pub(crate) fn rows_hash<'a>(checksums: impl Iterator<Item = &'a str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for c in checksums {
        h.update(c.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Every row of a database, in number order, each checked against its
/// checksum (a row without one is refused: shards are always written with
/// checksums).
fn read_rows(conn: &Connection, db: &Path) -> Result<Vec<StoredRow>, TournamentError> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM negotiations ORDER BY idx"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let row = StoredRow::read(r)?;
        match row.verify() {
            Ok(crate::stored::Verdict::Intact) => out.push(row),
            Ok(crate::stored::Verdict::Unchecked) => {
                return Err(TournamentError::Config(format!(
                    "{}: negotiation {} has no checksum: not a shard zopa wrote",
                    db.display(),
                    row.idx
                )))
            }
            Err(why) => {
                return Err(TournamentError::Config(format!(
                    "{} is damaged ({why}); run its shard again",
                    db.display()
                )))
            }
        }
    }
    Ok(out)
}

fn meta(conn: &Connection, key: &str) -> Option<String> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .ok()
}

/// The manifest of the finished shard database `db`.
pub(crate) fn manifest_of(
    conn: &Connection,
    db: &Path,
    shard: &Shard,
    name: &str,
    hash: &str,
    total: u64,
) -> Result<Manifest, TournamentError> {
    let rows = read_rows(conn, db)?;
    Ok(Manifest {
        schema: MANIFEST.into(),
        name: name.into(),
        tournament_hash: hash.into(),
        planned_total: total,
        shard: *shard,
        rows: rows.len() as u64,
        rows_sha256: rows_hash(rows.iter().filter_map(|r| r.checksum.as_deref())),
        database: db
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    })
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSummary {
    /// The tournament's name.
    pub name: String,
    /// The plan's identity.
    pub tournament_hash: String,
    /// Shards merged.
    pub shards: u64,
    /// Rows written.
    pub rows: u64,
}

/// The manifests in `dirs` (every `*.json` file whose schema is a shard
/// manifest), with the folder each was found in.
fn manifests(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, Manifest)>, TournamentError> {
    let mut out = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            TournamentError::Config(format!("cannot read the folder {}: {e}", dir.display()))
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if value.get("schema").and_then(|s| s.as_str()) != Some(MANIFEST) {
                continue;
            }
            let m: Manifest = serde_json::from_value(value).map_err(|e| {
                TournamentError::Config(format!(
                    "{}: not a valid shard manifest: {e}",
                    path.display()
                ))
            })?;
            out.push((path, m));
        }
    }
    Ok(out)
}

/// Check that `found` are the N shards of one plan, each once; name what
/// is missing or duplicated.
fn coverage(found: &[(PathBuf, Manifest)]) -> Result<(), TournamentError> {
    let Some((first_path, first)) = found.first() else {
        return Err(TournamentError::Config(
            "no shard manifests (shard-K-of-N.json) in the folders given".into(),
        ));
    };
    for (path, m) in found {
        if m.tournament_hash != first.tournament_hash {
            return Err(TournamentError::Config(format!(
                "{} is a shard of another tournament (configuration hash {}) than {} ({})",
                path.display(),
                m.tournament_hash,
                first_path.display(),
                first.tournament_hash
            )));
        }
        if (m.shard.n, m.shard.partition) != (first.shard.n, first.shard.partition)
            || m.planned_total != first.planned_total
        {
            return Err(TournamentError::Config(format!(
                "{} is shard {} of {} negotiations, but {} is shard {} of {}: shards of one merge share N and the partition",
                path.display(),
                m.shard.label(),
                m.planned_total,
                first_path.display(),
                first.shard.label(),
                first.planned_total
            )));
        }
    }
    let mut by_k: BTreeMap<u64, Vec<&PathBuf>> = BTreeMap::new();
    for (path, m) in found {
        by_k.entry(m.shard.k).or_default().push(path);
    }
    let n = first.shard.n;
    let duplicated: Vec<String> = by_k
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, v)| {
            let places: Vec<String> = v.iter().map(|p| p.display().to_string()).collect();
            format!("{k}/{n} ({})", places.join(", "))
        })
        .collect();
    if !duplicated.is_empty() {
        return Err(TournamentError::Config(format!(
            "shards given twice: {}; merge each shard once",
            duplicated.join("; ")
        )));
    }
    let missing: Vec<u64> = (1..=n).filter(|k| !by_k.contains_key(k)).collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|k| format!("{k}/{n}")).collect();
        let ks: Vec<String> = missing.iter().map(u64::to_string).collect();
        return Err(TournamentError::Missing {
            shards: missing.clone(),
            text: format!(
                "missing shards {} of {} (unfinished, or not in the folders given): run them (--shard K/{n}) and merge again; on Slurm, resubmit with sbatch --array={}",
                list.join(", "),
                first.name,
                ks.join(",")
            ),
        });
    }
    Ok(())
}

/// Merge the finished shards found in `dirs` into a new results database
/// at `db`, after checking that they are every shard of one plan, each once,
/// and that every row is intact, in its shard, and as its manifest says.
pub fn merge(dirs: &[PathBuf], db: &Path) -> Result<MergeSummary, TournamentError> {
    NewResults::refuse_existing(db)?;
    let found = manifests(dirs)?;
    coverage(&found)?;
    let first = found[0].1.clone();
    let out = NewResults::create(db, &first.tournament_hash, &first.name, first.planned_total)?;
    let mut rows = 0u64;
    for (path, m) in &found {
        let shard_db = path.with_file_name(&m.database);
        let conn = Connection::open_with_flags(&shard_db, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| {
                TournamentError::Config(format!("cannot open {}: {e}", shard_db.display()))
            })?;
        let bad = |why: String| {
            TournamentError::Config(format!(
                "{}: {why}; run shard {} again",
                shard_db.display(),
                m.shard.label()
            ))
        };
        if meta(&conn, "tournament_hash").as_deref() != Some(m.tournament_hash.as_str())
            || meta(&conn, "shard").as_deref() != Some(m.shard.label().as_str())
        {
            return Err(bad("it is not the database its manifest names".into()));
        }
        let stored = read_rows(&conn, &shard_db)?;
        let planned = m.shard.planned(m.planned_total);
        if stored.len() as u64 != planned || m.rows != planned {
            return Err(bad(format!(
                "it holds {} of the shard's {planned} negotiations (unfinished?)",
                stored.len()
            )));
        }
        if let Some(r) = stored
            .iter()
            .find(|r| !u64::try_from(r.idx).is_ok_and(|i| m.shard.contains(i, m.planned_total)))
        {
            return Err(bad(format!("negotiation {} is not in this shard", r.idx)));
        }
        if rows_hash(stored.iter().filter_map(|r| r.checksum.as_deref())) != m.rows_sha256 {
            return Err(bad("its rows are not those its manifest records".into()));
        }
        for r in &stored {
            out.insert(r)
                .map_err(|e| bad(format!("negotiation {} cannot be merged: {e}", r.idx)))?;
        }
        rows += stored.len() as u64;
    }
    out.finish()?;
    Ok(MergeSummary {
        name: first.name,
        tournament_hash: first.tournament_hash,
        shards: first.shard.n,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every number of the plan is in exactly one shard, under both
    /// partitions; `planned` counts them, `numbers` lists them in order.
    #[test]
    fn shards_cover_the_plan_once() {
        for total in [0u64, 1, 7, 64, 1000] {
            for n in [1u64, 2, 3, 8, 13] {
                for partition in [Partition::Contiguous, Partition::Hash] {
                    let mut seen = vec![0u32; total as usize];
                    for k in 1..=n {
                        let s = Shard { k, n, partition };
                        let own: Vec<u64> = s.numbers(total).collect();
                        assert_eq!(own.len() as u64, s.planned(total));
                        assert!(own.windows(2).all(|w| w[0] < w[1]));
                        for i in own {
                            seen[i as usize] += 1;
                        }
                    }
                    assert!(seen.iter().all(|&c| c == 1), "{total} {n} {partition:?}");
                }
            }
        }
    }

    #[test]
    fn shard_text_is_checked() {
        let p = Partition::Contiguous;
        assert_eq!(
            Shard::parse("3/8", p).unwrap(),
            Shard {
                k: 3,
                n: 8,
                partition: p
            }
        );
        for bad in ["3", "0/8", "9/8", "1/0", "a/8", "3/b", "-1/8"] {
            assert!(Shard::parse(bad, p).is_err(), "{bad}");
        }
        assert!(Shard::parse("0/8", p)
            .unwrap_err()
            .contains("numbered from 1"));
    }
}
