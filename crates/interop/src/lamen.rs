//! LAMEN's structured negotiation games (Davidson et al., "Evaluating
//! Language Model Agency through Negotiations", ICLR 2024; the YAML files of
//! its public repository).
//!
//! A LAMEN game is a YAML file: either an experiment configuration whose
//! `game:` mapping holds the game, or the game mapping itself. zopa reads:
//!
//! * `issues` — a list; each item an issue mapping (`name`, `payoffs`: two
//!   lists of numbers, one per side, `payoff_labels`: two lists of labels;
//!   `issue_type` and `descriptions` are not needed) or the name of an issue
//!   file (`<name>.yaml` in an `issues/` folder beside the file, or beside it).
//! * `issue_weights` — two lists, one weight per issue for each side
//!   (default: all 1); `scale` — two numbers (default 100, LAMEN's default).
//! * `parties` — the two sides' names (default: `agent_1`/`agent_2`'s
//!   `internal_description.name`, else "Side 1"/"Side 2").
//!
//! LAMEN scales each side's payoffs as its `Game.reweigh_issues` does:
//! payoff × (weight / the side's weight total) × scale, truncated to a whole
//! number; a side's score of a deal is the sum over the issues; its rules
//! forbid accepting a deal worth less than zero to the side. Both sides must
//! agree. zopa maps the scores onto utilities as for every scored game
//! ([`crate::scores`]): option k of an issue is one deal term whatever each
//! side calls it (option ids and labels are the first side's labels).
//!
//! YAML aliases are refused (an alias can multiply a small file into a huge
//! tree); nesting is limited like every zopa input.

use std::path::Path;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;
use zopa_model::{Diagnostic, Diagnostics, LineCol, Scenario};

use crate::scores::{Scored, ScoredParty};
use crate::semantics::Warning;
use crate::InteropError;

/// A YAML node with its position (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
struct Y {
    kind: K,
    at: LineCol,
}

#[derive(Debug, Clone, PartialEq)]
enum K {
    Map(Vec<(String, Y)>),
    Seq(Vec<Y>),
    Scalar(String),
}

impl Y {
    fn get(&self, key: &str) -> Option<&Y> {
        match &self.kind {
            K::Map(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn what(&self) -> &'static str {
        match self.kind {
            K::Map(_) => "a mapping",
            K::Seq(_) => "a list",
            K::Scalar(_) => "a scalar",
        }
    }
}

/// Builds [`Y`] trees from the parser's events; refuses aliases, keys that
/// are not scalars and nesting deeper than [`zopa_model::limits::MAX_DEPTH`].
#[derive(Default)]
struct Builder {
    stack: Vec<(Y, Option<String>)>,
    root: Option<Y>,
    error: Option<(LineCol, String)>,
}

fn at(m: Marker) -> LineCol {
    LineCol {
        line: m.line(),
        col: m.col() + 1,
    }
}

impl Builder {
    fn fail(&mut self, m: Marker, msg: &str) {
        if self.error.is_none() {
            self.error = Some((at(m), msg.to_string()));
        }
    }

    /// Put a finished node into its parent (or make it the root).
    fn place(&mut self, node: Y, m: Marker) {
        let Some((parent, key)) = self.stack.last_mut() else {
            self.root.get_or_insert(node);
            return;
        };
        match &mut parent.kind {
            K::Seq(items) => items.push(node),
            K::Map(items) => match key.take() {
                Some(k) => items.push((k, node)),
                None => match node.kind {
                    K::Scalar(s) => *key = Some(s),
                    _ => self.fail(m, "a mapping key must be a plain value"),
                },
            },
            K::Scalar(_) => {}
        }
    }

    fn open(&mut self, kind: K, m: Marker) {
        if self.stack.len() >= zopa_model::limits::MAX_DEPTH {
            self.fail(m, "nested too deeply");
        }
        self.stack.push((Y { kind, at: at(m) }, None));
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, m: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::Alias(_) => self.fail(m, "YAML aliases are not read (an alias can multiply a small file into a huge one): write the value out"),
            Event::Scalar(v, ..) => self.place(Y { kind: K::Scalar(v), at: at(m) }, m),
            Event::SequenceStart(..) => self.open(K::Seq(vec![]), m),
            Event::MappingStart(..) => self.open(K::Map(vec![]), m),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _)) = self.stack.pop() {
                    self.place(node, m);
                }
            }
            _ => {}
        }
    }
}

/// A located error of `origin`.
fn located(origin: &str, pos: LineCol, message: String) -> InteropError {
    let mut d = Diagnostics::new(origin.to_string());
    let mut item = Diagnostic::error("", None, message);
    item.pos = Some(pos);
    d.push(item);
    InteropError::Invalid(d)
}

/// Parse YAML text into a tree.
fn parse(text: &str, origin: &str) -> Result<Y, InteropError> {
    let mut b = Builder::default();
    if let Err(e) = Parser::new_from_str(text).load(&mut b, false) {
        return Err(located(
            origin,
            at(*e.marker()),
            format!("not valid YAML: {}", e.info()),
        ));
    }
    if let Some((pos, msg)) = b.error {
        return Err(located(origin, pos, msg));
    }
    b.root.ok_or_else(|| {
        located(
            origin,
            LineCol { line: 1, col: 1 },
            "the file is empty".into(),
        )
    })
}

/// Reading one file: its name for messages.
struct File<'a> {
    origin: &'a str,
}

impl File<'_> {
    fn err(&self, node: &Y, message: impl Into<String>) -> InteropError {
        located(self.origin, node.at, message.into())
    }

    fn list<'y>(&self, node: &'y Y, what: &str) -> Result<&'y [Y], InteropError> {
        match &node.kind {
            K::Seq(items) => Ok(items),
            _ => Err(self.err(
                node,
                format!("{what}: expected a list, found {}", node.what()),
            )),
        }
    }

    fn text<'y>(&self, node: &'y Y, what: &str) -> Result<&'y str, InteropError> {
        match &node.kind {
            K::Scalar(s) => Ok(s),
            _ => Err(self.err(
                node,
                format!("{what}: expected a value, found {}", node.what()),
            )),
        }
    }

    fn number(&self, node: &Y, what: &str) -> Result<f64, InteropError> {
        let s = self.text(node, what)?;
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && x.abs() <= 1e12)
            .ok_or_else(|| self.err(node, format!("{what}: expected a number, found `{s}`")))
    }

    /// Two lists (one per side) of what `item` reads.
    fn pair<T>(
        &self,
        node: &Y,
        what: &str,
        item: impl Fn(&Y) -> Result<T, InteropError>,
    ) -> Result<[Vec<T>; 2], InteropError> {
        let sides = self.list(node, what)?;
        if sides.len() != 2 {
            return Err(self.err(
                node,
                format!(
                    "{what}: expected two lists, one per side, found {}",
                    sides.len()
                ),
            ));
        }
        let side = |k: usize| -> Result<Vec<T>, InteropError> {
            self.list(&sides[k], what)?.iter().map(&item).collect()
        };
        Ok([side(0)?, side(1)?])
    }
}

/// One issue: its name, each side's payoffs and the option labels.
struct Issue {
    name: String,
    payoffs: [Vec<f64>; 2],
    labels: Vec<String>,
}

fn issue(f: &File<'_>, node: &Y) -> Result<Issue, InteropError> {
    let name_node = node
        .get("name")
        .ok_or_else(|| f.err(node, "an issue needs `name`"))?;
    let name = f.text(name_node, "name")?.to_string();
    let what = format!("issue `{name}`: payoffs");
    let payoffs = f.pair(
        node.get("payoffs")
            .ok_or_else(|| f.err(node, format!("issue `{name}` needs `payoffs`")))?,
        &what,
        |y| f.number(y, &what),
    )?;
    if payoffs[0].len() != payoffs[1].len() || payoffs[0].is_empty() {
        return Err(f.err(
            node,
            format!(
                "issue `{name}`: the sides score {} and {} options: both score every option",
                payoffs[0].len(),
                payoffs[1].len()
            ),
        ));
    }
    if payoffs[0].len() as u64 > zopa_model::limits::MAX_ISSUE_VALUES {
        return Err(f.err(node, format!("issue `{name}`: too many options")));
    }
    let labels = match node.get("payoff_labels") {
        Some(l) => {
            let [first, _] = f.pair(l, &format!("issue `{name}`: payoff_labels"), |y| {
                f.text(y, "payoff label").map(str::to_string)
            })?;
            first
        }
        None => vec![],
    };
    let unique = labels.len() == payoffs[0].len()
        && labels.iter().all(|l| !l.trim().is_empty())
        && (1..labels.len()).all(|k| !labels[..k].contains(&labels[k]));
    let labels = if unique {
        labels
    } else {
        (1..=payoffs[0].len())
            .map(|k| format!("option {k}"))
            .collect()
    };
    Ok(Issue {
        name,
        payoffs,
        labels,
    })
}

/// Whether `path` is a LAMEN game: a `.yaml` / `.yml` file.
pub fn is_lamen_file(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn read_text(path: &Path) -> Result<String, InteropError> {
    let bytes = crate::read_bytes(path)?;
    String::from_utf8(bytes)
        .map_err(|_| InteropError::Folder(format!("{} is not UTF-8 text", path.display())))
}

/// An issue named in the game: `issues/<name>.yaml` beside the file, or
/// `<name>.yaml` beside it.
fn issue_file(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    let file = if name.ends_with(".yaml") || name.ends_with(".yml") {
        name.to_string()
    } else {
        format!("{name}.yaml")
    };
    if Path::new(&file)
        .components()
        .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return None;
    }
    [dir.join("issues").join(&file), dir.join(&file)]
        .into_iter()
        .find(|p| p.is_file())
}

/// Read a LAMEN game file (and the issue files it names) into a scenario.
pub fn read_file(path: &Path) -> Result<(Scenario, Vec<Warning>), InteropError> {
    let origin = path.display().to_string();
    let text = read_text(path)?;
    let root = parse(&text, &origin)?;
    let f = File { origin: &origin };
    let game = root.get("game").unwrap_or(&root);
    let issues_node = game.get("issues").ok_or_else(|| {
        f.err(
            game,
            "the game needs `issues` (a list of issues or issue file names)",
        )
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut issues = Vec::new();
    for item in f.list(issues_node, "issues")? {
        match &item.kind {
            K::Scalar(name) => {
                let file = issue_file(dir, name).ok_or_else(|| {
                    f.err(
                        item,
                        format!("no issue file `{name}` in {0}/issues or {0}", dir.display()),
                    )
                })?;
                let o = file.display().to_string();
                let y = parse(&read_text(&file)?, &o)?;
                issues.push(issue(&File { origin: &o }, &y)?);
            }
            _ => issues.push(issue(&f, item)?),
        }
    }
    if issues.is_empty() {
        return Err(f.err(issues_node, "the game has no issue"));
    }
    let k = issues.len();
    let weights = match game.get("issue_weights") {
        Some(w) => f.pair(w, "issue_weights", |y| f.number(y, "issue_weights"))?,
        None => [vec![1.0; k], vec![1.0; k]],
    };
    for w in &weights {
        if w.len() != k || w.iter().any(|x| *x < 0.0) || w.iter().sum::<f64>() <= 0.0 {
            return Err(f.err(
                game.get("issue_weights").unwrap_or(game),
                format!("issue_weights: each side needs {k} weights, none negative, not all 0"),
            ));
        }
    }
    let scale: Vec<f64> = match game.get("scale") {
        Some(s) => {
            let v = f.list(s, "scale")?;
            if v.len() != 2 {
                return Err(f.err(s, "scale: expected two numbers, one per side"));
            }
            v.iter()
                .map(|y| f.number(y, "scale"))
                .collect::<Result<_, _>>()?
        }
        None => vec![100.0, 100.0],
    };
    let names = side_names(&f, &root, game)?;
    let parties = (0..2)
        .map(|side| {
            let total: f64 = weights[side].iter().sum();
            let scores: Vec<Vec<i64>> = issues
                .iter()
                .zip(&weights[side])
                .map(|(i, &w)| {
                    // As LAMEN: (payoff × normalised weight) × scale, truncated.
                    i.payoffs[side]
                        .iter()
                        .map(|&p| (p * (w / total) * scale[side]).trunc() as i64)
                        .collect()
                })
                .collect();
            ScoredParty {
                id: slug(&names[side], side),
                name: names[side].clone(),
                source: format!("{origin} (side {})", side + 1),
                scores,
                threshold: 0,
            }
        })
        .collect::<Vec<_>>();
    let id = game
        .get("name")
        .and_then(|n| f.text(n, "name").ok())
        .map(|n| {
            Path::new(n)
                .file_stem()
                .map_or(n.to_string(), |s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| {
            path.file_stem()
                .map_or("lamen".into(), |s| s.to_string_lossy().into_owned())
        });
    crate::scores::to_scenario(&Scored {
        title: format!("LAMEN game {id}"),
        description: format!(
            "A structured negotiation game in LAMEN's format (Davidson et al., 2024): two sides, {k} issues; scores as LAMEN scales them; a side accepts no deal worth less than 0 to it; both must agree."
        ),
        id,
        issues: issues
            .iter()
            .map(|i| (i.name.clone(), i.labels.clone()))
            .collect(),
        parties,
        decision: None,
        parties_are: "LAMEN's sides",
        stated_thresholds: false,
    })
}

/// The two sides' names: `parties`, else the agents' names, else "Side 1/2".
fn side_names(f: &File<'_>, root: &Y, game: &Y) -> Result<[String; 2], InteropError> {
    if let Some(p) = game.get("parties") {
        let v = f.list(p, "parties")?;
        if v.len() == 2 {
            return Ok([
                f.text(&v[0], "parties")?.to_string(),
                f.text(&v[1], "parties")?.to_string(),
            ]);
        }
        return Err(f.err(p, "parties: expected the two sides' names"));
    }
    let agent = |k: &str, default: &str| -> String {
        root.get(k)
            .and_then(|a| a.get("internal_description"))
            .and_then(|d| d.get("name"))
            .and_then(|n| match &n.kind {
                K::Scalar(s) => Some(s.clone()),
                _ => None,
            })
            .unwrap_or_else(|| default.to_string())
    };
    let names = [agent("agent_1", "Side 1"), agent("agent_2", "Side 2")];
    if names[0] == names[1] {
        return Ok(["Side 1".into(), "Side 2".into()]);
    }
    Ok(names)
}

/// An actor id from a name: lower case, runs of other characters as `_`.
fn slug(name: &str, side: usize) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('_') {
            s.push('_');
        }
    }
    let s = s.trim_matches('_').to_string();
    if s.is_empty() {
        format!("side{}", side + 1)
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_bad_yaml_are_refused_with_their_place() {
        let e = parse("a: &x [1, 2]\nb: *x\n", "g.yaml").unwrap_err();
        let InteropError::Invalid(d) = e else {
            panic!("{e:?}")
        };
        assert_eq!(d.items[0].pos.map(|p| p.line), Some(2), "{d}");
        assert!(d.items[0].message.contains("aliases"), "{d}");
        let e = parse("a: [1, 2\n", "g.yaml").unwrap_err().to_string();
        assert!(e.contains("not valid YAML"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(200) + &"]".repeat(200);
        let e = parse(&text, "g.yaml").unwrap_err().to_string();
        assert!(e.contains("nested too deeply"), "{e}");
    }

    #[test]
    fn names_become_ids() {
        assert_eq!(slug("Loan Officer", 0), "loan_officer");
        assert_eq!(slug("  ", 1), "side2");
    }
}
