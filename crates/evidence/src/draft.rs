//! A scenario skeleton drafted from the statements of one or more reports:
//! the parties that speak become actors, the topics several parties speak
//! to become candidate issues, every statement becomes evidence for the
//! position it most likely supports or an `[[unmodelled]]` entry.
//!
//! Everything drafted is the analyst's to confirm: each issue's two
//! options are introduced by the analyst (no quote mentions them), every
//! number is an assumption with a note, and the file says so. It validates
//! as written, so `zopa analyze` runs on it at once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

use crate::extract::Statement;
use crate::lexicon::{Lexicon, Stance};

/// One report with its statements.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    /// The source id the draft gives it.
    pub id: String,
    /// Its path as the drafted scenario cites it (relative to the scenario).
    pub path: String,
    /// When it was published, if known.
    pub date: Option<String>,
    /// Its statements (from [`crate::extract`], no scenario needed).
    pub statements: &'a [Statement],
}

/// A party of the draft.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftActor {
    /// Actor id.
    pub id: String,
    /// The party's name (the speakers' affiliation).
    pub name: String,
    /// Statements it makes, over all reports.
    pub statements: usize,
}

/// A candidate issue of the draft.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DraftIssue {
    /// Issue id.
    pub id: String,
    /// The word the statements share ("pipeline").
    pub term: String,
    /// Parties that speak to it.
    pub parties: usize,
    /// Statements that speak to it.
    pub statements: usize,
}

/// The drafted scenario and what went into it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Draft {
    /// The scenario, TOML with comments.
    pub toml: String,
    /// Its actors, most statements first.
    pub actors: Vec<DraftActor>,
    /// Its candidate issues, most parties first.
    pub issues: Vec<DraftIssue>,
    /// Statements attached to a position as evidence.
    pub attached: usize,
    /// Statements listed as `[[unmodelled]]`.
    pub unmodelled: usize,
}

/// Why no scenario can be drafted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    /// Fewer than two parties speak.
    #[error(
        "a scenario needs at least two parties, and the reports tie statements to {found}: {names}"
    )]
    TooFewParties {
        /// How many.
        found: usize,
        /// Their names.
        names: String,
    },
    /// No topic is shared by two parties.
    #[error("no topic is shared by two parties' statements, so no candidate issue can be drafted; write the issues by hand and use `zopa evidence REPORT --scenario S --toml` for the candidates")]
    NoSharedTopic,
}

/// At most this many candidate issues (most parties, then most statements).
pub const MAX_ISSUES: usize = 4;

/// Draft a scenario from `reports`.
pub fn draft(title: &str, reports: &[Report<'_>]) -> Result<Draft, DraftError> {
    let lex = Lexicon::builtin();
    let actors = actors(reports);
    if actors.len() < 2 {
        return Err(DraftError::TooFewParties {
            found: actors.len(),
            names: actors
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let id_of: HashMap<&str, &str> = actors
        .iter()
        .map(|a| (a.name.as_str(), a.id.as_str()))
        .collect();
    let issues = issues(reports, &id_of, lex);
    if issues.is_empty() {
        return Err(DraftError::NoSharedTopic);
    }
    let mut w = Writer::default();
    w.header(title, reports, &actors, &issues);
    let used = w.actors(reports, &actors, &issues, &id_of, lex);
    let unmodelled = w.unmodelled(reports, &used, &id_of);
    Ok(Draft {
        toml: w.out,
        actors,
        issues,
        attached: used.len(),
        unmodelled,
    })
}

/// A statement's place: (report, index).
type At = (usize, usize);

/// The parties that speak (not commentators), most statements first.
fn actors(reports: &[Report<'_>]) -> Vec<DraftActor> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for s in reports.iter().flat_map(|r| r.statements) {
        if let Some(a) = &s.speaker.affiliation {
            *count.entry(a.as_str()).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = count.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut ids = HashSet::new();
    v.into_iter()
        .map(|(name, statements)| {
            let mut id = slug(name);
            while !ids.insert(id.clone()) {
                id.push('_');
            }
            DraftActor {
                id,
                name: name.to_string(),
                statements,
            }
        })
        .collect()
}

/// A lower-case id of letters, digits and `_`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("x{out}")
    } else {
        out
    }
}

/// The topic words of a statement: runs of capitalised words that name no
/// party ("Eastern Mediterranean", "EastMed") as one term, and lower-case
/// words of four letters or more that are no function word of
/// `topic_stopwords` nor a party's name, a final plural "s" dropped
/// ("rockets" → "rocket"). A statement's first word counts as lower-case.
fn terms(s: &Statement, lex: &Lexicon, parties: &HashSet<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |t: String, out: &mut Vec<String>| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    let words: Vec<&str> = s
        .text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect();
    let named = |k: usize, w: &str| {
        k > 0
            && w.chars().next().is_some_and(char::is_uppercase)
            && !parties.contains(&w.to_lowercase())
            && !lex.stopwords.has_word(&w.to_lowercase())
    };
    let mut k = 0;
    while k < words.len() {
        if named(k, words[k]) {
            let mut e = k + 1;
            while e < words.len() && named(e, words[e]) {
                e += 1;
            }
            let run: Vec<String> = words[k..e].iter().map(|w| w.to_lowercase()).collect();
            if run.join("").chars().count() >= 4 {
                push(run.join(" "), &mut out);
            }
            k = e;
            continue;
        }
        let w = words[k].to_lowercase();
        k += 1;
        let capital = words[k - 1].chars().next().is_some_and(char::is_uppercase) && k > 1;
        if capital
            || w.chars().count() < 4
            || w.chars().any(|c| c.is_ascii_digit())
            || lex.stopwords.has_word(&w)
        {
            continue;
        }
        let t = singular(&w);
        if parties.contains(&t) || parties.contains(&w) || lex.stopwords.has_word(&t) {
            continue;
        }
        push(t, &mut out);
    }
    out
}

fn singular(w: &str) -> String {
    if w.len() > 4
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// Every word naming a party: the actors' names and their gazetteer words.
fn party_words(id_of: &HashMap<&str, &str>, lex: &Lexicon) -> HashSet<String> {
    let mut out = HashSet::new();
    for name in id_of.keys() {
        for w in lex
            .gazetteer
            .words_for(name)
            .into_iter()
            .chain([name.to_string()])
        {
            for part in w.split_whitespace() {
                out.insert(part.to_lowercase());
                out.insert(singular(&part.to_lowercase()));
            }
        }
    }
    out
}

/// The topics at least two parties speak to, most parties first.
fn issues(reports: &[Report<'_>], id_of: &HashMap<&str, &str>, lex: &Lexicon) -> Vec<DraftIssue> {
    let parties = party_words(id_of, lex);
    let mut by: BTreeMap<String, (HashSet<&str>, usize)> = BTreeMap::new();
    for s in reports.iter().flat_map(|r| r.statements) {
        let Some(a) = s.speaker.affiliation.as_deref() else {
            continue;
        };
        for t in terms(s, lex, &parties) {
            let e = by.entry(t).or_default();
            e.0.insert(a);
            e.1 += 1;
        }
    }
    let mut v: Vec<(String, usize, usize)> = by
        .into_iter()
        .filter(|(_, (p, _))| p.len() >= 2)
        .map(|(t, (p, n))| (t, p.len(), n))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    v.into_iter()
        .take(MAX_ISSUES)
        .map(|(term, parties, statements)| DraftIssue {
            id: slug(&term),
            term,
            parties,
            statements,
        })
        .collect()
}

/// Whether statement `s` speaks to `issue` (its term, singular or plural).
fn speaks_to(s: &Statement, issue: &DraftIssue, lex: &Lexicon) -> bool {
    let empty = HashSet::new();
    terms(s, lex, &empty).contains(&issue.term)
}

/// +1 for a statement for the topic, −1 against, 0 neither.
fn sign(stance: Stance) -> i32 {
    match stance {
        Stance::Demand | Stance::Accepts | Stance::Proposes => 1,
        Stance::Rejects | Stance::RedLine => -1,
        Stance::Assesses => 0,
    }
}

/// A TOML basic string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn header(
        &mut self,
        title: &str,
        reports: &[Report<'_>],
        actors: &[DraftActor],
        issues: &[DraftIssue],
    ) {
        let o = &mut self.out;
        let _ = writeln!(
            o,
            "# A scenario DRAFTED by `zopa evidence --draft` from {} report(s). It validates\n\
             # and `zopa analyze` runs on it, but every issue, option and number below is a\n\
             # first guess for the analyst to confirm: the issues are words that at least two\n\
             # parties' statements share, each with two options the analyst introduces (no\n\
             # quote names them); the values follow the statements' stances; power,\n\
             # reservation and salience are placeholders.\n",
            reports.len()
        );
        let _ = writeln!(o, "[scenario]\nid = \"draft\"\ntitle = {}", q(title));
        let _ =
            writeln!(
                o,
                "description = {}\n",
                q(&format!(
                "Drafted from {}: {} parties, {} candidate issues. To be confirmed by the analyst.",
                reports.iter().map(|r| r.path.as_str()).collect::<Vec<_>>().join(", "),
                actors.len(),
                issues.len()
            ))
            );
        for r in reports {
            let _ = writeln!(o, "[[sources]]\nid = {}\npath = {}", q(&r.id), q(&r.path));
            match &r.date {
                Some(d) => {
                    let _ = writeln!(o, "date = {}", q(d));
                }
                None => o.push_str("# date = \"\"  # when it was published\n"),
            }
            o.push('\n');
        }
        for i in issues {
            let _ = writeln!(
                o,
                "# Candidate: \"{}\" — in {} statements of {} parties.\n[[issues]]\nid = {}\nname = {}\nkeywords = [{}]\noptions = [\n  {{ id = \"yes\", label = {} }},\n  {{ id = \"no\", label = {} }},\n]\n",
                i.term,
                i.statements,
                i.parties,
                q(&i.id),
                q(&capitalised(&i.term)),
                q(&i.term),
                q(&format!("{} as proposed", capitalised(&i.term))),
                q(&format!("No {}", i.term)),
            );
        }
    }

    /// Each actor with a position per issue; returns the statements used as
    /// evidence.
    fn actors(
        &mut self,
        reports: &[Report<'_>],
        actors: &[DraftActor],
        issues: &[DraftIssue],
        id_of: &HashMap<&str, &str>,
        lex: &Lexicon,
    ) -> HashSet<At> {
        let mut used = HashSet::new();
        let aliases = aliases(reports, id_of, lex);
        let salience: Vec<String> = issues.iter().map(|i| format!("{} = 1", i.id)).collect();
        for a in actors {
            let o = &mut self.out;
            let _ = writeln!(o, "[[actors]]\nid = {}\nname = {}", q(&a.id), q(&a.name));
            if let Some(al) = aliases.get(a.id.as_str()).filter(|v| !v.is_empty()) {
                let al: Vec<String> = al.iter().map(|x| q(x)).collect();
                let _ = writeln!(o, "aliases = [{}]", al.join(", "));
            }
            let _ = writeln!(
                o,
                "power = 1\nreservation = 0\nsalience = {{ {} }}\n\
                 power_basis = {{ assumption = true, note = \"Drafted: every party has the same power until the analyst says otherwise.\" }}\n\
                 reservation_basis = {{ assumption = true, note = \"Drafted: no walk-away value is known from the reports.\" }}\n\
                 salience_basis = {{ assumption = true, note = \"Drafted: every candidate issue weighs the same.\" }}\n",
                salience.join(", ")
            );
            for i in issues {
                self.position(reports, a, i, lex, &mut used);
            }
        }
        used
    }

    fn position(
        &mut self,
        reports: &[Report<'_>],
        a: &DraftActor,
        i: &DraftIssue,
        lex: &Lexicon,
        used: &mut HashSet<At>,
    ) {
        let mut quotes: Vec<(At, &Statement)> = Vec::new();
        for (r, rep) in reports.iter().enumerate() {
            for (k, s) in rep.statements.iter().enumerate() {
                if s.speaker.affiliation.as_deref() == Some(a.name.as_str()) && speaks_to(s, i, lex)
                {
                    quotes.push(((r, k), s));
                }
            }
        }
        let score: i32 = quotes.iter().map(|(_, s)| sign(s.stance)).sum();
        let (yes, no) = match score.signum() {
            1 => (1.0, 0.0),
            -1 => (0.0, 1.0),
            _ => (0.5, 0.5),
        };
        let o = &mut self.out;
        let _ = writeln!(
            o,
            "[[actors.positions]]\nissue = {}\nvalues = {{ yes = {yes}, no = {no} }}",
            q(&i.id)
        );
        if quotes.is_empty() {
            let _ = writeln!(
                o,
                "assumption = true\nnote = {}\n",
                q(&format!("Drafted: {} says nothing about \"{}\" in the reports; indifference is a placeholder.", a.name, i.term))
            );
            return;
        }
        // A party against the issue that states a red line on it.
        let red = quotes
            .iter()
            .find(|(_, s)| s.stance == Stance::RedLine)
            .filter(|_| score < 0);
        let ev: Vec<String> = quotes
            .iter()
            .map(|((r, _), s)| {
                format!(
                    "  {{ source = {}, speaker = {}, quote = {} }},  # {} ({}:{})",
                    q(&reports[*r].id),
                    q(&a.id),
                    q(&s.text),
                    s.stance.name(),
                    s.location.line,
                    s.location.column
                )
            })
            .collect();
        if let Some(((r, _), s)) = red {
            let _ = writeln!(
                o,
                "red_lines = [{{ option = \"yes\", evidence = [{{ source = {}, speaker = {}, quote = {} }}] }}]",
                q(&reports[*r].id),
                q(&a.id),
                q(&s.text)
            );
        }
        let _ = writeln!(
            o,
            "evidence = [\n{}\n]\nnote = {}\n",
            ev.join("\n"),
            q(&format!(
                "Drafted from the stances of {} statement(s) (sum {score:+}); the values are a first guess.",
                quotes.len()
            ))
        );
        used.extend(quotes.iter().map(|(at, _)| *at));
    }

    /// Every statement not used as evidence, with why; returns how many.
    fn unmodelled(
        &mut self,
        reports: &[Report<'_>],
        used: &HashSet<At>,
        id_of: &HashMap<&str, &str>,
    ) -> usize {
        let mut n = 0;
        for (r, rep) in reports.iter().enumerate() {
            for (k, s) in rep.statements.iter().enumerate() {
                if used.contains(&(r, k)) {
                    continue;
                }
                n += 1;
                let speaker = s.speaker.affiliation.as_deref().and_then(|a| id_of.get(a));
                let reason = match speaker {
                    Some(_) => format!(
                        "drafted: about no candidate issue ({}), not yet reviewed",
                        s.stance.name()
                    ),
                    None => format!(
                        "drafted: {} is tied to no party, not yet reviewed",
                        s.speaker.written
                    ),
                };
                let o = &mut self.out;
                let _ = writeln!(o, "[[unmodelled]]\nsource = {}", q(&rep.id));
                if let Some(id) = speaker {
                    let _ = writeln!(o, "speaker = {}", q(id));
                }
                let _ = writeln!(o, "quote = {}\nreason = {}\n", q(&s.text), q(&reason));
            }
        }
        n
    }
}

/// Each actor's aliases: the words a text calls its party by and the names
/// of the people who speak for it, none shared by two actors.
fn aliases<'a>(
    reports: &[Report<'_>],
    id_of: &HashMap<&'a str, &'a str>,
    lex: &Lexicon,
) -> HashMap<&'a str, Vec<String>> {
    let mut claims: BTreeMap<String, HashSet<&str>> = BTreeMap::new();
    for (name, id) in id_of {
        for w in lex.gazetteer.words_for(name).into_iter().skip(1).take(6) {
            claims.entry(w).or_default().insert(id);
        }
    }
    for s in reports.iter().flat_map(|r| r.statements) {
        let (Some(a), true) = (s.speaker.affiliation.as_deref(), s.speaker.person) else {
            continue;
        };
        let Some(id) = id_of.get(a) else { continue };
        if let Some(last) = s.speaker.resolved.split_whitespace().last() {
            if last.chars().next().is_some_and(char::is_uppercase) && last.chars().count() > 2 {
                claims.entry(last.to_string()).or_default().insert(id);
            }
        }
    }
    let mut out: HashMap<&str, Vec<String>> = HashMap::new();
    for (alias, ids) in claims {
        if ids.len() == 1 {
            let id = ids.into_iter().next().expect("one");
            if id_of.iter().any(|(n, _)| n.eq_ignore_ascii_case(&alias)) {
                continue;
            }
            out.entry(id).or_default().push(alias);
        }
    }
    out
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
