//! The Parquet export holds every stored row, value for value: read back
//! with the parquet crate's own record reader and compared with the rows
//! SQLite holds, read here with plain SQL (not through zopa's row code).

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, List};
use rusqlite::Connection;
use zopa_tournament::export::{parquet, parquet_grouped, ROWS_SCHEMA};
use zopa_tournament::run::{run, Bounds, Plan};

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zopa-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A tournament over a two- and a three-party domain, with a deadline so
/// short that some negotiations end without agreement (null utilities).
fn results(dir: &Path) -> PathBuf {
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = format!(
        "name = \"export\"\nseed = 3\nrepetitions = 2\ndeadline = 6\ndomains = [{:?}, {:?}]\nstrategies = [\"boulware\", \"conceder\", \"hardliner\"]\n",
        ex.join("genius/supplier-contract").display().to_string(),
        ex.join("genius/harbour-expansion").display().to_string(),
    );
    let file = dir.join("t.toml");
    std::fs::write(&file, toml).unwrap();
    let plan = Plan::from_file(&file, &Bounds::default()).unwrap();
    let db = dir.join("r.sqlite");
    run(&plan, &db, Some(2), &|_, _| {}, &AtomicBool::new(false)).unwrap();
    db
}

/// One row as plain values: numbers as f64 bits, lists decoded from JSON.
#[derive(Debug, PartialEq)]
struct Plain {
    idx: i64,
    config_hash: String,
    domain: String,
    strategies: Vec<String>,
    rep: i64,
    agreement: Option<i64>,
    utilities: Option<Vec<u64>>,
    reservations: Vec<u64>,
    rounds: i64,
    welfare: Option<u64>,
    pareto: Option<u64>,
    nash: Option<u64>,
    timed_out: bool,
}

fn bits(v: Vec<f64>) -> Vec<u64> {
    v.into_iter().map(f64::to_bits).collect()
}

fn from_sqlite(db: &Path) -> Vec<Plain> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT idx, config_hash, domain, strategies, rep, agreement, utilities, reservations, rounds, welfare, pareto_distance, nash_distance, timed_out FROM negotiations ORDER BY idx")
        .unwrap();
    stmt.query_map([], |r| {
        let floats = |t: String| bits(serde_json::from_str(&t).unwrap());
        Ok(Plain {
            idx: r.get(0)?,
            config_hash: r.get(1)?,
            domain: r.get(2)?,
            strategies: serde_json::from_str(&r.get::<_, String>(3)?).unwrap(),
            rep: r.get(4)?,
            agreement: r.get(5)?,
            utilities: r.get::<_, Option<String>>(6)?.map(floats),
            reservations: floats(r.get(7)?),
            rounds: r.get(8)?,
            welfare: r.get::<_, Option<f64>>(9)?.map(f64::to_bits),
            pareto: r.get::<_, Option<f64>>(10)?.map(f64::to_bits),
            nash: r.get::<_, Option<f64>>(11)?.map(f64::to_bits),
            timed_out: r.get::<_, i64>(12)? != 0,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The file's key-value metadata.
type Metadata = Vec<(String, Option<String>)>;

/// The rows, the metadata and the number of row groups of a Parquet file.
fn from_parquet(file: &Path) -> (Vec<Plain>, Metadata, usize) {
    let reader = SerializedFileReader::new(std::fs::File::open(file).unwrap()).unwrap();
    let meta = reader.metadata();
    let kv = meta
        .file_metadata()
        .key_value_metadata()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|k| (k.key, k.value))
        .collect();
    let groups = meta.num_row_groups();
    let doubles = |l: &List| -> Vec<u64> {
        l.elements()
            .iter()
            .map(|f| match f {
                Field::Double(x) => x.to_bits(),
                other => panic!("not a double: {other:?}"),
            })
            .collect()
    };
    let mut out = vec![];
    for row in reader.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        let f: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
        assert_eq!(f.len(), 13, "columns");
        let long = |x: &Field| match x {
            Field::Long(v) => Some(*v),
            Field::Null => None,
            other => panic!("not an int64: {other:?}"),
        };
        let double = |x: &Field| match x {
            Field::Double(v) => Some(v.to_bits()),
            Field::Null => None,
            other => panic!("not a double: {other:?}"),
        };
        let text = |x: &Field| match x {
            Field::Str(s) => s.clone(),
            other => panic!("not a string: {other:?}"),
        };
        out.push(Plain {
            idx: long(f[0]).unwrap(),
            config_hash: text(f[1]),
            domain: text(f[2]),
            strategies: match f[3] {
                Field::ListInternal(l) => l.elements().iter().map(text).collect(),
                other => panic!("strategies: {other:?}"),
            },
            rep: long(f[4]).unwrap(),
            agreement: long(f[5]),
            utilities: match f[6] {
                Field::ListInternal(l) => Some(doubles(l)),
                Field::Null => None,
                other => panic!("utilities: {other:?}"),
            },
            reservations: match f[7] {
                Field::ListInternal(l) => doubles(l),
                other => panic!("reservations: {other:?}"),
            },
            rounds: long(f[8]).unwrap(),
            welfare: double(f[9]),
            pareto: double(f[10]),
            nash: double(f[11]),
            timed_out: matches!(f[12], Field::Bool(true)),
        });
    }
    (out, kv, groups)
}

#[test]
fn the_parquet_file_holds_every_row_value_for_value() {
    let dir = scratch("rows");
    let db = results(&dir);
    let want = from_sqlite(&db);
    assert!(want.len() >= 30, "{} rows", want.len());
    assert!(
        want.iter().any(|r| r.utilities.is_none()) && want.iter().any(|r| r.utilities.is_some()),
        "the tournament should have rows with and without agreement"
    );
    assert!(want.iter().any(|r| r.strategies.len() == 3));
    let out = dir.join("rows.parquet");
    let e = parquet(&db, &out).unwrap();
    assert_eq!((e.rows, e.row_groups), (want.len() as u64, 1));
    let (got, kv, groups) = from_parquet(&out);
    assert_eq!(groups, 1);
    assert_eq!(got, want);
    let value = |k: &str| kv.iter().find(|(x, _)| x == k).and_then(|(_, v)| v.clone());
    assert_eq!(value("zopa.schema").as_deref(), Some(ROWS_SCHEMA));
    assert_eq!(value("zopa.tournament").as_deref(), Some("export"));
    assert_eq!(value("zopa.tournament_hash").map(|h| h.len()), Some(64));
    assert!(!dir.join("rows.parquet.partial").exists());
}

#[test]
fn small_row_groups_split_the_rows_without_losing_one() {
    let dir = scratch("groups");
    let db = results(&dir);
    let want = from_sqlite(&db);
    let out = dir.join("rows.parquet");
    let e = parquet_grouped(&db, &out, 7).unwrap();
    assert_eq!(e.row_groups, (want.len() as u64).div_ceil(7));
    let (got, _, groups) = from_parquet(&out);
    assert_eq!(groups as u64, e.row_groups);
    assert_eq!(got, want);
}

#[test]
fn a_changed_value_refuses_the_export_and_writes_nothing() {
    let dir = scratch("damaged");
    let db = results(&dir);
    Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE negotiations SET rounds = rounds + 1 WHERE idx = 5",
            [],
        )
        .unwrap();
    let out = dir.join("rows.parquet");
    let e = parquet(&db, &out).unwrap_err().to_string();
    assert!(e.contains("negotiation 5") && e.contains("damaged"), "{e}");
    assert!(!out.exists() && !dir.join("rows.parquet.partial").exists());
}

#[test]
fn a_missing_or_foreign_database_is_refused() {
    let dir = scratch("foreign");
    let e = parquet(&dir.join("none.sqlite"), &dir.join("x.parquet"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("does not exist"), "{e}");
    let other = dir.join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let e = parquet(&other, &dir.join("x.parquet"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a zopa tournament database"), "{e}");
}
