//! Reads the scenario schema ([`ScenarioDoc`]) from a spanned [`Node`] tree,
//! collecting every problem (wrong types, missing or unknown keys) instead of
//! stopping at the first.

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::doc::*;
use crate::tree::{Key, Kind, Node};

/// Decode a document tree. Always returns a (possibly partial) document; problems
/// go to `diags`.
pub fn decode(root: &Node, diags: &mut Diagnostics) -> ScenarioDoc {
    let mut d = Decoder { diags };
    d.scenario(root)
}

struct Decoder<'d> {
    diags: &'d mut Diagnostics,
}

/// A table being read: remembers which keys were used so the rest can be
/// reported as unknown.
struct Tab<'a> {
    entries: &'a [(Key, Node)],
    used: Vec<bool>,
    path: String,
    span: Span,
}

impl<'a> Tab<'a> {
    fn get(&mut self, key: &str) -> Option<&'a Node> {
        let i = self.entries.iter().position(|(k, _)| k.name == key)?;
        self.used[i] = true;
        Some(&self.entries[i].1)
    }
    fn sub(&self, key: &str) -> String {
        join(&self.path, key)
    }
    fn has(&self, key: &str) -> bool {
        self.entries.iter().any(|(k, _)| k.name == key)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl Decoder<'_> {
    fn err(&mut self, path: &str, span: Span, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(path.to_string(), Some(span), msg));
    }

    fn table<'a>(&mut self, node: &'a Node, path: &str) -> Option<Tab<'a>> {
        match &node.kind {
            Kind::Table(entries) => Some(Tab {
                entries,
                used: vec![false; entries.len()],
                path: path.to_string(),
                span: node.span.clone(),
            }),
            other => {
                self.err(
                    path,
                    node.span.clone(),
                    format!("expected a table, found {}", other.name()),
                );
                None
            }
        }
    }

    /// Report keys of `t` that were never read.
    fn finish(&mut self, t: Tab<'_>, known: &[&str]) {
        // Names seen so far: a set, since a hostile table has 10^5 keys.
        let mut seen = std::collections::HashSet::with_capacity(t.entries.len());
        for (i, (k, _)) in t.entries.iter().enumerate() {
            let earlier = !seen.insert(k.name.as_str());
            if !t.used[i] && earlier {
                // JSON allows a key twice (TOML does not); the first is read.
                self.err(
                    &join(&t.path, &k.name),
                    k.span.clone(),
                    format!(
                        "duplicate key `{}`: it is given earlier in this table",
                        k.name
                    ),
                );
            } else if !t.used[i] {
                self.err(
                    &join(&t.path, &k.name),
                    k.span.clone(),
                    format!(
                        "unknown key `{}` (expected one of: {})",
                        k.name,
                        known.join(", ")
                    ),
                );
            }
        }
    }

    fn missing(&mut self, t: &Tab<'_>, key: &str, what: &str) {
        let (path, span) = (t.path.clone(), t.span.clone());
        self.err(&path, span, format!("missing `{key}` ({what})"));
    }

    fn string(&mut self, node: &Node, path: &str) -> Option<Sp<String>> {
        match &node.kind {
            Kind::Str(s) => Some(Sp::new(s.clone(), node.span.clone())),
            other => {
                self.err(
                    path,
                    node.span.clone(),
                    format!("expected a string, found {}", other.name()),
                );
                None
            }
        }
    }

    fn number(&mut self, node: &Node, path: &str) -> Option<Sp<f64>> {
        match &node.kind {
            Kind::Num(x) => Some(Sp::new(*x, node.span.clone())),
            other => {
                self.err(
                    path,
                    node.span.clone(),
                    format!("expected a number, found {}", other.name()),
                );
                None
            }
        }
    }

    fn req_str(&mut self, t: &mut Tab<'_>, key: &str, what: &str) -> Sp<String> {
        match t.get(key) {
            Some(n) => self
                .string(n, &t.sub(key))
                .unwrap_or_else(|| Sp::new(String::new(), n.span.clone())),
            None => {
                self.missing(t, key, what);
                Sp::new(String::new(), t.span.clone())
            }
        }
    }

    fn opt_str(&mut self, t: &mut Tab<'_>, key: &str) -> Option<String> {
        let n = t.get(key)?;
        self.string(n, &t.sub(key)).map(|s| s.value)
    }

    fn req_num(&mut self, t: &mut Tab<'_>, key: &str, what: &str) -> Sp<f64> {
        match t.get(key) {
            Some(n) => self
                .number(n, &t.sub(key))
                .unwrap_or_else(|| Sp::new(f64::NAN, n.span.clone())),
            None => {
                self.missing(t, key, what);
                Sp::new(f64::NAN, t.span.clone())
            }
        }
    }

    fn opt_bool(&mut self, t: &mut Tab<'_>, key: &str) -> bool {
        let Some(n) = t.get(key) else { return false };
        match &n.kind {
            Kind::Bool(b) => *b,
            other => {
                self.err(
                    &t.sub(key),
                    n.span.clone(),
                    format!("expected true or false, found {}", other.name()),
                );
                false
            }
        }
    }

    /// An array at `key` (missing = empty, unless `required`).
    fn array<'a>(
        &mut self,
        t: &mut Tab<'a>,
        key: &str,
        required: Option<&str>,
    ) -> (&'a [Node], Option<Span>) {
        match t.get(key) {
            Some(n) => match &n.kind {
                Kind::Array(items) => (items.as_slice(), Some(n.span.clone())),
                other => {
                    self.err(
                        &t.sub(key),
                        n.span.clone(),
                        format!("expected an array, found {}", other.name()),
                    );
                    (&[], Some(n.span.clone()))
                }
            },
            None => {
                if let Some(what) = required {
                    self.missing(t, key, what);
                }
                (&[], None)
            }
        }
    }

    /// An optional array of strings at `key` (missing = empty).
    fn str_list(&mut self, t: &mut Tab<'_>, key: &str) -> Vec<Sp<String>> {
        let path = t.sub(key);
        let (items, _) = self.array(t, key, None);
        items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.string(n, &format!("{path}[{i}]")))
            .collect()
    }

    fn num_map(&mut self, t: &mut Tab<'_>, key: &str, what: &str) -> NumMap {
        let Some(n) = t.get(key) else {
            self.missing(t, key, what);
            return NumMap {
                entries: vec![],
                span: Some(t.span.clone()),
            };
        };
        let path = t.sub(key);
        let Some(mut m) = self.table(n, &path) else {
            return NumMap {
                entries: vec![],
                span: Some(n.span.clone()),
            };
        };
        let mut entries = Vec::new();
        for (i, (k, v)) in m.entries.iter().enumerate() {
            m.used[i] = true;
            if let Some(x) = self.number(v, &join(&path, &k.name)) {
                entries.push((Sp::new(k.name.clone(), k.span.clone()), x));
            }
        }
        NumMap {
            entries,
            span: Some(n.span.clone()),
        }
    }

    fn scenario(&mut self, root: &Node) -> ScenarioDoc {
        let Some(mut t) = self.table(root, "") else {
            // Already reported; placeholders keep later checks quiet.
            let here = || Sp::new("(invalid)".to_string(), root.span.clone());
            return ScenarioDoc {
                scenario: MetaDoc {
                    id: here(),
                    title: here(),
                    ..MetaDoc::default()
                },
                actors_span: Some(root.span.clone()),
                ..ScenarioDoc::default()
            };
        };
        let mut doc = ScenarioDoc::default();
        match t.get("scenario") {
            Some(n) => doc.scenario = self.meta(n),
            None => {
                self.missing(&t, "scenario", "a [scenario] table with id and title");
                doc.scenario = MetaDoc {
                    id: Sp::new("(missing)".into(), root.span.clone()),
                    title: Sp::new("(missing)".into(), root.span.clone()),
                    ..MetaDoc::default()
                };
            }
        }
        let (items, _) = self.array(&mut t, "sources", None);
        doc.sources = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.source(n, &format!("sources[{i}]")))
            .collect();
        let (items, span) = self.array(&mut t, "issues", Some("at least one [[issues]] entry"));
        doc.issues = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.issue(n, &format!("issues[{i}]")))
            .collect();
        if items.is_empty() && span.is_some() {
            self.err(
                "issues",
                span.unwrap_or_default(),
                "no issues: a scenario needs at least one",
            );
        }
        let (items, span) = self.array(&mut t, "actors", Some("at least two [[actors]] entries"));
        doc.actors_span = span;
        doc.actors = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.actor(n, &format!("actors[{i}]")))
            .collect();
        let (items, _) = self.array(&mut t, "unmodelled", None);
        doc.unmodelled = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.unmodelled(n, &format!("unmodelled[{i}]")))
            .collect();
        if let Some(n) = t.get("status_quo") {
            doc.status_quo = self.status_quo(n);
        }
        if let Some(n) = t.get("decision") {
            doc.decision = self.decision(n);
        }
        if let Some(n) = t.get("bands") {
            doc.bands = self.bands(n);
        }
        let (items, _) = self.array(&mut t, "interpretations", None);
        doc.interpretations = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.interpretation(n, &format!("interpretations[{i}]")))
            .collect();
        self.finish(
            t,
            &[
                "scenario",
                "sources",
                "issues",
                "actors",
                "status_quo",
                "decision",
                "unmodelled",
                "interpretations",
                "bands",
            ],
        );
        doc
    }

    fn meta(&mut self, n: &Node) -> MetaDoc {
        let Some(mut t) = self.table(n, "scenario") else {
            // Already reported; placeholders keep later checks quiet.
            return MetaDoc {
                id: Sp::new("(invalid)".into(), n.span.clone()),
                title: Sp::new("(invalid)".into(), n.span.clone()),
                ..MetaDoc::default()
            };
        };
        let m = MetaDoc {
            id: self.req_str(&mut t, "id", "a short machine name"),
            title: self.req_str(&mut t, "title", "a human title"),
            description: self.opt_str(&mut t, "description"),
            date: match t.get("date") {
                Some(Node {
                    kind: Kind::Datetime(d),
                    ..
                }) => Some(d.clone()),
                Some(n) => self.string(n, "scenario.date").map(|s| s.value),
                None => None,
            },
            analyst: self.opt_str(&mut t, "analyst"),
        };
        self.finish(t, &["id", "title", "description", "date", "analyst"]);
        m
    }

    fn source(&mut self, n: &Node, path: &str) -> Option<SourceDoc> {
        let mut t = self.table(n, path)?;
        let s = SourceDoc {
            id: self.req_str(&mut t, "id", "the id evidence items cite"),
            title: self.opt_str(&mut t, "title"),
            path: self.req_str(
                &mut t,
                "path",
                "the text file, relative to the scenario file",
            ),
            url: self.opt_str(&mut t, "url"),
            date: self.opt_str(&mut t, "date"),
        };
        self.finish(t, &["id", "title", "path", "url", "date"]);
        Some(s)
    }

    fn issue(&mut self, n: &Node, path: &str) -> Option<IssueDoc> {
        let mut t = self.table(n, path)?;
        let id = self.req_str(&mut t, "id", "the issue id");
        let name = self.req_str(&mut t, "name", "a human name");
        let description = self.opt_str(&mut t, "description");
        let keywords = self.str_list(&mut t, "keywords");
        let (items, span) = self.array(&mut t, "options", Some("the ordered list of options"));
        let options = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.option(n, &format!("{path}.options[{i}]")))
            .collect();
        let span = span.unwrap_or_else(|| t.span.clone());
        self.finish(t, &["id", "name", "description", "keywords", "options"]);
        Some(IssueDoc {
            id,
            name,
            description,
            keywords,
            options: Sp::new(options, span),
        })
    }

    fn option(&mut self, n: &Node, path: &str) -> Option<OptionDoc> {
        if let Kind::Str(text) = &n.kind {
            // options = ["lo", "hi"]: say the form an option takes.
            self.err(
                path,
                n.span.clone(),
                format!(
                    "an option is a table with an id and a label, not a string: write {{ id = {text:?}, label = \"…\" }}"
                ),
            );
            return None;
        }
        let mut t = self.table(n, path)?;
        let o = OptionDoc {
            id: self.req_str(&mut t, "id", "the option id"),
            label: self.req_str(&mut t, "label", "a human label"),
            keywords: self.str_list(&mut t, "keywords"),
            evidence: self.evidence_list(&mut t),
        };
        self.finish(t, &["id", "label", "keywords", "evidence"]);
        Some(o)
    }

    /// Read the `evidence` array of an open table.
    fn evidence_list(&mut self, t: &mut Tab<'_>) -> Vec<EvidenceDoc> {
        let (items, _) = self.array(t, "evidence", None);
        let path = t.sub("evidence");
        items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.evidence(n, &format!("{path}[{i}]")))
            .collect()
    }

    /// Read `evidence`, `assumption`, `note`, `author` from an open table.
    fn basis_keys(&mut self, t: &mut Tab<'_>) -> BasisDoc {
        BasisDoc {
            evidence: self.evidence_list(t),
            assumption: self.opt_bool(t, "assumption"),
            note: self.opt_str(t, "note"),
            author: self.opt_str(t, "author"),
            span: Some(t.span.clone()),
        }
    }

    /// `options = { issue = option, … }` of an open table.
    fn option_pairs(&mut self, t: &mut Tab<'_>, what: &str) -> Vec<(Sp<String>, Sp<String>)> {
        self.pairs_at(t, "options", Some(what))
    }

    /// A `{ issue = option, … }` table at `key` (missing: empty, reported
    /// when `required` says what it is).
    fn pairs_at(
        &mut self,
        t: &mut Tab<'_>,
        key: &str,
        required: Option<&str>,
    ) -> Vec<(Sp<String>, Sp<String>)> {
        let mut options = Vec::new();
        match t.get(key) {
            None => {
                if let Some(what) = required {
                    self.missing(t, key, what)
                }
            }
            Some(on) => {
                let path = t.sub(key);
                if let Some(mut ot) = self.table(on, &path) {
                    for (i, (k, v)) in ot.entries.iter().enumerate() {
                        ot.used[i] = true;
                        if let Some(o) = self.string(v, &join(&path, &k.name)) {
                            options.push((Sp::new(k.name.clone(), k.span.clone()), o));
                        }
                    }
                }
            }
        }
        options
    }

    /// `[[actors.red_line_combinations]]`.
    fn combination(&mut self, n: &Node, path: &str) -> Option<CombinationDoc> {
        let mut t = self.table(n, path)?;
        let options = self.option_pairs(&mut t, "the options rejected together, by issue");
        let unless = self.pairs_at(&mut t, "unless", None);
        let basis = self.basis_keys(&mut t);
        let span = Some(t.span.clone());
        self.finish(
            t,
            &[
                "options",
                "unless",
                "evidence",
                "assumption",
                "note",
                "author",
            ],
        );
        Some(CombinationDoc {
            options,
            unless,
            basis,
            span,
        })
    }

    /// `[[actors.interactions]]`.
    fn interaction(&mut self, n: &Node, path: &str) -> Option<InteractionDoc> {
        let mut t = self.table(n, path)?;
        let options = self.option_pairs(&mut t, "the two options that interact, by issue");
        let value = self.req_num(
            &mut t,
            "value",
            "the bonus (or penalty, below 0) in [-1, 1]",
        );
        let basis = self.basis_keys(&mut t);
        let span = Some(t.span.clone());
        self.finish(
            t,
            &[
                "options",
                "value",
                "evidence",
                "assumption",
                "note",
                "author",
            ],
        );
        Some(InteractionDoc {
            options,
            value,
            basis,
            span,
        })
    }

    /// `[status_quo]`: `options = { issue = option }` and a basis.
    fn status_quo(&mut self, n: &Node) -> Option<StatusQuoDoc> {
        let mut t = self.table(n, "status_quo")?;
        let options = self.option_pairs(&mut t, "the status-quo option of every issue");
        let basis = self.basis_keys(&mut t);
        let span = Some(t.span.clone());
        self.finish(t, &["options", "evidence", "assumption", "note", "author"]);
        Some(StatusQuoDoc {
            options,
            basis,
            span,
        })
    }

    /// `[decision]`: `at_least`, `must_include`, `power_share` and a basis.
    fn decision(&mut self, n: &Node) -> Option<DecisionDoc> {
        let mut t = self.table(n, "decision")?;
        let at_least = t
            .get("at_least")
            .and_then(|n| self.number(n, "decision.at_least"));
        let must_include = self.str_list(&mut t, "must_include");
        let power_share = t
            .get("power_share")
            .and_then(|n| self.number(n, "decision.power_share"));
        let basis = self.basis_keys(&mut t);
        let span = Some(t.span.clone());
        self.finish(
            t,
            &[
                "at_least",
                "must_include",
                "power_share",
                "evidence",
                "assumption",
                "note",
                "author",
            ],
        );
        Some(DecisionDoc {
            at_least,
            must_include,
            power_share,
            basis,
            span,
        })
    }

    /// `[bands]`: optional numbers and a note.
    fn bands(&mut self, n: &Node) -> Option<BandsDoc> {
        let mut t = self.table(n, "bands")?;
        let mut num = |t: &mut Tab<'_>, key: &str| {
            let path = t.sub(key);
            t.get(key).and_then(|n| self.number(n, &path))
        };
        let mut d = BandsDoc {
            value: num(&mut t, "value"),
            salience: num(&mut t, "salience"),
            power: num(&mut t, "power"),
            reservation: num(&mut t, "reservation"),
            red_line_drop: num(&mut t, "red_line_drop"),
            red_line_add: num(&mut t, "red_line_add"),
            status_quo_move: num(&mut t, "status_quo_move"),
            ..BandsDoc::default()
        };
        d.note = self.opt_str(&mut t, "note");
        d.span = Some(t.span.clone());
        self.finish(
            t,
            &[
                "value",
                "salience",
                "power",
                "reservation",
                "red_line_drop",
                "red_line_add",
                "status_quo_move",
                "note",
            ],
        );
        Some(d)
    }

    /// `[[interpretations]]`: `id`, `name`, the overrides and a basis.
    fn interpretation(&mut self, n: &Node, path: &str) -> Option<InterpretationDoc> {
        let mut t = self.table(n, path)?;
        let id = self.req_str(&mut t, "id", "the interpretation's id");
        let name = self.req_str(&mut t, "name", "what the reading says, in a few words");
        let red_lines = self.refs(&mut t, "red_lines", false);
        let drop_red_lines = self.refs(&mut t, "drop_red_lines", false);
        let reservations = if t.has("reservations") {
            self.num_map(&mut t, "reservations", "")
        } else {
            NumMap::default()
        };
        let values = self.refs(&mut t, "values", true);
        let basis = self.basis_keys(&mut t);
        let span = Some(t.span.clone());
        self.finish(
            t,
            &[
                "id",
                "name",
                "red_lines",
                "drop_red_lines",
                "reservations",
                "values",
                "evidence",
                "assumption",
                "note",
                "author",
            ],
        );
        Some(InterpretationDoc {
            id,
            name,
            red_lines,
            drop_red_lines,
            reservations,
            values,
            basis,
            span,
        })
    }

    /// An array of `{ actor, issue, option }` tables (with `value` when
    /// `valued`) at `key` (missing = empty).
    fn refs(&mut self, t: &mut Tab<'_>, key: &str, valued: bool) -> Vec<RefDoc> {
        let path = t.sub(key);
        let (items, _) = self.array(t, key, None);
        let mut out = Vec::new();
        for (i, n) in items.iter().enumerate() {
            let here = format!("{path}[{i}]");
            let Some(mut r) = self.table(n, &here) else {
                continue;
            };
            let actor = self.req_str(&mut r, "actor", "the actor's id");
            let issue = self.req_str(&mut r, "issue", "the issue's id");
            let option = self.req_str(&mut r, "option", "the option's id");
            let value = valued.then(|| self.req_num(&mut r, "value", "the option's value, 0 to 1"));
            let span = Some(r.span.clone());
            let known: &[&str] = if valued {
                &["actor", "issue", "option", "value"]
            } else {
                &["actor", "issue", "option"]
            };
            self.finish(r, known);
            out.push(RefDoc {
                actor,
                issue,
                option,
                value,
                span,
            });
        }
        out
    }

    fn basis(&mut self, t: &mut Tab<'_>, key: &str) -> BasisDoc {
        let Some(n) = t.get(key) else {
            return BasisDoc::default();
        };
        let path = t.sub(key);
        let Some(mut bt) = self.table(n, &path) else {
            return BasisDoc::default();
        };
        let b = self.basis_keys(&mut bt);
        self.finish(bt, &["evidence", "assumption", "note", "author"]);
        b
    }

    /// `[[unmodelled]]`: a quote with `speaker` and a `reason`.
    fn unmodelled(&mut self, n: &Node, path: &str) -> Option<UnmodelledDoc> {
        let mut t = self.table(n, path)?;
        let evidence = self.evidence_keys(&mut t, path);
        let reason = self.req_str(&mut t, "reason", "why the statement is not modelled");
        self.finish(t, &["source", "quote", "speaker", "reason"]);
        Some(UnmodelledDoc { evidence, reason })
    }

    fn evidence(&mut self, n: &Node, path: &str) -> Option<EvidenceDoc> {
        let mut t = self.table(n, path)?;
        let e = self.evidence_keys(&mut t, path);
        self.finish(t, &["source", "quote", "speaker", "states", "grade"]);
        Some(e)
    }

    fn evidence_keys(&mut self, t: &mut Tab<'_>, path: &str) -> EvidenceDoc {
        EvidenceDoc {
            source: self.req_str(t, "source", "the id of a [[sources]] entry"),
            quote: self.req_str(t, "quote", "the verbatim text from the source"),
            speaker: t
                .get("speaker")
                .and_then(|n| self.string(n, &format!("{path}.speaker"))),
            states: match t.get("states") {
                Some(n) => self.states(n, &format!("{path}.states")),
                None => StatesDoc::default(),
            },
            grade: t
                .get("grade")
                .and_then(|n| self.string(n, &format!("{path}.grade"))),
        }
    }

    /// `states = { best, worst, order, issues }`; `best` and `worst` take
    /// one id or an array of ids.
    fn states(&mut self, n: &Node, path: &str) -> StatesDoc {
        let Some(mut t) = self.table(n, path) else {
            return StatesDoc::default();
        };
        let mut ids = |d: &mut Self, key: &str| -> Vec<Sp<String>> {
            let Some(n) = t.get(key) else { return vec![] };
            let p = join(path, key);
            match &n.kind {
                Kind::Array(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| d.string(n, &format!("{p}[{i}]")))
                    .collect(),
                _ => d.string(n, &p).into_iter().collect(),
            }
        };
        let states = StatesDoc {
            best: ids(self, "best"),
            worst: ids(self, "worst"),
            order: ids(self, "order"),
            issues: ids(self, "issues"),
            span: Some(t.span.clone()),
        };
        self.finish(t, &["best", "worst", "order", "issues"]);
        states
    }

    fn actor(&mut self, n: &Node, path: &str) -> Option<ActorDoc> {
        let mut t = self.table(n, path)?;
        let id = self.req_str(&mut t, "id", "the actor id");
        let name = self.req_str(&mut t, "name", "a human name");
        let aliases = self.str_list(&mut t, "aliases");
        let power = self.req_num(&mut t, "power", "a positive capability number");
        let power_basis = self.basis(&mut t, "power_basis");
        let reservation = self.reservation(&mut t);
        let reservation_basis = self.basis(&mut t, "reservation_basis");
        let salience = self.num_map(&mut t, "salience", "a weight for every issue");
        let salience_basis = self.basis(&mut t, "salience_basis");
        let (items, _) = self.array(&mut t, "positions", Some("a position on every issue"));
        let positions = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.position(n, &format!("{path}.positions[{i}]")))
            .collect();
        let (items, _) = self.array(&mut t, "red_line_combinations", None);
        let red_line_combinations = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.combination(n, &format!("{path}.red_line_combinations[{i}]")))
            .collect();
        let (items, _) = self.array(&mut t, "interactions", None);
        let interactions = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.interaction(n, &format!("{path}.interactions[{i}]")))
            .collect();
        self.finish(
            t,
            &[
                "id",
                "name",
                "aliases",
                "power",
                "power_basis",
                "reservation",
                "reservation_basis",
                "salience",
                "salience_basis",
                "positions",
                "red_line_combinations",
                "interactions",
            ],
        );
        Some(ActorDoc {
            id,
            name,
            aliases,
            power,
            power_basis,
            reservation,
            reservation_basis,
            salience,
            salience_basis,
            positions,
            red_line_combinations,
            interactions,
        })
    }

    /// `reservation`: a number, or `"status_quo"`.
    fn reservation(&mut self, t: &mut Tab<'_>) -> Sp<ReservationDoc> {
        let what = "the walk-away utility in [0, 1], or \"status_quo\"";
        match t.get("reservation") {
            Some(Node {
                kind: Kind::Str(s),
                span,
            }) if s == "status_quo" => Sp::new(ReservationDoc::StatusQuo, span.clone()),
            Some(Node {
                kind: Kind::Num(x),
                span,
            }) => Sp::new(ReservationDoc::Value(*x), span.clone()),
            Some(n) => {
                self.err(
                    &t.sub("reservation"),
                    n.span.clone(),
                    format!(
                        "expected a number or \"status_quo\", found {}",
                        n.kind.name()
                    ),
                );
                Sp::new(ReservationDoc::Value(f64::NAN), n.span.clone())
            }
            None => {
                self.missing(t, "reservation", what);
                Sp::new(ReservationDoc::Value(f64::NAN), t.span.clone())
            }
        }
    }

    fn position(&mut self, n: &Node, path: &str) -> Option<PositionDoc> {
        let mut t = self.table(n, path)?;
        let issue = self.req_str(&mut t, "issue", "the issue id");
        let values = self.num_map(&mut t, "values", "a value in [0, 1] for every option");
        let (items, _) = self.array(&mut t, "red_lines", None);
        let rl_path = t.sub("red_lines");
        let red_lines = items
            .iter()
            .enumerate()
            .filter_map(|(i, n)| self.red_line(n, &format!("{rl_path}[{i}]")))
            .collect();
        let basis = self.basis_keys(&mut t);
        let span = Some(t.span.clone());
        self.finish(
            t,
            &[
                "issue",
                "values",
                "red_lines",
                "evidence",
                "assumption",
                "note",
                "author",
            ],
        );
        Some(PositionDoc {
            issue,
            values,
            red_lines,
            basis,
            span,
        })
    }

    fn red_line(&mut self, n: &Node, path: &str) -> Option<RedLineDoc> {
        if let Kind::Str(s) = &n.kind {
            return Some(RedLineDoc {
                option: Sp::new(s.clone(), n.span.clone()),
                basis: BasisDoc::default(),
            });
        }
        let Kind::Table(_) = &n.kind else {
            self.err(
                path,
                n.span.clone(),
                format!(
                    "expected an option id or a table {{ option = ..., evidence = [...] }}, found {}",
                    n.kind.name()
                ),
            );
            return None;
        };
        let mut t = self.table(n, path)?;
        let option = self.req_str(&mut t, "option", "the option id this actor rejects");
        let basis = self.basis_keys(&mut t);
        self.finish(t, &["option", "evidence", "assumption", "note", "author"]);
        Some(RedLineDoc { option, basis })
    }
}
