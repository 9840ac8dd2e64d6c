//! Conversions between zopa scenarios and GENIUS / GeniusWeb files. What the
//! target cannot express is returned as a warning, never dropped silently.

use std::path::{Path, PathBuf};

use zopa_model::{Diagnostics, OutcomeSpace, Scenario, UtilityModel};

use crate::genius::{Evaluator, GeniusDomain, GeniusFolder, GeniusIssue, GeniusProfile, IssueKind};
use crate::geniusweb::{self, GwDomain, GwIssue, GwProfile, GwSet, GwValue, ValueSet};
use crate::semantics::Warning;
use crate::InteropError;

/// What a zopa scenario has that GENIUS and GeniusWeb files cannot hold.
fn lost_in_translation(s: &Scenario, format: &str) -> Vec<Warning> {
    let mut w = Vec::new();
    let red: usize = s
        .actors()
        .iter()
        .map(|a| a.positions.iter().map(|p| p.red_lines.len()).sum::<usize>())
        .sum();
    if red > 0 {
        w.push(format!(
            "{red} red line(s) are not expressible in {format} and were not written"
        ));
    }
    let quotes = s.evidence().count();
    if quotes > 0 {
        w.push(format!("{quotes} evidence quote(s) and all assumption notes are not expressible in {format} and were not written"));
    }
    let combinations: usize = s.actors().iter().map(|a| a.combinations.len()).sum();
    if combinations > 0 {
        w.push(format!(
            "{combinations} combination red line(s) (options rejected together) are not expressible in {format} and were not written"
        ));
    }
    let interactions: usize = s.actors().iter().map(|a| a.interactions.len()).sum();
    if interactions > 0 {
        w.push(format!(
            "{interactions} interaction term(s) are not expressible in {format} (its utilities are additive) and were not written: the written utilities differ from zopa's"
        ));
    }
    if s.status_quo().is_some() {
        w.push(format!(
            "the status quo is not expressible in {format} and was not written (reservations derived from it are written as numbers)"
        ));
    }
    if !s.decision().is_unanimity() {
        let ids: Vec<&str> = s.actors().iter().map(|a| a.id.as_str()).collect();
        w.push(format!(
            "the decision rule ({}) is not expressible in {format} and was not written: its readers assume every party must accept",
            s.decision().describe(&ids)
        ));
    }
    if s.actors().iter().any(|a| a.power != 1.0) {
        w.push(format!(
            "actor powers are not expressible in {format} and were not written"
        ));
    }
    if !s.sources().is_empty() {
        w.push(format!(
            "{} source document(s) are not referenced by {format} files",
            s.sources().len()
        ));
    }
    w
}

fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The scenario as a GENIUS domain and one profile per actor.
pub fn to_genius(s: &Scenario) -> (GeniusFolder, Vec<Warning>) {
    let mut warnings = lost_in_translation(s, "GENIUS XML");
    let domain = GeniusDomain {
        file: format!("{}_domain.xml", s.meta().id),
        name: s.meta().id.clone(),
        issues: s
            .issues()
            .iter()
            .enumerate()
            .map(|(i, issue)| GeniusIssue {
                index: i as i64 + 1,
                name: issue.id.clone(),
                kind: IssueKind::Discrete(issue.options.iter().map(|o| o.id.clone()).collect()),
            })
            .collect(),
    };
    let profiles = s
        .actors()
        .iter()
        .map(|a| {
            for (i, p) in a.positions.iter().enumerate() {
                let max = p.values.iter().copied().fold(0.0, f64::max);
                if a.weights[i] > 0.0 && max < 1.0 {
                    warnings.push(format!(
                        "{}: best value on issue {} is {max}, not 1; GENIUS divides evaluations by the issue maximum, so it will read them rescaled",
                        a.id, s.issues()[i].id
                    ));
                }
            }
            GeniusProfile {
                file: format!("{}.xml", a.id),
                weights: a.weights.iter().map(|&w| Some(w)).collect(),
                bias: 0.0,
                dummy_weights: vec![],
                evaluators: a
                    .positions
                    .iter()
                    .map(|p| Some(Evaluator::Discrete(p.values.clone())))
                    .collect(),
                reservation: Some((format!("{}", a.reservation), a.reservation)),
                discount: None,
                warnings: Diagnostics::default(),
            }
        })
        .collect();
    (
        GeniusFolder {
            dir: Default::default(),
            domain,
            profiles,
        },
        warnings,
    )
}

/// GENIUS XML text of a domain.
pub fn genius_domain_xml(d: &GeniusDomain) -> String {
    let mut x =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<negotiation_template>\n");
    x += &format!(
        "  <utility_space number_of_issues=\"{}\">\n",
        d.issues.len()
    );
    x += &format!(
        "    <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">\n",
        xml_escape(&d.name)
    );
    for i in &d.issues {
        x += &issue_open(i);
        if let IssueKind::Discrete(values) = &i.kind {
            for (k, v) in values.iter().enumerate() {
                x += &format!(
                    "        <item index=\"{}\" value=\"{}\"/>\n",
                    k + 1,
                    xml_escape(v)
                );
            }
        }
        x += "      </issue>\n";
    }
    x += "    </objective>\n  </utility_space>\n</negotiation_template>\n";
    x
}

fn issue_open(i: &GeniusIssue) -> String {
    let name = xml_escape(&i.name);
    match &i.kind {
        IssueKind::Discrete(_) => format!(
            "      <issue index=\"{}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"{name}\">\n",
            i.index
        ),
        IssueKind::Integer { lo, hi } => format!(
            "      <issue index=\"{}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" name=\"{name}\" lowerbound=\"{lo}\" upperbound=\"{hi}\">\n",
            i.index
        ),
        IssueKind::Real { lo, hi } => format!(
            "      <issue index=\"{}\" etype=\"real\" type=\"real\" vtype=\"real\" name=\"{name}\">\n        <range lowerbound=\"{lo}\" upperbound=\"{hi}\"/>\n",
            i.index
        ),
    }
}

/// GENIUS XML text of a profile of `d`.
pub fn genius_profile_xml(d: &GeniusDomain, p: &GeniusProfile) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<utility_space>\n");
    x += &format!(
        "  <objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"{}\">\n",
        xml_escape(&d.name)
    );
    for (k, i) in d.issues.iter().enumerate() {
        x += &issue_open(i);
        match (&i.kind, &p.evaluators[k]) {
            (IssueKind::Discrete(values), Some(Evaluator::Discrete(e))) => {
                for (n, (v, ev)) in values.iter().zip(e).enumerate() {
                    x += &format!(
                        "        <item index=\"{}\" value=\"{}\" evaluation=\"{ev}\"/>\n",
                        n + 1,
                        xml_escape(v)
                    );
                }
            }
            (_, Some(Evaluator::Linear { offset, slope })) => {
                x += &format!(
                    "        <evaluator ftype=\"linear\" offset=\"{offset}\" slope=\"{slope}\"/>\n"
                );
            }
            _ => {}
        }
        x += "      </issue>\n";
    }
    for (i, w) in d.issues.iter().zip(&p.weights) {
        if let Some(w) = w {
            x += &format!("    <weight index=\"{}\" value=\"{w}\"/>\n", i.index);
        }
    }
    x += "  </objective>\n";
    if let Some((raw, _)) = &p.discount {
        x += &format!("  <discount_factor value=\"{}\"/>\n", xml_escape(raw));
    }
    if let Some((raw, _)) = &p.reservation {
        x += &format!("  <reservation value=\"{}\"/>\n", xml_escape(raw));
    }
    x += "</utility_space>\n";
    x
}

fn write(path: &Path, text: &str) -> Result<(), InteropError> {
    std::fs::write(path, text).map_err(|source| InteropError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn create_dir(dir: &Path) -> Result<(), InteropError> {
    std::fs::create_dir_all(dir).map_err(|source| InteropError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// The files of a GENIUS folder, `(file name, text)`: the domain first, then
/// one profile per party.
pub fn genius_folder_files(f: &GeniusFolder) -> Vec<(String, String)> {
    let mut files = vec![(f.domain.file.clone(), genius_domain_xml(&f.domain))];
    files.extend(
        f.profiles
            .iter()
            .map(|p| (p.file.clone(), genius_profile_xml(&f.domain, p))),
    );
    files
}

/// Write files `(name, text)` into `dir` (created); the paths written.
fn write_files(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, InteropError> {
    create_dir(dir)?;
    files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            write(&path, text).map(|()| path)
        })
        .collect()
}

/// Write a GENIUS folder (domain file and one profile per party) into `dir`.
pub fn write_genius_folder(f: &GeniusFolder, dir: &Path) -> Result<Vec<PathBuf>, InteropError> {
    write_files(dir, &genius_folder_files(f))
}

/// The scenario as a GeniusWeb domain and profiles. The reservation, a
/// number in zopa, becomes the reservation bid whose utility is the lowest
/// at or above it (NegMAS reads `u(reservationBid)` back as the reserved value).
pub fn to_geniusweb(s: &Scenario, limit: u64) -> (GwSet, Vec<Warning>) {
    let mut warnings = lost_in_translation(s, "GeniusWeb JSON");
    let domain = GwDomain {
        name: s
            .meta()
            .id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect(),
        issues: s
            .issues()
            .iter()
            .map(|i| GwIssue {
                name: i.id.clone(),
                values: i
                    .options
                    .iter()
                    .map(|o| GwValue::Str(o.id.clone()))
                    .collect(),
                set: ValueSet::Discrete,
            })
            .collect(),
    };
    // The reservation-bid search walks the space once per party: bounded.
    let space = OutcomeSpace::new(&s.radices(), limit.min(1_000_000)).ok();
    let model = UtilityModel::new(s);
    let profiles = s
        .actors()
        .iter()
        .enumerate()
        .map(|(a, actor)| {
            let reservation_bid = if actor.reservation <= 0.0 {
                None
            } else if let Some(space) = &space {
                let mut best: Option<(f64, u64)> = None;
                let mut u = vec![0.0; s.n_actors()];
                for idx in 0..space.size() {
                    model.utilities(&space.options_of(idx), &mut u);
                    if u[a] >= actor.reservation && best.is_none_or(|(b, _)| u[a] < b) {
                        best = Some((u[a], idx));
                    }
                }
                if let Some((b, _)) = best {
                    if (b - actor.reservation).abs() > 1e-9 {
                        warnings.push(format!(
                            "{}: reservation {} written as the reservation bid of utility {b} (GeniusWeb reserves a bid, not a number)",
                            actor.id, actor.reservation
                        ));
                    }
                }
                best.map(|(_, idx)| space.options_of(idx))
            } else {
                warnings.push(format!(
                    "{}: reservation {} not written: the space is too large to search for a reservation bid",
                    actor.id, actor.reservation
                ));
                None
            };
            GwProfile {
                name: actor.id.clone(),
                weights: actor.weights.clone(),
                utilities: actor.positions.iter().map(|p| p.values.clone()).collect(),
                reservation_bid,
            }
        })
        .collect();
    (
        GwSet {
            dir: Default::default(),
            domain,
            profiles,
        },
        warnings,
    )
}

/// Write a GeniusWeb folder: `DOMAIN.json` and one `PROFILE.json` per party.
/// The files of a GeniusWeb folder, `(file name, text)`: the domain first,
/// then one profile per party.
pub fn geniusweb_folder_files(set: &GwSet) -> Vec<(String, String)> {
    let pretty =
        |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("plain JSON") + "\n";
    let dname = if set.domain.name.is_empty() {
        "domain"
    } else {
        &set.domain.name
    };
    let mut files = vec![(
        format!("{dname}.json"),
        pretty(&geniusweb::domain_json(&set.domain)),
    )];
    files.extend(set.profiles.iter().map(|p| {
        (
            format!("{}.json", p.name),
            pretty(&geniusweb::profile_json(&set.domain, p)),
        )
    }));
    files
}

/// Write a GeniusWeb folder (domain and profiles) into `dir`.
pub fn write_geniusweb_folder(set: &GwSet, dir: &Path) -> Result<Vec<PathBuf>, InteropError> {
    write_files(dir, &geniusweb_folder_files(set))
}

/// A GeniusWeb set as a zopa scenario (utilities as written; the reservation
/// is the utility of the reservation bid, 0 without one).
///
/// Refuses, before building anything, an outcome space of more than `limit`
/// packages.
pub fn geniusweb_to_scenario(
    set: &GwSet,
    limit: u64,
) -> Result<(Scenario, Vec<Warning>), InteropError> {
    let radices: Vec<usize> = set.domain.issues.iter().map(|i| i.values.len()).collect();
    OutcomeSpace::new(&radices, limit)
        .map_err(|e| InteropError::Unsupported(format!("GeniusWeb domain: {e}")))?;
    let named = !set.domain.name.is_empty();
    let tables = crate::semantics::Tables {
        id: if named {
            set.domain.name.clone()
        } else {
            "geniusweb".into()
        },
        title: if named {
            set.domain.name.clone()
        } else {
            "GeniusWeb domain".into()
        },
        description: format!(
            "Imported from GeniusWeb with {} profile(s).",
            set.profiles.len()
        ),
        parties_are: "GeniusWeb profiles",
        values_are: "value utilities",
        reservation_is: "utility of the reservation bid",
        issues: set
            .domain
            .issues
            .iter()
            .map(|i| (i.name.clone(), i.values.iter().map(|v| v.label()).collect()))
            .collect(),
        parties: set
            .profiles
            .iter()
            .map(|p| crate::semantics::PartyTables {
                id: p.name.clone(),
                source: format!("GeniusWeb profile {}", p.name),
                // Value utilities are read in [0, 1]: the clamp keeps them.
                evaluations: p
                    .utilities
                    .iter()
                    .map(|u| crate::semantics::Evaluations::Linear(u.clone()))
                    .collect(),
                weights: p.weights.clone(),
                reservation: p.reservation_bid.as_ref().map_or(0.0, |b| p.utility(b)),
            })
            .collect(),
    };
    let s = crate::semantics::scenario_of(&tables, &set.dir.display().to_string())?;
    Ok((s, vec![]))
}
