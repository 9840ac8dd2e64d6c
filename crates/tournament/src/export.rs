//! A results database's rows as one Parquet file, for pandas and polars.
//!
//! One row per stored negotiation, in negotiation order, with the database's
//! columns: lists (`strategies`, `utilities`, `reservations`, one entry per
//! party) as Parquet LISTs, missing values (no agreement) as nulls, the
//! time-out flag as a boolean. Every row's checksum is verified first, as a
//! report does; a damaged database is refused and nothing is written. The
//! file's key-value metadata carries the schema name
//! ([`ROWS_SCHEMA`]), the tournament's name and its identity hash.
//!
//! Rows are written in row groups of [`ROW_GROUP`] rows, so memory stays
//! bounded whatever the tournament's size; the file appears under its name
//! only once it is complete.

use std::path::Path;
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

use crate::stored::{StoredRow, Verdict};
use crate::TournamentError;

/// The name of the rows' layout, in the file's metadata under `zopa.schema`.
pub const ROWS_SCHEMA: &str = "zopa.tournament-rows/1";

/// Rows per row group.
pub const ROW_GROUP: usize = 65_536;

/// The Parquet schema (leaf columns in this order; see [`Columns::write`]).
const MESSAGE: &str = "
message zopa_tournament_rows {
  required int64 idx;
  required binary config_hash (UTF8);
  required binary domain (UTF8);
  required group strategies (LIST) { repeated group list { required binary element (UTF8); } }
  required int64 rep;
  optional int64 agreement;
  optional group utilities (LIST) { repeated group list { required double element; } }
  required group reservations (LIST) { repeated group list { required double element; } }
  required int64 rounds;
  optional double welfare;
  optional double pareto_distance;
  optional double nash_distance;
  required boolean timed_out;
}";

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// Rows written.
    pub rows: u64,
    /// Row groups written.
    pub row_groups: u64,
}

/// A Parquet list column being filled: values with their definition and
/// repetition levels.
#[derive(Default)]
struct List<T> {
    values: Vec<T>,
    def: Vec<i16>,
    rep: Vec<i16>,
}

impl<T> List<T> {
    /// Append one row's list; `None` is a null list (its column must be
    /// optional: a present element then has definition level 2, else 1).
    fn push(&mut self, list: Option<Vec<T>>, optional: bool) {
        let present = if optional { 2 } else { 1 };
        match list {
            None => {
                self.def.push(0);
                self.rep.push(0);
            }
            Some(v) if v.is_empty() => {
                self.def.push(present - 1);
                self.rep.push(0);
            }
            Some(v) => {
                for (i, x) in v.into_iter().enumerate() {
                    self.def.push(present);
                    self.rep.push(i16::from(i > 0));
                    self.values.push(x);
                }
            }
        }
    }
}

/// An optional scalar column being filled.
#[derive(Default)]
struct Opt<T> {
    values: Vec<T>,
    def: Vec<i16>,
}

impl<T> Opt<T> {
    fn push(&mut self, x: Option<T>) {
        self.def.push(i16::from(x.is_some()));
        self.values.extend(x);
    }
}

/// One row group's columns.
#[derive(Default)]
struct Columns {
    idx: Vec<i64>,
    config_hash: Vec<ByteArray>,
    domain: Vec<ByteArray>,
    strategies: List<ByteArray>,
    rep: Vec<i64>,
    agreement: Opt<i64>,
    utilities: List<f64>,
    reservations: List<f64>,
    rounds: Vec<i64>,
    welfare: Opt<f64>,
    pareto_distance: Opt<f64>,
    nash_distance: Opt<f64>,
    timed_out: Vec<bool>,
}

impl Columns {
    fn len(&self) -> usize {
        self.idx.len()
    }

    /// Append a row's scalar columns (its lists are appended by [`Columns::add`]).
    fn push_scalars(&mut self, row: StoredRow) {
        self.idx.push(row.idx);
        self.config_hash.push(row.config_hash.into_bytes().into());
        self.domain.push(row.domain.into_bytes().into());
        self.rep.push(row.rep);
        self.agreement.push(row.agreement);
        self.rounds.push(row.rounds);
        self.welfare.push(row.welfare);
        self.pareto_distance.push(row.pareto_distance);
        self.nash_distance.push(row.nash_distance);
        self.timed_out.push(row.timed_out.is_some_and(|t| t != 0));
    }

    /// Write the columns as one row group, in [`MESSAGE`]'s leaf order.
    fn write<W: std::io::Write + Send>(
        &self,
        file: &mut SerializedFileWriter<W>,
    ) -> parquet::errors::Result<()> {
        let mut group = file.next_row_group()?;
        let mut leaf = 0;
        while let Some(mut col) = group.next_column()? {
            let w = &mut col;
            match leaf {
                0 => w.typed::<Int64Type>().write_batch(&self.idx, None, None)?,
                1 => w
                    .typed::<ByteArrayType>()
                    .write_batch(&self.config_hash, None, None)?,
                2 => w
                    .typed::<ByteArrayType>()
                    .write_batch(&self.domain, None, None)?,
                3 => w.typed::<ByteArrayType>().write_batch(
                    &self.strategies.values,
                    Some(&self.strategies.def),
                    Some(&self.strategies.rep),
                )?,
                4 => w.typed::<Int64Type>().write_batch(&self.rep, None, None)?,
                5 => w.typed::<Int64Type>().write_batch(
                    &self.agreement.values,
                    Some(&self.agreement.def),
                    None,
                )?,
                6 => w.typed::<DoubleType>().write_batch(
                    &self.utilities.values,
                    Some(&self.utilities.def),
                    Some(&self.utilities.rep),
                )?,
                7 => w.typed::<DoubleType>().write_batch(
                    &self.reservations.values,
                    Some(&self.reservations.def),
                    Some(&self.reservations.rep),
                )?,
                8 => w
                    .typed::<Int64Type>()
                    .write_batch(&self.rounds, None, None)?,
                9..=11 => {
                    let c = [&self.welfare, &self.pareto_distance, &self.nash_distance][leaf - 9];
                    w.typed::<DoubleType>()
                        .write_batch(&c.values, Some(&c.def), None)?
                }
                _ => w
                    .typed::<BoolType>()
                    .write_batch(&self.timed_out, None, None)?,
            };
            col.close()?;
            leaf += 1;
        }
        group.close()?;
        Ok(())
    }
}

/// Write the rows of the results database `db` to the Parquet file `out`
/// (replaced if it exists), after verifying each row as a report does.
pub fn parquet(db: &Path, out: &Path) -> Result<Exported, TournamentError> {
    parquet_grouped(db, out, ROW_GROUP)
}

/// [`parquet`] with `group` rows per row group (at least 1).
pub fn parquet_grouped(db: &Path, out: &Path, group: usize) -> Result<Exported, TournamentError> {
    let partial = out.with_extension("parquet.partial");
    let cannot = |e: &dyn std::fmt::Display| {
        TournamentError::Config(format!("cannot write {}: {e}", out.display()))
    };
    let file = std::fs::File::create(&partial).map_err(|e| cannot(&e))?;
    let written = write(db, std::io::BufWriter::new(file), group).and_then(|(done, sink)| {
        sink.into_inner()
            .map_err(|e| cannot(&e.into_error()))?
            .sync_all()
            .map_err(|e| cannot(&e))?;
        Ok(done)
    });
    match written {
        Ok(done) => {
            std::fs::rename(&partial, out).map_err(|e| cannot(&e))?;
            Ok(done)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Write the rows of `db` as Parquet into `sink`, `group` rows per row
/// group (at least 1); give back what was written and the sink.
pub fn write<W: std::io::Write + Send>(
    db: &Path,
    sink: W,
    group: usize,
) -> Result<(Exported, W), TournamentError> {
    let group = group.max(1);
    let results = crate::stored::ResultsDb::open(db)?;
    let (conn, meta) = (&results.conn, |k: &str| results.meta(k));
    let metadata = vec![
        KeyValue::new("zopa.schema".into(), ROWS_SCHEMA.to_string()),
        KeyValue::new("zopa.tournament".into(), meta("name")?),
        KeyValue::new("zopa.tournament_hash".into(), meta("tournament_hash")?),
        KeyValue::new(
            "zopa.negotiations_planned".into(),
            meta("negotiations_planned")?,
        ),
    ];
    let schema = Arc::new(parquet::schema::parser::parse_message_type(MESSAGE).map_err(fault)?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("zopa {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(metadata))
            .build(),
    );
    let mut writer = SerializedFileWriter::new(sink, schema, props).map_err(fault)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {} FROM negotiations ORDER BY idx",
        crate::stored::columns(conn)?
    ))?;
    let mut rows = stmt.query([])?;
    let mut cols = Columns::default();
    let mut done = Exported {
        rows: 0,
        row_groups: 0,
    };
    while let Some(r) = rows.next()? {
        cols.add(StoredRow::read(r)?, db)?;
        if cols.len() == group {
            flush(&mut cols, &mut writer, &mut done)?;
        }
    }
    if cols.len() > 0 {
        flush(&mut cols, &mut writer, &mut done)?;
    }
    let sink = writer.into_inner().map_err(fault)?;
    Ok((done, sink))
}

fn flush<W: std::io::Write + Send>(
    cols: &mut Columns,
    writer: &mut SerializedFileWriter<W>,
    done: &mut Exported,
) -> Result<(), TournamentError> {
    cols.write(writer).map_err(fault)?;
    done.rows += cols.len() as u64;
    done.row_groups += 1;
    *cols = Columns::default();
    Ok(())
}

/// A Parquet library error: the writer's own failure (its text kept).
fn fault(e: parquet::errors::ParquetError) -> TournamentError {
    TournamentError::Config(format!("Parquet: {e}"))
}

impl Columns {
    /// Verify `row` and append it; a damaged row refuses the export.
    fn add(&mut self, row: StoredRow, db: &Path) -> Result<(), TournamentError> {
        let idx = row.idx;
        let damaged = |why: &str| {
            TournamentError::Config(format!(
                "{}: negotiation {idx}: {why}; the database is damaged",
                db.display()
            ))
        };
        match row.verify() {
            Ok(Verdict::Intact | Verdict::Unchecked) => {}
            Err(why) => return Err(damaged(&why)),
        }
        let strategies: Vec<String> = serde_json::from_str(&row.strategies)
            .map_err(|_| damaged("invalid list of strategies"))?;
        let numbers = |text: &str, what: &str| -> Result<Vec<f64>, TournamentError> {
            let v: Vec<f64> = serde_json::from_str(text).map_err(|_| damaged(what))?;
            if v.len() != strategies.len() {
                return Err(damaged(what));
            }
            Ok(v)
        };
        let utilities = match &row.utilities {
            Some(t) => Some(numbers(t, "invalid list of utilities")?),
            None => None,
        };
        let reservations = numbers(&row.reservations, "invalid list of reservations")?;
        self.strategies.push(
            Some(
                strategies
                    .into_iter()
                    .map(|s| ByteArray::from(s.into_bytes()))
                    .collect(),
            ),
            false,
        );
        self.utilities.push(utilities, true);
        self.reservations.push(Some(reservations), false);
        self.push_scalars(row);
        Ok(())
    }
}
