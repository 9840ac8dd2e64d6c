//! GeniusWeb JSON: a domain (`{"name", "issuesValues"}`) and
//! `LinearAdditiveUtilitySpace` profiles (GW-py
//! `geniusweb/profile/utilityspace/LinearAdditiveUtilitySpace.py`).
//!
//! Both spellings of the value-set utility types are read
//! (`DiscreteValueSetUtilities` / `discreteutils`,
//! `NumberValueSetUtilities` / `numberutils`); the class names are written.
//! Utilities are `Σ weight × valueUtility` with no normalisation: value
//! utilities are in [0, 1] and weights sum to 1.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use zopa_model::limits::MAX_ISSUE_VALUES;
use zopa_model::tree::{self, Kind, Node, Syntax};
use zopa_model::{Diagnostic, Diagnostics};

use crate::InteropError;

/// A value of a GeniusWeb issue.
#[derive(Debug, Clone, PartialEq)]
pub enum GwValue {
    /// A discrete value (JSON string).
    Str(String),
    /// A number value (from a `range` value set).
    Num(f64),
}

impl GwValue {
    /// The value as an option id / label.
    pub fn label(&self) -> String {
        match self {
            GwValue::Str(s) => s.clone(),
            GwValue::Num(x) => format!("{x}"),
        }
    }
    fn to_json(&self) -> Value {
        match self {
            GwValue::Str(s) => json!(s),
            GwValue::Num(x) => json!(x),
        }
    }
}

/// How an issue's values are given.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueSet {
    /// `{"values": [...]}`.
    Discrete,
    /// `{"range": {"low", "high", "step"}}`.
    Range {
        /// Lowest value.
        low: f64,
        /// Highest value.
        high: f64,
        /// Step.
        step: f64,
    },
}

/// An issue.
#[derive(Debug, Clone, PartialEq)]
pub struct GwIssue {
    /// Name.
    pub name: String,
    /// Values in file order.
    pub values: Vec<GwValue>,
    /// How the values were given.
    pub set: ValueSet,
}

/// A domain.
#[derive(Debug, Clone, PartialEq)]
pub struct GwDomain {
    /// Domain name.
    pub name: String,
    /// Issues in file order.
    pub issues: Vec<GwIssue>,
}

/// A `LinearAdditiveUtilitySpace` profile, resolved against its domain.
#[derive(Debug, Clone, PartialEq)]
pub struct GwProfile {
    /// Profile name.
    pub name: String,
    /// Weight of each domain issue.
    pub weights: Vec<f64>,
    /// Utility of each value of each domain issue.
    pub utilities: Vec<Vec<f64>>,
    /// The reservation bid (value index per issue), if any.
    pub reservation_bid: Option<Vec<usize>>,
}

impl GwProfile {
    /// The profile's utility of a bid (value index per issue).
    pub fn utility(&self, bid: &[usize]) -> f64 {
        bid.iter()
            .enumerate()
            .map(|(i, &v)| self.weights[i] * self.utilities[i][v])
            .sum()
    }
}

struct Cx<'t> {
    text: &'t str,
    diags: Diagnostics,
}

impl Cx<'_> {
    fn err(&mut self, n: &Node, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::error("", Some(n.span.clone()), msg));
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
    fn obj<'n>(&mut self, n: &'n Node, what: &str) -> Option<&'n [(tree::Key, Node)]> {
        match &n.kind {
            Kind::Table(t) => Some(t),
            other => {
                self.err(
                    n,
                    format!("{what} must be an object, found {}", other.name()),
                );
                None
            }
        }
    }
    fn get<'n>(&mut self, n: &'n Node, key: &str, what: &str) -> Option<&'n Node> {
        let t = self.obj(n, what)?;
        let v = t.iter().find(|(k, _)| k.name == key).map(|(_, v)| v);
        if v.is_none() {
            self.err(n, format!("{what} has no `{key}`"));
        }
        v
    }
    fn num(&mut self, n: &Node, what: &str) -> Option<f64> {
        match n.kind {
            Kind::Num(x) if x.is_finite() => Some(x),
            _ => {
                self.err(n, format!("{what} must be a finite number"));
                None
            }
        }
    }
}

fn parse(text: &str, origin: &str) -> Result<Node, Diagnostics> {
    tree::parse(text, Syntax::Json).map_err(|items| {
        let mut d = Diagnostics::new(origin);
        d.items = items;
        d.locate(text);
        d
    })
}

fn field<'n>(n: &'n Node, key: &str) -> Option<&'n Node> {
    match &n.kind {
        Kind::Table(t) => t.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

/// Read the `issuesValues` domain object at `n`.
fn read_domain_node(cx: &mut Cx<'_>, n: &Node) -> Option<GwDomain> {
    let name = match field(n, "name").map(|x| &x.kind) {
        Some(Kind::Str(s)) => s.clone(),
        _ => String::new(),
    };
    let iv = cx.get(n, "issuesValues", "the domain")?;
    let entries = cx.obj(iv, "issuesValues")?;
    if entries.is_empty() {
        cx.err(iv, "the domain has no issues");
    }
    let mut issues = Vec::new();
    let mut names = HashSet::new();
    for (k, set) in entries {
        if !names.insert(k.name.as_str()) {
            cx.err(set, format!("duplicate issue {:?}", k.name));
            continue;
        }
        if let Some(vals) = field(set, "values") {
            let Kind::Array(items) = &vals.kind else {
                cx.err(
                    vals,
                    format!("values of issue {:?} must be an array", k.name),
                );
                continue;
            };
            let mut values: Vec<GwValue> = Vec::new();
            let mut seen = HashSet::new();
            for it in items {
                match &it.kind {
                    Kind::Str(s) if !seen.insert(s.as_str()) => {
                        cx.err(it, format!("duplicate value {s:?} in issue {:?}", k.name))
                    }
                    Kind::Str(s) => values.push(GwValue::Str(s.clone())),
                    other => cx.err(
                        it,
                        format!("a discrete value must be a string, found {}", other.name()),
                    ),
                }
            }
            if values.is_empty() {
                cx.err(vals, format!("issue {:?} has no values", k.name));
            }
            issues.push(GwIssue {
                name: k.name.clone(),
                values,
                set: ValueSet::Discrete,
            });
        } else if let Some(range) = field(set, "range") {
            let low = cx.get(range, "low", "range").and_then(|x| cx.num(x, "low"));
            let high = cx
                .get(range, "high", "range")
                .and_then(|x| cx.num(x, "high"));
            let step = cx
                .get(range, "step", "range")
                .and_then(|x| cx.num(x, "step"));
            let (Some(low), Some(high), Some(step)) = (low, high, step) else {
                continue;
            };
            if step <= 0.0 || high < low {
                cx.err(
                    range,
                    format!("issue {:?}: need low ≤ high and step > 0", k.name),
                );
                continue;
            }
            // Counted before anything is expanded.
            let n = ((high - low) / step + 1e-9).floor() + 1.0;
            if n > MAX_ISSUE_VALUES as f64 {
                cx.err(
                    range,
                    format!(
                        "issue {:?} has {n} values, above the limit of {MAX_ISSUE_VALUES} values per issue",
                        k.name
                    ),
                );
                continue;
            }
            let values = (0..n as usize)
                .map(|i| GwValue::Num(round_to(low + step * i as f64, 10)))
                .collect();
            issues.push(GwIssue {
                name: k.name.clone(),
                values,
                set: ValueSet::Range { low, high, step },
            });
        } else {
            cx.err(set, format!("issue {:?} needs `values` or `range`", k.name));
        }
    }
    Some(GwDomain { name, issues })
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Read a domain file's text.
pub fn read_domain_str(text: &str, origin: &str) -> Result<GwDomain, Diagnostics> {
    let root = parse(text, origin)?;
    let mut cx = Cx {
        text,
        diags: Diagnostics::new(origin),
    };
    let d = read_domain_node(&mut cx, &root);
    cx.finish(d.unwrap_or(GwDomain {
        name: String::new(),
        issues: vec![],
    }))
}

/// Whether JSON text is a GeniusWeb profile (has the `LinearAdditiveUtilitySpace` key).
fn kind_of(root: &Node) -> Option<&'static str> {
    if field(root, "LinearAdditiveUtilitySpace").is_some() {
        Some("profile")
    } else if field(root, "issuesValues").is_some() {
        Some("domain")
    } else {
        None
    }
}

/// Read a profile file's text against its domain.
pub fn read_profile_str(
    text: &str,
    origin: &str,
    domain: &GwDomain,
) -> Result<GwProfile, Diagnostics> {
    let root = parse(text, origin)?;
    let mut cx = Cx {
        text,
        diags: Diagnostics::new(origin),
    };
    let n = domain.issues.len();
    // The first issue of each name, as a linear search would find.
    let mut issue_of: HashMap<&str, usize> = HashMap::new();
    for (i, x) in domain.issues.iter().enumerate() {
        issue_of.entry(x.name.as_str()).or_insert(i);
    }
    let mut p = GwProfile {
        name: String::new(),
        weights: vec![0.0; n],
        utilities: domain
            .issues
            .iter()
            .map(|i| vec![0.0; i.values.len()])
            .collect(),
        reservation_bid: None,
    };
    let Some(las) = cx.get(&root, "LinearAdditiveUtilitySpace", "a GeniusWeb profile") else {
        return cx.finish(p);
    };
    if cx.obj(las, "LinearAdditiveUtilitySpace").is_none() {
        return cx.finish(p);
    }
    if let Some(Kind::Str(s)) = field(las, "name").map(|x| &x.kind) {
        p.name = s.clone();
    }
    if let Some(d) = field(las, "domain") {
        if let Some(embedded) = read_domain_node(&mut cx, d) {
            if embedded.issues != domain.issues {
                cx.err(
                    d,
                    "the domain embedded in the profile differs from the domain file",
                );
            }
        }
    }
    // Weights.
    if let Some(w) = cx.get(las, "issueWeights", "the profile") {
        if let Some(entries) = cx.obj(w, "issueWeights") {
            let mut seen = vec![false; n];
            for (k, v) in entries {
                let Some(i) = issue_of.get(k.name.as_str()).copied() else {
                    cx.err(v, format!("weight for unknown issue {:?}", k.name));
                    continue;
                };
                seen[i] = true;
                match cx.num(v, "a weight") {
                    Some(x) if x < 0.0 => cx.err(v, format!("weight {x} is negative")),
                    Some(x) => p.weights[i] = x,
                    None => {}
                }
            }
            for (i, s) in seen.iter().enumerate() {
                if !s {
                    cx.err(
                        w,
                        format!("no weight for issue {:?}", domain.issues[i].name),
                    );
                }
            }
            let total: f64 = p.weights.iter().sum();
            if seen.iter().all(|s| *s) && (total - 1.0).abs() > 1e-9 {
                cx.err(w, format!("weights sum to {total}, not 1"));
            }
        }
    }
    // Value utilities.
    if let Some(iu) = cx.get(las, "issueUtilities", "the profile") {
        if let Some(entries) = cx.obj(iu, "issueUtilities") {
            let mut seen = vec![false; n];
            for (k, v) in entries {
                let Some(i) = issue_of.get(k.name.as_str()).copied() else {
                    cx.err(v, format!("utilities for unknown issue {:?}", k.name));
                    continue;
                };
                seen[i] = true;
                read_value_utils(&mut cx, v, &domain.issues[i], &mut p.utilities[i]);
            }
            for (i, s) in seen.iter().enumerate() {
                if !s {
                    cx.err(
                        iu,
                        format!("no utilities for issue {:?}", domain.issues[i].name),
                    );
                }
            }
        }
    }
    // Reservation bid.
    if let Some(rb) = field(las, "reservationBid") {
        if let Some(iv) = cx.get(rb, "issuevalues", "reservationBid") {
            if let Some(entries) = cx.obj(iv, "issuevalues") {
                let mut bid = vec![usize::MAX; n];
                for (k, v) in entries {
                    let Some(i) = issue_of.get(k.name.as_str()).copied() else {
                        cx.err(
                            v,
                            format!("reservation bid names unknown issue {:?}", k.name),
                        );
                        continue;
                    };
                    match value_index(&domain.issues[i], v) {
                        Some(x) => bid[i] = x,
                        None => cx.err(
                            v,
                            format!("reservation bid value is not a value of issue {:?}", k.name),
                        ),
                    }
                }
                if bid.iter().all(|&b| b != usize::MAX) {
                    p.reservation_bid = Some(bid);
                } else {
                    cx.err(
                        iv,
                        "the reservation bid does not give a value for every issue",
                    );
                }
            }
        }
    }
    cx.finish(p)
}

fn value_index(issue: &GwIssue, v: &Node) -> Option<usize> {
    issue.values.iter().position(|x| match (x, &v.kind) {
        (GwValue::Str(a), Kind::Str(b)) => a == b,
        (GwValue::Num(a), Kind::Num(b)) => (a - b).abs() < 1e-9,
        _ => false,
    })
}

fn read_value_utils(cx: &mut Cx<'_>, v: &Node, issue: &GwIssue, out: &mut [f64]) {
    let Some(entries) = cx.obj(v, "issue utilities") else {
        return;
    };
    let Some((ty, body)) = entries.first() else {
        cx.err(v, format!("no utilities for issue {:?}", issue.name));
        return;
    };
    match ty.name.as_str() {
        "DiscreteValueSetUtilities" | "discreteutils" => {
            let Some(vu) = cx.get(body, "valueUtilities", &ty.name) else {
                return;
            };
            let Some(items) = cx.obj(vu, "valueUtilities") else {
                return;
            };
            let mut seen = vec![false; issue.values.len()];
            let mut position: HashMap<String, usize> = HashMap::new();
            for (x, val) in issue.values.iter().enumerate() {
                position.entry(val.label()).or_insert(x);
            }
            for (k, u) in items {
                let Some(&x) = position.get(&k.name) else {
                    cx.err(
                        u,
                        format!("{:?} is not a value of issue {:?}", k.name, issue.name),
                    );
                    continue;
                };
                if std::mem::replace(&mut seen[x], true) {
                    cx.err(
                        u,
                        format!(
                            "{:?} of issue {:?} has a second utility (one per value)",
                            k.name, issue.name
                        ),
                    );
                    continue;
                }
                match cx.num(u, "a value utility") {
                    Some(y) if !(0.0..=1.0).contains(&y) => {
                        cx.err(u, format!("utility {y} of {:?} is outside [0, 1]", k.name))
                    }
                    Some(y) => out[x] = y,
                    None => {}
                }
            }
            let missing: Vec<String> = issue
                .values
                .iter()
                .zip(&seen)
                .filter(|(_, s)| !**s)
                .map(|(v, _)| v.label())
                .collect();
            if !missing.is_empty() {
                cx.err(
                    vu,
                    format!("issue {:?} has no utility for {missing:?}", issue.name),
                );
            }
        }
        "NumberValueSetUtilities" | "numberutils" => {
            let mut g = |key: &str| cx.get(body, key, &ty.name).and_then(|x| cx.num(x, key));
            let (lv, lu, hv, hu) = (
                g("lowValue"),
                g("lowUtility"),
                g("highValue"),
                g("highUtility"),
            );
            let (Some(lv), Some(lu), Some(hv), Some(hu)) = (lv, lu, hv, hu) else {
                return;
            };
            if hv <= lv || !(0.0..=1.0).contains(&lu) || !(0.0..=1.0).contains(&hu) {
                cx.err(body, "need highValue > lowValue and utilities in [0, 1]");
                return;
            }
            if let Some(v) = issue.values.iter().find(|v| !matches!(v, GwValue::Num(_))) {
                cx.err(
                    body,
                    format!(
                        "{} gives utilities to numbers, but issue {:?} has the value {:?}: use DiscreteValueSetUtilities",
                        ty.name,
                        issue.name,
                        v.label()
                    ),
                );
                return;
            }
            for (x, val) in out.iter_mut().zip(&issue.values) {
                *x = match val {
                    GwValue::Num(v) if (lv..=hv).contains(v) => {
                        round_to(lu + (hu - lu) * (v - lv) / (hv - lv), 8)
                    }
                    _ => 0.0,
                };
            }
        }
        other => cx.err(v, format!("unknown value-set utility type {other:?}")),
    }
}

/// A GeniusWeb domain with its profiles (a folder of JSON files).
#[derive(Debug, Clone, PartialEq)]
pub struct GwSet {
    /// The folder (or the domain file's folder).
    pub dir: PathBuf,
    /// The domain.
    pub domain: GwDomain,
    /// Profiles, in sorted file-name order.
    pub profiles: Vec<GwProfile>,
}

/// Whether `dir` holds a GeniusWeb domain (`*.json` with `issuesValues`).
pub fn is_geniusweb_folder(dir: &Path) -> bool {
    crate::folder_files(dir, ".json").is_ok_and(|fs| is_geniusweb_files(&fs))
}

/// Whether `files` hold a GeniusWeb domain.
pub fn is_geniusweb_files(files: &[crate::FileBytes]) -> bool {
    files.iter().any(|f| {
        f.name.ends_with(".json")
            && std::str::from_utf8(&f.bytes)
                .ok()
                .and_then(|t| parse(t, &f.name).ok())
                .is_some_and(|r| kind_of(&r) == Some("domain"))
    })
}

/// Read a folder: the one `*.json` with `issuesValues` is the domain, every
/// `*.json` with `LinearAdditiveUtilitySpace` a profile; other JSON files
/// (e.g. ANL's `specials.json`) are ignored.
pub fn read_folder(dir: &Path) -> Result<GwSet, InteropError> {
    read_files(dir, crate::folder_files(dir, ".json")?)
}

/// Read a domain and its profiles from files held in memory (an upload), by
/// the conventions of [`read_folder`]; `dir` names the folder in messages.
pub fn read_files(dir: &Path, mut files: Vec<crate::FileBytes>) -> Result<GwSet, InteropError> {
    files.retain(|f| f.name.ends_with(".json"));
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let mut domain = None;
    let mut profiles = Vec::new();
    for f in files {
        let origin = dir.join(&f.name).display().to_string();
        let text = crate::utf8(&origin, f.bytes)?;
        let root = parse(&text, &origin).map_err(InteropError::Invalid)?;
        match kind_of(&root) {
            Some("domain") => {
                if domain.is_some() {
                    return Err(InteropError::Folder(format!(
                        "{} holds two GeniusWeb domains",
                        dir.display()
                    )));
                }
                domain = Some((origin, text));
            }
            Some(_) => profiles.push((f.name, origin, text)),
            None => {}
        }
    }
    let (dorigin, dtext) = crate::require_parts(
        dir,
        domain,
        &profiles,
        "GeniusWeb",
        "a .json file with `issuesValues`",
        "a .json file with `LinearAdditiveUtilitySpace`",
    )?;
    let domain = read_domain_str(&dtext, &dorigin).map_err(InteropError::Invalid)?;
    let profiles = profiles
        .iter()
        .map(|(name, origin, t)| {
            let mut prof = read_profile_str(t, origin, &domain).map_err(InteropError::Invalid)?;
            if prof.name.is_empty() {
                prof.name = name.strip_suffix(".json").unwrap_or(name).to_string();
            }
            Ok(prof)
        })
        .collect::<Result<_, InteropError>>()?;
    Ok(GwSet {
        dir: dir.to_path_buf(),
        domain,
        profiles,
    })
}

/// The domain as GeniusWeb JSON.
pub fn domain_json(d: &GwDomain) -> Value {
    let mut iv = Map::new();
    for i in &d.issues {
        let set = match i.set {
            ValueSet::Discrete => {
                json!({"values": i.values.iter().map(GwValue::to_json).collect::<Vec<_>>()})
            }
            ValueSet::Range { low, high, step } => {
                json!({"range": {"low": low, "high": high, "step": step}})
            }
        };
        iv.insert(i.name.clone(), set);
    }
    json!({"name": d.name, "issuesValues": iv})
}

/// A profile as GeniusWeb JSON (long type names; the domain embedded).
pub fn profile_json(d: &GwDomain, p: &GwProfile) -> Value {
    let mut iu = Map::new();
    let mut iw = Map::new();
    for (i, issue) in d.issues.iter().enumerate() {
        let mut vu = Map::new();
        for (v, u) in issue.values.iter().zip(&p.utilities[i]) {
            vu.insert(v.label(), json!(u));
        }
        iu.insert(
            issue.name.clone(),
            json!({"DiscreteValueSetUtilities": {"valueUtilities": vu}}),
        );
        iw.insert(issue.name.clone(), json!(p.weights[i]));
    }
    let mut las = json!({
        "issueUtilities": iu,
        "issueWeights": iw,
        "domain": domain_json(d),
        "name": p.name,
    });
    if let Some(bid) = &p.reservation_bid {
        let mut iv = Map::new();
        for (i, &b) in bid.iter().enumerate() {
            iv.insert(d.issues[i].name.clone(), d.issues[i].values[b].to_json());
        }
        las["reservationBid"] = json!({"issuevalues": iv});
    }
    json!({"LinearAdditiveUtilitySpace": las})
}
