//! Bounds on the input-driven sizes that drive time and memory, checked
//! before anything proportional to them is allocated. Every engine and
//! surface takes its defaults from here; `docs/limits.md` documents each one
//! with the flag that raises it.

/// Largest input file read (scenario, source document, domain, profile,
/// tournament or CSV file), in bytes. Fixed: real inputs are far smaller
/// (the largest ANAC file is 0.3 MB); parsing takes up to
/// about 40 times the file's size in memory.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Most actors in a scenario. Fixed: zopa's analyses are for negotiations
/// among parties, not populations (and 10^5 actors took 0.9 GB to validate).
pub const MAX_ACTORS: u64 = 1000;

/// Largest deadline of one simulated negotiation, in rounds. Raised with
/// `--max-rounds`.
pub const MAX_ROUNDS: u64 = 1_000_000;

/// Largest deadline of a simulation whose whole trace is returned in its
/// document (the server's `trace=true`, Python's `simulate`): every event,
/// offers with every party's utility, held in memory. Fixed; the CLI's
/// `--trace FILE` streams instead and is bounded by [`MAX_ROUNDS`].
pub const MAX_TRACED_ROUNDS: u64 = 10_000;

/// Most negotiations in one tournament. Raised with `--max-negotiations`.
pub const MAX_NEGOTIATIONS: u64 = 100_000_000;

/// Most Monte Carlo runs of a sensitivity analysis. Raised with `--max-runs`.
pub const MAX_RUNS: u64 = 100_000;

/// Most actors a forecast takes: KTAB's SMP and the EUM model need memory
/// cubic in the actors (200 actors: 134 MB and 4 s per model run; 300:
/// 436 MB, 17 s). Raised with `--max-actors`.
pub const MAX_FORECAST_ACTORS: u64 = 100;

/// Most Pareto frontier candidates an analysis keeps at once (about 300
/// bytes each). Raised with `--max-frontier`.
pub const MAX_FRONTIER: u64 = 500_000;

/// Largest `--limit` (outcome-space enumeration) accepted: counting walks
/// every package (about 12 ns each, so 10^9 take about 12 s).
pub const MAX_ENUMERATION: u64 = 1_000_000_000;

/// Most partial packages exact counting by meet in the middle may enumerate,
/// whatever `--limit` says: [`HALF_BYTES`] each, with up to four prepared
/// halves kept, so this bound keeps them under ~9 GB.
pub const MAX_HALVES: u64 = 100_000_000;

/// Bytes a prepared partial package of meet-in-the-middle counting takes,
/// roughly (values, ranks and row number).
pub const HALF_BYTES: u64 = 44;

/// Most worker threads (`--jobs`).
pub const MAX_JOBS: u64 = 256;

/// Deepest nesting accepted in an input document — TOML/JSON scenarios and
/// GENIUS XML alike; deeper input is refused before parsing (it protects
/// the recursive parsers' stacks). Fixed.
pub const MAX_DEPTH: usize = 64;

/// Most values one GeniusWeb issue's `range` may expand to. Fixed.
pub const MAX_ISSUE_VALUES: u64 = 100_000;

/// Largest outcome space a simulation or a tournament domain may have:
/// every party's utility of every outcome is precomputed and its acceptable
/// outcomes ranked. Fixed.
pub const MAX_SESSION_PACKAGES: u64 = 1_000_000;

/// Most `runs × packages` a robustness study may walk (about a second per
/// 10^8). Fixed.
pub const MAX_ROBUSTNESS_WORK: u64 = 2_000_000_000;

/// Most packages one `zopa.space/1` document may list. Fixed.
pub const MAX_POINTS: u64 = 200_000;

/// Most files one tournament job may upload to the server. Fixed.
pub const MAX_UPLOADS: usize = 10_000;

/// A size above its bound: names the quantity, its value, the bound and how
/// to raise it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{quantity} is {value}, above the limit of {bound}{}", raise(flag))]
pub struct LimitError {
    /// What was measured ("the deadline (rounds)").
    pub quantity: String,
    /// Its value (saturated at `u128::MAX`; never a wrapped number).
    pub value: u128,
    /// The bound in force.
    pub bound: u64,
    /// The command-line flag that raises the bound, if any.
    pub flag: Option<&'static str>,
}

fn raise(flag: &Option<&'static str>) -> String {
    flag.map(|f| format!(" (raise it with {f})"))
        .unwrap_or_default()
}

/// `Ok` when `value ≤ bound`.
pub fn check(
    quantity: impl Into<String>,
    value: u128,
    bound: u64,
    flag: Option<&'static str>,
) -> Result<(), LimitError> {
    if value <= u128::from(bound) {
        Ok(())
    } else {
        Err(LimitError {
            quantity: quantity.into(),
            value,
            bound,
            flag,
        })
    }
}

/// Read a whole file, refusing one larger than `max` bytes before reading
/// it (and, for files whose size is unknown, such as pipes or devices, after
/// reading `max + 1` bytes at most).
pub fn read_capped(path: &std::path::Path, max: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    if let Ok(meta) = file.metadata() {
        if meta.is_file() {
            check("the file size (bytes)", u128::from(meta.len()), max, None)
                .map_err(ReadError::TooLarge)?;
        }
    }
    let mut buf = Vec::new();
    file.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    check("the file size (bytes)", buf.len() as u128, max, None).map_err(|e| {
        ReadError::TooLarge(LimitError {
            quantity: "the file size (bytes, read so far)".into(),
            ..e
        })
    })?;
    Ok(buf)
}

/// Read a whole input file, capped at [`MAX_INPUT_BYTES`].
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ReadError> {
    read_capped(path, MAX_INPUT_BYTES)
}

/// Read a whole input file, capped at [`MAX_INPUT_BYTES`]; the error is one
/// sentence naming the file.
pub fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, String> {
    read_file(path).map_err(|e| match e {
        ReadError::Io(io) => format!("cannot read {}: {io}", path.display()),
        ReadError::TooLarge(l) => format!("cannot read {}: {l}", path.display()),
    })
}

/// Read a whole UTF-8 input file, capped at [`MAX_INPUT_BYTES`]; the error
/// is one sentence naming the file.
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not valid UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// Why a capped read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused.
    #[error("cannot read")]
    Io(#[source] std::io::Error),
    /// The file is too large.
    #[error(transparent)]
    TooLarge(LimitError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_quantity_value_bound_and_flag() {
        let e = check("the deadline (rounds)", 5, 4, Some("--max-rounds")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the deadline (rounds) is 5, above the limit of 4 (raise it with --max-rounds)"
        );
        assert!(check("x", 4, 4, None).is_ok());
    }

    #[test]
    fn endless_files_are_cut_at_the_cap() {
        let e = read_capped(std::path::Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge(ref l) if l.value == 1001),
            "{e}"
        );
    }
}
