//! GENIUS / ANAC XML: a domain file (`<negotiation_template>`) plus one
//! utility-space file (`<utility_space>`) per party.
//!
//! Reading keeps the numbers exactly as written ([`GeniusDomain`],
//! [`GeniusProfile`]); the two ways of turning them into utilities live in
//! [`crate::semantics`]: GENIUS's own (evaluations divided by the issue
//! maximum, utilities in [0, 1]) and NegMAS's (raw evaluations).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use zopa_model::{Diagnostic, Diagnostics};

use crate::xml::{self, Elem};
use crate::InteropError;

/// The values an issue can take.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// `<item value=…>` labels, in file order.
    Discrete(Vec<String>),
    /// Every integer in `lo..=hi`.
    Integer {
        /// Lower bound.
        lo: i64,
        /// Upper bound.
        hi: i64,
    },
    /// A real interval (discretised when converted to a scenario).
    Real {
        /// Lower bound.
        lo: f64,
        /// Upper bound.
        hi: f64,
    },
}

/// One issue of a domain.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusIssue {
    /// The `index` attribute (links weights in profiles).
    pub index: i64,
    /// The `name` attribute (links issues in profiles).
    pub name: String,
    /// Its values.
    pub kind: IssueKind,
}

impl GeniusIssue {
    /// Number of values (`None` for real issues).
    pub fn cardinality(&self) -> Option<u128> {
        match &self.kind {
            IssueKind::Discrete(v) => Some(v.len() as u128),
            IssueKind::Integer { lo, hi } => Some((*hi as i128 - *lo as i128 + 1).max(0) as u128),
            IssueKind::Real { .. } => None,
        }
    }
}

/// A domain file.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusDomain {
    /// File name (no directory).
    pub file: String,
    /// Name of the root objective.
    pub name: String,
    /// Issues in file order (issues of nested objectives included, depth first).
    pub issues: Vec<GeniusIssue>,
}

/// How a profile values one issue.
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluator {
    /// Evaluation of each discrete value, by value position.
    Discrete(Vec<f64>),
    /// `offset + slope × x` (GENIUS measures x from the lower bound for
    /// integer issues and from 0 for real ones; NegMAS always from 0).
    Linear {
        /// Offset (`offset` or `parameter0`).
        offset: f64,
        /// Slope (`slope` or `parameter1`).
        slope: f64,
    },
}

/// A utility-space (profile) file.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusProfile {
    /// File name (no directory).
    pub file: String,
    /// Weight of each domain issue (by issue position), if the file gives one.
    pub weights: Vec<Option<f64>>,
    /// Sum of weights whose index is outside the issue index range (NegMAS adds
    /// them to every utility as a constant).
    pub bias: f64,
    /// Weights whose index is inside the issue index range but names no issue
    /// (an objective's index, a gap): `(index, weight)`.
    pub dummy_weights: Vec<(i64, f64)>,
    /// Evaluator of each domain issue (by issue position), if the file gives one.
    pub evaluators: Vec<Option<Evaluator>>,
    /// `<reservation value>` as written, and parsed.
    pub reservation: Option<(String, f64)>,
    /// `<discount_factor value>` as written, and parsed.
    pub discount: Option<(String, f64)>,
    /// Problems that GENIUS and NegMAS tolerate (e.g. an item evaluated twice:
    /// the last evaluation wins), located.
    pub warnings: Diagnostics,
}

/// A domain folder: the domain and its profiles, in NegMAS's order.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusFolder {
    /// The folder.
    pub dir: PathBuf,
    /// The domain.
    pub domain: GeniusDomain,
    /// Profiles in sorted file-name order (= NegMAS ufun order).
    pub profiles: Vec<GeniusProfile>,
}

/// Collects located problems for one file.
struct Ctx<'t> {
    text: &'t str,
    diags: Diagnostics,
}

impl Ctx<'_> {
    fn err(&mut self, pos: usize, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::error("", Some(pos..pos + 1), msg));
    }
    fn warn(&mut self, pos: usize, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning("", Some(pos..pos + 1), msg));
    }
    /// The located diagnostics, after an error that stops the reading.
    fn fail(mut self) -> Diagnostics {
        self.diags.locate(self.text);
        self.diags.sort();
        self.diags
    }
    fn finish<T>(mut self, v: T) -> Result<T, Diagnostics> {
        self.diags.locate(self.text);
        self.diags.sort();
        if self.diags.has_errors() {
            Err(self.diags)
        } else {
            Ok(v)
        }
    }
    fn num(&mut self, e: &Elem, attr: &str) -> Option<f64> {
        let raw = e.attr(attr)?;
        match raw.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.err(
                    e.pos,
                    format!(
                        "<{}> attribute `{attr}` is not a finite number: {raw:?}",
                        e.name
                    ),
                );
                None
            }
        }
    }
    fn int(&mut self, e: &Elem, attr: &str) -> Option<i64> {
        let raw = e.attr(attr)?;
        match raw.trim().parse::<i64>() {
            Ok(x) => Some(x),
            Err(_) => {
                self.err(
                    e.pos,
                    format!("<{}> attribute `{attr}` is not an integer: {raw:?}", e.name),
                );
                None
            }
        }
    }
}

fn parse_root(text: &str, origin: &str) -> Result<Elem, Diagnostics> {
    xml::parse(text).map_err(|e| {
        let mut d = Diagnostics::new(origin);
        d.push(Diagnostic::error("", Some(e.pos..e.pos + 1), e.message));
        d.locate(text);
        d
    })
}

/// Issues under an objective, depth first, in file order.
fn collect_issues<'e>(obj: &'e Elem, out: &mut Vec<&'e Elem>) {
    for c in &obj.children {
        match c.name.as_str() {
            "issue" => out.push(c),
            "objective" => collect_issues(c, out),
            _ => {}
        }
    }
}

/// The root `<objective>` of a `<utility_space>` (or the space itself).
fn root_objective(space: &Elem) -> &Elem {
    space.child("objective").unwrap_or(space)
}

/// Read a domain file's text. `file` names it in diagnostics and in the result.
pub fn read_domain_str(text: &str, file: &str) -> Result<GeniusDomain, Diagnostics> {
    let root = parse_root(text, file)?;
    let mut cx = Ctx {
        text,
        diags: Diagnostics::new(file),
    };
    if root.name != "negotiation_template" {
        cx.err(
            root.pos,
            format!(
                "root element is <{}>, expected <negotiation_template>",
                root.name
            ),
        );
        return Err(cx.fail());
    }
    let Some(space) = root.child("utility_space") else {
        cx.err(root.pos, "<negotiation_template> has no <utility_space>");
        return Err(cx.fail());
    };
    let obj = root_objective(space);
    let mut elems = Vec::new();
    collect_issues(obj, &mut elems);
    if elems.is_empty() {
        cx.err(obj.pos, "the domain has no issues");
    }
    let mut issues: Vec<GeniusIssue> = Vec::new();
    let mut names = HashSet::new();
    for e in elems {
        let Some(name) = e.attr("name").map(str::to_string) else {
            cx.err(e.pos, "<issue> has no `name`");
            continue;
        };
        if !names.insert(name.clone()) {
            cx.err(e.pos, format!("duplicate issue name {name:?}"));
            continue;
        }
        let index = match cx.int(e, "index") {
            Some(i) => i,
            None => {
                if e.attr("index").is_none() {
                    cx.err(e.pos, format!("issue {name:?} has no `index`"));
                }
                continue;
            }
        };
        let ty = e
            .attr("type")
            .or(e.attr("etype"))
            .or(e.attr("vtype"))
            .unwrap_or("discrete");
        let kind = match ty {
            "discrete" => {
                let mut values: Vec<String> = Vec::new();
                let mut seen = HashSet::new();
                for item in e.children_named("item") {
                    match item.attr("value") {
                        None => cx.err(
                            item.pos,
                            format!("an <item> of issue {name:?} has no `value`"),
                        ),
                        Some(v) if !seen.insert(v) => {
                            cx.err(item.pos, format!("duplicate value {v:?} in issue {name:?}"))
                        }
                        Some(v) => values.push(v.to_string()),
                    }
                }
                if values.is_empty() {
                    cx.err(e.pos, format!("discrete issue {name:?} has no values"));
                }
                IssueKind::Discrete(values)
            }
            "integer" | "real" => {
                let range = e.child("range");
                let bound = |cx: &mut Ctx<'_>, attr: &str| -> Option<f64> {
                    if e.attr(attr).is_some() {
                        cx.num(e, attr)
                    } else {
                        range.and_then(|r| cx.num(r, attr))
                    }
                };
                let (lo, hi) = (bound(&mut cx, "lowerbound"), bound(&mut cx, "upperbound"));
                let (Some(lo), Some(hi)) = (lo, hi) else {
                    cx.err(
                        e.pos,
                        format!("{ty} issue {name:?} needs `lowerbound` and `upperbound`"),
                    );
                    continue;
                };
                if lo > hi {
                    cx.err(
                        e.pos,
                        format!("issue {name:?}: lowerbound {lo} is above upperbound {hi}"),
                    );
                    continue;
                }
                if ty == "integer" {
                    if lo.fract() != 0.0
                        || hi.fract() != 0.0
                        || lo.abs() > 9.0e15
                        || hi.abs() > 9.0e15
                    {
                        cx.err(
                            e.pos,
                            format!("integer issue {name:?} has non-integer bounds {lo}..{hi}"),
                        );
                        continue;
                    }
                    IssueKind::Integer {
                        lo: lo as i64,
                        hi: hi as i64,
                    }
                } else {
                    IssueKind::Real { lo, hi }
                }
            }
            other => {
                cx.err(e.pos, format!("issue {name:?} has unknown type {other:?} (expected discrete, integer or real)"));
                continue;
            }
        };
        issues.push(GeniusIssue { index, name, kind });
    }
    let name = obj.attr("name").unwrap_or("").to_string();
    cx.finish(GeniusDomain {
        file: file.to_string(),
        name,
        issues,
    })
}

/// Read a profile file's text against its domain.
pub fn read_profile_str(
    text: &str,
    file: &str,
    domain: &GeniusDomain,
) -> Result<GeniusProfile, Diagnostics> {
    let root = parse_root(text, file)?;
    let mut cx = Ctx {
        text,
        diags: Diagnostics::new(file),
    };
    if root.name != "utility_space" {
        cx.err(
            root.pos,
            format!("root element is <{}>, expected <utility_space>", root.name),
        );
        return Err(cx.fail());
    }
    let n = domain.issues.len();
    let mut profile = GeniusProfile {
        file: file.to_string(),
        weights: vec![None; n],
        bias: 0.0,
        dummy_weights: vec![],
        evaluators: vec![None; n],
        reservation: None,
        discount: None,
        warnings: Diagnostics::new(file),
    };
    for (tag, slot) in [("reservation", 0), ("discount_factor", 1)] {
        if let Some(e) = root.child(tag) {
            match (e.attr("value"), cx.num(e, "value")) {
                (Some(raw), Some(x)) => {
                    let v = Some((raw.to_string(), x));
                    if slot == 0 {
                        profile.reservation = v;
                    } else {
                        profile.discount = v;
                    }
                }
                (None, _) => cx.err(e.pos, format!("<{tag}> has no `value`")),
                _ => {}
            }
        }
    }
    let obj = root_objective(&root);
    // Weight indices refer to issue `index` attributes; indices between 1 and
    // the largest issue index that name no issue (objectives) are ignored, any
    // other index is a constant bias (as NegMAS reads it).
    let max_index = domain.issues.iter().map(|i| i.index).max().unwrap_or(0);
    // The first issue of each index and name, as a linear search would find.
    let mut by_index: HashMap<i64, usize> = HashMap::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (k, i) in domain.issues.iter().enumerate() {
        by_index.entry(i.index).or_insert(k);
        by_name.entry(i.name.as_str()).or_insert(k);
    }
    for w in obj.children_named("weight") {
        let (Some(index), Some(value)) = (cx.int(w, "index"), cx.num(w, "value")) else {
            if w.attr("index").is_none() || w.attr("value").is_none() {
                cx.err(w.pos, "<weight> needs `index` and `value`");
            }
            continue;
        };
        if value < 0.0 {
            cx.err(w.pos, format!("weight {value} is negative"));
            continue;
        }
        match by_index.get(&index).copied() {
            Some(k) => {
                if profile.weights[k].is_some() {
                    cx.err(w.pos, format!("second weight for issue index {index}"));
                }
                profile.weights[k] = Some(value);
            }
            None if (1..=max_index).contains(&index) => profile.dummy_weights.push((index, value)),
            None => profile.bias += value,
        }
    }
    let mut elems = Vec::new();
    collect_issues(obj, &mut elems);
    for e in elems {
        let Some(name) = e.attr("name") else {
            cx.err(e.pos, "<issue> has no `name`");
            continue;
        };
        let Some(&k) = by_name.get(name) else {
            cx.err(
                e.pos,
                format!("issue {name:?} is not in the domain {}", domain.file),
            );
            continue;
        };
        if profile.evaluators[k].is_some() {
            cx.err(e.pos, format!("issue {name:?} is evaluated twice"));
            continue;
        }
        let ev = match &domain.issues[k].kind {
            IssueKind::Discrete(values) => {
                let mut evals: Vec<Option<f64>> = vec![None; values.len()];
                // First position of each value (the domain has no duplicates).
                let mut position: HashMap<&str, usize> = HashMap::new();
                for (p, x) in values.iter().enumerate() {
                    position.entry(x.as_str()).or_insert(p);
                }
                for item in e.children_named("item") {
                    let Some(v) = item.attr("value") else {
                        cx.err(
                            item.pos,
                            format!("an <item> of issue {name:?} has no `value`"),
                        );
                        continue;
                    };
                    let Some(&p) = position.get(v) else {
                        cx.err(
                            item.pos,
                            format!("value {v:?} is not a value of issue {name:?} in the domain"),
                        );
                        continue;
                    };
                    if evals[p].is_some() {
                        cx.warn(
                            item.pos,
                            format!("value {v:?} of issue {name:?} is evaluated twice; the last evaluation counts (as in GENIUS and NegMAS)"),
                        );
                    }
                    // An invalid evaluation is reported here; the value then
                    // counts as present so that no second error follows.
                    evals[p] = Some(0.0);
                    match cx.num(item, "evaluation") {
                        Some(x) if x < 0.0 => {
                            cx.err(item.pos, format!("evaluation {x} of {v:?} is negative"))
                        }
                        Some(x) => evals[p] = Some(x),
                        None if item.attr("evaluation").is_none() => cx.err(
                            item.pos,
                            format!("value {v:?} of issue {name:?} has no `evaluation`"),
                        ),
                        None => {}
                    }
                }
                let missing: Vec<&str> = values
                    .iter()
                    .zip(&evals)
                    .filter(|(_, e)| e.is_none())
                    .map(|(v, _)| v.as_str())
                    .collect();
                if !missing.is_empty() && missing.len() < values.len() {
                    cx.err(
                        e.pos,
                        format!("issue {name:?} has no evaluation for {missing:?}"),
                    );
                    continue;
                }
                if missing.len() == values.len() {
                    continue; // no items: the issue is not evaluated
                }
                Evaluator::Discrete(evals.into_iter().map(|x| x.unwrap_or(0.0)).collect())
            }
            IssueKind::Integer { .. } | IssueKind::Real { .. } => {
                let Some(ev) = e.child("evaluator") else {
                    continue;
                };
                match ev.attr("ftype") {
                    Some("linear") => {
                        let get = |cx: &mut Ctx<'_>, a: &str, b: &str, d: f64| {
                            if ev.attr(a).is_some() {
                                cx.num(ev, a).unwrap_or(d)
                            } else if ev.attr(b).is_some() {
                                cx.num(ev, b).unwrap_or(d)
                            } else {
                                d
                            }
                        };
                        Evaluator::Linear {
                            offset: get(&mut cx, "offset", "parameter0", 0.0),
                            slope: get(&mut cx, "slope", "parameter1", 1.0),
                        }
                    }
                    other => {
                        cx.err(ev.pos, format!(
                                "evaluator type {:?} of issue {name:?} is not supported (only linear)",
                                other.unwrap_or("(missing ftype)")
                            ));
                        continue;
                    }
                }
            }
        };
        profile.evaluators[k] = Some(ev);
    }
    let mut warnings = cx.diags.clone();
    warnings
        .items
        .retain(|d| d.severity == zopa_model::Severity::Warning);
    profile.warnings = warnings;
    profile.warnings.locate(text);
    cx.finish(profile)
}

/// Whether `dir` holds a GENIUS domain (some `*.xml` whose root is `<negotiation_template>`).
pub fn is_genius_folder(dir: &Path) -> bool {
    crate::folder_files(dir, ".xml").is_ok_and(|files| is_genius_files(&files))
}

/// Whether `files` hold a GENIUS domain: an `.xml` file whose root is
/// `<negotiation_template>`, or one that names it but does not parse (a
/// damaged domain is read as GENIUS, so its error is located, rather than
/// the folder being taken for no domain at all).
pub fn is_genius_files(files: &[crate::FileBytes]) -> bool {
    files.iter().any(|f| {
        f.name.ends_with(".xml")
            && std::str::from_utf8(&f.bytes).is_ok_and(|t| match xml::parse(t) {
                Ok(r) => r.name == "negotiation_template",
                Err(_) => t.contains("<negotiation_template"),
            })
    })
}

/// Read a domain folder by NegMAS's conventions: `*.xml` files except
/// `*pareto.xml`, in sorted file-name order; the one whose root is
/// `<negotiation_template>` is the domain, every `<utility_space>` a profile.
pub fn read_folder(dir: &Path) -> Result<GeniusFolder, InteropError> {
    read_files(dir, crate::folder_files(dir, ".xml")?)
}

/// Read a domain from its files held in memory (an upload), by the
/// conventions of [`read_folder`]; `dir` names the folder in messages.
pub fn read_files(
    dir: &Path,
    mut files: Vec<crate::FileBytes>,
) -> Result<GeniusFolder, InteropError> {
    files.retain(|f| f.name.ends_with(".xml") && !f.name.ends_with("pareto.xml"));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let mut domain: Option<(String, String)> = None;
    let mut profiles: Vec<(String, String)> = Vec::new();
    for f in files {
        let origin = dir.join(&f.name).display().to_string();
        let text = crate::utf8(&origin, f.bytes)?;
        let root = parse_root(&text, &origin).map_err(InteropError::Invalid)?;
        match root.name.as_str() {
            "negotiation_template" => {
                if let Some((first, _)) = &domain {
                    return Err(InteropError::Folder(format!(
                        "{} holds two domain files: {} and {}",
                        dir.display(),
                        dir.join(first).display(),
                        origin
                    )));
                }
                domain = Some((f.name, text));
            }
            "utility_space" => profiles.push((f.name, text)),
            _ => {}
        }
    }
    let (dname, dtext) = crate::require_parts(
        dir,
        domain,
        &profiles,
        "GENIUS",
        "an .xml file whose root is <negotiation_template>",
        "an .xml file whose root is <utility_space>",
    )?;
    let origin = |name: &str| dir.join(name).display().to_string();
    let mut domain = read_domain_str(&dtext, &origin(&dname)).map_err(InteropError::Invalid)?;
    domain.file = dname;
    let profiles = profiles
        .into_iter()
        .map(|(name, t)| {
            let mut prof =
                read_profile_str(&t, &origin(&name), &domain).map_err(InteropError::Invalid)?;
            prof.file = name;
            Ok(prof)
        })
        .collect::<Result<Vec<_>, InteropError>>()?;
    Ok(GeniusFolder {
        dir: dir.to_path_buf(),
        domain,
        profiles,
    })
}
