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
    /// Whether the speaker is a person (else an institution or country).
    #[serde(skip)]
    pub person: bool,
}

/// A person met in the text: the full mention and party.
#[derive(Debug, Clone)]
struct Person {
    full: String,
    party: Option<usize>,
}

/// What the reader remembers while going through an article.
#[derive(Debug, Default)]
pub(crate) struct Memory {
    /// Surname (lower-case) → person.
    people: HashMap<String, Person>,
    last_person: Option<Speaker>,
    last_group: Option<Speaker>,
}

impl Memory {
    /// Note every "TITLE Name Name" in a paragraph ("Kremlin spokesman
    /// Dmitry Peskov", "United States President Donald Trump"), with up to
    /// three capitalised words before the title, under the surname.
    pub fn learn(&mut self, text: &str, toks: &[Tok], lex: &Lexicon, parties: &Parties) {
        let mut i = 0;
        while i < toks.len() {
            let Some((e, _)) = lex.titles.at(toks, i) else {
                i += 1;
                continue;
            };
            let n = (e..toks.len().min(e + 3))
                .take_while(|&k| toks[k].word && toks[k].capital)
                .last()
                .map_or(e, |k| k + 1);
            if n > e {
                let mut s = i;
                while s > 0 && i - s < 3 && toks[s - 1].word && toks[s - 1].capital {
                    s -= 1;
                }
                let full = text[toks[s].span.start..toks[n - 1].span.end].to_string();
                let party = parties.named(toks, s..n);
                self.people
                    .insert(toks[n - 1].lower.to_string(), Person { full, party });
            }
            i = n.max(i + 1);
        }
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
        let speaker = self.lookup(written, toks, range, lex, parties);
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
        written: String,
        toks: &[Tok],
        range: Range<usize>,
        lex: &Lexicon,
        parties: &Parties,
    ) -> Speaker {
        let first = &toks[range.start].lower;
        if range.len() == 1 {
            let earlier = if lex.person_pronouns.has_word(first) {
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
                        person: lex.person_pronouns.has_word(first),
                    },
                };
            }
        }
        let titled = (range.clone()).any(|k| lex.titles.at(toks, k).is_some());
        let known = range
            .clone()
            .find_map(|k| self.people.get(toks[k].lower.as_str()));
        let named = parties.named(toks, range.clone());
        let party = named.or(known.and_then(|p| p.party));
        Speaker {
            resolved: known.map_or_else(|| written.clone(), |p| p.full.clone()),
            written,
            party: party.map(|a| parties.id(a).to_string()),
            via: match (named, party) {
                (Some(_), _) => Via::Alias,
                (None, Some(_)) => Via::Name,
                _ => Via::Unresolved,
            },
            person: titled || known.is_some(),
        }
    }
}
