//! Who speaks: mentions of people and institutions, resolved to the
//! scenario's parties through their names and aliases, surnames met earlier
//! in the article, and pronouns.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;
use zopa_model::Scenario;

use crate::lexicon::Lexicon;
use crate::phrases::Phrases;
use crate::text::Tok;

/// The parties a text's mentions can resolve to: each actor's name and
/// aliases. An alias written with a capital only matches a capitalised word
/// (so the alias "US" never matches the pronoun "us").
#[derive(Debug, Clone, Default)]
pub struct Parties {
    ids: Vec<String>,
    names: Phrases<(usize, bool)>,
}

impl Parties {
    /// No parties: speakers are found but not resolved to a party.
    pub fn none() -> Self {
        Parties::default()
    }

    /// The actors of `scenario`, by name and aliases.
    pub fn of(scenario: &Scenario) -> Self {
        let mut p = Parties::default();
        for (a, actor) in scenario.actors().iter().enumerate() {
            p.ids.push(actor.id.clone());
            for n in std::iter::once(&actor.name).chain(&actor.aliases) {
                let capital = n.chars().next().is_some_and(char::is_uppercase);
                p.names.add(n, (a, capital));
            }
        }
        p
    }

    /// The actor id of party `a`.
    pub fn id(&self, a: usize) -> &str {
        &self.ids[a]
    }

    /// The first party named in `toks[range]`.
    pub(crate) fn named(&self, toks: &[Tok], range: Range<usize>) -> Option<usize> {
        self.names
            .find_all(toks, range)
            .into_iter()
            .find(|(i, _, (_, capital))| !capital || toks[*i].capital)
            .map(|(_, _, (a, _))| *a)
    }
}

/// How a speaker was resolved to a party.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The mention holds an actor's name or alias.
    Alias,
    /// A surname (or name) met earlier with a title or a party.
    Name,
    /// A pronoun, referring back to the last person or institution that spoke.
    Pronoun,
    /// The mention names no party of the scenario.
    Unresolved,
}

/// Who makes a statement.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    /// The mention as the article writes it ("he", "Kremlin spokesman Dmitry Peskov").
    pub written: String,
    /// Who that is: the fullest mention found ("Kremlin spokesman Dmitry Peskov").
    pub resolved: String,
    /// The party (an actor id of the scenario), when one is named.
    pub party: Option<String>,
    /// How the party was found.
    pub via: Via,
    /// The country or organisation the text itself ties the speaker to,
    /// with or without a scenario: a name or demonym in the mention
    /// ("Turkish Prime Minister …" → Turkey, `lexicon/parties.toml`), the
    /// title or apposition met with the person's name earlier ("Fawzi
    /// Barhoum, a Hamas spokesman"), or the organisation the mention
    /// names ("the SDF" → Syrian Democratic Forces).
    pub affiliation: Option<String>,
    /// Whether the speaker is a person (else an institution or country).
    #[serde(skip)]
    pub person: bool,
    /// Whether the speaker comments without being a party (media, analysts,
    /// think tanks: `commentators` in `lexicon/words.toml`).
    #[serde(skip)]
    pub commentator: bool,
}

/// A person met in the text: the full mention, party and affiliation.
#[derive(Debug, Clone)]
struct Person {
    full: String,
    party: Option<usize>,
    affiliation: Option<String>,
    commentator: bool,
}

/// What the reader remembers while going through an article.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    /// Each word of a person's name (lower-case) → person.
    people: HashMap<String, Person>,
    /// An organisation's short form or name (lower-case) → its name
    /// ("sdf" → "Syrian Democratic Forces").
    orgs: HashMap<String, String>,
    last_person: Option<Speaker>,
    last_group: Option<Speaker>,
}

/// Whether token `k` is a word written with a capital.
fn cap(toks: &[Tok], k: usize) -> bool {
    toks.get(k).is_some_and(|t| t.word && t.capital)
}

impl Memory {
    /// Note the people and organisations a paragraph introduces:
    /// "TITLE Name Name" with up to three capitalised words before the
    /// title ("Kremlin spokesman Dmitry Peskov", "The Chilean
    /// representative, Mr Labbe"); "Name Name, a TITLE …" ("Fawzi Barhoum,
    /// a Hamas spokesman"); "Long Name (ACRONYM)".
    pub fn learn(&mut self, text: &str, toks: &[Tok], lex: &Lexicon, parties: &Parties) {
        self.learn_acronyms(text, toks, lex);
        let mut i = 0;
        while i < toks.len() {
            let Some((e, _)) = lex.titles.at(toks, i) else {
                i += 1;
                continue;
            };
            // An optional comma and honorifics between title and name.
            let mut f = e;
            if toks.get(f).is_some_and(|t| t.is(',')) && cap(toks, f + 1) {
                f += 1;
            }
            while let Some((e2, _)) = lex.titles.at(toks, f).filter(|_| cap(toks, f)) {
                f = e2;
                while toks.get(f).is_some_and(|t| t.is('.')) {
                    f += 1;
                }
            }
            let n = name_end(toks, f, lex);
            if n > f {
                let mut s = i;
                while s > 0
                    && i - s < 3
                    && cap(toks, s - 1)
                    && !lex.openers.has_word(&toks[s - 1].lower)
                {
                    s -= 1;
                }
                let full = text[toks[s].span.start..toks[n - 1].span.end].to_string();
                let affiliation = self
                    .affiliation(text, toks, s..i, lex)
                    .or_else(|| self.after_of(text, toks, e..f.min(e + 6), lex));
                let party = parties.named(toks, s..n);
                let commentator = !lex.commentators.find_all(toks, s..n).is_empty();
                self.remember(
                    toks,
                    f..n,
                    Person {
                        full,
                        party,
                        affiliation,
                        commentator,
                    },
                );
                i = n;
                continue;
            }
            i += 1;
        }
        self.learn_appositions(text, toks, lex, parties);
    }

    /// "Name Name, a Hamas spokesman" / ", President of France" / ", the
    /// leader of Hamas' political wing": a name, a comma, and within six
    /// words a title.
    fn learn_appositions(&mut self, text: &str, toks: &[Tok], lex: &Lexicon, parties: &Parties) {
        for c in 1..toks.len() {
            if !toks[c].is(',') || !cap(toks, c - 1) {
                continue;
            }
            let mut s = c - 1;
            while s > 0 && c - s < 3 && cap(toks, s - 1) {
                s -= 1;
            }
            // A name has no title of its own here ("President Bush, …" is learnt above).
            if (s..c).any(|k| lex.titles.at(toks, k).is_some()) || c - s < 2 {
                continue;
            }
            let end = (c + 1..toks.len().min(c + 10))
                .find(|&k| !toks[k].word && !toks[k].is('\'') && !toks[k].is('’'))
                .unwrap_or(toks.len().min(c + 10));
            let Some(t) = (c + 1..end).find(|&k| {
                lex.titles.at(toks, k).is_some() || lex.commentators.at(toks, k).is_some()
            }) else {
                continue;
            };
            let affiliation = self
                .affiliation(text, toks, c + 1..end, lex)
                .or_else(|| self.after_of(text, toks, t..end, lex));
            let commentator = !lex.commentators.find_all(toks, c + 1..end).is_empty();
            let full = text[toks[s].span.start..toks[c - 1].span.end].to_string();
            let party = parties.named(toks, s..end);
            let key = toks[c - 1].lower.as_str();
            if self
                .people
                .get(key)
                .is_some_and(|p| p.affiliation.is_some())
                && affiliation.is_none()
            {
                continue;
            }
            self.remember(
                toks,
                s..c,
                Person {
                    full,
                    party,
                    affiliation,
                    commentator,
                },
            );
        }
    }

    /// "Syrian Democratic Forces (SDF)": the short form names the
    /// organisation (a leading "Kurdish-led" is not part of the name).
    fn learn_acronyms(&mut self, text: &str, toks: &[Tok], lex: &Lexicon) {
        for o in 1..toks.len().saturating_sub(2) {
            let acronym = toks[o].is('(')
                && toks[o + 2].is(')')
                && toks[o + 1].word
                && text[toks[o + 1].span.clone()]
                    .chars()
                    .filter(|c| c.is_uppercase())
                    .count()
                    >= 2;
            if !acronym || !cap(toks, o - 1) {
                continue;
            }
            let mut s = o - 1;
            while s > 0
                && o - s < 6
                && (cap(toks, s - 1) || (connector(&toks[s - 1]) && cap(toks, s.saturating_sub(2))))
            {
                s -= 1;
            }
            while s < o
                && (toks[s].lower.ends_with("-led")
                    || toks[s].lower == "the"
                    || connector(&toks[s]))
            {
                s += 1;
            }
            if s >= o {
                continue;
            }
            let name = text[toks[s].span.start..toks[o - 1].span.end].to_string();
            let name = match lex.gazetteer.at(toks, s) {
                Some((e, g)) if e == o => g.to_string(),
                _ => name,
            };
            self.orgs
                .insert(toks[o + 1].lower.to_string(), name.clone());
            self.orgs.insert(name.to_lowercase(), name);
        }
    }

    fn remember(&mut self, toks: &[Tok], name: Range<usize>, p: Person) {
        for k in name {
            if toks[k].word && toks[k].lower.chars().count() > 2 {
                let keep = self
                    .people
                    .get(toks[k].lower.as_str())
                    .is_some_and(|old| old.affiliation.is_some() && p.affiliation.is_none());
                if !keep {
                    self.people.insert(toks[k].lower.to_string(), p.clone());
                }
            }
        }
    }

    /// "… of France", "… for the Hamas": the party after "of" or "for" in
    /// `toks[range]`.
    fn after_of(
        &self,
        text: &str,
        toks: &[Tok],
        range: Range<usize>,
        lex: &Lexicon,
    ) -> Option<String> {
        let end = range.end;
        let k = range
            .clone()
            .find(|&k| matches!(toks[k].lower.as_str(), "of" | "for"))?;
        self.affiliation(text, toks, k + 1..end, lex)
    }

    /// The country or organisation `toks[range]` names: a known short form
    /// or organisation, a gazetteer entry, or a run of capitalised words
    /// that is no person's name (an organisation, "Hamas", "Interim Arab
    /// Parliament"). A country's word followed by words of government
    /// ("Turkish Ministry of Foreign Affairs") is the country; followed by
    /// other capitalised words ("Syrian Democratic Forces") it is an
    /// organisation of its own.
    pub fn affiliation(
        &self,
        text: &str,
        toks: &[Tok],
        range: Range<usize>,
        lex: &Lexicon,
    ) -> Option<String> {
        let mut k = range.start;
        while k < range.end {
            if !cap(toks, k) {
                k += 1;
                continue;
            }
            if let Some(org) = self.orgs.get(toks[k].lower.as_str()) {
                return Some(org.clone());
            }
            // The run of capitalised words (with "of"/"for"/"and" inside).
            let mut e = k + 1;
            while e < range.end
                && (cap(toks, e) || (connector(&toks[e]) && cap(toks, e + 1) && e + 1 < range.end))
            {
                e += 1;
            }
            let run: Vec<usize> = (k..e)
                .filter(|&j| {
                    lex.titles.at(toks, j).is_none()
                        && !self.people.contains_key(toks[j].lower.as_str())
                })
                .collect();
            let name = text[toks[k].span.start..toks[e - 1].span.end].to_string();
            if let Some(org) = self.orgs.get(&name.to_lowercase()) {
                return Some(org.clone());
            }
            if let Some((g_end, g)) = lex.gazetteer.at(toks, k).filter(|(g_end, _)| *g_end <= e) {
                let rest_is_government = (g_end..e).all(|j| {
                    lex.government.has_word(&toks[j].lower)
                        || lex.titles.at(toks, j).is_some()
                        || connector(&toks[j])
                        || lex.gazetteer.at(toks, j).is_some()
                        || self.people.contains_key(toks[j].lower.as_str())
                });
                if rest_is_government {
                    return Some(g.to_string());
                }
                return Some(trim_org(text, toks, k..e));
            }
            if let Some((_, g)) =
                (k..e).find_map(|j| lex.gazetteer.at(toks, j).filter(|(x, _)| *x <= e))
            {
                if (k..e).all(|j| {
                    lex.titles.at(toks, j).is_some()
                        || lex.government.has_word(&toks[j].lower)
                        || lex.gazetteer.at(toks, j).is_some()
                        || connector(&toks[j])
                        || self.people.contains_key(toks[j].lower.as_str())
                }) {
                    return Some(g.to_string());
                }
            }
            let opener = run.len() == 1
                && (lex.openers.has_word(&toks[run[0]].lower)
                    || matches!(
                        toks[run[0]].lower.as_str(),
                        "the" | "a" | "an" | "this" | "these" | "that" | "it" | "its" | "their"
                    ));
            if !run.is_empty() && !opener && run.len() == e - k {
                return Some(trim_org(text, toks, k..e));
            }
            k = e;
        }
        None
    }

    /// A sentence's subject, named without speaking: who a later "he", "it"
    /// or "they" refers to. `group` when it is coordinated ("X and his
    /// counterparts").
    pub fn mention(
        &mut self,
        text: &str,
        toks: &[Tok],
        range: Range<usize>,
        group: bool,
        lex: &Lexicon,
        parties: &Parties,
    ) {
        let written = text[toks[range.start].span.start..toks[range.end - 1].span.end].to_string();
        let mut sp = self.lookup(text, written, toks, range, lex, parties);
        if sp.via == Via::Pronoun {
            return;
        }
        if group {
            sp.person = false;
        }
        if sp.person {
            self.last_person = Some(sp);
        } else {
            self.last_group = Some(sp);
        }
    }

    /// Remember that the person named in `toks[range]` is a commentator
    /// (a later "Levy saw …" is not a party's statement either).
    pub fn mark_commentator(&mut self, toks: &[Tok], range: Range<usize>) {
        for k in range {
            if toks[k].word && toks[k].capital && toks[k].lower.chars().count() > 2 {
                let p = self
                    .people
                    .entry(toks[k].lower.to_string())
                    .or_insert(Person {
                        full: String::new(),
                        party: None,
                        affiliation: None,
                        commentator: true,
                    });
                p.commentator = true;
            }
        }
    }

    /// The institution or country that last spoke or was last named.
    pub fn last_group(&self) -> Option<Speaker> {
        self.last_group.clone()
    }

    /// Resolve the subject `toks[range]`, and remember it for later pronouns.
    pub fn resolve(
        &mut self,
        text: &str,
        toks: &[Tok],
        range: Range<usize>,
        lex: &Lexicon,
        parties: &Parties,
    ) -> Speaker {
        let written = text[toks[range.start].span.start..toks[range.end - 1].span.end].to_string();
        let speaker = self.lookup(text, written, toks, range, lex, parties);
        if speaker.via != Via::Pronoun {
            if speaker.person {
                self.last_person = Some(speaker.clone());
            } else {
                self.last_group = Some(speaker.clone());
            }
        }
        speaker
    }

    fn lookup(
        &self,
        text: &str,
        written: String,
        toks: &[Tok],
        range: Range<usize>,
        lex: &Lexicon,
        parties: &Parties,
    ) -> Speaker {
        let first = &toks[range.start].lower;
        // "the foreign ministers": the group last named; "the minister":
        // the person last named.
        let definite_title = range.len() <= 3
            && range.len() >= 2
            && toks[range.start].lower == "the"
            && lex.titles.at(toks, range.end - 1).is_some()
            && toks[range.clone()]
                .iter()
                .all(|t| !t.capital || t.lower == "the");
        let plural = toks[range.end - 1].lower.ends_with('s');
        if range.len() == 1 || definite_title {
            // "the minister" is the last person only when introduced as one.
            let title = toks[range.end - 1].lower.as_str();
            let same_title = self
                .last_person
                .as_ref()
                .is_some_and(|p| p.resolved.to_lowercase().contains(title));
            let earlier = if definite_title && plural {
                Some(&self.last_group)
            } else if definite_title && !same_title {
                Some(&None)
            } else if definite_title || lex.person_pronouns.has_word(first) {
                Some(&self.last_person)
            } else if lex.group_pronouns.has_word(first) {
                Some(&self.last_group)
            } else {
                None
            };
            if let Some(earlier) = earlier {
                return match earlier {
                    Some(s) => Speaker {
                        written,
                        via: Via::Pronoun,
                        ..s.clone()
                    },
                    None => Speaker {
                        resolved: written.clone(),
                        written,
                        party: None,
                        via: Via::Unresolved,
                        affiliation: None,
                        person: lex.person_pronouns.has_word(first),
                        commentator: false,
                    },
                };
            }
        }
        let titled = (range.clone()).any(|k| lex.titles.at(toks, k).is_some());
        let known = range.clone().rev().find_map(|k| {
            self.people
                .get(toks[k].lower.as_str())
                .filter(|_| toks[k].capital)
        });
        let named = parties.named(toks, range.clone());
        let party = named.or(known.and_then(|p| p.party));
        let own = self.affiliation(text, toks, range.clone(), lex);
        let affiliation = match known {
            Some(p) if p.affiliation.is_some() => p.affiliation.clone(),
            _ => own,
        };
        Speaker {
            resolved: known
                .filter(|p| !p.full.is_empty())
                .map_or_else(|| written.clone(), |p| p.full.clone()),
            written,
            party: party.map(|a| parties.id(a).to_string()),
            via: match (named, party) {
                (Some(_), _) => Via::Alias,
                (None, Some(_)) => Via::Name,
                _ => Via::Unresolved,
            },
            affiliation,
            person: titled || known.is_some(),
            commentator: known.is_some_and(|p| p.commentator)
                || !lex.commentators.find_all(toks, range.clone()).is_empty(),
        }
    }
}

/// Past a person's name starting at `f`: up to three capitalised words,
/// initials with their full stop included ("George W. Bush").
fn name_end(toks: &[Tok], f: usize, lex: &Lexicon) -> usize {
    let mut n = f;
    let mut words = 0;
    while words < 4 && cap(toks, n) && lex.titles.at(toks, n).is_none() {
        let initial = toks[n].lower.chars().count() == 1;
        n += 1;
        words += 1;
        if initial && toks.get(n).is_some_and(|t| t.is('.')) && cap(toks, n + 1) {
            n += 1;
        }
    }
    n
}

/// "of", "for", "and" inside a name ("Ministry of Foreign Affairs").
fn connector(t: &Tok) -> bool {
    t.word && matches!(t.lower.as_str(), "of" | "for" | "and" | "the")
}

/// An organisation's name as written, without a leading "The" or
/// "Kurdish-led", nor a trailing possessive.
fn trim_org(text: &str, toks: &[Tok], mut r: Range<usize>) -> String {
    while r.len() > 1
        && (toks[r.start].lower == "the"
            || toks[r.start].lower.ends_with("-led")
            || toks[r.start].lower.ends_with("-backed"))
    {
        r.start += 1;
    }
    let s = &text[toks[r.start].span.start..toks[r.end - 1].span.end];
    s.trim_end_matches("'s").trim_end_matches("’s").to_string()
}
