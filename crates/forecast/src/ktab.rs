//! KTAB's SMP input CSV (`smpread.cpp`): line 1 `name, description,
//! numActors, numDims`; line 2 a header; then one line per actor:
//! `name, description, capability, pos_1, sal_1, …, pos_m, sal_m` with
//! positions and saliences on 0–100.

use crate::smp::SmpActor;
use crate::ForecastError;

/// A KTAB scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct KtabScenario {
    /// Scenario name.
    pub name: String,
    /// Dimension names (from the header).
    pub dims: Vec<String>,
    /// Actors, positions and saliences scaled to [0, 1].
    pub actors: Vec<SmpActor>,
}

fn err(line: usize, col: usize, msg: impl Into<String>) -> ForecastError {
    ForecastError::Input {
        line,
        col,
        message: msg.into(),
    }
}

/// Read KTAB's CSV text. Errors carry the line and column (1-based).
pub fn read_csv(text: &str) -> Result<KtabScenario, ForecastError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| {
            let (line, col) = e.position().map_or((0, 0), |p| (p.line() as usize, 1));
            err(line, col, format!("CSV syntax error: {e}"))
        })?;
        let line = r.position().map_or(0, |p| p.line() as usize);
        let fields: Vec<String> = r.iter().map(str::to_string).collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        records.push((line, fields));
    }
    let Some((l1, first)) = records.first() else {
        return Err(err(1, 1, "empty file"));
    };
    let num =
        |fields: &Vec<String>, k: usize, line: usize, what: &str| -> Result<f64, ForecastError> {
            let f = fields
                .get(k)
                .ok_or_else(|| err(line, k + 1, format!("missing {what}")))?;
            f.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| err(line, k + 1, format!("{what} is not a number: {f:?}")))
        };
    let n_act = num(first, 2, *l1, "the number of actors")?;
    let n_dim = num(first, 3, *l1, "the number of dimensions")?;
    if n_act < 2.0 || n_act.fract() != 0.0 || n_act > 10_000.0 {
        return Err(err(
            *l1,
            3,
            format!("the number of actors must be an integer ≥ 2, got {n_act}"),
        ));
    }
    if n_dim < 1.0 || n_dim.fract() != 0.0 || n_dim > 1000.0 {
        return Err(err(
            *l1,
            4,
            format!("the number of dimensions must be an integer ≥ 1, got {n_dim}"),
        ));
    }
    let (n_act, n_dim) = (n_act as usize, n_dim as usize);
    let Some((_, header)) = records.get(1) else {
        return Err(err(*l1 + 1, 1, "missing the header line"));
    };
    let dims: Vec<String> = (0..n_dim)
        .map(|d| {
            header
                .get(3 + 2 * d)
                .cloned()
                .unwrap_or_else(|| format!("dim{d}"))
        })
        .collect();
    let rows = &records[2..];
    if rows.len() != n_act {
        let line = rows.last().map_or(records[1].0, |r| r.0);
        return Err(err(
            line,
            1,
            format!("expected {n_act} actor lines, found {}", rows.len()),
        ));
    }
    let mut actors = Vec::with_capacity(n_act);
    for (line, f) in rows {
        let cap = num(f, 2, *line, "the capability")?;
        if cap <= 0.0 {
            return Err(err(*line, 3, format!("capability must be > 0, got {cap}")));
        }
        let mut pos = Vec::with_capacity(n_dim);
        let mut sal = Vec::with_capacity(n_dim);
        for d in 0..n_dim {
            let p = num(f, 3 + 2 * d, *line, "a position")?;
            let s = num(f, 4 + 2 * d, *line, "a salience")?;
            if !(0.0..=100.0).contains(&p) {
                return Err(err(
                    *line,
                    4 + 2 * d,
                    format!("position must be in [0, 100], got {p}"),
                ));
            }
            if !(0.0..=100.0).contains(&s) {
                return Err(err(
                    *line,
                    5 + 2 * d,
                    format!("salience must be in [0, 100], got {s}"),
                ));
            }
            pos.push(p / 100.0);
            sal.push(s / 100.0);
        }
        let total: f64 = sal.iter().sum();
        if total <= 0.0 || total > 1.0 + 1e-9 {
            return Err(err(
                *line,
                5,
                format!(
                    "saliences must sum to more than 0 and at most 100, got {}",
                    total * 100.0
                ),
            ));
        }
        actors.push(SmpActor {
            name: f[0].clone(),
            cap,
            pos,
            sal,
        });
    }
    Ok(KtabScenario {
        name: first[0].clone(),
        dims,
        actors,
    })
}
