//! A robustness study cut into shards: `zopa analyze --robustness N --shard
//! K/M --out DIR` runs the runs ⌊(K−1)·N/M⌋ to ⌊K·N/M⌋ − 1 and writes what
//! they found (`DIR/robustness-K-of-M.json`, `zopa.robustness-shard/1`);
//! `zopa analyze --robustness N --robustness-from DIR…` merges every shard
//! into the study one run would have made, so the analysis document is the
//! unsharded one, byte for byte. Run r draws from (seed, r) only, so a
//! shard's counts are the same wherever it runs.

use std::path::{Path, PathBuf};

use crate::input::Loaded;
use serde::{Deserialize, Serialize};
use zopa_analysis::robustness::{Assumed, Params, Robustness};

use crate::AppError;

/// Schema identifier of a shard's file.
pub const SCHEMA: &str = "zopa.robustness-shard/1";

/// What one shard of a robustness study found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardDoc {
    /// `zopa.robustness-shard/1`.
    pub schema: String,
    /// SHA-256 of the scenario as checked (its canonical JSON document).
    pub scenario_hash: String,
    /// Runs of the whole study.
    pub runs: usize,
    /// Its seed.
    pub seed: u64,
    /// Which shard (from 1).
    pub k: u64,
    /// Of how many.
    pub n: u64,
    /// The runs this shard made: `[first, end)`.
    pub range: [u64; 2],
    /// Runs whose agreement space was not empty.
    pub nonempty: u64,
    /// `[package, runs]` for every package in the agreement space of some run.
    pub in_zopa: Vec<[u64; 2]>,
    /// `[package, runs]` for every package that was the Nash package of some run.
    pub nash: Vec<[u64; 2]>,
    /// The agreement space's size in each run, ascending.
    pub sizes: Vec<u64>,
}

/// Shard `k` of `n`: `K/N` text as `--shard` takes it.
pub fn parse_shard(text: &str) -> Result<(u64, u64), AppError> {
    let s =
        zopa_tournament::shard::Shard::parse(text, zopa_tournament::shard::Partition::Contiguous)
            .map_err(|e| AppError::Usage(format!("--shard {e}")))?;
    Ok((s.k, s.n))
}

/// The runs shard `k` of `n` makes of `runs`: the tournaments' contiguous
/// partition.
pub fn range(runs: usize, k: u64, n: u64) -> std::ops::Range<u64> {
    zopa_tournament::shard::Shard {
        k,
        n,
        partition: zopa_tournament::shard::Partition::Contiguous,
    }
    .range(runs as u64)
}

/// The scenario's identity: SHA-256 of its canonical JSON document.
pub fn scenario_hash(loaded: &Loaded) -> Result<String, AppError> {
    use sha2::{Digest, Sha256};
    let text = loaded
        .scenario
        .to_doc()
        .to_json_string()
        .map_err(|e| AppError::Engine(format!("cannot write the scenario: {e}")))?;
    Ok(Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn params(loaded: &Loaded, runs: usize, seed: u64) -> Params {
    Params {
        runs,
        seed,
        bands: *loaded.scenario.bands(),
    }
}

/// One shard of a study, as `--robustness N --seed S --shard K/M` asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRequest {
    /// Runs of the whole study.
    pub runs: usize,
    /// Its seed.
    pub seed: u64,
    /// Which shard, from 1.
    pub k: u64,
    /// Of how many.
    pub n: u64,
    /// The outcome space's bound (`--limit`).
    pub limit: u64,
}

/// Run one shard of a study and write it into `dir` (created if missing);
/// answers the path written.
pub fn run_shard(
    loaded: &Loaded,
    req: &ShardRequest,
    dir: &Path,
    tick: &(dyn Fn() + Sync),
    cancel: &zopa_model::Cancel,
) -> Result<PathBuf, AppError> {
    let ShardRequest {
        runs,
        seed,
        k,
        n,
        limit,
    } = *req;
    crate::analyze::check(&crate::analyze::AnalyzeRequest {
        robustness: Some(runs),
        limit,
        ..Default::default()
    })?;
    let r = range(runs, k, n);
    let part = zopa_analysis::robustness::study_part(
        &loaded.scenario,
        &params(loaded, runs, seed),
        r.clone(),
        limit,
        tick,
        cancel,
    )?;
    let doc = ShardDoc {
        schema: SCHEMA.into(),
        scenario_hash: scenario_hash(loaded)?,
        runs,
        seed,
        k,
        n,
        range: [r.start, r.end],
        nonempty: part.nonempty,
        in_zopa: part
            .in_zopa
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| [i as u64, u64::from(c)])
            .collect(),
        nash: part.nash.iter().map(|&(i, c)| [i, u64::from(c)]).collect(),
        sizes: part.sizes,
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::Usage(format!("cannot create the folder {}: {e}", dir.display())))?;
    let path = dir.join(format!("robustness-{k}-of-{n}.json"));
    let partial = path.with_extension("json.partial");
    let text = serde_json::to_string(&doc).expect("plain data") + "\n";
    std::fs::write(&partial, text)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|e| AppError::Usage(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// The `runs`-run study (seed `seed`) of the scenario, merged from the shard
/// files in `dirs`: each must be of this scenario, runs, seed and shard
/// count, every shard present once.
pub fn merge(
    loaded: &Loaded,
    runs: usize,
    seed: u64,
    dirs: &[PathBuf],
) -> Result<Robustness, AppError> {
    let hash = scenario_hash(loaded)?;
    let mut found: Vec<(PathBuf, ShardDoc)> = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            AppError::Usage(format!("cannot read the folder {}: {e}", dir.display()))
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("robustness-") && n.ends_with(".json"))
            })
            .collect();
        paths.sort();
        for path in paths {
            let text = zopa_model::limits::read_text(&path).map_err(AppError::Usage)?;
            let doc: ShardDoc = serde_json::from_str(&text).map_err(|e| {
                AppError::Usage(format!("{}: not a robustness shard: {e}", path.display()))
            })?;
            found.push((path, doc));
        }
    }
    let Some((_, first)) = found.first() else {
        return Err(AppError::Usage(
            "no robustness shards (robustness-K-of-M.json) in the folders given".into(),
        ));
    };
    let n = first.n;
    for (path, d) in &found {
        let why = if d.schema != SCHEMA {
            Some(format!("its schema is {}, not {SCHEMA}", d.schema))
        } else if d.scenario_hash != hash {
            Some("it is a shard of another scenario (or of this one before an edit)".into())
        } else if (d.runs, d.seed) != (runs, seed) {
            Some(format!(
                "it is a shard of a study of {} runs with seed {}, not {runs} with seed {seed}",
                d.runs, d.seed
            ))
        } else if d.n != n || d.k == 0 || d.k > n {
            Some(format!(
                "it is shard {}/{}, but another is of {n} shards",
                d.k, d.n
            ))
        } else if d.range != {
            let r = range(runs, d.k, d.n);
            [r.start, r.end]
        } || d.sizes.len() as u64 != d.range[1] - d.range[0]
        {
            Some("its runs are not those of its shard".into())
        } else {
            None
        };
        if let Some(why) = why {
            return Err(AppError::Usage(format!("{}: {why}", path.display())));
        }
    }
    let mut seen = vec![Vec::new(); n as usize];
    for (path, d) in &found {
        seen[(d.k - 1) as usize].push(path.display().to_string());
    }
    let twice: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, v)| v.len() > 1)
        .map(|(k, v)| format!("{}/{n} ({})", k + 1, v.join(", ")))
        .collect();
    if !twice.is_empty() {
        return Err(AppError::Usage(format!(
            "robustness shards given twice: {}",
            twice.join("; ")
        )));
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| format!("{}/{n}", k + 1))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Usage(format!(
            "missing robustness shards {}: run them (--robustness {runs} --seed {seed} --shard K/{n} --out DIR) and merge again",
            missing.join(", ")
        )));
    }
    let space = loaded
        .scenario
        .radices()
        .iter()
        .map(|&r| r as u128)
        .product::<u128>();
    let assumed = Assumed::of(&loaded.scenario);
    let demands = loaded.scenario.stated_demands().len();
    let mut parts = Vec::with_capacity(found.len());
    for (path, d) in found {
        let mut in_zopa = vec![0u32; space as usize];
        for [i, c] in d.in_zopa {
            let slot = in_zopa.get_mut(i as usize).ok_or_else(|| {
                AppError::Usage(format!(
                    "{}: package {i} is outside the space",
                    path.display()
                ))
            })?;
            *slot = u32::try_from(c).map_err(|_| {
                AppError::Usage(format!("{}: a count is out of range", path.display()))
            })?;
        }
        parts.push(Robustness {
            params: params(loaded, runs, seed),
            assumed: assumed.clone(),
            demands,
            nonempty: d.nonempty,
            in_zopa,
            nash: d
                .nash
                .iter()
                .map(|&[i, c]| (i, c.min(u64::from(u32::MAX)) as u32))
                .collect(),
            sizes: d.sizes,
        });
    }
    Robustness::merge(parts).map_err(AppError::Usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::default_loaded;

    /// Shards written and merged give the study one run makes, and the
    /// analysis document built on it is the unsharded one, byte for byte.
    #[test]
    fn merged_shards_are_the_whole_study() {
        let loaded = default_loaded();
        let dir = std::env::temp_dir().join(format!("zopa-robust-shards-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (runs, seed) = (97, 5);
        for k in 1..=4 {
            let req = ShardRequest {
                runs,
                seed,
                k,
                n: 4,
                limit: zopa_model::DEFAULT_LIMIT,
            };
            run_shard(&loaded, &req, &dir, &|| {}, &Default::default()).unwrap();
        }
        let merged = merge(&loaded, runs, seed, std::slice::from_ref(&dir)).unwrap();
        let req = crate::analyze::AnalyzeRequest {
            robustness: Some(runs),
            seed,
            critical_budget: 0,
            ..Default::default()
        };
        let whole =
            crate::analyze::analyze(&loaded, &req, crate::analyze::Progress::none()).unwrap();
        assert_eq!(whole.robustness.as_ref(), Some(&merged));
        let mut from_shards = whole.clone();
        from_shards.robustness = Some(merged);
        assert_eq!(from_shards.to_json(&loaded), whole.to_json(&loaded));
        // A missing shard is named; another seed's shards are refused.
        std::fs::remove_file(dir.join("robustness-3-of-4.json")).unwrap();
        let e = merge(&loaded, runs, seed, std::slice::from_ref(&dir)).unwrap_err();
        assert!(
            e.to_string().contains("missing robustness shards 3/4"),
            "{e}"
        );
        let e = merge(&loaded, runs, seed + 1, std::slice::from_ref(&dir)).unwrap_err();
        assert!(e.to_string().contains("not 97 with seed 6"), "{e}");
    }
}
