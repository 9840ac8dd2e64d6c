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
        let missing = !p.exists() && std::path::Path::new(path).is_relative();
        crate::limits::read_text(&p).map_err(|e| {
            if missing {
                format!("{e} (a source's `path` is relative to the scenario file's folder)")
            } else {
                e
            }
        })
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

/// Fewest letters and digits an evidence quote may have.
pub const MIN_QUOTE_LETTERS: usize = 4;

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

    /// Check the words `zopa evidence` matches: keywords of issues and
    /// options and actor aliases are non-blank, and no alias names two actors
    /// (compared case-insensitively, against other actors' names and ids too).
    fn names(&mut self, doc: &ScenarioDoc) {
        let blank = |v: &mut Self, path: String, w: &Sp<String>| {
            if w.value.trim().is_empty() {
                v.err(path, &w.span, "empty word: give the phrase a text uses");
            }
        };
        for (i, issue) in doc.issues.iter().enumerate() {
            for (k, w) in issue.keywords.iter().enumerate() {
                blank(self, format!("issues[{i}].keywords[{k}]"), w);
            }
            for (o, opt) in issue.options.value.iter().enumerate() {
                for (k, w) in opt.keywords.iter().enumerate() {
                    blank(self, format!("issues[{i}].options[{o}].keywords[{k}]"), w);
                }
            }
        }
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (a, actor) in doc.actors.iter().enumerate() {
            for n in [&actor.id.value, &actor.name.value] {
                owner.entry(n.trim().to_lowercase()).or_insert(a);
            }
        }
        for (a, actor) in doc.actors.iter().enumerate() {
            for (k, w) in actor.aliases.iter().enumerate() {
                let path = format!("actors[{a}].aliases[{k}]");
                blank(self, path.clone(), w);
                let key = w.value.trim().to_lowercase();
                match owner.get(&key) {
                    Some(&b) if b != a => self.err(
                        path,
                        &w.span,
                        format!(
                            "alias `{}` already names actor `{}`: a text's mention must resolve to one party",
                            w.value, doc.actors[b].id.value
                        ),
                    ),
                    _ => {
                        owner.insert(key, a);
                    }
                }
            }
        }
    }

    /// Check one basis: its quotes (source, verbatim text, speaker, what
    /// they state, checked against the numbers in `what`) and its note.
    fn basis(&mut self, b: &BasisDoc, path: &str, cx: &Cx<'_>, what: Grounds<'_>) -> Basis {
        let evidence = b
            .evidence
            .iter()
            .enumerate()
            .filter_map(|(i, e)| self.evidence(e, &format!("{path}.evidence[{i}]"), cx, &what))
            .collect();
        let note = b.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if b.assumption && note.is_none() {
            self.err(
                format!("{path}.note"),
                &b.span,
                "an assumption needs a `note` saying whose judgement it is and why",
            );
        }
        if let Grounds::Position { who, issue, .. } = &what {
            if !b.assumption && b.evidence.is_empty() {
                self.err(
                    path,
                    &b.span,
                    format!(
                        "the position of {who} on `{issue}` has no evidence: cite a source quote, or mark it `assumption = true` with a `note`"
                    ),
                );
            }
        }
        Basis {
            evidence,
            assumption: b.assumption,
            note: note.map(str::to_string),
            author: b.author.clone(),
        }
    }

    /// Check one quote; `None` when its source is unknown or it is empty.
    fn evidence(
        &mut self,
        e: &EvidenceDoc,
        ep: &str,
        cx: &Cx<'_>,
        what: &Grounds<'_>,
    ) -> Option<Evidence> {
        let Some(&s) = cx.sources.get(e.source.value.as_str()) else {
            self.err(
                format!("{ep}.source"),
                &e.source.span,
                format!(
                    "unknown source `{}` (declare it under [[sources]]){}",
                    e.source.value,
                    crate::diag::did_you_mean(&e.source.value, cx.sources.keys().copied())
                ),
            );
            return None;
        };
        if e.quote.value.trim().is_empty() {
            self.err(
                format!("{ep}.quote"),
                &e.quote.span,
                "evidence quote is empty",
            );
            return None;
        }
        // A letter or two ("a", "no") occurs in any text: it shows nothing.
        let letters = e
            .quote
            .value
            .chars()
            .filter(|c| c.is_alphanumeric())
            .count();
        if letters < MIN_QUOTE_LETTERS {
            self.err(
                format!("{ep}.quote"),
                &e.quote.span,
                format!(
                    "quote \"{}\" has fewer than {MIN_QUOTE_LETTERS} letters or digits: too short to show anything; quote the phrase it stands in",
                    excerpt(&e.quote.value)
                ),
            );
            return None;
        }
        let line = cx.texts[s].as_ref().and_then(|t| t.line_of(&e.quote.value));
        if let (Some(text), None) = (cx.texts[s].as_ref(), line) {
            let nearest = match text.nearest(&e.quote.value) {
                Some((l, passage)) => format!(
                    "; the nearest passage, line {l} of the source: \"{}\"",
                    excerpt(&passage)
                ),
                None => String::new(),
            };
            self.err(
                format!("{ep}.quote"),
                &e.quote.span,
                format!(
                    "quote does not occur verbatim in source `{}`: \"{}\"{nearest}",
                    e.source.value,
                    excerpt(&e.quote.value)
                ),
            );
        }
        let speaker = e.speaker.as_ref().and_then(|sp| {
            let found = cx.actors.get(sp.value.as_str()).copied();
            if found.is_none() {
                self.err(
                    format!("{ep}.speaker"),
                    &sp.span,
                    format!(
                        "unknown speaker `{}`: name an actor id, or leave `speaker` out for the source's own voice or anyone who is not a party{}",
                        sp.value,
                        crate::diag::did_you_mean(&sp.value, cx.actors.keys().copied())
                    ),
                );
            }
            found
        });
        if let (Some(sp), Some(actor)) = (&e.speaker, what.actor()) {
            if speaker.is_some_and(|x| x != actor) {
                self.err(
                    format!("{ep}.speaker"),
                    &sp.span,
                    format!(
                        "a quote spoken by `{}` cannot ground a claim of `{}`: cite `{}`'s own words, or keep the quote out and explain the claim in a `note`",
                        sp.value, cx.actor_ids[actor], cx.actor_ids[actor]
                    ),
                );
            }
        }
        let states = self.states(&e.states, &format!("{ep}.states"), speaker, e, what);
        let marked = cx.texts[s]
            .as_ref()
            .and_then(|t| t.in_quotation_marks(&e.quote.value));
        let grade = self.grade(e, ep, marked);
        Some(Evidence {
            source: s,
            quote: e.quote.value.clone(),
            line: line.unwrap_or(0),
            speaker,
            states,
            grade,
            grade_declared: e.grade.is_some(),
        })
    }

    /// The grade of a quote: declared (a `direct` one must sit inside
    /// quotation marks in its source), or read from the source — direct
    /// inside quotation marks, reported otherwise (or when the source could
    /// not be read).
    fn grade(&mut self, e: &EvidenceDoc, ep: &str, marked: Option<bool>) -> Grade {
        let read = if marked == Some(true) {
            Grade::Direct
        } else {
            Grade::Reported
        };
        let Some(g) = &e.grade else { return read };
        match g.value.as_str() {
            "direct" => {
                if marked == Some(false) {
                    self.err(
                        format!("{ep}.grade"),
                        &g.span,
                        format!(
                            "a direct quote is the speaker's words in quotation marks, and \"{}\" is not inside quotation marks in its source: grade it `reported` (the journalist's paraphrase) or `inferred` (your reading of the passage)",
                            excerpt(&e.quote.value)
                        ),
                    );
                }
                Grade::Direct
            }
            "reported" => Grade::Reported,
            "inferred" => Grade::Inferred,
            other => {
                self.err(
                    format!("{ep}.grade"),
                    &g.span,
                    format!("unknown grade `{other}` (expected direct, reported or inferred)"),
                );
                read
            }
        }
    }

    /// Check what a quote `states` against the claims it grounds.
    fn states(
        &mut self,
        st: &StatesDoc,
        sp: &str,
        speaker: Option<usize>,
        e: &EvidenceDoc,
        what: &Grounds<'_>,
    ) -> Vec<Stated> {
        if let Grounds::Decision = what {
            if !st.is_empty() {
                self.err(
                    sp,
                    &st.span,
                    "a decision rule's quote states the rule itself: leave `states` out",
                );
            }
            return vec![Stated::Attached];
        }
        if let Grounds::RedLine { actor } = what {
            if !st.is_empty() {
                self.err(
                    sp,
                    &st.span,
                    "a red line's quote states the red line itself: leave `states` out",
                );
            }
            return if speaker == Some(*actor) {
                vec![Stated::Attached]
            } else {
                vec![]
            };
        }
        if st.is_empty() {
            return vec![];
        }
        let (ids, kind) = match what {
            Grounds::Position { ids, .. } => (*ids, "option"),
            Grounds::Salience { ids, .. } => (*ids, "issue"),
            Grounds::StatusQuo { ids } => (*ids, "issue"),
            Grounds::Number { .. }
            | Grounds::Mention
            | Grounds::RedLine { .. }
            | Grounds::Decision => {
                self.err(
                    sp,
                    &st.span,
                    "a quote here is context: it cannot state a number, so leave `states` out",
                );
                return vec![];
            }
        };
        if what.actor().is_some() && e.speaker.is_none() {
            self.err(
                sp,
                &st.span,
                "a quote that states a claim needs `speaker`: the actor whose words these are",
            );
        }
        let is_sq = matches!(what, Grounds::StatusQuo { .. });
        let wrong = |k: &str| {
            if is_sq {
                k != "issues"
            } else {
                k == "issues"
            }
        };
        let mut out = Vec::new();
        for (key, list) in [
            ("best", &st.best),
            ("worst", &st.worst),
            ("order", &st.order),
            ("issues", &st.issues),
        ] {
            if list.is_empty() {
                continue;
            }
            if wrong(key) {
                let allowed = if is_sq {
                    "`issues`"
                } else {
                    "`best`, `worst` or `order`"
                };
                self.err(
                    format!("{sp}.{key}"),
                    &list[0].span,
                    format!("`{key}` cannot be stated here (only {allowed})"),
                );
                continue;
            }
            let mut idx = Vec::new();
            for id in list {
                match ids.get(id.value.as_str()) {
                    Some(&x) => idx.push(x),
                    None => self.err(
                        format!("{sp}.{key}"),
                        &id.span,
                        format!(
                            "unknown {kind} `{}`{}",
                            id.value,
                            crate::diag::did_you_mean(&id.value, ids.keys().copied())
                        ),
                    ),
                }
            }
            if idx.len() < list.len() {
                continue;
            }
            match key {
                "best" | "worst" => {
                    for (x, id) in idx.iter().zip(list) {
                        if let Some(msg) = what.check_end(key, *x) {
                            self.err(format!("{sp}.{key}"), &id.span, msg);
                        }
                        out.push(if key == "best" {
                            Stated::Best(*x)
                        } else {
                            Stated::Worst(*x)
                        });
                    }
                }
                "order" => {
                    if let Some(msg) = what.check_order(&idx) {
                        self.err(format!("{sp}.order"), &list[0].span, msg);
                    }
                    out.push(Stated::Order(idx));
                }
                _ => out.extend(idx.into_iter().map(Stated::Issue)),
            }
        }
        out
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

/// What every basis check needs to resolve ids.
struct Cx<'a> {
    sources: HashMap<&'a str, usize>,
    texts: Vec<Option<SourceText>>,
    actors: HashMap<&'a str, usize>,
    actor_ids: Vec<&'a str>,
}

/// The claims a basis grounds, with the numbers its statements must match.
enum Grounds<'a> {
    /// An actor's option values on an issue.
    Position {
        actor: usize,
        who: &'a str,
        issue: &'a str,
        ids: &'a HashMap<&'a str, usize>,
        values: &'a [Option<f64>],
    },
    /// An actor's saliences.
    Salience {
        actor: usize,
        ids: &'a HashMap<&'a str, usize>,
        saliences: &'a [Option<f64>],
    },
    /// A red line of an actor.
    RedLine { actor: usize },
    /// A power or a reservation of an actor.
    Number { actor: usize },
    /// The status quo.
    StatusQuo { ids: &'a HashMap<&'a str, usize> },
    /// Quotes mentioning an option.
    Mention,
    /// The decision rule: a quote states it whoever speaks.
    Decision,
}

impl Grounds<'_> {
    fn actor(&self) -> Option<usize> {
        match *self {
            Grounds::Position { actor, .. }
            | Grounds::Salience { actor, .. }
            | Grounds::RedLine { actor }
            | Grounds::Number { actor } => Some(actor),
            Grounds::StatusQuo { .. } | Grounds::Mention | Grounds::Decision => None,
        }
    }

    /// The numbers statements are checked against (`None`: unknown or invalid).
    fn numbers(&self) -> &[Option<f64>] {
        match self {
            Grounds::Position { values, .. } => values,
            Grounds::Salience { saliences, .. } => saliences,
            _ => &[],
        }
    }

    /// Why `best`/`worst` = `x` contradicts the numbers, if it does.
    fn check_end(&self, key: &str, x: usize) -> Option<String> {
        let nums = self.numbers();
        let v = nums.get(x).copied().flatten()?;
        let others = || nums.iter().flatten().copied().filter(|y| y.is_finite());
        match (self, key) {
            (Grounds::Position { .. }, "best") if v != 1.0 => Some(format!(
                "`best` pins the option's value at 1 (the top of the scale), but it is {v} here"
            )),
            (Grounds::Position { .. }, "worst") if v != 0.0 => Some(format!(
                "`worst` pins the option's value at 0 (the bottom of the scale), but it is {v} here"
            )),
            (Grounds::Salience { .. }, "best") if others().any(|y| y > v) => Some(format!(
                "`best` states the issue weighs most, but its salience {v} is not the largest"
            )),
            (Grounds::Salience { .. }, "worst") if others().any(|y| y < v) => Some(format!(
                "`worst` states the issue weighs least, but its salience {v} is not the smallest"
            )),
            _ => None,
        }
    }

    /// Why a stated `order` contradicts the numbers, if it does.
    fn check_order(&self, idx: &[usize]) -> Option<String> {
        if idx.len() < 2 {
            return Some("an `order` lists at least two ids, best first".into());
        }
        let nums = self.numbers();
        for w in idx.windows(2) {
            let (Some(Some(a)), Some(Some(b))) = (nums.get(w[0]), nums.get(w[1])) else {
                continue;
            };
            if a <= b {
                return Some(format!(
                    "the stated order needs strictly decreasing numbers, but item {} is {a} and the next is {b}",
                    idx.iter().position(|&x| x == w[0]).unwrap_or(0) + 1
                ));
            }
        }
        None
    }
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

    meta(&mut v, &doc.scenario);
    let sources = v.ids("source", "sources", doc.sources.iter().map(|s| &s.id));
    let texts = source_texts(&mut v, doc, loader);
    let ids = issue_ids(&mut v, doc);
    v.names(doc);
    if !actors_bounded(&mut v, doc) {
        return None;
    }
    let cx = Cx {
        sources,
        texts,
        actors: v.ids("actor", "actors", doc.actors.iter().map(|a| &a.id)),
        actor_ids: doc.actors.iter().map(|a| a.id.value.as_str()).collect(),
    };
    let option_evidence = option_evidence(&mut v, doc, &cx);
    let actors: Vec<CheckedActor> = doc
        .actors
        .iter()
        .enumerate()
        .map(|(a, ad)| actor(&mut v, doc, &ids, &cx, a, ad))
        .collect();
    red_lines_together(&mut v, doc, &actors);
    let status_quo = doc
        .status_quo
        .as_ref()
        .and_then(|sq| status_quo(&mut v, sq, doc, &ids.issues, &ids.options, &cx));
    let unmodelled = unmodelled(&mut v, doc, &cx);
    let decision = decision(&mut v, doc, &cx);
    let interpretations = interpretations(&mut v, doc, &ids, &cx, &actors);
    let bands = bands(&mut v, doc);

    if v.diags.error_count() > errors_before {
        return None;
    }
    let mut scenario = build(doc, option_evidence, actors, status_quo, unmodelled);
    if let Some(d) = decision {
        scenario.decision = d;
    }
    scenario.interpretations = interpretations;
    scenario.bands = bands;
    scenario.bands_note = doc.bands.as_ref().and_then(|b| b.note.clone());
    scenario.reservations_from_status_quo();
    Some(scenario)
}

/// The ids references resolve against: issues, and each issue's options.
struct Ids<'d> {
    issues: HashMap<&'d str, usize>,
    options: Vec<HashMap<&'d str, usize>>,
}

impl Ids<'_> {
    /// The id of issue `i`.
    fn issue_name(&self, i: usize) -> &str {
        self.issues
            .iter()
            .find(|(_, &k)| k == i)
            .map_or("?", |(id, _)| id)
    }

    /// An issue whose id is missing or a duplicate cannot be referred to:
    /// its own error says so, and no "missing position" errors follow from it.
    fn issue_ok(&self, doc: &ScenarioDoc, i: usize) -> bool {
        self.issues.get(doc.issues[i].id.value.as_str()) == Some(&i)
    }
}

/// An actor as checked, ready to build once the whole document is valid.
struct CheckedActor {
    salience: Vec<f64>,
    total: f64,
    power_basis: Basis,
    reservation_basis: Basis,
    salience_basis: Basis,
    positions: Vec<Option<Position>>,
    combinations: Vec<Combination>,
    interactions: Vec<Interaction>,
}

/// Where the actor is in the document (`actors[2]`) and how messages name
/// it (`actor `us``).
struct Who {
    a: usize,
    path: String,
    name: String,
}

fn meta(v: &mut V<'_>, m: &MetaDoc) {
    if m.id.value.trim().is_empty() {
        v.err("scenario.id", &m.id.span, "scenario id is empty");
    }
    if m.title.value.trim().is_empty() {
        v.err("scenario.title", &m.title.span, "scenario title is empty");
    }
}

fn source_texts(
    v: &mut V<'_>,
    doc: &ScenarioDoc,
    loader: &dyn SourceLoader,
) -> Vec<Option<SourceText>> {
    doc.sources
        .iter()
        .enumerate()
        .map(|(i, s)| match loader.load(&s.path.value) {
            Ok(t) => Some(SourceText::new(&t)),
            Err(e) => {
                v.err(format!("sources[{i}].path"), &s.path.span, e);
                None
            }
        })
        .collect()
}

fn issue_ids<'d>(v: &mut V<'_>, doc: &'d ScenarioDoc) -> Ids<'d> {
    let issues = v.ids("issue", "issues", doc.issues.iter().map(|i| &i.id));
    let mut options = Vec::new();
    for (i, issue) in doc.issues.iter().enumerate() {
        let path = format!("issues[{i}]");
        if issue.options.value.is_empty() {
            v.err(
                format!("{path}.options"),
                &issue.options.span,
                format!("issue `{}` has no options", issue.id.value),
            );
        }
        options.push(v.ids(
            "option",
            &format!("{path}.options"),
            issue.options.value.iter().map(|o| &o.id),
        ));
    }
    Ids { issues, options }
}

/// At least two actors, and at most [`crate::limits::MAX_ACTORS`]: past it
/// nothing about the actors is worth checking one by one (`false`).
fn actors_bounded(v: &mut V<'_>, doc: &ScenarioDoc) -> bool {
    let span = doc.actors_span.clone().or(Some(0..0));
    if doc.actors.len() < 2 {
        v.err(
            "actors",
            &span,
            format!(
                "a negotiation needs at least two actors, found {}",
                doc.actors.len()
            ),
        );
    }
    match crate::limits::check(
        "the number of actors",
        doc.actors.len() as u128,
        crate::limits::MAX_ACTORS,
        None,
    ) {
        Ok(()) => true,
        Err(e) => {
            v.err("actors", &span, e.to_string());
            false
        }
    }
}

/// The evidence that mentions each option, by issue.
fn option_evidence(v: &mut V<'_>, doc: &ScenarioDoc, cx: &Cx<'_>) -> Vec<Vec<Basis>> {
    doc.issues
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            issue
                .options
                .value
                .iter()
                .enumerate()
                .map(|(o, od)| {
                    let b = BasisDoc {
                        evidence: od.evidence.clone(),
                        ..BasisDoc::default()
                    };
                    let path = format!("issues[{i}].options[{o}]");
                    v.basis(&b, &path, cx, Grounds::Mention)
                })
                .collect()
        })
        .collect()
}

/// Check one actor: its numbers and their bases, saliences, positions with
/// their red lines, combinations rejected together and interactions.
fn actor(
    v: &mut V<'_>,
    doc: &ScenarioDoc,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
    a: usize,
    ad: &ActorDoc,
) -> CheckedActor {
    let path = format!("actors[{a}]");
    let name = if ad.id.value.is_empty() {
        path.clone()
    } else {
        format!("actor `{}`", ad.id.value)
    };
    let who = Who { a, path, name };
    actor_numbers(v, doc, &who, ad);
    let ap = &who.path;
    let power_basis = v.basis(
        &ad.power_basis,
        &format!("{ap}.power_basis"),
        cx,
        Grounds::Number { actor: a },
    );
    let reservation_basis = v.basis(
        &ad.reservation_basis,
        &format!("{ap}.reservation_basis"),
        cx,
        Grounds::Number { actor: a },
    );
    unstated_bases(v, &who, ad);
    let salience = saliences(v, doc, ids, &who, ad);
    let salience_basis = v.basis(
        &ad.salience_basis,
        &format!("{ap}.salience_basis"),
        cx,
        Grounds::Salience {
            actor: a,
            ids: &ids.issues,
            saliences: &salience,
        },
    );
    let sal: Vec<f64> = salience.iter().map(|s| s.unwrap_or(0.0)).collect();
    let total: f64 = sal.iter().sum();
    if salience.iter().all(|s| s.is_some_and(f64::is_finite)) && total <= 0.0 && !sal.is_empty() {
        v.err(
            format!("{ap}.salience"),
            &ad.salience.span,
            format!(
                "every salience of {} is zero: at least one issue must matter",
                who.name
            ),
        );
    }
    CheckedActor {
        salience: sal,
        total,
        power_basis,
        reservation_basis,
        salience_basis,
        positions: positions(v, doc, ids, cx, &who, ad),
        combinations: combinations(v, ids, cx, &who, ad),
        interactions: interactions(v, ids, cx, &who, ad),
    }
}

/// Power and reservation in range; a reservation at the status quo needs one.
fn actor_numbers(v: &mut V<'_>, doc: &ScenarioDoc, who: &Who, ad: &ActorDoc) {
    let ap = &who.path;
    v.number(
        &ad.power,
        &format!("{ap}.power"),
        "power",
        (0.0, Some(MAX_MAGNITUDE), true),
    );
    if let ReservationDoc::Value(x) = ad.reservation.value {
        v.number(
            &Sp {
                value: x,
                span: ad.reservation.span.clone(),
            },
            &format!("{ap}.reservation"),
            "reservation",
            (0.0, Some(1.0), false),
        );
    } else if doc.status_quo.is_none() {
        v.err(
            format!("{ap}.reservation"),
            &ad.reservation.span,
            "`reservation = \"status_quo\"` needs a [status_quo] table naming the no-deal package",
        );
    }
}

/// A warning naming the numbers an actor states without any basis.
fn unstated_bases(v: &mut V<'_>, who: &Who, ad: &ActorDoc) {
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
            &who.path,
            &ad.id.span,
            format!(
                "{}: {} without a basis, counted as unstated analyst assumptions \
                 (add `{}_basis` with evidence, or with `assumption = true` and a `note`)",
                who.name,
                unstated.join(", "),
                unstated[0]
            ),
        );
    }
}

/// Each issue's salience (NaN where the number is invalid, `None` where
/// missing), with an error for each unknown, duplicate or missing one.
fn saliences(
    v: &mut V<'_>,
    doc: &ScenarioDoc,
    ids: &Ids<'_>,
    who: &Who,
    ad: &ActorDoc,
) -> Vec<Option<f64>> {
    let ap = &who.path;
    let mut salience: Vec<Option<f64>> = vec![None; doc.issues.len()];
    for (k, x) in &ad.salience.entries {
        let sp = format!("{ap}.salience.{}", k.value);
        match ids.issues.get(k.value.as_str()) {
            None => v.err(
                &sp,
                &k.span,
                format!(
                    "unknown issue `{}`{}",
                    k.value,
                    crate::diag::did_you_mean(&k.value, ids.issues.keys().copied())
                ),
            ),
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
        if s.is_none() && ids.issue_ok(doc, i) {
            v.err(
                format!("{ap}.salience"),
                &ad.salience.span,
                format!(
                    "{} has no salience for issue `{}`",
                    who.name, doc.issues[i].id.value
                ),
            );
        }
    }
    salience
}

/// The actor's position on each issue, with an error for each issue it has
/// none on.
fn positions(
    v: &mut V<'_>,
    doc: &ScenarioDoc,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
    who: &Who,
    ad: &ActorDoc,
) -> Vec<Option<Position>> {
    let mut positions: Vec<Option<Position>> = vec![None; doc.issues.len()];
    for (p, pd) in ad.positions.iter().enumerate() {
        let pp = format!("{}.positions[{p}]", who.path);
        let Some(&i) = ids.issues.get(pd.issue.value.as_str()) else {
            v.err(
                format!("{pp}.issue"),
                &pd.issue.span,
                format!(
                    "unknown issue `{}`{}",
                    pd.issue.value,
                    crate::diag::did_you_mean(&pd.issue.value, ids.issues.keys().copied())
                ),
            );
            continue;
        };
        if positions[i].is_some() {
            v.err(
                format!("{pp}.issue"),
                &pd.issue.span,
                format!(
                    "{} has a second position on issue `{}`",
                    who.name, pd.issue.value
                ),
            );
            continue;
        }
        positions[i] = Some(position(v, doc, ids, cx, who, &pp, i, pd));
    }
    for (i, p) in positions.iter().enumerate() {
        if p.is_none() && ids.issue_ok(doc, i) {
            v.err(
                format!("{}.positions", who.path),
                &Some(ad.id.span.clone().unwrap_or_default()),
                format!(
                    "{} has no position on issue `{}`",
                    who.name, doc.issues[i].id.value
                ),
            );
        }
    }
    positions
}

/// One position (at `pp`) on issue `i`: a value for every option, its basis
/// and its red lines.
#[allow(clippy::too_many_arguments)]
fn position(
    v: &mut V<'_>,
    doc: &ScenarioDoc,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
    who: &Who,
    pp: &str,
    i: usize,
    pd: &PositionDoc,
) -> Position {
    let opts = &ids.options[i];
    let n_opts = doc.issues[i].options.value.len();
    let mut values: Vec<Option<f64>> = vec![None; n_opts];
    for (k, x) in &pd.values.entries {
        let vp = format!("{pp}.values.{}", k.value);
        match opts.get(k.value.as_str()) {
            None => v.err(
                &vp,
                &k.span,
                format!(
                    "unknown option `{}` of issue `{}`{}",
                    k.value,
                    pd.issue.value,
                    crate::diag::did_you_mean(&k.value, opts.keys().copied())
                ),
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
                    "{} gives no value for option `{oid}` of issue `{}`",
                    who.name, pd.issue.value
                ),
            );
        }
    }
    let basis = v.basis(
        &pd.basis,
        pp,
        cx,
        Grounds::Position {
            actor: who.a,
            who: &who.name,
            issue: &pd.issue.value,
            ids: opts,
            values: &values,
        },
    );
    Position {
        values: values.iter().map(|x| x.unwrap_or(0.0)).collect(),
        red_lines: red_lines(v, cx, who, pp, opts, n_opts, pd),
        basis,
    }
}

/// A position's red lines: known options, none twice, not every option.
fn red_lines(
    v: &mut V<'_>,
    cx: &Cx<'_>,
    who: &Who,
    pp: &str,
    opts: &HashMap<&str, usize>,
    n_opts: usize,
    pd: &PositionDoc,
) -> Vec<RedLine> {
    let mut red_lines: Vec<RedLine> = Vec::new();
    let mut rejected = vec![false; n_opts];
    for (r, rd) in pd.red_lines.iter().enumerate() {
        let rp = format!("{pp}.red_lines[{r}]");
        let Some(&o) = opts.get(rd.option.value.as_str()) else {
            v.err(
                &rp,
                &rd.option.span,
                format!(
                    "unknown option `{}` of issue `{}` in red line{}",
                    rd.option.value,
                    pd.issue.value,
                    crate::diag::did_you_mean(&rd.option.value, opts.keys().copied())
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
        let basis = v.basis(&rd.basis, &rp, cx, Grounds::RedLine { actor: who.a });
        red_lines.push(RedLine { option: o, basis });
    }
    if n_opts > 0 && red_lines.len() == n_opts {
        v.err(
            format!("{pp}.red_lines"),
            &pd.span,
            format!(
                "the red lines of {} exclude every option of issue `{}`: no agreement could ever satisfy it",
                who.name, pd.issue.value
            ),
        );
    }
    red_lines
}

/// Options the actor rejects together: of at least two issues, none twice.
fn combinations(
    v: &mut V<'_>,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
    who: &Who,
    ad: &ActorDoc,
) -> Vec<Combination> {
    let combinations = ad
        .red_line_combinations
        .iter()
        .enumerate()
        .filter_map(|(c, cd)| {
            let path = format!("{}.red_line_combinations[{c}]", who.path);
            let options = option_pairs(v, &cd.options, &path, &ids.issues, &ids.options)?;
            let unless = option_pairs(
                v,
                &cd.unless,
                &format!("{path}.unless"),
                &ids.issues,
                &ids.options,
            )?;
            if unless.is_empty() && options.len() < 2 {
                v.err(
                    format!("{path}.options"),
                    &cd.span,
                    "a combination names options of at least two issues (a single option is a red line of its position, or give `unless` for a conditional one)",
                );
                return None;
            }
            if options.is_empty() {
                v.err(
                    format!("{path}.options"),
                    &cd.span,
                    "a conditional red line names the option(s) it rejects in `options`",
                );
                return None;
            }
            if let Some(&(i, _)) = unless.iter().find(|(i, _)| options.iter().any(|(j, _)| j == i)) {
                v.err(
                    format!("{path}.unless"),
                    &cd.span,
                    format!(
                        "`unless` names issue `{}`, which `options` names too: the condition is on other issues",
                        ids.issue_name(i)
                    ),
                );
                return None;
            }
            let basis = v.basis(&cd.basis, &path, cx, Grounds::RedLine { actor: who.a });
            Some(Combination {
                options,
                unless,
                basis,
            })
        })
        .collect::<Vec<Combination>>();
    for (c, comb) in combinations.iter().enumerate() {
        if combinations[..c].iter().any(|x| x.same_as(comb)) {
            v.err(
                format!("{}.red_line_combinations[{c}]", who.path),
                &ad.red_line_combinations[c].span,
                format!("{} rejects this combination twice", who.name),
            );
        }
    }
    combinations
}

/// Interaction terms: a value in [-1, 1] on options of exactly two issues.
fn interactions(
    v: &mut V<'_>,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
    who: &Who,
    ad: &ActorDoc,
) -> Vec<Interaction> {
    ad.interactions
        .iter()
        .enumerate()
        .filter_map(|(t, td)| {
            let path = format!("{}.interactions[{t}]", who.path);
            let options = option_pairs(v, &td.options, &path, &ids.issues, &ids.options)?;
            let ok = v.number(
                &td.value,
                &format!("{path}.value"),
                "an interaction's value",
                (-1.0, Some(1.0), false),
            );
            let [x, y] = options[..] else {
                v.err(
                    format!("{path}.options"),
                    &td.span,
                    format!(
                        "an interaction names options of exactly two issues, not {}",
                        options.len()
                    ),
                );
                return None;
            };
            let basis = v.basis(&td.basis, &path, cx, Grounds::RedLine { actor: who.a });
            ok.then_some(Interaction {
                options: [x, y],
                value: td.value.value,
                basis,
            })
        })
        .collect()
}

/// Red lines of all actors together may exclude an issue entirely (a
/// warning: the agreement space is empty; one actor doing so alone is an
/// error reported at its position).
fn red_lines_together(v: &mut V<'_>, doc: &ScenarioDoc, actors: &[CheckedActor]) {
    fn position(a: &CheckedActor, i: usize) -> Option<&Position> {
        a.positions.get(i).and_then(|p| p.as_ref())
    }
    for (i, issue) in doc.issues.iter().enumerate() {
        let n_opts = issue.options.value.len();
        if n_opts == 0 {
            continue;
        }
        let blocked = (0..n_opts)
            .filter(|&o| {
                actors
                    .iter()
                    .any(|a| position(a, i).is_some_and(|p| p.rejects(o)))
            })
            .count();
        let single = actors
            .iter()
            .any(|a| position(a, i).is_some_and(|p| p.red_lines.len() == n_opts));
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
}

/// Statements the analyst chose not to model, each with a reason.
fn unmodelled(v: &mut V<'_>, doc: &ScenarioDoc, cx: &Cx<'_>) -> Vec<Unmodelled> {
    doc.unmodelled
        .iter()
        .enumerate()
        .filter_map(|(i, u)| {
            let path = format!("unmodelled[{i}]");
            // A missing `reason` was reported where the entry stands.
            if u.reason.value.trim().is_empty() && !v.reported.contains(&path) {
                v.err(
                    format!("{path}.reason"),
                    &u.reason.span,
                    "say why the statement is not modelled",
                );
            }
            let evidence = v.evidence(&u.evidence, &path, cx, &Grounds::Mention)?;
            Some(Unmodelled {
                evidence,
                reason: u.reason.value.clone(),
            })
        })
        .collect()
}

/// The scenario of a document with no error.
fn build(
    doc: &ScenarioDoc,
    option_evidence: Vec<Vec<Basis>>,
    actors: Vec<CheckedActor>,
    status_quo: Option<StatusQuo>,
    unmodelled: Vec<Unmodelled>,
) -> Scenario {
    let m = &doc.scenario;
    Scenario {
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
                date: s.date.clone(),
            })
            .collect(),
        issues: doc
            .issues
            .iter()
            .zip(option_evidence)
            .map(|(i, mentions)| Issue {
                id: i.id.value.clone(),
                name: i.name.value.clone(),
                description: i.description.clone(),
                keywords: words(&i.keywords),
                options: i
                    .options
                    .value
                    .iter()
                    .zip(mentions)
                    .map(|(o, m)| IssueOption {
                        id: o.id.value.clone(),
                        label: o.label.value.clone(),
                        keywords: words(&o.keywords),
                        evidence: m.evidence,
                    })
                    .collect(),
            })
            .collect(),
        actors: doc
            .actors
            .iter()
            .zip(actors)
            .map(|(ad, c)| build_actor(ad, c))
            .collect(),
        status_quo,
        unmodelled,
        decision: Decision::unanimity(
            &doc.actors.iter().map(|a| a.power.value).collect::<Vec<_>>(),
        ),
        interpretations: vec![],
        bands: crate::perturb::Bands::default(),
        bands_note: None,
    }
}

fn build_actor(ad: &ActorDoc, c: CheckedActor) -> Actor {
    Actor {
        id: ad.id.value.clone(),
        name: ad.name.value.clone(),
        aliases: words(&ad.aliases),
        power: ad.power.value,
        power_basis: c.power_basis,
        reservation: match ad.reservation.value {
            ReservationDoc::Value(x) => x,
            ReservationDoc::StatusQuo => f64::NAN,
        },
        reservation_is_status_quo: ad.reservation.value == ReservationDoc::StatusQuo,
        reservation_basis: c.reservation_basis,
        // Saliences that already sum to 1 (up to rounding) are kept as
        // written, so 0.15 stays 0.15 rather than 0.15000000000000002.
        weights: if (c.total - 1.0).abs() <= 1e-9 {
            c.salience.clone()
        } else {
            c.salience.iter().map(|s| s / c.total).collect()
        },
        salience: c.salience,
        salience_basis: c.salience_basis,
        positions: c
            .positions
            .into_iter()
            .map(|p| p.expect("checked above"))
            .collect(),
        combinations: c.combinations,
        interactions: c.interactions,
    }
}

fn words(w: &[Sp<String>]) -> Vec<String> {
    w.iter().map(|w| w.value.clone()).collect()
}

impl Scenario {
    /// Set the reservation of every actor with `reservation = "status_quo"`
    /// to its utility of the status-quo package.
    fn reservations_from_status_quo(&mut self) {
        let Some(sq) = &self.status_quo else { return };
        let u = crate::UtilityModel::new(self).utilities_of(&sq.options);
        for (a, x) in self.actors.iter_mut().zip(u) {
            if a.reservation_is_status_quo {
                a.reservation = x.clamp(0.0, 1.0);
            }
        }
    }
}

/// Resolve `{ issue = option, … }`: known ids, each issue once; sorted by
/// issue. `None` when any pair is wrong (each problem reported).
fn option_pairs(
    v: &mut V<'_>,
    pairs: &[(Sp<String>, Sp<String>)],
    path: &str,
    issue_ids: &HashMap<&str, usize>,
    option_ids: &[HashMap<&str, usize>],
) -> Option<Vec<(usize, usize)>> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut ok = true;
    for (k, o) in pairs {
        let p = format!("{path}.options.{}", k.value);
        let Some(&i) = issue_ids.get(k.value.as_str()) else {
            v.err(
                &p,
                &k.span,
                format!(
                    "unknown issue `{}`{}",
                    k.value,
                    crate::diag::did_you_mean(&k.value, issue_ids.keys().copied())
                ),
            );
            ok = false;
            continue;
        };
        match option_ids[i].get(o.value.as_str()) {
            None => {
                v.err(
                    &p,
                    &o.span,
                    format!(
                        "unknown option `{}` of issue `{}`{}",
                        o.value,
                        k.value,
                        crate::diag::did_you_mean(&o.value, option_ids[i].keys().copied())
                    ),
                );
                ok = false;
            }
            Some(_) if out.iter().any(|x| x.0 == i) => {
                v.err(&p, &k.span, format!("issue `{}` named twice", k.value));
                ok = false;
            }
            Some(&x) => out.push((i, x)),
        }
    }
    out.sort_unstable();
    ok.then_some(out)
}

/// Check `[bands]`: every number given in its range; the others default.
fn bands(v: &mut V<'_>, doc: &ScenarioDoc) -> crate::perturb::Bands {
    let mut b = crate::perturb::Bands::default();
    let Some(d) = &doc.bands else {
        return b;
    };
    let below_one = "a relative spread: at least 0 and below 1";
    let unit = "at least 0 and at most 1";
    for (key, given, slot, half_open, what) in [
        ("value", &d.value, &mut b.value, false, unit),
        ("salience", &d.salience, &mut b.salience, true, below_one),
        ("power", &d.power, &mut b.power, true, below_one),
        (
            "reservation",
            &d.reservation,
            &mut b.reservation,
            false,
            unit,
        ),
        (
            "red_line_drop",
            &d.red_line_drop,
            &mut b.red_line_drop,
            false,
            "a probability: 0 to 1",
        ),
        (
            "red_line_add",
            &d.red_line_add,
            &mut b.red_line_add,
            false,
            "a probability: 0 to 1",
        ),
        (
            "status_quo_move",
            &d.status_quo_move,
            &mut b.status_quo_move,
            false,
            "a probability: 0 to 1",
        ),
    ] {
        let Some(x) = given else { continue };
        let ok = x.value.is_finite()
            && x.value >= 0.0
            && if half_open {
                x.value < 1.0
            } else {
                x.value <= 1.0
            };
        if ok {
            *slot = x.value;
        } else {
            v.err(
                format!("bands.{key}"),
                &x.span,
                format!("`{key}` is {what}, got {}", short(x.value)),
            );
        }
    }
    b
}

/// Resolve `{ actor, issue, option }` to indices, reporting what is unknown.
fn resolve_ref(
    v: &mut V<'_>,
    r: &RefDoc,
    path: &str,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
) -> Option<RedLineRef> {
    let actor = cx.actors.get(r.actor.value.as_str()).copied();
    if actor.is_none() {
        v.err(
            format!("{path}.actor"),
            &r.actor.span,
            format!(
                "unknown actor `{}`{}",
                r.actor.value,
                crate::diag::did_you_mean(&r.actor.value, cx.actor_ids.iter().copied())
            ),
        );
    }
    let Some(&issue) = ids.issues.get(r.issue.value.as_str()) else {
        v.err(
            format!("{path}.issue"),
            &r.issue.span,
            format!(
                "unknown issue `{}`{}",
                r.issue.value,
                crate::diag::did_you_mean(&r.issue.value, ids.issues.keys().copied())
            ),
        );
        return None;
    };
    let Some(&option) = ids.options[issue].get(r.option.value.as_str()) else {
        v.err(
            format!("{path}.option"),
            &r.option.span,
            format!(
                "unknown option `{}` of issue `{}`{}",
                r.option.value,
                r.issue.value,
                crate::diag::did_you_mean(&r.option.value, ids.options[issue].keys().copied())
            ),
        );
        return None;
    };
    Some(RedLineRef {
        actor: actor?,
        issue,
        option,
    })
}

/// Check `[[interpretations]]`: unique ids, a name, known references, red
/// lines added that are new (and leave the actor some option), red lines
/// dropped that exist, numbers in [0, 1], at least one override, and
/// grounds.
fn interpretations(
    v: &mut V<'_>,
    doc: &ScenarioDoc,
    ids: &Ids<'_>,
    cx: &Cx<'_>,
    actors: &[CheckedActor],
) -> Vec<Interpretation> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut out = Vec::new();
    for (k, d) in doc.interpretations.iter().enumerate() {
        let path = format!("interpretations[{k}]");
        let errors = v.diags.error_count();
        if d.id.value.trim().is_empty() {
            v.err(format!("{path}.id"), &d.id.span, "the id is empty");
        } else if let Some(first) = seen.insert(d.id.value.as_str(), k) {
            v.err(
                format!("{path}.id"),
                &d.id.span,
                format!(
                    "interpretation `{}` is defined twice (first as interpretations[{first}])",
                    d.id.value
                ),
            );
        }
        if d.name.value.trim().is_empty() {
            v.err(format!("{path}.name"), &d.name.span, "the name is empty");
        }
        let rejects = |r: RedLineRef| {
            actors
                .get(r.actor)
                .and_then(|a| a.positions.get(r.issue))
                .and_then(Option::as_ref)
                .is_some_and(|p| p.rejects(r.option))
        };
        let mut overrides = Vec::new();
        let mut added: Vec<RedLineRef> = Vec::new();
        for (j, r) in d.red_lines.iter().enumerate() {
            let here = format!("{path}.red_lines[{j}]");
            let Some(x) = resolve_ref(v, r, &here, ids, cx) else {
                continue;
            };
            if rejects(x) || added.contains(&x) {
                v.err(
                    &here,
                    &r.span,
                    format!(
                        "`{}` already rejects `{}` on `{}`",
                        r.actor.value, r.option.value, r.issue.value
                    ),
                );
                continue;
            }
            added.push(x);
            let n = ids.options[x.issue].len();
            let all = (0..n).all(|o| {
                let y = RedLineRef { option: o, ..x };
                rejects(y) || added.contains(&y)
            });
            if all {
                v.err(
                    &here,
                    &r.span,
                    format!(
                        "with this red line `{}` would reject every option of `{}`",
                        r.actor.value, r.issue.value
                    ),
                );
                continue;
            }
            overrides.push(Override::AddRedLine(x));
        }
        let mut dropped: Vec<RedLineRef> = Vec::new();
        for (j, r) in d.drop_red_lines.iter().enumerate() {
            let here = format!("{path}.drop_red_lines[{j}]");
            let Some(x) = resolve_ref(v, r, &here, ids, cx) else {
                continue;
            };
            if !rejects(x) || dropped.contains(&x) {
                v.err(
                    &here,
                    &r.span,
                    format!(
                        "`{}` has no red line on `{}` of `{}` to drop",
                        r.actor.value, r.option.value, r.issue.value
                    ),
                );
                continue;
            }
            dropped.push(x);
            overrides.push(Override::DropRedLine(x));
        }
        for (id, x) in &d.reservations.entries {
            let here = format!("{path}.reservations.{}", id.value);
            let Some(&actor) = cx.actors.get(id.value.as_str()) else {
                v.err(
                    &here,
                    &id.span,
                    format!(
                        "unknown actor `{}`{}",
                        id.value,
                        crate::diag::did_you_mean(&id.value, cx.actor_ids.iter().copied())
                    ),
                );
                continue;
            };
            if !(x.value.is_finite() && (0.0..=1.0).contains(&x.value)) {
                v.err(
                    &here,
                    &x.span,
                    format!(
                        "a reservation is a utility in [0, 1], got {}",
                        short(x.value)
                    ),
                );
                continue;
            }
            overrides.push(Override::Reservation {
                actor,
                value: x.value,
            });
        }
        for (j, r) in d.values.iter().enumerate() {
            let here = format!("{path}.values[{j}]");
            let x = resolve_ref(v, r, &here, ids, cx);
            let value = r.value.as_ref().map_or(f64::NAN, |x| x.value);
            if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
                let span = r.value.as_ref().map_or(&r.span, |x| &x.span);
                v.err(
                    format!("{here}.value"),
                    span,
                    format!("an option value is in [0, 1], got {}", short(value)),
                );
                continue;
            }
            if let Some(x) = x {
                overrides.push(Override::Value {
                    actor: x.actor,
                    issue: x.issue,
                    option: x.option,
                    value,
                });
            }
        }
        if d.red_lines.is_empty()
            && d.drop_red_lines.is_empty()
            && d.reservations.entries.is_empty()
            && d.values.is_empty()
        {
            v.err(
                &path,
                &d.span,
                "the interpretation changes nothing: give `red_lines`, `drop_red_lines`, `reservations` or `values`",
            );
        }
        let basis = v.basis(&d.basis, &path, cx, Grounds::Mention);
        if d.basis.evidence.is_empty() && !d.basis.assumption {
            v.err(
                &path,
                &d.span,
                "the interpretation has no grounds: cite the quotes it reads, or mark it `assumption = true` with a `note`",
            );
        }
        if v.diags.error_count() == errors {
            out.push(Interpretation {
                id: d.id.value.clone(),
                name: d.name.value.clone(),
                overrides,
                basis,
            });
        }
    }
    out
}

/// Check `[decision]`: a whole `at_least` in 1..=n, known and distinct
/// `must_include` actors, `power_share` in (0, 1], and its grounds. `None`
/// when the scenario states no rule (unanimity) or the rule is invalid.
fn decision(v: &mut V<'_>, doc: &ScenarioDoc, cx: &Cx<'_>) -> Option<Decision> {
    let d = doc.decision.as_ref()?;
    let n = doc.actors.len();
    let errors = v.diags.error_count();
    // Without `at_least` the count sets no condition beyond one member.
    let at_least = match &d.at_least {
        None => 1,
        Some(k) => {
            let x = k.value;
            let whole = x.is_finite() && x.fract() == 0.0 && x >= 1.0 && x <= n as f64;
            if !whole {
                v.err(
                    "decision.at_least",
                    &k.span,
                    format!(
                        "`at_least` is the number of accepting actors: a whole number from 1 to {n} (the actors), got {}",
                        short(x)
                    ),
                );
            }
            // An invalid count is reported above; 1 keeps later checks quiet
            // (and a scenario of no actors has no range to clamp to).
            if whole {
                x as usize
            } else {
                1
            }
        }
    };
    let mut must_include = Vec::new();
    for (i, id) in d.must_include.iter().enumerate() {
        let path = format!("decision.must_include[{i}]");
        match cx.actors.get(id.value.as_str()) {
            None => v.err(
                &path,
                &id.span,
                format!(
                    "unknown actor `{}`{}",
                    id.value,
                    crate::diag::did_you_mean(&id.value, cx.actor_ids.iter().copied())
                ),
            ),
            Some(a) if must_include.contains(a) => {
                v.err(&path, &id.span, format!("`{}` is named twice", id.value))
            }
            Some(&a) => must_include.push(a),
        }
    }
    must_include.sort_unstable();
    if let Some(q) = &d.power_share {
        if !(q.value.is_finite() && q.value > 0.0 && q.value <= 1.0) {
            v.err(
                "decision.power_share",
                &q.span,
                format!(
                    "`power_share` is the accepting actors' share of the total power: in (0, 1], got {}",
                    short(q.value)
                ),
            );
        }
    }
    if d.at_least.is_none() && d.must_include.is_empty() && d.power_share.is_none() {
        v.err(
            "decision",
            &d.span,
            "[decision] states no condition: give `at_least`, `must_include` or `power_share` (or leave the table out for unanimity)",
        );
    }
    let basis = v.basis(&d.basis, "decision", cx, Grounds::Decision);
    if d.basis.evidence.is_empty() && !d.basis.assumption {
        v.err(
            "decision",
            &d.span,
            "the decision rule has no evidence: cite a quote stating it, or mark it `assumption = true` with a `note`",
        );
    }
    if v.diags.error_count() > errors {
        return None;
    }
    let powers: Vec<f64> = doc.actors.iter().map(|a| a.power.value).collect();
    Some(Decision::new(
        at_least,
        must_include,
        d.power_share.as_ref().map(|q| q.value),
        &powers,
        basis,
        true,
    ))
}

/// Check `[status_quo]`: one known option for every issue, and its grounds.
fn status_quo(
    v: &mut V<'_>,
    sq: &StatusQuoDoc,
    doc: &ScenarioDoc,
    issue_ids: &HashMap<&str, usize>,
    option_ids: &[HashMap<&str, usize>],
    cx: &Cx<'_>,
) -> Option<StatusQuo> {
    let mut options: Vec<Option<usize>> = vec![None; doc.issues.len()];
    if let Some(pairs) = option_pairs(v, &sq.options, "status_quo", issue_ids, option_ids) {
        for (i, o) in pairs {
            options[i] = Some(o);
        }
        let missing: Vec<&str> = doc
            .issues
            .iter()
            .zip(&options)
            .filter(|(i, o)| o.is_none() && issue_ids.contains_key(i.id.value.as_str()))
            .map(|(i, _)| i.id.value.as_str())
            .collect();
        if !missing.is_empty() {
            v.err(
                "status_quo.options",
                &sq.span,
                format!(
                    "the status quo names no option for issue(s) {}",
                    missing.join(", ")
                ),
            );
        }
    }
    let basis = v.basis(
        &sq.basis,
        "status_quo",
        cx,
        Grounds::StatusQuo { ids: issue_ids },
    );
    if sq.basis.evidence.is_empty() && !sq.basis.assumption {
        v.err(
            "status_quo",
            &sq.span,
            "the status quo has no evidence: cite a quote stating it, or mark it `assumption = true` with a `note`",
        );
    }
    Some(StatusQuo {
        options: options.into_iter().map(|o| o.unwrap_or(0)).collect(),
        basis,
    })
}
