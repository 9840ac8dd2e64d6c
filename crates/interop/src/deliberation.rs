//! LLM-Deliberation's scorable negotiation games (Abdelnabi et al.,
//! "Cooperation, Competition, and Maliciousness: LLM-Stakeholders
//! Interactive Negotiation", 2024; the format of its public repository).
//!
//! A game is a folder:
//!
//! * `config.txt` — one party per line, `name,file,role,incentive,model`:
//!   the party's name in the game, its scores file's name (without `.txt`),
//!   its role (`p1` the proposer, `p2` the second veto holder, anything else
//!   a plain player), its incentive and the model that played it (both
//!   ignored here).
//! * `scores_files/<file>.txt` — one line per issue (issues `A`, `B`, …),
//!   the integer scores of its options (`A1`, `A2`, …) separated by commas;
//!   the last line is the party's minimum total (its threshold).
//!
//! A party's score of a deal is the sum of its scores of the deal's options;
//! it accepts when the score reaches its threshold. A deal passes when at
//! least n − 1 of the n parties accept it, p1 and p2 among them.
//!
//! In zopa a party's utility is the same score on a 0–1 scale: with `lo` and
//! `hi` its lowest and highest possible totals, utility = (score − lo) /
//! (hi − lo) — per issue the value (s − min) / (max − min) with salience
//! max − min — and the reservation (threshold − lo) / (hi − lo). The map is
//! affine and increasing, so acceptance, dominance and the rule are the
//! game's exactly (scores are integers, so totals that differ differ by a
//! full point, far above zopa's 10^-9 tolerance).

use std::path::Path;

use zopa_model::diag::Span;
use zopa_model::doc::{BasisDoc, DecisionDoc, Sp};
use zopa_model::limits::MAX_ISSUE_VALUES;
use zopa_model::{Diagnostic, Diagnostics, Scenario};

use crate::scores::{Scored, ScoredParty};
use crate::semantics::Warning;
use crate::InteropError;

/// One party of a game, as its files give it.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// Its name in the game (`Department of Tourism`).
    pub name: String,
    /// Its scores file's name, without `.txt` (`DoT`): zopa's actor id.
    pub file: String,
    /// `p1`, `p2` or another role.
    pub role: String,
    /// Per issue, the score of each option.
    pub scores: Vec<Vec<i64>>,
    /// The least total it accepts.
    pub threshold: i64,
}

/// A game: its name (the folder's) and its parties in `config.txt` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Game {
    /// The folder's name.
    pub name: String,
    /// The parties.
    pub parties: Vec<Party>,
}

/// Whether `dir` holds a game: `config.txt` and a `scores_files` folder.
pub fn is_deliberation_folder(dir: &Path) -> bool {
    dir.join("config.txt").is_file() && dir.join("scores_files").is_dir()
}

/// Read a game folder; every problem of its files is located.
pub fn read_folder(dir: &Path) -> Result<Game, InteropError> {
    let config_path = dir.join("config.txt");
    let config = text(&config_path)?;
    let origin = config_path.display().to_string();
    let rows = parse_config(&config, &origin)?;
    let mut parties = Vec::with_capacity(rows.len());
    for row in rows {
        let path = dir.join("scores_files").join(format!("{}.txt", row.file));
        let scores = text(&path)?;
        let (scores, threshold) = parse_scores(&scores, &path.display().to_string())?;
        parties.push(Party {
            name: row.name,
            file: row.file,
            role: row.role,
            scores,
            threshold,
        });
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "game".into());
    check_shapes(&parties, dir)?;
    Ok(Game { name, parties })
}

/// A file as UTF-8 text, capped like every input.
fn text(path: &Path) -> Result<String, InteropError> {
    let bytes = crate::read_bytes(path)?;
    String::from_utf8(bytes).map_err(|e| {
        let mut d = Diagnostics::new(path.display().to_string());
        let at = e.utf8_error().valid_up_to();
        d.push(Diagnostic::error(
            "",
            Some(at..at + 1),
            "the file is not UTF-8 text",
        ));
        d.locate(&String::from_utf8_lossy(e.as_bytes()));
        InteropError::Invalid(d)
    })
}

/// One line of `config.txt`.
#[derive(Debug)]
struct Row {
    name: String,
    file: String,
    role: String,
}

/// The non-blank lines of `text` with their byte ranges.
fn lines(text: &str) -> impl Iterator<Item = (Span, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').filter_map(move |l| {
        let start = at;
        at += l.len();
        let trimmed = l.trim_end_matches(['\n', '\r']);
        (!trimmed.trim().is_empty()).then_some((start..start + trimmed.len(), trimmed))
    })
}

fn invalid(origin: &str, text: &str, errors: Vec<(Span, String)>) -> InteropError {
    let mut d = Diagnostics::new(origin.to_string());
    for (span, message) in errors {
        d.push(Diagnostic::error("", Some(span), message));
    }
    d.locate(text);
    d.sort();
    InteropError::Invalid(d)
}

fn parse_config(text: &str, origin: &str) -> Result<Vec<Row>, InteropError> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (span, line) in lines(text) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 5 {
            errors.push((
                span,
                format!(
                    "expected 5 comma-separated fields (name,file,role,incentive,model), found {}",
                    fields.len()
                ),
            ));
            continue;
        }
        let file = fields[1];
        if file.is_empty() || file.contains(['/', '\\']) || file.starts_with('.') {
            errors.push((
                span,
                format!(
                    "`{file}` is not a scores file name (a name in scores_files/, without .txt)"
                ),
            ));
            continue;
        }
        if rows.iter().any(|r: &Row| r.file == file) {
            errors.push((span, format!("the scores file `{file}` is named twice")));
            continue;
        }
        rows.push(Row {
            name: fields[0].to_string(),
            file: file.to_string(),
            role: fields[2].to_string(),
        });
    }
    if errors.is_empty() && rows.len() < 2 {
        errors.push((
            0..text.len().min(1),
            format!("a game needs at least two parties, found {}", rows.len()),
        ));
    }
    for role in ["p1", "p2"] {
        let holders = rows.iter().filter(|r| r.role == role).count();
        if holders > 1 {
            errors.push((
                0..text.len().min(1),
                format!("{holders} parties have the role {role}: a game has at most one"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(invalid(origin, text, errors))
    }
}

/// A scores file: per issue the options' scores, then the threshold.
fn parse_scores(text: &str, origin: &str) -> Result<(Vec<Vec<i64>>, i64), InteropError> {
    let mut rows: Vec<(Span, Vec<i64>)> = Vec::new();
    let mut errors = Vec::new();
    for (span, line) in lines(text) {
        let mut row = Vec::new();
        let mut offset = span.start;
        for field in line.split(',') {
            let here = offset..offset + field.len();
            offset += field.len() + 1;
            match field.trim().parse::<i64>() {
                Ok(x) if x.unsigned_abs() <= 1 << 40 => row.push(x),
                _ => errors.push((
                    here,
                    format!("expected a whole score, found `{}`", field.trim()),
                )),
            }
        }
        if row.len() as u64 > MAX_ISSUE_VALUES {
            errors.push((
                span.clone(),
                format!(
                    "{} options on one issue, above the limit of {MAX_ISSUE_VALUES}",
                    row.len()
                ),
            ));
        }
        rows.push((span, row));
    }
    if !errors.is_empty() {
        return Err(invalid(origin, text, errors));
    }
    let Some((last_span, last)) = rows.pop() else {
        return Err(invalid(
            origin,
            text,
            vec![(
                0..0,
                "empty scores file: one line per issue, then the threshold".into(),
            )],
        ));
    };
    if last.len() != 1 || rows.is_empty() {
        return Err(invalid(
            origin,
            text,
            vec![(
                last_span,
                "the last line is the party's threshold (one whole number), after one line of scores per issue".into(),
            )],
        ));
    }
    Ok((rows.into_iter().map(|(_, r)| r).collect(), last[0]))
}

/// Every party scores the same issues, each with the same number of options.
fn check_shapes(parties: &[Party], dir: &Path) -> Result<(), InteropError> {
    let Some(first) = parties.first() else {
        return Ok(());
    };
    let shape = |p: &Party| p.scores.iter().map(Vec::len).collect::<Vec<_>>();
    for p in &parties[1..] {
        if shape(p) != shape(first) {
            return Err(InteropError::Folder(format!(
                "{}: scores_files/{}.txt scores options {:?} per issue, scores_files/{}.txt {:?}: every party scores the same issues and options",
                dir.display(),
                p.file,
                shape(p),
                first.file,
                shape(first)
            )));
        }
    }
    Ok(())
}

/// Issue `k`'s id: `A`, `B`, …, `Z`, then `AA`, `AB`, ….
fn issue_id(k: usize) -> String {
    let letter = |i: usize| char::from(b'A' + (i % 26) as u8);
    if k < 26 {
        letter(k).to_string()
    } else {
        format!("{}{}", issue_id(k / 26 - 1), letter(k))
    }
}

/// The game as a zopa scenario (see the module's documentation for the
/// mapping, [`crate::scores`]), with its decision rule; warnings say what a
/// threshold means when it is out of the scores' reach from below.
pub fn to_scenario(g: &Game) -> Result<(Scenario, Vec<Warning>), InteropError> {
    let issues: Vec<(String, Vec<String>)> = g.parties[0]
        .scores
        .iter()
        .enumerate()
        .map(|(k, opts)| {
            let id = issue_id(k);
            let labels = (1..=opts.len()).map(|o| format!("{id}{o}")).collect();
            (id, labels)
        })
        .collect();
    let n = g.parties.len();
    let vetoes: Vec<&Party> = ["p1", "p2"]
        .iter()
        .filter_map(|r| g.parties.iter().find(|p| p.role == *r))
        .collect();
    let decision = DecisionDoc {
        at_least: Some(Sp::bare((n - 1) as f64)),
        must_include: vetoes.iter().map(|p| Sp::bare(p.file.clone())).collect(),
        power_share: None,
        basis: BasisDoc {
            assumption: true,
            note: Some(format!(
                "LLM-Deliberation's rule: a deal passes when at least {} of the {n} parties accept it{}",
                n - 1,
                match vetoes.as_slice() {
                    [] => String::new(),
                    v => format!(
                        ", {} among them",
                        v.iter()
                            .map(|p| format!("{} ({})", p.name, p.role))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                }
            )),
            ..BasisDoc::default()
        },
        span: None,
    };
    crate::scores::to_scenario(&Scored {
        id: g.name.clone(),
        title: format!("LLM-Deliberation game {}", g.name),
        description: format!(
            "A scorable negotiation game in LLM-Deliberation's format (Abdelnabi et al., 2024): {n} parties, {} issues; a deal passes when at least n − 1 parties accept it, p1 and p2 among them.",
            issues.len()
        ),
        issues,
        parties: g
            .parties
            .iter()
            .map(|p| ScoredParty {
                id: p.file.clone(),
                name: p.name.clone(),
                source: format!("scores_files/{}.txt", p.file),
                scores: p.scores.clone(),
                threshold: p.threshold,
            })
            .collect(),
        decision: Some(decision),
        parties_are: "LLM-Deliberation's parties",
        stated_thresholds: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_ids_run_past_z() {
        assert_eq!(issue_id(0), "A");
        assert_eq!(issue_id(25), "Z");
        assert_eq!(issue_id(26), "AA");
        assert_eq!(issue_id(27), "AB");
    }

    #[test]
    fn scores_files_are_located() {
        let e = parse_scores("1, 2\n3, x\n10\n", "s.txt").unwrap_err();
        let InteropError::Invalid(d) = e else {
            panic!("{e:?}")
        };
        let item = &d.items[0];
        assert_eq!(item.pos.map(|p| (p.line, p.col)), Some((2, 3)), "{d}");
        assert!(item.message.contains("`x`"), "{d}");
        let e = parse_scores("1, 2\n3, 4\n", "s.txt")
            .unwrap_err()
            .to_string();
        assert!(e.contains("the last line is the party's threshold"), "{e}");
    }

    #[test]
    fn config_lines_are_located() {
        let e = parse_config("A,a,p1,c,m\nB,b,p2\n", "config.txt").unwrap_err();
        let InteropError::Invalid(d) = e else {
            panic!("{e:?}")
        };
        assert_eq!(d.items[0].pos.map(|p| p.line), Some(2), "{d}");
        assert!(d.items[0].message.contains("expected 5"), "{d}");
    }
}
