//! Bounds on the input-driven sizes that drive time and memory, checked
//! before anything proportional to them is allocated. Every engine and
//! surface takes its defaults from here; `docs/limits.md` documents each one
//! with the setting that raises it ([`Knob`]), which each surface names.

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

/// Most work a forecast's sensitivity analysis may do, in model runs ×
/// actors³ × issues: its Monte Carlo runs plus, to find each result's
/// driver, every assumption perturbed alone `driver_runs` times, each run
/// forecasting with every model asked for, and SMP's and EUM's turns cost
/// actors³ per issue (about 3.5·10^6 units a second: 10^8 is half a
/// minute). Fixed; `runs = 0` forecasts without a sensitivity analysis.
pub const MAX_FORECAST_WORK: u64 = 100_000_000;

/// Most actors a forecast takes: KTAB's SMP and the EUM model need memory
/// cubic in the actors (200 actors: 134 MB and 4 s per model run; 300:
/// 436 MB, 17 s). Raised with `--max-actors`.
pub const MAX_FORECAST_ACTORS: u64 = 100;

/// Most Pareto frontier candidates an analysis keeps at once (about 300
/// bytes each). Raised with `--max-frontier`.
pub const MAX_FRONTIER: u64 = 500_000;

/// Bytes of working memory the frontier search may use per frontier
/// candidate allowed ([`MAX_FRONTIER`], `--max-frontier`): the partial
/// packages of one step, each with every actor's utility, are bounded by
/// `max_frontier × 512 B` (256 MB by default) before they are allocated.
/// With the candidates weighted by actors (see [`frontier_weight`]), this
/// keeps many actors within memory (200 actors once reached 5 GB inside
/// every other bound).
pub const FRONTIER_BYTES_PER_CANDIDATE: u64 = 512;

/// How much one frontier candidate of `actors` actors counts against
/// `max_frontier`: 1 up to four actors, `actors / 4` beyond (its utilities
/// take the memory of that many four-actor candidates).
pub fn frontier_weight(actors: usize) -> u64 {
    (actors as u64).max(4).div_ceil(4)
}

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

/// Most what-ifs (sets of changes) one critical-assumption search
/// evaluates, whatever its budget of packages says: the sets are held
/// (about 72 bytes each) until evaluated, so this bounds its memory near
/// 72 MB. Past it the search says it stopped. Fixed.
pub const MAX_WHAT_IFS: u64 = 1_000_000;

/// Most frontier packages one analysis lists (`--top 0` and `top=0` ask for
/// all): a listed package costs about 0.5 KB of JSON, so this bounds a
/// response near 10 MB; the document says how many there are (`size`) and
/// how many it lists (`listed`). Fixed (ties put 10^6 packages and more on a
/// frontier, and a 109 KB request once built a 2 GB response).
pub const MAX_LISTED: u64 = 20_000;

/// Most packages one `zopa.space/1` document may list. Fixed.
pub const MAX_POINTS: u64 = 200_000;

/// Most files one tournament job may upload to the server. Fixed.
pub const MAX_UPLOADS: usize = 10_000;

/// A setting that raises a bound. Errors name it; each surface words the
/// remedy in its own terms (`--max-rounds` on the command line,
/// `?max_frontier=` over HTTP, `limit=` in Python).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Knob {
    /// The outcome-space enumeration limit ([`crate::DEFAULT_LIMIT`] by
    /// default, at most [`MAX_ENUMERATION`]).
    Limit,
    /// Pareto frontier candidates kept ([`MAX_FRONTIER`]).
    MaxFrontier,
    /// A simulation's deadline ([`MAX_ROUNDS`]).
    MaxRounds,
    /// Negotiations one tournament plans ([`MAX_NEGOTIATIONS`]).
    MaxNegotiations,
    /// Monte Carlo runs of a sensitivity analysis ([`MAX_RUNS`]).
    MaxRuns,
    /// Actors a forecast takes ([`MAX_FORECAST_ACTORS`]).
    MaxActors,
}

impl Knob {
    /// Every knob.
    pub const ALL: [Knob; 6] = [
        Knob::Limit,
        Knob::MaxFrontier,
        Knob::MaxRounds,
        Knob::MaxNegotiations,
        Knob::MaxRuns,
        Knob::MaxActors,
    ];

    /// Its name in snake case (`max_frontier`): the HTTP query parameter
    /// and the Python keyword, where those surfaces offer it.
    pub fn name(self) -> &'static str {
        match self {
            Knob::Limit => "limit",
            Knob::MaxFrontier => "max_frontier",
            Knob::MaxRounds => "max_rounds",
            Knob::MaxNegotiations => "max_negotiations",
            Knob::MaxRuns => "max_runs",
            Knob::MaxActors => "max_actors",
        }
    }
}

/// A size above its bound: names the quantity, its value, the bound and
/// the setting that raises it (worded by the surface, not here).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{quantity} is {value}, above the limit of {bound}")]
pub struct LimitError {
    /// What was measured ("the deadline (rounds)").
    pub quantity: String,
    /// Its value (saturated at `u128::MAX`; never a wrapped number).
    pub value: u128,
    /// The bound in force.
    pub bound: u64,
    /// The setting that raises the bound; `None` for a fixed bound.
    pub knob: Option<Knob>,
}

/// `Ok` when `value ≤ bound`.
pub fn check(
    quantity: impl Into<String>,
    value: u128,
    bound: u64,
    knob: Option<Knob>,
) -> Result<(), LimitError> {
    if value <= u128::from(bound) {
        Ok(())
    } else {
        Err(LimitError {
            quantity: quantity.into(),
            value,
            bound,
            knob,
        })
    }
}

/// Read a whole file, refusing one larger than `max` bytes before reading
/// it (and, for files whose size is unknown, such as pipes or devices, after
/// reading `max + 1` bytes at most).
pub fn read_capped(path: &std::path::Path, max: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = open_for_reading(path).map_err(ReadError::Io)?;
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

/// Open `path` for reading without waiting: opening a named pipe (FIFO)
/// blocks until some process opens it for writing, forever if none does.
/// It is opened non-blocking, then reads block as usual, so a FIFO with no
/// writer reads as empty and one being written (`<(command)`) reads what
/// is written.
#[cfg(unix)]
fn open_for_reading(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function owns, with integer
    // arguments only; no memory is passed.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(file)
}

#[cfg(not(unix))]
fn open_for_reading(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
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
    fn messages_name_quantity_value_and_bound_and_keep_the_knob() {
        let e = check("the deadline (rounds)", 5, 4, Some(Knob::MaxRounds)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the deadline (rounds) is 5, above the limit of 4"
        );
        assert_eq!(e.knob, Some(Knob::MaxRounds));
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
