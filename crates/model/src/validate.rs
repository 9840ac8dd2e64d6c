//! Checks a [`ScenarioDoc`] and builds the trusted [`Scenario`].

use std::collections::HashMap;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::doc::*;
use crate::evidence::SourceText;
use crate::scenario::*;

/// Where source documents are read from.
pub trait SourceLoader {
    /// The text of the source at `path` (as written in the scenario file), or
    /// a message saying why it cannot be read.
    fn load(&self, path: &str) -> Result<String, String>;
}

/// Reads sources from the file system, relative to a base directory.
#[derive(Debug, Clone)]
pub struct FsLoader {
    /// Directory that relative source paths start from (the scenario file's directory).
    pub base: std::path::PathBuf,
}

impl SourceLoader for FsLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        let p = self.base.join(path);
        crate::limits::read_text(&p)
    }
}

/// Sources held in memory (built-in scenarios, tests).
#[derive(Debug, Clone, Default)]
pub struct MapLoader(pub HashMap<String, String>);

impl SourceLoader for MapLoader {
    /// The text given for `path`; failing that, the one text given under a
    /// name with the same file name (uploads from a file picker carry file
    /// names, not the folders the scenario cites).
    fn load(&self, path: &str) -> Result<String, String> {
        if let Some(t) = self.0.get(path) {
            return Ok(t.clone());
        }
        let base = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_string();
        let want = base(path);
        let mut same = self.0.iter().filter(|(k, _)| base(k) == want);
        match (same.next(), same.next()) {
            (Some((_, t)), None) => Ok(t.clone()),
            (Some(_), Some(_)) => Err(format!(
                "no source named {path:?} is available, and several are named {want:?}"
            )),
            _ => Err(format!("no source named {path:?} is available")),
        }
    }
}

/// Largest power or salience: both are relative, and bounding them keeps
/// every sum and product of them finite (1e308 passed and overflowed).
pub const MAX_MAGNITUDE: f64 = 1e12;

/// A number as a person would write it: exponent form when very large or small.
fn short(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-6..1e15).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

struct V<'d> {
    diags: &'d mut Diagnostics,
    /// Paths that already have an error (a hash set: inputs may hold 10^5 errors).
    reported: std::collections::HashSet<String>,
}

impl V<'_> {
    fn err(&mut self, path: impl Into<String>, span: &Option<Span>, msg: impl Into<String>) {
        let path = path.into();
        self.reported.insert(path.clone());
        self.diags.push(Diagnostic::error(path, span.clone(), msg));
    }
    fn warn(&mut self, path: impl Into<String>, span: &Option<Span>, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(path, span.clone(), msg));
    }

    /// Check ids are non-empty and unique; give a map id → index of the first.
    fn ids<'a>(
        &mut self,
        what: &str,
        path: &str,
        ids: impl Iterator<Item = &'a Sp<String>>,
    ) -> HashMap<&'a str, usize> {
        let mut map = HashMap::new();
        for (i, id) in ids.enumerate() {
            if id.value.trim().is_empty() {
                self.err(
                    format!("{path}[{i}].id"),
                    &id.span,
                    format!("{what} id is empty"),
                );
                continue;
            }
            if map.contains_key(id.value.as_str()) {
                self.err(
                    format!("{path}[{i}].id"),
                    &id.span,
                    format!("duplicate {what} id `{}`", id.value),
                );
            } else {
                map.insert(id.value.as_str(), i);
            }
        }
        map
    }

    fn basis(
        &mut self,
        b: &BasisDoc,
        path: &str,
        sources: &HashMap<&str, usize>,
        texts: &[Option<SourceText>],
        required: Required,
    ) -> Basis {
        let mut evidence = Vec::new();
        for (i, e) in b.evidence.iter().enumerate() {
            let ep = format!("{path}.evidence[{i}]");
            let Some(&s) = sources.get(e.source.value.as_str()) else {
                self.err(
                    format!("{ep}.source"),
                    &e.source.span,
                    format!(
                        "unknown source `{}` (declare it under [[sources]])",
                        e.source.value
                    ),
                );
                continue;
            };
            if e.quote.value.trim().is_empty() {
                self.err(
                    format!("{ep}.quote"),
                    &e.quote.span,
                    "evidence quote is empty",
                );
                continue;
            }
            if let Some(text) = &texts[s] {
                if !text.contains(&e.quote.value) {
                    self.err(
                        format!("{ep}.quote"),
                        &e.quote.span,
                        format!(
                            "quote does not occur verbatim in source `{}`: \"{}\"",
                            e.source.value,
                            excerpt(&e.quote.value)
                        ),
                    );
                }
            }
            evidence.push(Evidence {
                source: s,
                quote: e.quote.value.clone(),
            });
        }
        let note = b.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if b.assumption && note.is_none() {
            self.err(
                format!("{path}.note"),
                &b.span,
                "an assumption needs a `note` saying whose judgement it is and why",
            );
        }
        if !b.assumption && b.evidence.is_empty() {
            match required {
                Required::Error(what) => self.err(
                    path,
                    &b.span,
                    format!(
                        "{what} has no evidence: cite a source quote, or mark it `assumption = true` with a `note`"
                    ),
                ),
                Required::Inherit => {}
            }
        }
        Basis {
            evidence,
            assumption: if b.assumption || b.evidence.is_empty() {
                Some(note.unwrap_or("").to_string())
            } else {
                None
            },
        }
    }

    /// Check `x` is finite and within range; `positive` means > 0 (else ≥ `lo`).
    fn number(
        &mut self,
        x: &Sp<f64>,
        path: &str,
        what: &str,
        (lo, hi, positive): (f64, Option<f64>, bool),
    ) -> bool {
        let v = x.value;
        let ok =
            v.is_finite() && if positive { v > 0.0 } else { v >= lo } && hi.is_none_or(|h| v <= h);
        // A value of the wrong type was already reported where it stands.
        if !ok && !self.reported.contains(path) {
            let (lo_s, v_s) = (short(lo), short(v));
            let range = match (hi, positive) {
                (Some(h), true) => format!("in ({lo_s}, {}]", short(h)),
                (Some(h), false) => format!("in [{lo_s}, {}]", short(h)),
                (None, true) => "finite and > 0".to_string(),
                (None, false) => format!("finite and ≥ {lo}"),
            };
            self.err(path, &x.span, format!("{what} must be {range}, got {v_s}"));
        }
        ok
    }
}

#[derive(Clone, Copy)]
enum Required<'a> {
    Error(&'a str),
    Inherit,
}

fn excerpt(s: &str) -> String {
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 70 {
        format!("{}…", s.chars().take(70).collect::<String>())
    } else {
        s
    }
}

/// Validate `doc`, reading sources through `loader`. Every problem is added to
/// `diags`; the scenario is returned only when there is no error.
pub fn validate(
    doc: &ScenarioDoc,
    loader: &dyn SourceLoader,
    diags: &mut Diagnostics,
) -> Option<Scenario> {
    let errors_before = diags.error_count();
    let reported = diags
        .items
        .iter()
        .filter(|d| d.severity == crate::Severity::Error)
        .map(|d| d.path.clone())
        .collect();
    let mut v = V { diags, reported };

    let m = &doc.scenario;
    if m.id.value.trim().is_empty() {
        v.err("scenario.id", &m.id.span, "scenario id is empty");
    }
    if m.title.value.trim().is_empty() {
        v.err("scenario.title", &m.title.span, "scenario title is empty");
    }

    // Sources.
    let source_ids = v.ids("source", "sources", doc.sources.iter().map(|s| &s.id));
    let texts: Vec<Option<SourceText>> = doc
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| match loader.load(&s.path.value) {
            Ok(t) => Some(SourceText::new(&t)),
            Err(e) => {
                v.err(format!("sources[{i}].path"), &s.path.span, e);
                None
            }
        })
        .collect();

    // Issues.
    let issue_ids = v.ids("issue", "issues", doc.issues.iter().map(|i| &i.id));
    let mut option_ids: Vec<HashMap<&str, usize>> = Vec::new();
    for (i, issue) in doc.issues.iter().enumerate() {
        let path = format!("issues[{i}]");
        if issue.options.value.is_empty() {
            v.err(
                format!("{path}.options"),
                &issue.options.span,
                format!("issue `{}` has no options", issue.id.value),
            );
        }
        option_ids.push(v.ids(
            "option",
            &format!("{path}.options"),
            issue.options.value.iter().map(|o| &o.id),
        ));
    }

    // An issue whose id is missing or a duplicate cannot be referred to:
    // its own error says so, and no "missing position" errors follow from it.
    let issue_ok = |i: usize| issue_ids.get(doc.issues[i].id.value.as_str()) == Some(&i);

    // Actors.
    if doc.actors.len() < 2 {
        v.err(
            "actors",
            &doc.actors_span.clone().or(Some(0..0)),
            format!(
                "a negotiation needs at least two actors, found {}",
                doc.actors.len()
            ),
        );
    }
    if let Err(e) = crate::limits::check(
        "the number of actors",
        doc.actors.len() as u128,
        crate::limits::MAX_ACTORS,
        None,
    ) {
        // Nothing about the actors is worth checking one by one.
        v.err(
            "actors",
            &doc.actors_span.clone().or(Some(0..0)),
            e.to_string(),
        );
        return None;
    }
    v.ids("actor", "actors", doc.actors.iter().map(|a| &a.id));
    let n_issues = doc.issues.len();
    let mut actors = Vec::new();
    for (a, ad) in doc.actors.iter().enumerate() {
        let ap = format!("actors[{a}]");
        let who = if ad.id.value.is_empty() {
            ap.clone()
        } else {
            format!("actor `{}`", ad.id.value)
        };
        v.number(
            &ad.power,
            &format!("{ap}.power"),
            "power",
            (0.0, Some(MAX_MAGNITUDE), true),
        );
        v.number(
            &ad.reservation,
            &format!("{ap}.reservation"),
            "reservation",
            (0.0, Some(1.0), false),
        );
        let power_basis = v.basis(
            &ad.power_basis,
            &format!("{ap}.power_basis"),
            &source_ids,
            &texts,
            Required::Inherit,
        );
        let reservation_basis = v.basis(
            &ad.reservation_basis,
            &format!("{ap}.reservation_basis"),
            &source_ids,
            &texts,
            Required::Inherit,
        );
        let salience_basis = v.basis(
            &ad.salience_basis,
            &format!("{ap}.salience_basis"),
            &source_ids,
            &texts,
            Required::Inherit,
        );
        let unstated: Vec<&str> = [
            ("power", &ad.power_basis),
            ("reservation", &ad.reservation_basis),
            ("salience", &ad.salience_basis),
        ]
        .iter()
        .filter(|(_, b)| b.is_empty())
        .map(|(k, _)| *k)
        .collect();
        if !unstated.is_empty() {
            v.warn(
                &ap,
                &ad.id.span,
                format!(
                    "{who}: {} without a basis, counted as unstated analyst assumptions \
                     (add `{}_basis` with evidence, or with `assumption = true` and a `note`)",
                    unstated.join(", "),
                    unstated[0]
                ),
            );
        }

        // Salience.
        let mut salience: Vec<Option<f64>> = vec![None; n_issues];
        for (k, x) in &ad.salience.entries {
            let sp = format!("{ap}.salience.{}", k.value);
            match issue_ids.get(k.value.as_str()) {
                None => v.err(&sp, &k.span, format!("unknown issue `{}`", k.value)),
                Some(&i) => {
                    if salience[i].is_some() {
                        v.err(
                            &sp,
                            &k.span,
                            format!("duplicate salience for issue `{}`", k.value),
                        );
                    } else if v.number(x, &sp, "salience", (0.0, Some(MAX_MAGNITUDE), false)) {
                        salience[i] = Some(x.value);
                    } else {
                        salience[i] = Some(f64::NAN);
                    }
                }
            }
        }
        for (i, s) in salience.iter().enumerate() {
            if s.is_none() && issue_ok(i) {
                v.err(
                    format!("{ap}.salience"),
                    &ad.salience.span,
                    format!(
                        "{who} has no salience for issue `{}`",
                        doc.issues[i].id.value
                    ),
                );
            }
        }
        let sal: Vec<f64> = salience.iter().map(|s| s.unwrap_or(0.0)).collect();
        let total: f64 = sal.iter().sum();
        if salience.iter().all(|s| s.is_some_and(f64::is_finite)) && total <= 0.0 && n_issues > 0 {
            v.err(
                format!("{ap}.salience"),
                &ad.salience.span,
                format!("every salience of {who} is zero: at least one issue must matter"),
            );
        }

        // Positions.
        let mut positions: Vec<Option<Position>> = vec![None; n_issues];
        for (p, pd) in ad.positions.iter().enumerate() {
            let pp = format!("{ap}.positions[{p}]");
            let Some(&i) = issue_ids.get(pd.issue.value.as_str()) else {
                v.err(
                    format!("{pp}.issue"),
                    &pd.issue.span,
                    format!("unknown issue `{}`", pd.issue.value),
                );
                continue;
            };
            if positions[i].is_some() {
                v.err(
                    format!("{pp}.issue"),
                    &pd.issue.span,
                    format!("{who} has a second position on issue `{}`", pd.issue.value),
                );
                continue;
            }
            let opts = &option_ids[i];
            let n_opts = doc.issues[i].options.value.len();
            let mut values: Vec<Option<f64>> = vec![None; n_opts];
            for (k, x) in &pd.values.entries {
                let vp = format!("{pp}.values.{}", k.value);
                match opts.get(k.value.as_str()) {
                    None => v.err(
                        &vp,
                        &k.span,
                        format!("unknown option `{}` of issue `{}`", k.value, pd.issue.value),
                    ),
                    Some(&o) if values[o].is_some() => v.err(
                        &vp,
                        &k.span,
                        format!("duplicate value for option `{}`", k.value),
                    ),
                    Some(&o) => {
                        v.number(x, &vp, "option value", (0.0, Some(1.0), false));
                        values[o] = Some(x.value);
                    }
                }
            }
            for (o, val) in values.iter().enumerate() {
                let oid = &doc.issues[i].options.value[o].id.value;
                if val.is_none() && opts.get(oid.as_str()) == Some(&o) {
                    v.err(
                        format!("{pp}.values"),
                        &pd.values.span,
                        format!(
                            "{who} gives no value for option `{oid}` of issue `{}`",
                            pd.issue.value
                        ),
                    );
                }
            }
            let basis = v.basis(
                &pd.basis,
                &pp,
                &source_ids,
                &texts,
                Required::Error(&format!("the position of {who} on `{}`", pd.issue.value)),
            );
            let mut red_lines: Vec<RedLine> = Vec::new();
            let mut rejected = vec![false; n_opts];
            for (r, rd) in pd.red_lines.iter().enumerate() {
                let rp = format!("{pp}.red_lines[{r}]");
                let Some(&o) = opts.get(rd.option.value.as_str()) else {
                    v.err(
                        &rp,
                        &rd.option.span,
                        format!(
                            "unknown option `{}` of issue `{}` in red line",
                            rd.option.value, pd.issue.value
                        ),
                    );
                    continue;
                };
                if std::mem::replace(&mut rejected[o], true) {
                    v.err(
                        &rp,
                        &rd.option.span,
                        format!("duplicate red line `{}`", rd.option.value),
                    );
                    continue;
                }
                let rb = if rd.basis.is_empty() {
                    basis.clone()
                } else {
                    v.basis(&rd.basis, &rp, &source_ids, &texts, Required::Inherit)
                };
                red_lines.push(RedLine {
                    option: o,
                    basis: rb,
                });
            }
            if n_opts > 0 && red_lines.len() == n_opts {
                v.err(
                    format!("{pp}.red_lines"),
                    &pd.span,
                    format!(
                        "the red lines of {who} exclude every option of issue `{}`: no agreement could ever satisfy it",
                        pd.issue.value
                    ),
                );
            }
            positions[i] = Some(Position {
                values: values.iter().map(|x| x.unwrap_or(0.0)).collect(),
                red_lines,
                basis,
            });
        }
        for (i, p) in positions.iter().enumerate() {
            if p.is_none() && issue_ok(i) {
                v.err(
                    format!("{ap}.positions"),
                    &Some(ad.id.span.clone().unwrap_or_default()),
                    format!(
                        "{who} has no position on issue `{}`",
                        doc.issues[i].id.value
                    ),
                );
            }
        }
        actors.push((
            sal,
            total,
            power_basis,
            reservation_basis,
            salience_basis,
            positions,
        ));
    }

    // Red lines of all actors together may exclude an issue entirely.
    for (i, issue) in doc.issues.iter().enumerate() {
        let n_opts = issue.options.value.len();
        if n_opts == 0 {
            continue;
        }
        let blocked = (0..n_opts)
            .filter(|&o| {
                actors.iter().any(|a| {
                    a.5.get(i)
                        .and_then(|p| p.as_ref())
                        .is_some_and(|p| p.rejects(o))
                })
            })
            .count();
        let single = actors.iter().any(|a| {
            a.5.get(i)
                .and_then(|p| p.as_ref())
                .is_some_and(|p| p.red_lines.len() == n_opts)
        });
        if blocked == n_opts && !single {
            v.warn(
                format!("issues[{i}]"),
                &issue.id.span,
                format!(
                    "together the actors' red lines exclude every option of issue `{}`: the agreement space is empty",
                    issue.id.value
                ),
            );
        }
    }

    if v.diags.error_count() > errors_before {
        return None;
    }

    Some(Scenario {
        meta: Meta {
            id: m.id.value.clone(),
            title: m.title.value.clone(),
            description: m.description.clone(),
            date: m.date.clone(),
            analyst: m.analyst.clone(),
        },
        sources: doc
            .sources
            .iter()
            .map(|s| Source {
                id: s.id.value.clone(),
                title: s.title.clone(),
                path: s.path.value.clone(),
                url: s.url.clone(),
            })
            .collect(),
        issues: doc
            .issues
            .iter()
            .map(|i| Issue {
                id: i.id.value.clone(),
                name: i.name.value.clone(),
                description: i.description.clone(),
                options: i
                    .options
                    .value
                    .iter()
                    .map(|o| IssueOption {
                        id: o.id.value.clone(),
                        label: o.label.value.clone(),
                    })
                    .collect(),
            })
            .collect(),
        actors: doc
            .actors
            .iter()
            .zip(actors)
            .map(|(ad, (sal, total, pb, rb, sb, positions))| Actor {
                id: ad.id.value.clone(),
                name: ad.name.value.clone(),
                power: ad.power.value,
                power_basis: pb,
                reservation: ad.reservation.value,
                reservation_basis: rb,
                // Saliences that already sum to 1 (up to rounding) are kept as
                // written, so 0.15 stays 0.15 rather than 0.15000000000000002.
                weights: if (total - 1.0).abs() <= 1e-9 {
                    sal.clone()
                } else {
                    sal.iter().map(|s| s / total).collect()
                },
                salience: sal,
                salience_basis: sb,
                positions: positions
                    .into_iter()
                    .map(|p| p.expect("checked above"))
                    .collect(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod loader_tests {
    use super::*;

    #[test]
    fn map_loader_falls_back_to_one_file_of_the_same_name() {
        let l = MapLoader(
            [("minutes.txt".to_string(), "m".to_string())]
                .into_iter()
                .collect(),
        );
        assert_eq!(l.load("sources/minutes.txt"), Ok("m".into()));
        assert!(l.load("sources/other.txt").is_err());
        let two = MapLoader(
            [
                ("a/minutes.txt".to_string(), "1".to_string()),
                ("b/minutes.txt".to_string(), "2".to_string()),
            ]
            .into_iter()
            .collect(),
        );
        assert_eq!(two.load("b/minutes.txt"), Ok("2".into()));
        assert!(two.load("c/minutes.txt").unwrap_err().contains("several"));
    }
}
