//! The word lists the extractor reads by, kept as data files in
//! `crates/evidence/lexicon/` and compiled in.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::phrases::Phrases;

/// What position a statement takes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// A judgement or report of the speaker's view, no position for or against.
    Assesses,
    /// Asks for something.
    Demand,
    /// Opposes something.
    Rejects,
    /// Welcomes or accepts something.
    Accepts,
    /// Puts something forward.
    Proposes,
    /// Something the speaker will not accept under any deal.
    RedLine,
}

impl Stance {
    /// The name used in files and output (`red_line`, …).
    pub fn name(self) -> &'static str {
        match self {
            Stance::Assesses => "assesses",
            Stance::Demand => "demand",
            Stance::Rejects => "rejects",
            Stance::Accepts => "accepts",
            Stance::Proposes => "proposes",
            Stance::RedLine => "red_line",
        }
    }
}

/// How a cue verb attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CueKind {
    /// The statement is what the verb introduces.
    Speech,
    /// The statement is the whole clause, subject included.
    Stance,
}

/// A cue verb's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cue {
    pub kind: CueKind,
    pub stance: Stance,
}

#[derive(Deserialize)]
struct CueFile {
    cue: Vec<CueEntry>,
}
#[derive(Deserialize)]
struct CueEntry {
    kind: CueKind,
    stance: Stance,
    words: Vec<String>,
}
#[derive(Deserialize)]
struct StanceFile {
    phrase: Vec<StanceEntry>,
}
#[derive(Deserialize)]
struct StanceEntry {
    stance: Stance,
    words: Vec<String>,
}
#[derive(Deserialize)]
struct PartyFile {
    party: Vec<PartyEntry>,
}
#[derive(Deserialize)]
struct PartyEntry {
    name: String,
    words: Vec<String>,
}
#[derive(Deserialize)]
struct WordFile {
    titles: Vec<String>,
    abbreviations: Vec<String>,
    person_pronouns: Vec<String>,
    group_pronouns: Vec<String>,
    openers: Vec<String>,
    auxiliaries: Vec<String>,
    evaluative: Vec<String>,
    government: Vec<String>,
    counts: Vec<String>,
    documents: Vec<String>,
    conditions: Vec<String>,
    topic_stopwords: Vec<String>,
    commentators: Vec<String>,
}

/// The compiled word lists.
#[derive(Debug)]
pub struct Lexicon {
    pub(crate) cues: Phrases<Cue>,
    /// Stance phrases, in precedence order.
    pub(crate) stances: Vec<(Stance, Phrases<()>)>,
    pub(crate) titles: Phrases<()>,
    pub(crate) abbreviations: Phrases<()>,
    pub(crate) person_pronouns: Phrases<()>,
    pub(crate) group_pronouns: Phrases<()>,
    pub(crate) openers: Phrases<()>,
    pub(crate) auxiliaries: Phrases<()>,
    pub(crate) evaluative: Phrases<()>,
    pub(crate) government: Phrases<()>,
    pub(crate) counts: Phrases<()>,
    pub(crate) documents: Phrases<()>,
    pub(crate) conditions: Phrases<()>,
    pub(crate) stopwords: Phrases<()>,
    pub(crate) commentators: Phrases<()>,
    /// Countries and organisations (`parties.toml`).
    pub(crate) gazetteer: Gazetteer,
}

/// Countries and organisations with the words a text calls them by,
/// matched case-sensitively (`lexicon/parties.toml`).
#[derive(Debug, Default)]
pub(crate) struct Gazetteer {
    names: Vec<String>,
    /// Each party's words as written in the file.
    written: Vec<Vec<String>>,
    words: Phrases<(usize, bool)>,
}

impl Gazetteer {
    fn new(entries: &[PartyEntry]) -> Self {
        let mut g = Gazetteer::default();
        for (k, e) in entries.iter().enumerate() {
            g.names.push(e.name.clone());
            g.written.push(e.words.clone());
            for w in std::iter::once(&e.name).chain(&e.words) {
                let capital = w.chars().next().is_some_and(char::is_uppercase);
                g.words.add(w, (k, capital));
                // "the UN's relief agency"
                g.words.add(&format!("{w}'s"), (k, capital));
            }
        }
        g
    }

    /// The party named at token `i`, with the token just past its name.
    pub(crate) fn at(&self, toks: &[crate::text::Tok], i: usize) -> Option<(usize, &str)> {
        let (end, &(k, capital)) = self.words.at(toks, i)?;
        (!capital || toks[i].capital).then(|| (end, self.names[k].as_str()))
    }

    /// Every name and word a text may call party `name`, as written in
    /// `parties.toml`, the name first (empty when it is no entry).
    pub fn words_for(&self, name: &str) -> Vec<String> {
        let Some(k) = self.names.iter().position(|n| n == name) else {
            return Vec::new();
        };
        std::iter::once(name.to_string())
            .chain(self.written[k].iter().cloned())
            .collect()
    }
}

/// The lexicon files as compiled in: `(name, text)`.
pub const FILES: [(&str, &str); 4] = [
    ("cues.toml", include_str!("../lexicon/cues.toml")),
    ("stances.toml", include_str!("../lexicon/stances.toml")),
    ("words.toml", include_str!("../lexicon/words.toml")),
    ("parties.toml", include_str!("../lexicon/parties.toml")),
];

fn set(words: &[String]) -> Phrases<()> {
    let mut p = Phrases::default();
    for w in words {
        p.add(w, ());
    }
    p
}

impl Lexicon {
    /// The lexicon compiled into zopa (parsed once per process).
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            Lexicon::parse(FILES[0].1, FILES[1].1, FILES[2].1, FILES[3].1)
                .unwrap_or_else(|e| panic!("the built-in lexicon is malformed: {e}"))
        })
    }

    /// A lexicon from the texts of the four files.
    pub fn parse(
        cues: &str,
        stances: &str,
        words: &str,
        parties: &str,
    ) -> Result<Lexicon, toml::de::Error> {
        let p: PartyFile = toml::from_str(parties)?;
        let c: CueFile = toml::from_str(cues)?;
        let s: StanceFile = toml::from_str(stances)?;
        let w: WordFile = toml::from_str(words)?;
        let mut cues = Phrases::default();
        for e in &c.cue {
            for word in &e.words {
                cues.add(
                    word,
                    Cue {
                        kind: e.kind,
                        stance: e.stance,
                    },
                );
            }
        }
        Ok(Lexicon {
            cues,
            stances: s.phrase.iter().map(|e| (e.stance, set(&e.words))).collect(),
            titles: set(&w.titles),
            abbreviations: set(&w.abbreviations),
            person_pronouns: set(&w.person_pronouns),
            group_pronouns: set(&w.group_pronouns),
            openers: set(&w.openers),
            auxiliaries: set(&w.auxiliaries),
            evaluative: set(&w.evaluative),
            government: set(&w.government),
            counts: set(&w.counts),
            documents: set(&w.documents),
            conditions: set(&w.conditions),
            stopwords: set(&w.topic_stopwords),
            commentators: set(&w.commentators),
            gazetteer: Gazetteer::new(&p.party),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_builtin_lexicon_parses() {
        let l = super::Lexicon::builtin();
        assert!(l.person_pronouns.has_word("he"));
        assert!(l.abbreviations.has_word("mr"));
        assert_eq!(l.stances[0].0, super::Stance::RedLine);
    }
}
