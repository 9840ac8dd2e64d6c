//! One negotiation's row as the results database stores it, with the
//! checksum that covers its values.
//!
//! SQLite's `integrity_check` sees broken pages, not changed values: a
//! flipped bit in a stored REAL passes it, and a report would show changed
//! means. Every row therefore carries a SHA-256 (128 bits, hex) of an
//! exact encoding of all its values (floats by their bits). Resuming and
//! reporting recompute it; a row whose values no longer match is damage.
//! Rows written before checksums existed (the column is empty) are read and
//! counted as unchecked.

use rusqlite::types::Value;

use crate::run::Record;

/// The columns, in the order [`StoredRow::read`] and inserts use.
pub(crate) const COLUMNS: &str = "idx, config_hash, domain, strategies, rep, agreement, utilities, reservations, rounds, welfare, pareto_distance, nash_distance, checksum, timed_out";

/// The columns to select from `conn`'s table: a database from before row
/// checksums or time limits reads NULL for what it lacks.
pub(crate) fn columns(conn: &rusqlite::Connection) -> rusqlite::Result<String> {
    let or_null = |has: bool, name: &str| if has { name.to_string() } else { "NULL".into() };
    Ok(format!(
        "idx, config_hash, domain, strategies, rep, agreement, utilities, reservations, rounds, welfare, pareto_distance, nash_distance, {}, {}",
        or_null(has_column(conn, "checksum")?, "checksum"),
        or_null(has_column(conn, "timed_out")?, "timed_out")
    ))
}

/// A finished results database, opened read-only, with its `meta` table.
pub(crate) struct ResultsDb<'a> {
    /// The connection.
    pub conn: rusqlite::Connection,
    /// Its path, for messages.
    pub path: &'a std::path::Path,
}

impl<'a> ResultsDb<'a> {
    /// Open `path` read-only; a missing file is refused by name.
    pub fn open(path: &'a std::path::Path) -> Result<Self, crate::TournamentError> {
        if !path.is_file() {
            return Err(crate::TournamentError::Config(format!(
                "{} does not exist",
                path.display()
            )));
        }
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        Ok(ResultsDb { conn, path })
    }

    /// The `meta` value under `key`; a database without it is not a zopa
    /// tournament database.
    pub fn meta(&self, key: &str) -> Result<String, crate::TournamentError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .map_err(|_| {
                crate::TournamentError::Config(format!(
                    "{} is not a zopa tournament database (no {key})",
                    self.path.display()
                ))
            })
    }
}

/// A new results database (a merge's, a pull's), written in one
/// transaction under `NAME.merging` and renamed to its name by
/// [`NewResults::finish`]; dropped unfinished, it leaves no file.
pub(crate) struct NewResults {
    conn: Option<rusqlite::Connection>,
    partial: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl NewResults {
    /// Refuse `path` if it holds anything: a merge writes a new database.
    pub fn refuse_existing(path: &std::path::Path) -> Result<(), crate::TournamentError> {
        if path.metadata().is_ok_and(|m| m.len() > 0) {
            return Err(crate::TournamentError::Config(format!(
                "{} exists: a merge writes a new database (move it aside or name another --db)",
                path.display()
            )));
        }
        Ok(())
    }

    /// Start the database of tournament `hash` named `name`, `planned`
    /// negotiations, with its tables and identity.
    pub fn create(
        path: &std::path::Path,
        hash: &str,
        name: &str,
        planned: u64,
    ) -> Result<Self, crate::TournamentError> {
        let partial = path.with_extension("merging");
        let _ = std::fs::remove_file(&partial);
        let conn = rusqlite::Connection::open(&partial)?;
        let out = NewResults {
            conn: Some(conn),
            partial,
            path: path.to_path_buf(),
        };
        let conn = out.conn();
        crate::run::create_tables(conn)?;
        conn.execute_batch("BEGIN")?;
        for (key, value) in [
            ("tournament_hash", hash.to_string()),
            ("name", name.to_string()),
            ("negotiations_planned", planned.to_string()),
        ] {
            conn.execute(
                "INSERT INTO meta VALUES (?1, ?2)",
                rusqlite::params![key, value],
            )?;
        }
        Ok(out)
    }

    fn conn(&self) -> &rusqlite::Connection {
        self.conn.as_ref().expect("open until finished")
    }

    /// Add a row.
    pub fn insert(&self, row: &StoredRow) -> rusqlite::Result<()> {
        self.conn()
            .prepare_cached(&format!(
                "INSERT INTO negotiations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
            ))?
            .execute(rusqlite::params_from_iter(row.values()))
            .map(|_| ())
    }

    /// Commit and put the database under its name.
    pub fn finish(mut self) -> Result<(), crate::TournamentError> {
        let conn = self.conn.take().expect("open until finished");
        conn.execute_batch("COMMIT")?;
        drop(conn);
        std::fs::rename(&self.partial, &self.path).map_err(|e| {
            crate::TournamentError::Config(format!("cannot write {}: {e}", self.path.display()))
        })
    }
}

impl Drop for NewResults {
    fn drop(&mut self) {
        if self.conn.take().is_some() {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// Whether the negotiations table has the column `name`.
pub(crate) fn has_column(conn: &rusqlite::Connection, name: &str) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('negotiations')")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for n in names {
        if n? == name {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A row's values as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredRow {
    pub idx: i64,
    pub config_hash: String,
    pub domain: String,
    pub strategies: String,
    pub rep: i64,
    pub agreement: Option<i64>,
    pub utilities: Option<String>,
    pub reservations: String,
    pub rounds: i64,
    pub welfare: Option<f64>,
    pub pareto_distance: Option<f64>,
    pub nash_distance: Option<f64>,
    /// None in rows written before checksums existed.
    pub checksum: Option<String>,
    /// 1 when the tournament's time limit stopped the negotiation; 0 or
    /// None (rows from before time limits) otherwise.
    pub timed_out: Option<i64>,
}

/// Whether a row's checksum matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The values are those written.
    Intact,
    /// The row has no checksum (an older zopa wrote it).
    Unchecked,
}

impl StoredRow {
    /// The row of a finished negotiation, its checksum computed.
    pub fn of(r: &Record) -> StoredRow {
        let mut row = StoredRow {
            idx: r.idx as i64,
            config_hash: r.config_hash.clone(),
            domain: r.domain.clone(),
            strategies: json(&r.strategies),
            rep: r.rep as i64,
            agreement: r.agreement.map(|a| a as i64),
            utilities: r.utilities.as_ref().map(json),
            reservations: json(&r.reservations),
            rounds: r.rounds as i64,
            welfare: r.welfare,
            pareto_distance: r.pareto_distance,
            nash_distance: r.nash_distance,
            checksum: None,
            timed_out: Some(i64::from(r.timed_out)),
        };
        row.checksum = Some(row.digest());
        row
    }

    /// A row selected with [`COLUMNS`] (or [`COLUMNS_WITHOUT_CHECKSUM`]).
    pub fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
        Ok(StoredRow {
            idx: r.get(0)?,
            config_hash: r.get(1)?,
            domain: r.get(2)?,
            strategies: r.get(3)?,
            rep: r.get(4)?,
            agreement: r.get(5)?,
            utilities: r.get(6)?,
            reservations: r.get(7)?,
            rounds: r.get(8)?,
            welfare: r.get(9)?,
            pareto_distance: r.get(10)?,
            nash_distance: r.get(11)?,
            checksum: r.get(12)?,
            timed_out: r.get(13)?,
        })
    }

    /// The values to insert, in [`COLUMNS`] order.
    pub fn values(&self) -> [Value; 14] {
        let real = |x: Option<f64>| x.map_or(Value::Null, Value::Real);
        let text = |x: &Option<String>| x.clone().map_or(Value::Null, Value::Text);
        [
            Value::Integer(self.idx),
            Value::Text(self.config_hash.clone()),
            Value::Text(self.domain.clone()),
            Value::Text(self.strategies.clone()),
            Value::Integer(self.rep),
            self.agreement.map_or(Value::Null, Value::Integer),
            text(&self.utilities),
            Value::Text(self.reservations.clone()),
            Value::Integer(self.rounds),
            real(self.welfare),
            real(self.pareto_distance),
            real(self.nash_distance),
            text(&self.checksum),
            self.timed_out.map_or(Value::Null, Value::Integer),
        ]
    }

    /// Check the checksum against the values; `Err` says what differs.
    pub fn verify(&self) -> Result<Verdict, String> {
        match &self.checksum {
            None => Ok(Verdict::Unchecked),
            Some(c) if *c == self.digest() => Ok(Verdict::Intact),
            Some(_) => Err(format!(
                "negotiation {}'s stored values do not match their checksum (changed after they were written)",
                self.idx
            )),
        }
    }

    /// SHA-256 (first 128 bits, hex) of every value: each as its tag and
    /// its exact bytes (floats by their IEEE bits), length-prefixed.
    fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut text = |t: Option<&str>| match t {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        };
        text(Some(&self.config_hash));
        text(Some(&self.domain));
        text(Some(&self.strategies));
        text(self.utilities.as_deref());
        text(Some(&self.reservations));
        for i in [
            Some(self.idx),
            Some(self.rep),
            self.agreement,
            Some(self.rounds),
        ] {
            match i {
                None => h.update([0u8]),
                Some(v) => {
                    h.update([2u8]);
                    h.update(v.to_le_bytes());
                }
            }
        }
        for x in [self.welfare, self.pareto_distance, self.nash_distance] {
            match x {
                None => h.update([0u8]),
                Some(v) => {
                    h.update([3u8]);
                    h.update(v.to_bits().to_le_bytes());
                }
            }
        }
        // A time-out is hashed only when it happened, so rows written
        // before time limits existed keep their checksums.
        if self.timed_out.is_some_and(|t| t != 0) {
            h.update([4u8]);
        }
        h.finalize()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// JSON text of plain data (the stored lists).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            idx: 7,
            config_hash: "abc".into(),
            domain: "d".into(),
            strategies: vec!["boulware".into(), "linear".into()],
            rep: 1,
            agreement: Some(3),
            utilities: Some(vec![0.7, 0.4]),
            reservations: vec![0.1, 0.2],
            rounds: 12,
            welfare: Some(1.1),
            pareto_distance: Some(0.0),
            nash_distance: Some(0.05),
            timed_out: false,
        }
    }

    /// Any single changed value — a flipped mantissa bit, a changed text,
    /// a value made empty — breaks the checksum; the row as written passes.
    #[test]
    fn every_value_is_covered() {
        let row = StoredRow::of(&record());
        assert_eq!(row.verify(), Ok(Verdict::Intact));
        let flip = |x: Option<f64>| x.map(|v| f64::from_bits(v.to_bits() ^ 1));
        type Change = Box<dyn Fn(&mut StoredRow)>;
        let changes: Vec<Change> = vec![
            Box::new(|r| r.idx += 1),
            Box::new(|r| r.config_hash.push('x')),
            Box::new(|r| r.domain = "e".into()),
            Box::new(|r| r.strategies = r.strategies.replace("linear", "linead")),
            Box::new(|r| r.rep = 2),
            Box::new(|r| r.agreement = None),
            Box::new(|r| r.utilities = Some("[0.7,0.41]".into())),
            Box::new(|r| r.reservations = "[0.1,0.3]".into()),
            Box::new(|r| r.rounds = 13),
            Box::new(move |r| r.welfare = flip(r.welfare)),
            Box::new(move |r| r.pareto_distance = flip(r.pareto_distance)),
            Box::new(move |r| r.nash_distance = flip(r.nash_distance)),
            Box::new(|r| r.nash_distance = None),
            Box::new(|r| r.timed_out = Some(1)),
        ];
        for (k, change) in changes.iter().enumerate() {
            let mut r = row.clone();
            change(&mut r);
            assert!(r.verify().is_err(), "change {k} went unnoticed");
        }
        let mut old = row.clone();
        old.checksum = None;
        assert_eq!(old.verify(), Ok(Verdict::Unchecked));
        // A row from before time limits (no flag) keeps its checksum; a
        // timed-out row's flag is covered.
        let mut before = row.clone();
        before.timed_out = None;
        assert_eq!(before.verify(), Ok(Verdict::Intact));
        let stopped = StoredRow::of(&Record {
            timed_out: true,
            ..record()
        });
        assert_eq!(stopped.verify(), Ok(Verdict::Intact));
        let mut hidden = stopped.clone();
        hidden.timed_out = Some(0);
        assert!(hidden.verify().is_err(), "a hidden time-out went unnoticed");
    }
}
