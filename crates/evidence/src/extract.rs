//! Finding attributed statements: reported speech ("X said that …",
//! "X rejects …", "according to X, …") and quotations ("“…,” X said",
//! "X said: “…”", and a quotation that follows a statement of the same
//! speaker).

use std::ops::Range;

use serde::Serialize;

use crate::lexicon::{Cue, CueKind, Lexicon, Stance};
use crate::phrases::Phrases;
use crate::speakers::{Memory, Parties, Speaker};
use crate::text::{self, Tok};

/// How the article attributes a statement.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// A quotation, attributed before or after it, or following a statement
    /// of the same speaker.
    Quote,
    /// Reported speech: what a cue verb introduces.
    Reported,
    /// A clause whose verb takes the position ("X rejected …").
    Stance,
}

/// What a statement speaks to: an issue of the scenario and perhaps one of
/// its options, by their keywords.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// Issue id.
    pub issue: String,
    /// Option id, when an option's keyword occurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
}

/// Where a span lies in the article.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Byte offsets (start inclusive, end exclusive).
    pub bytes: [usize; 2],
    /// 1-based line of the first character.
    pub line: usize,
    /// 1-based column (in characters) of the first character.
    pub column: usize,
    /// 1-based line of the last character.
    pub end_line: usize,
    /// 1-based column just past the last character.
    pub end_column: usize,
}

/// One attributed statement of position.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The verbatim span (the article's exact bytes).
    pub text: String,
    /// Where it is.
    pub location: Location,
    /// Who says it.
    pub speaker: Speaker,
    /// What position it takes.
    pub stance: Stance,
    /// How it is attributed.
    pub form: Form,
    /// The cue verb as written ("emphasized"), empty for a quotation that
    /// follows its speaker's statement.
    pub cue: String,
    /// Issues and options it speaks to.
    pub topics: Vec<Topic>,
    /// The condition the statement sets, as written ("provided they
    /// respect international law", "If Hamas chooses violence over the
    /// cease-fire"), when a condition word opens one (`conditions` in
    /// `lexicon/words.toml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Who reports the speaker's words, when someone else does ("Erdogan
    /// said Trump had told him that …": Trump's statement, reported by
    /// Erdogan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
}

/// Issue and option keywords of a scenario.
#[derive(Debug, Clone, Default)]
pub struct Keywords {
    pub(crate) words: Phrases<(usize, Option<usize>)>,
    pub(crate) issues: Vec<(String, Vec<String>)>,
}

impl Keywords {
    /// The keywords of `scenario`'s issues and options.
    pub fn of(scenario: &zopa_model::Scenario) -> Self {
        let mut k = Keywords::default();
        for (i, issue) in scenario.issues().iter().enumerate() {
            for w in &issue.keywords {
                k.words.add(w, (i, None));
            }
            for (o, opt) in issue.options.iter().enumerate() {
                for w in &opt.keywords {
                    k.words.add(w, (i, Some(o)));
                }
            }
            k.issues.push((
                issue.id.clone(),
                issue.options.iter().map(|o| o.id.clone()).collect(),
            ));
        }
        k
    }

    fn topics(&self, toks: &[Tok], range: Range<usize>) -> Vec<Topic> {
        let mut out: Vec<Topic> = Vec::new();
        for (_, _, &(i, o)) in self.words.find_all(toks, range) {
            let (issue, options) = &self.issues[i];
            let t = Topic {
                issue: issue.clone(),
                option: o.map(|o| options[o].clone()),
            };
            // An issue named on its own adds nothing once an option of it is there.
            if out.contains(&t) || (t.option.is_none() && out.iter().any(|x| x.issue == t.issue)) {
                continue;
            }
            out.retain(|x| !(x.issue == t.issue && x.option.is_none()));
            out.push(t);
        }
        out
    }
}

/// An attribution found in a sentence before it becomes a statement.
#[derive(Debug, Clone)]
struct Found {
    /// Token range of the statement.
    span: Range<usize>,
    speaker: Speaker,
    cue: Option<(Range<usize>, Cue)>,
    form: Form,
    /// Who reports the speaker's words, when they come to the article
    /// through someone else ("Erakat said Abbas would press …").
    reported_by: Option<String>,
}

/// Which tokens of a sentence the statements found so far cover, for
/// constant-time overlap tests (a prefix sum over the sentence).
struct Covered {
    start: usize,
    /// `prefix[i]`: covered tokens among the sentence's first `i`.
    prefix: Vec<usize>,
}

impl Covered {
    fn new(range: Range<usize>, found: &[Found]) -> Self {
        let mut depth = vec![0i64; range.len() + 1];
        for f in found {
            let a = f.span.start.clamp(range.start, range.end) - range.start;
            let b = f.span.end.clamp(range.start, range.end) - range.start;
            if a < b {
                depth[a] += 1;
                depth[b] -= 1;
            }
        }
        let mut prefix = Vec::with_capacity(range.len() + 1);
        let (mut d, mut n) = (0, 0);
        prefix.push(0);
        for x in &depth[..range.len()] {
            d += x;
            n += usize::from(d > 0);
            prefix.push(n);
        }
        Covered {
            start: range.start,
            prefix,
        }
    }

    /// Whether any token of `r` (within the sentence) is covered.
    fn any(&self, r: &Range<usize>) -> bool {
        let at = |i: usize| self.prefix[(i - self.start).min(self.prefix.len() - 1)];
        at(r.end) > at(r.start)
    }
}

/// A sentence being read: its paragraph's tokens and quotations, and the
/// sentence's own token range.
struct Sent<'t> {
    toks: &'t [Tok],
    quotes: &'t [Range<usize>],
    range: Range<usize>,
}

impl Sent<'_> {
    /// Past the run of words starting at `from` (a mention after a cue),
    /// at most 16 words; `from` itself when none starts there.
    fn words_from(&self, from: usize) -> usize {
        let end = self.range.end.min(from + MENTION);
        (from..end)
            .find(|&e| !self.toks[e].word)
            .unwrap_or(end)
            .max(from)
    }
}

/// A cue verb found in a sentence, with its subject's place `k..j`.
struct CueAt {
    range: Range<usize>,
    meaning: Cue,
    k: usize,
    j: usize,
}

impl CueAt {
    /// Whether it sits inside what an earlier cue reports ("said that
    /// Russia welcomes …"): its clause opens with "that".
    fn embedded(&self, s: &Sent<'_>) -> bool {
        self.k > s.range.start && s.toks[self.k - 1].word && s.toks[self.k - 1].lower == "that"
    }
}

/// Everything the extraction of one article reads by.
pub(crate) struct Reader<'a> {
    pub text: &'a str,
    pub lex: &'a Lexicon,
    pub parties: &'a Parties,
    pub keywords: &'a Keywords,
    pub lines: zopa_model::diag::LineIndex,
    /// The last place located: (byte, line, column).
    pub cursor: std::cell::Cell<(usize, usize, usize)>,
}

/// How far ahead of the last place located a count on beats a look-up.
const LOOKUP: usize = 4096;

const BOUNDARY_WORDS: [&str; 11] = [
    "and", "but", "that", "which", "who", "while", "as", "because", "whereas", "where", "when",
];
/// Capitalised without naming anyone: function words at a sentence's
/// start, days and months.
const FUNCTION: [&str; 50] = [
    "this",
    "that",
    "these",
    "those",
    "there",
    "it",
    "its",
    "the",
    "a",
    "an",
    "we",
    "i",
    "our",
    "such",
    "to",
    "in",
    "on",
    "at",
    "for",
    "with",
    "from",
    "by",
    "after",
    "before",
    "during",
    "despite",
    "although",
    "while",
    "if",
    "as",
    "when",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const PREPOSITIONS: [&str; 13] = [
    "in", "on", "at", "during", "after", "before", "via", "through", "with", "to", "from", "by",
    "over",
];
/// The longest mention read before or after a cue, in tokens: the walks
/// back to a subject and forward to a name stop there, so that no text
/// makes them quadratic.
const MENTION: usize = 16;

/// Lower-case words a subject's noun phrase may hold besides names and
/// titles ("a senior Hamas official", "the joint statement").
const NP_WORDS: [&str; 11] = [
    "the", "a", "an", "joint", "senior", "former", "top", "several", "both", "two", "all",
];
/// Words before a noun: a cue word after one is a noun ("a say").
const DETERMINERS: [&str; 10] = [
    "a", "an", "the", "their", "its", "his", "her", "our", "this", "that",
];
/// Forms of "be" before a participle: the passive.
const BE: [&str; 7] = ["is", "was", "were", "are", "be", "been", "being"];
const FINITE: [&str; 18] = [
    "did", "does", "do", "is", "was", "were", "are", "will", "would", "must", "should", "can",
    "could", "has", "had", "have", "may", "might",
];

impl Reader<'_> {
    /// Every statement of the article, in order.
    pub fn read(&self) -> Vec<Statement> {
        let mut memory = Memory::default();
        let mut out = Vec::new();
        let mut last: Option<Speaker> = None;
        for (n, para) in text::paragraphs(self.text).into_iter().enumerate() {
            let toks = text::tokenize(self.text, para);
            if n == 0 && Self::headline(&toks) {
                continue;
            }
            memory.learn(self.text, &toks, self.lex, self.parties);
            let quotes = text::quotes(&toks);
            let abbrev = |w: &str| self.lex.abbreviations.has_word(w);
            for sent in text::sentences(&toks, &quotes, &abbrev) {
                let s = Sent {
                    toks: &toks,
                    quotes: &quotes,
                    range: sent,
                };
                // The sentence's subject is who "he", "it" or "they" refer
                // to next ("The EU partially funded …, as it considers …").
                if let Some(subject) = self.sentence_subject(&s) {
                    let group = toks.get(subject.end).is_some_and(|t| t.lower == "and");
                    memory.mention(self.text, &toks, subject, group, self.lex, self.parties);
                }
                let found = self.sentence(&s, &mut memory, &last);
                last = found.last().map(|f| f.speaker.clone());
                out.extend(
                    found
                        .into_iter()
                        .filter_map(|f| self.statement(&toks, &quotes, f)),
                );
            }
        }
        out
    }

    /// A first paragraph of at most 25 words with no full stop, question or
    /// exclamation mark at its end is the headline, not a statement.
    fn headline(toks: &[Tok]) -> bool {
        let words = toks.iter().filter(|t| t.word).count();
        let last = toks.iter().rev().find(|t| !t.quote());
        words <= 25 && last.is_some_and(|t| t.word || !(t.is('.') || t.is('!') || t.is('?')))
    }

    /// The noun phrase a sentence opens with (after openers such as "On
    /// Tuesday,"), when it names someone.
    fn sentence_subject(&self, s: &Sent<'_>) -> Option<Range<usize>> {
        let mut start = s.range.start;
        // Skip a fronted phrase ending in a comma within eight tokens.
        if let Some(c) = (start..s.range.end.min(start + 8)).find(|&i| s.toks[i].is(',')) {
            if self.lex.openers.has_word(&s.toks[start].lower) {
                start = c + 1;
            }
        }
        let stop = s.range.end.min(start + MENTION);
        let end = (start..stop).find(|&i| !s.toks[i].word).unwrap_or(stop);
        self.subject(s.toks, start..end.min(start + 8))
            .filter(|r| r.start == start || s.toks[start].lower == "the")
    }

    /// The attributions of one sentence.
    fn sentence(&self, s: &Sent<'_>, memory: &mut Memory, last: &Option<Speaker>) -> Vec<Found> {
        let cues: Vec<CueAt> = self
            .lex
            .cues
            .find_all(s.toks, s.range.clone())
            .into_iter()
            .filter(|(i, _, _)| !text::inside(s.quotes, *i))
            // A verb is not capitalised mid-sentence ("United States",
            // "according to Press TV"), nor a noun after a determiner ("a
            // say", "the claim", "the proposed end point").
            .filter(|(i, e, _)| {
                (*i..*e).all(|k| k == s.range.start || !s.toks[k].capital)
                    && !(*i > s.range.start
                        && s.toks[*i - 1].word
                        && DETERMINERS.contains(&s.toks[*i - 1].lower.as_str()))
            })
            .map(|(i, e, c)| self.cue_at(s, i..e, *c))
            .collect();
        let (cues, nested) = self.nesting(s, cues);
        let mut found: Vec<Found> = Vec::new();
        let mut reporter: Option<String> = None;
        for (n, cue) in cues.iter().enumerate() {
            let next = cues.get(n + 1).map(|c| self.clause_start(s, c));
            let end = next.map_or(s.range.end, |x| x.min(s.range.end));
            if nested.get(n + 1) == Some(&true) {
                // "Erdogan said Trump had told him that …": what is said is
                // Trump's, reported by Erdogan.
                reporter = self
                    .subject(s.toks, cue.k..cue.j)
                    .map(|r| self.speaker(memory, s.toks, r, cue.k..cue.j).resolved);
                continue;
            }
            let Some(mut f) = self.attribution(s, cue, end, &found, memory) else {
                continue;
            };
            if nested[n] {
                for x in &mut f {
                    x.reported_by = reporter.clone();
                }
            }
            found.extend(f);
        }
        Self::absorb_closing_attribution(&mut found);
        // “A,” he said, “B,” he said: B is the second speaker's and the
        // first's — one statement, the first attribution's.
        let mut seen = std::collections::HashSet::new();
        found.retain(|f| seen.insert((f.span.start, f.span.end)));
        found.extend(self.according_to(s, memory));
        if let Some(f) = self.colon_quote(s, &found, memory) {
            found.push(f);
        }
        // A quotation standing as its own sentence continues the last speaker.
        if found.is_empty() {
            if let (Some(q), Some(sp)) = (Self::whole_quote(s.quotes, &s.range), last) {
                found.push(Found {
                    span: q,
                    speaker: sp.clone(),
                    cue: None,
                    form: Form::Quote,
                    reported_by: None,
                });
            }
        }
        found
            .into_iter()
            .flat_map(|f| self.split_conditions(s.toks, f))
            .collect()
    }

    /// Which cues stay, and which of them are nested: a cue inside what an
    /// earlier cue reports is part of that statement ("said that Russia
    /// welcomes …"), except a speech cue whose own subject is named right
    /// after the earlier speech cue ("said Trump had told him that …",
    /// "said that Trump had told him …"): that one is a statement of its
    /// own, reported by the first speaker.
    fn nesting(&self, s: &Sent<'_>, all: Vec<CueAt>) -> (Vec<CueAt>, Vec<bool>) {
        let mut cues: Vec<CueAt> = Vec::new();
        let mut nested = Vec::new();
        for mut c in all {
            let outer = cues.last().filter(|p| {
                p.meaning.kind == CueKind::Speech
                    && c.meaning.kind == CueKind::Speech
                    && p.range.end <= c.j
                    && c.k <= p.range.end
            });
            if let Some(p) = outer {
                let mut k = p.range.end;
                if s.toks[k].word && s.toks[k].lower == "that" {
                    k += 1;
                }
                let named = k < c.j
                    && c.j - k <= 6
                    && s.toks[k..c.j].iter().all(|t| t.word)
                    && s.toks[k].capital;
                if named {
                    c.k = k;
                    cues.push(c);
                    nested.push(true);
                    continue;
                }
            }
            if c.embedded(s) {
                continue;
            }
            cues.push(c);
            nested.push(false);
        }
        (cues, nested)
    }

    /// "Abbas will press Washington to ensure “…,” said Erakat.": a
    /// statement inside another one of the same sentence, attributed after
    /// it, is the reporter of the outer one, not a second statement.
    fn absorb_closing_attribution(found: &mut Vec<Found>) {
        let mut out: Vec<Found> = Vec::with_capacity(found.len());
        for g in found.drain(..) {
            let absorbed = out.last_mut().filter(|f| {
                let after = g.cue.as_ref().is_some_and(|(c, _)| c.start >= g.span.end);
                after
                    && f.span.start <= g.span.start
                    && g.span.end <= f.span.end
                    && f.span != g.span
                    && f.cue.as_ref().is_some_and(|(c, _)| c.end <= g.span.start)
            });
            match absorbed {
                Some(f) => f.reported_by = Some(g.speaker.resolved.clone()),
                None => out.push(g),
            }
        }
        *found = out;
    }

    /// "It also set a target for an agreement: “We agree …”" — a quotation
    /// after a colon that no cue introduced is what the sentence's subject
    /// says.
    fn colon_quote(&self, s: &Sent<'_>, found: &[Found], memory: &mut Memory) -> Option<Found> {
        let toks = s.toks;
        let after_colon =
            |q: &&Range<usize>| q.start >= s.range.start + 3 && toks[q.start - 2].is(':');
        let mut candidates = text::within(s.quotes, s.range.clone())
            .iter()
            .filter(after_colon)
            .peekable();
        // The overlap index only for a sentence that has such a quotation.
        candidates.peek()?;
        let covered = Covered::new(s.range.clone(), found);
        let q = candidates.find(|q| !covered.any(q))?;
        let subject = self.subject(toks, s.range.start..q.start - 2)?;
        let speaker = memory.resolve(self.text, toks, subject, self.lex, self.parties);
        Some(Found {
            span: q.clone(),
            speaker,
            cue: None,
            form: Form::Quote,
            reported_by: None,
        })
    }

    /// A quotation of several sentences is split before a sentence that
    /// opens with a condition ("… We would like it to continue. If Hamas
    /// chooses …"): the condition is a statement of its own.
    fn split_conditions(&self, toks: &[Tok], f: Found) -> Vec<Found> {
        if f.form != Form::Quote {
            return vec![f];
        }
        let mut pieces = Vec::new();
        let mut start = f.span.start;
        for i in f.span.start + 1..f.span.end {
            let after_stop = toks[i - 1].is('.') || toks[i - 1].is('!') || toks[i - 1].is('?');
            if after_stop && toks[i].capital && self.lex.conditions.at(toks, i).is_some() {
                pieces.push(start..i);
                start = i;
            }
            // "… open all crossings and we will not accept …": a clause of
            // the speaker's own with a modal.
            let own_clause = toks[i].word
                && toks[i].lower == "and"
                && toks
                    .get(i + 1)
                    .is_some_and(|t| matches!(t.lower.as_str(), "we" | "i"))
                && toks
                    .get(i + 2)
                    .is_some_and(|t| FINITE.contains(&t.lower.as_str()))
                && i > start + 3;
            if own_clause {
                pieces.push(start..i);
                start = i + 1;
            }
        }
        pieces.push(start..f.span.end);
        pieces
            .into_iter()
            .filter(|r| !r.is_empty())
            .map(|span| Found { span, ..f.clone() })
            .collect()
    }

    /// A cue at `range` with its subject's place: the subject is in `k..j`
    /// (empty when the clause shares an earlier subject), `j` being where
    /// the auxiliaries before the cue ("has also") begin.
    fn cue_at(&self, s: &Sent<'_>, range: Range<usize>, meaning: Cue) -> CueAt {
        let floor = s.range.start;
        let j = self.skip_auxiliaries(s.toks, floor, range.start);
        let mut k = j;
        loop {
            // "The Interim Arab Parliament (IAP) has called on": a short
            // form in brackets is part of the subject.
            let bracketed = k >= floor + 3 && s.toks[k - 1].is(')') && s.toks[k - 3].is('(');
            if bracketed {
                k -= 3;
            } else if k > floor && j - k < MENTION && !self.boundary(&s.toks[k - 1]) {
                k -= 1;
            } else {
                break;
            }
        }
        if k == j {
            if let Some(name) = self.apposition(s, j) {
                return CueAt {
                    range,
                    meaning,
                    k: name.start,
                    j: name.end,
                };
            }
        }
        CueAt {
            range,
            meaning,
            k,
            j,
        }
    }

    /// "Mahmoud Zahar, a senior Hamas official, commented …": before the
    /// comma at `j - 1`, an apposition (opening with a/an/the or holding a
    /// title) after a capitalised name; the name's range.
    fn apposition(&self, s: &Sent<'_>, j: usize) -> Option<Range<usize>> {
        let toks = s.toks;
        if j < s.range.start + 3 || !toks[j - 1].is(',') {
            return None;
        }
        let p = (s.range.start..j - 1)
            .rev()
            .take(10)
            .find(|&p| toks[p].is(','))?;
        let seg = p + 1..j - 1;
        let apposed = !seg.is_empty()
            && (matches!(toks[seg.start].lower.as_str(), "a" | "an" | "the")
                || seg.clone().any(|k| self.lex.titles.at(toks, k).is_some()))
            && seg.clone().all(|k| toks[k].word || toks[k].is('\''));
        let name_like =
            |k: usize| toks[k].word && (toks[k].capital || self.lex.titles.at(toks, k).is_some());
        if !apposed || p == s.range.start || !name_like(p - 1) {
            return None;
        }
        // "Mahmoud Zahar, …", "The Israeli UN envoy, Professor …" or
        // "Progressive Party of Working People, …".
        let mut n = p - 1;
        while n > s.range.start
            && p - n < 8
            && (name_like(n - 1)
                || matches!(toks[n - 1].lower.as_str(), "the" | "a" | "an")
                || (matches!(toks[n - 1].lower.as_str(), "of" | "for")
                    && n >= s.range.start + 2
                    && name_like(n - 2)))
        {
            n -= 1;
        }
        Some(n..p)
    }

    /// Where the clause of `cue` begins: its subject, or the boundary before
    /// it when the subject is shared (", suggesting", "and said").
    fn clause_start(&self, s: &Sent<'_>, cue: &CueAt) -> usize {
        let (floor, toks) = (s.range.start, s.toks);
        let mut at = cue.k;
        while at > floor && self.boundary(&toks[at - 1]) && !toks[at - 1].quote() {
            at -= 1;
            if toks[at].word {
                break;
            }
        }
        at
    }

    fn skip_auxiliaries(&self, toks: &[Tok], floor: usize, mut j: usize) -> usize {
        while j > floor {
            let t = &toks[j - 1];
            let aux = t.word
                && !t.capital
                && (self.lex.auxiliaries.has_word(&t.lower)
                    || t.lower.ends_with("ly")
                    || t.lower == "instead");
            if !aux {
                break;
            }
            j -= 1;
        }
        j
    }

    fn boundary(&self, t: &Tok) -> bool {
        if t.word {
            BOUNDARY_WORDS.contains(&t.lower.as_str())
        } else {
            matches!(
                t.lower.as_str(),
                "," | ";" | ":" | "(" | ")" | "—" | "–" | "-"
            ) || t.quote()
        }
    }

    /// The statements a cue introduces.
    fn attribution(
        &self,
        s: &Sent<'_>,
        cue: &CueAt,
        end: usize,
        before: &[Found],
        memory: &mut Memory,
    ) -> Option<Vec<Found>> {
        let (toks, quotes, sent) = (s.toks, s.quotes, &s.range);
        if let Some(p) = self.passive(s, cue, end, memory) {
            return p;
        }
        let k = cue.k;
        let subject = self.subject(toks, k..cue.j);
        let shared = k > sent.start && (toks[k - 1].is(',') || toks[k - 1].word);
        let speaker = match &subject {
            Some(r) => self.speaker(memory, toks, r.clone(), k..cue.j),
            None if shared && !before.is_empty() => before.last()?.speaker.clone(),
            // "Hamas has also released a video, and warned …": the verbs
            // share the sentence's subject.
            None if shared && k > sent.start + 1 => match self.sentence_subject(s) {
                Some(r) => memory.resolve(self.text, toks, r, self.lex, self.parties),
                None => return self.inverted(s, cue, memory),
            },
            None => return self.inverted(s, cue, memory),
        };
        let found = |span: Range<usize>, form| Found {
            span,
            speaker: speaker.clone(),
            cue: Some((cue.range.clone(), cue.meaning)),
            form,
            reported_by: None,
        };
        if cue.meaning.kind == CueKind::Stance {
            let start = subject.as_ref().map_or(cue.range.start, |r| r.start);
            return Some(vec![found(start..end, Form::Stance)]);
        }
        // “…,” Peskov said. — the quotation before the subject (its comma
        // inside or outside the marks).
        let mark = if k > sent.start && toks[k - 1].quote() {
            Some(k - 1)
        } else if k > sent.start + 1 && toks[k - 1].is(',') && toks[k - 2].quote() {
            Some(k - 2)
        } else {
            None
        };
        if let Some(mark) = mark {
            if let Some(q) = text::ending_at(quotes, mark) {
                let mut out = vec![found(q.clone(), Form::Quote)];
                out.extend(
                    self.quote_after(toks, quotes, cue.range.end, end)
                        .map(|q| found(q, Form::Quote)),
                );
                return Some(out);
            }
        }
        let start = self.complement_start(toks, cue.range.end, end);
        let closes = end >= sent.end || !toks[end].word;
        if start >= end || (end - start == 1 && !toks[start].word) {
            // "…, Peskov said." — the clause before the comma.
            if closes && k > sent.start + 1 && toks[k - 1].is(',') {
                let from = self.skip_openers(toks, sent.start, k - 1);
                return Some(vec![found(from..k - 1, Form::Reported)]);
            }
            return None;
        }
        if let Some(q) = text::starting_at(quotes, start + 1).filter(|_| toks[start].quote()) {
            return Some(vec![found(q.clone(), Form::Quote)]);
        }
        let clauses = self.split_clauses(toks, quotes, start..end);
        Some(
            clauses
                .into_iter()
                .map(|r| {
                    // "the EU considers it a PCI": a complement of three
                    // words or fewer without a verb of its own is unclear
                    // without its speaker and verb.
                    let short = toks[r.clone()].iter().filter(|t| t.word).count() <= 3
                        && !toks[r.clone()]
                            .iter()
                            .any(|t| FINITE.contains(&t.lower.as_str()));
                    match &subject {
                        Some(sub) if short && r.start == start => {
                            found(sub.start..r.end, Form::Reported)
                        }
                        _ => found(r, Form::Reported),
                    }
                })
                .collect(),
        )
    }

    /// A cue in the passive ("was condemned in a joint statement by Egypt,
    /// Greece and Cyprus", "it was agreed that …"): the speaker is the
    /// agent after "by", or for "it was agreed that" the group last named;
    /// without either it attributes nothing. `None` when the cue is active.
    fn passive(
        &self,
        s: &Sent<'_>,
        cue: &CueAt,
        end: usize,
        memory: &mut Memory,
    ) -> Option<Option<Vec<Found>>> {
        let toks = s.toks;
        let mut b = cue.range.start;
        while b > s.range.start
            && toks[b - 1].word
            && (self.lex.auxiliaries.has_word(&toks[b - 1].lower)
                || toks[b - 1].lower.ends_with("ly"))
            && !BE.contains(&toks[b - 1].lower.as_str())
        {
            b -= 1;
        }
        // "is pushing for" is progressive, not passive.
        let participle = !toks[cue.range.start].lower.ends_with("ing");
        if b == s.range.start || !BE.contains(&toks[b - 1].lower.as_str()) || !participle {
            return None;
        }
        let aux = b - 1;
        let agent = (cue.range.end..end)
            .find(|&i| toks[i].word && toks[i].lower == "by")
            .and_then(|i| {
                let e = s.words_from(i + 1);
                self.subject(toks, i + 1..e)
            });
        let that = toks.get(cue.range.end).is_some_and(|t| t.lower == "that");
        let speaker = match agent {
            Some(a) => {
                let context = a.clone();
                self.speaker(memory, toks, a, context)
            }
            None if that && cue.meaning.kind == CueKind::Speech => memory.last_group()?,
            None => return Some(None),
        };
        let span = if that {
            cue.range.end + 1..end
        } else {
            aux..end
        };
        Some(Some(vec![Found {
            span,
            speaker,
            cue: Some((cue.range.clone(), cue.meaning)),
            form: if cue.meaning.kind == CueKind::Stance {
                Form::Stance
            } else {
                Form::Reported
            },
            reported_by: None,
        }]))
    }

    /// "“…,” said Peskov." — a cue with no subject before it and a mention
    /// after it, closing the sentence.
    fn inverted(&self, s: &Sent<'_>, cue: &CueAt, memory: &mut Memory) -> Option<Vec<Found>> {
        let (toks, sent) = (s.toks, &s.range);
        let e = s.words_from(cue.range.end);
        let subject = self.subject(toks, cue.range.end..e)?;
        let before = cue.range.start.checked_sub(1)?;
        let context = subject.start..sent.end.min(subject.start + 14);
        let speaker = self.speaker(memory, toks, subject, context);
        let span = if toks[before].quote() {
            text::ending_at(s.quotes, before)?.clone()
        } else if toks[before].is(',') {
            self.skip_openers(toks, sent.start, before)..before
        } else {
            return None;
        };
        Some(vec![Found {
            form: if toks[before].quote() {
                Form::Quote
            } else {
                Form::Reported
            },
            span,
            speaker,
            cue: Some((cue.range.clone(), cue.meaning)),
            reported_by: None,
        }])
    }

    /// Resolve the mention `subject`; `context` is the whole phrase it was
    /// cut from ("Jon Alterman, an analyst at …"), which may tie it to a
    /// party or show a commentator.
    fn speaker(
        &self,
        memory: &mut Memory,
        toks: &[Tok],
        subject: Range<usize>,
        context: Range<usize>,
    ) -> Speaker {
        let subject_range = subject.clone();
        let mut sp = memory.resolve(self.text, toks, subject, self.lex, self.parties);
        if !self
            .lex
            .commentators
            .find_all(toks, context.clone())
            .is_empty()
        {
            sp.commentator = true;
            memory.mark_commentator(toks, subject_range.clone());
        }
        if sp.affiliation.is_none() && sp.via != crate::speakers::Via::Pronoun {
            sp.affiliation = memory.affiliation(self.text, toks, context, self.lex);
        }
        sp
    }

    /// A subject: a pronoun, a document ("the joint statement"), or a
    /// noun phrase holding a capitalised word or a title. A longer run of
    /// words before the cue ("Hamas issued a statement following the press
    /// conference saying") is cut to the noun phrase it opens with.
    fn subject(&self, toks: &[Tok], range: Range<usize>) -> Option<Range<usize>> {
        let s = self.skip_openers(toks, range.start, range.end);
        let r = s..range.end;
        let words = toks[r.clone()].iter().filter(|t| t.word).count();
        if r.is_empty() || words == 0 || toks[r.clone()].iter().any(|t| t.quote()) {
            return None;
        }
        let first = &toks[r.start].lower;
        let pronoun = words == 1
            && (self.lex.person_pronouns.has_word(first)
                || self.lex.group_pronouns.has_word(first));
        if pronoun {
            return Some(r);
        }
        let np = self.noun_phrase(toks, r.clone());
        let named = |r: &Range<usize>| {
            toks[r.clone()].iter().any(|t| {
                t.capital
                    && !self.lex.openers.has_word(&t.lower)
                    && !FUNCTION.contains(&t.lower.as_str())
            }) || r.clone().any(|k| self.lex.titles.at(toks, k).is_some())
                || r.clone().any(|k| self.lex.documents.at(toks, k).is_some())
        };
        if !np.is_empty() && named(&np) {
            return Some(np);
        }
        // "This comes four hours after Olmert said": the name before the cue.
        let mut b = r.end;
        while b > r.start
            && toks[b - 1].word
            && (toks[b - 1].capital || self.lex.titles.at(toks, b - 1).is_some())
        {
            b -= 1;
        }
        let tail = b..r.end;
        if !tail.is_empty() && named(&tail) {
            return Some(tail);
        }
        (words <= 8 && named(&r)).then_some(r)
    }

    /// The noun phrase `toks[range]` opens with: determiners, capitalised
    /// words, titles, documents, "of"/"for"/"and" between capitalised
    /// words, an acronym in brackets, a possessive.
    fn noun_phrase(&self, toks: &[Tok], range: Range<usize>) -> Range<usize> {
        let mut e = range.start;
        let lex = self.lex;
        while e < range.end {
            let t = &toks[e];
            if let Some((x, _)) = lex
                .titles
                .at(toks, e)
                .or_else(|| lex.documents.at(toks, e))
                .filter(|(x, _)| *x <= range.end)
            {
                e = x;
                continue;
            }
            let ok = if t.word {
                let next_cap = e + 1 < range.end && toks[e + 1].word && toks[e + 1].capital;
                let w = t.lower.as_str();
                t.capital
                    || NP_WORDS.contains(&w)
                    || w.ends_with("-led")
                    || w.ends_with("-backed")
                    || (matches!(w, "of" | "for" | "and") && next_cap)
                    || (matches!(w, "'s" | "s") && e > range.start)
            } else {
                // A short form in brackets: "(IAP)".
                (t.is('(') && e + 2 < range.end && toks[e + 2].is(')'))
                    || (t.is(')') && e >= range.start + 2 && toks[e - 2].is('('))
            };
            if !ok {
                break;
            }
            e += 1;
        }
        // Not ending on a determiner or connector.
        while e > range.start
            && toks[e - 1].word
            && matches!(
                toks[e - 1].lower.as_str(),
                "the" | "a" | "an" | "of" | "for" | "and"
            )
        {
            e -= 1;
        }
        range.start..e
    }

    fn skip_openers(&self, toks: &[Tok], mut s: usize, end: usize) -> usize {
        while s < end
            && (self.lex.openers.has_word(&toks[s].lower) || toks[s].is(','))
            && end - s > 1
        {
            s += 1;
        }
        s
    }

    /// Where what a speech cue introduces starts: after a "that" within the
    /// next ten words ("said in a post on X that …"), else after a colon (or
    /// a comma before a quotation) within the next four words ("told
    /// reporters: “…”"), else right after the cue.
    fn complement_start(&self, toks: &[Tok], from: usize, end: usize) -> usize {
        let words = |n: usize| (from..end.min(from + n)).take_while(|&i| toks[i].word);
        // "said in a post on X that …", "told reporters that …" — but not
        // "saying the ceasefire is not enough and that …", whose "that"
        // opens a second clause of what was said.
        let opens_phrase = toks
            .get(from)
            .is_some_and(|t| PREPOSITIONS.contains(&t.lower.as_str()) || t.lower == "that");
        if let Some(i) = words(10)
            .take_while(|&i| !FINITE.contains(&toks[i].lower.as_str()) && toks[i].lower != "not")
            .find(|&i| toks[i].lower == "that")
        {
            // An object of up to three words ("told reporters that",
            // "warned Israel that") or a phrase opening with a preposition.
            if opens_phrase || i - from <= 3 {
                return i + 1;
            }
        }
        let after = words(4).last().map_or(from, |i| i + 1);
        let colon = after < end
            && (toks[after].is(':')
                || (toks[after].is(',') && toks.get(after + 1).is_some_and(Tok::quote)));
        if colon {
            after + 1
        } else {
            from
        }
    }

    /// A quotation right after `from` (", “…”"), as in "“A,” he said, “B.”".
    fn quote_after(
        &self,
        toks: &[Tok],
        quotes: &[Range<usize>],
        from: usize,
        end: usize,
    ) -> Option<Range<usize>> {
        let mut i = from;
        while i < end && (toks[i].is(',') || toks[i].is(':')) {
            i += 1;
        }
        text::starting_at(quotes, i + 1)
            .filter(|_| i < end && toks[i].quote())
            .cloned()
    }

    /// A reported clause split where ", and" starts a new clause with its
    /// own subject ("Moscow hoped …, and Russia did not believe …").
    fn split_clauses(
        &self,
        toks: &[Tok],
        quotes: &[Range<usize>],
        range: Range<usize>,
    ) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = range.start;
        let word = |i: usize, w: &str| toks.get(i).is_some_and(|t| t.word && t.lower == w);
        let finite = |i: usize| {
            toks.get(i).is_some_and(|t| {
                t.word && (FINITE.contains(&t.lower.as_str()) || t.lower.ends_with("ed"))
            })
        };
        let mut i = range.start;
        while i < range.end {
            if text::inside(quotes, i) || i + 2 >= range.end {
                i += 1;
                continue;
            }
            // ", and Russia did not …": a clause with its own subject.
            let own_subject = toks[i].is(',')
                && word(i + 1, "and")
                && toks.get(i + 2).is_some_and(|t| {
                    t.capital
                        || self.lex.person_pronouns.has_word(&t.lower)
                        || self.lex.group_pronouns.has_word(&t.lower)
                })
                && finite(i + 3);
            // "…, and that B": a second that-clause of the same verb.
            let and_that = word(i, "and") && word(i + 1, "that") && i > start;
            // "… would allow X but would not release him": a contrast.
            let but_modal = word(i, "but") && finite(i + 1) && i > start;
            let cut = if own_subject {
                Some((i, i + 2))
            } else if and_that {
                let end = if i > start && toks[i - 1].is(',') {
                    i - 1
                } else {
                    i
                };
                Some((end, i + 2))
            } else if but_modal {
                Some((i, i + 1))
            } else {
                None
            };
            if let Some((end, next)) = cut {
                out.push(start..end);
                start = next;
                i = next;
                continue;
            }
            i += 1;
        }
        out.push(start..range.end);
        out.retain(|r| !r.is_empty());
        out
    }

    /// "according to X, …" and "…, according to X".
    fn according_to(&self, s: &Sent<'_>, memory: &mut Memory) -> Vec<Found> {
        let (toks, sent) = (s.toks, &s.range);
        let mut out = Vec::new();
        for i in sent.clone() {
            let hit = toks[i].lower == "according"
                && toks.get(i + 1).is_some_and(|t| t.lower == "to")
                && !text::inside(s.quotes, i);
            if !hit {
                continue;
            }
            let e = s.words_from(i + 2);
            let Some(subject) = self.subject(toks, i + 2..e) else {
                continue;
            };
            let span = if e < sent.end && toks[e].is(',') {
                e + 1..sent.end
            } else if i > sent.start && toks[i - 1].is(',') {
                self.skip_openers(toks, sent.start, i - 1)..i - 1
            } else {
                continue;
            };
            let context = subject.start..e;
            let speaker = self.speaker(memory, toks, subject, context);
            out.push(Found {
                span,
                speaker,
                cue: None,
                form: Form::Reported,
                reported_by: None,
            });
        }
        out
    }

    /// The quotation that makes up the whole sentence, if one does.
    fn whole_quote(quotes: &[Range<usize>], sent: &Range<usize>) -> Option<Range<usize>> {
        text::starting_at(quotes, sent.start + 1)
            .filter(|q| q.end + 1 >= sent.end)
            .cloned()
    }

    /// Turn an attribution into a statement: trim punctuation, read its
    /// stance and topics, and drop a report of fact.
    fn statement(&self, toks: &[Tok], quotes: &[Range<usize>], f: Found) -> Option<Statement> {
        let span = self.trim(toks, quotes, f.span.clone())?;
        let stance = self.stance(toks, span.clone(), f.cue.as_ref().map(|c| c.1));
        let neutral = f
            .cue
            .as_ref()
            .is_none_or(|c| c.1.stance == Stance::Assesses);
        let quoted = f.form == Form::Quote || toks[span.clone()].iter().any(|t| t.quote());
        let topics = self.keywords.topics(toks, span.clone());
        let judged = toks[span.clone()]
            .iter()
            .any(|t| t.word && self.lex.evaluative.has_word(&t.lower));
        // A reported clause with a neutral verb, no stance, judgement or
        // quotation is a report of fact when it reports a count ("74
        // drones", "hundreds of fighters") or — given a scenario — speaks
        // to none of its issues.
        let counted = span.clone().any(|i| {
            let t = &toks[i];
            let number = t.word
                && (t.lower.starts_with(|c: char| c.is_ascii_digit())
                    || self.lex.counts.has_word(&t.lower));
            // "74 drones", "hundreds of fighters" — not "4 a.m." or "six-month".
            number
                && toks.get(i + 1).is_some_and(|n| {
                    n.word && (n.lower == "of" || (n.lower.ends_with('s') && n.lower.len() > 3))
                })
        });
        if f.speaker.commentator
            || (f.form == Form::Reported
                && neutral
                && stance == Stance::Assesses
                && !quoted
                && !judged
                && topics.is_empty()
                && (counted || !self.keywords.issues.is_empty()))
        {
            return None;
        }
        let bytes = toks[span.start].span.start..toks[span.end - 1].span.end;
        Some(Statement {
            text: self.text[bytes.clone()].to_string(),
            location: self.location(bytes),
            speaker: f.speaker,
            stance,
            form: f.form,
            cue: f
                .cue
                .map(|(r, _)| {
                    self.text[toks[r.start].span.start..toks[r.end - 1].span.end].to_string()
                })
                .unwrap_or_default(),
            topics,
            condition: self.condition(toks, span.clone()),
            reported_by: f.reported_by,
        })
    }

    /// The first condition in `toks[span]`: from its word to the next
    /// comma, semicolon or "then" (or the span's end).
    fn condition(&self, toks: &[Tok], span: Range<usize>) -> Option<String> {
        let start = span.clone().find(|&i| {
            toks[i].word
                && self
                    .lex
                    .conditions
                    .at(toks, i)
                    .is_some_and(|(e, _)| e <= span.end)
        })?;
        let end = (start + 1..span.end)
            .find(|&i| {
                toks[i].is(',') || toks[i].is(';') || (toks[i].word && toks[i].lower == "then")
            })
            .unwrap_or(span.end);
        let end = (start..end)
            .rev()
            .find(|&i| toks[i].word)
            .map_or(end, |i| i + 1);
        Some(self.text[toks[start].span.start..toks[end - 1].span.end].to_string())
    }

    /// Without leading and trailing punctuation (a closing quotation mark
    /// whose opening mark is inside stays).
    fn trim(
        &self,
        toks: &[Tok],
        quotes: &[Range<usize>],
        mut r: Range<usize>,
    ) -> Option<Range<usize>> {
        while r.start < r.end && !toks[r.start].word && !toks[r.start].quote() {
            r.start += 1;
        }
        while r.start < r.end {
            let t = &toks[r.end - 1];
            let keep = t.word
                || (t.quote()
                    && text::ending_at(quotes, r.end - 1).is_some_and(|q| q.start > r.start))
                || ((t.is('.') || t.is('!') || t.is('?')) && text::inside(quotes, r.end - 1));
            if keep {
                break;
            }
            r.end -= 1;
        }
        (r.start < r.end).then_some(r)
    }

    /// A red-line phrase decides; else a stance verb ("rejected"); else the
    /// earliest other stance phrase of the statement; else what a speech cue
    /// says ("insisted": a demand); else `assesses`.
    fn stance(&self, toks: &[Tok], span: Range<usize>, cue: Option<Cue>) -> Stance {
        let first = |p: &Phrases<()>| p.find_all(toks, span.clone()).first().map(|m| m.0);
        let (red, rest) = self
            .lex
            .stances
            .split_first()
            .expect("the lexicon has stances");
        if first(&red.1).is_some() {
            return red.0;
        }
        if let Some(c) = cue.filter(|c| c.kind == CueKind::Stance) {
            return c.stance;
        }
        let earliest = rest
            .iter()
            .filter_map(|(s, p)| first(p).map(|at| (at, *s)))
            .min_by_key(|(at, _)| *at);
        match (earliest, cue) {
            (Some((_, s)), _) => s,
            (None, Some(c)) => c.stance,
            (None, None) => Stance::Assesses,
        }
    }

    fn location(&self, bytes: Range<usize>) -> Location {
        let (line, column) = self.line_col(bytes.start);
        let (end_line, end_column) = self.line_col(bytes.end);
        Location {
            bytes: [bytes.start, bytes.end],
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Line and column of byte `at`: counted on from the last place asked
    /// for when it lies ahead (statements come in the article's order, so
    /// locating them all walks the text about once), else looked up.
    fn line_col(&self, at: usize) -> (usize, usize) {
        let (from, line, col) = self.cursor.get();
        let (line, col) = if at >= from && at - from <= LOOKUP {
            let mut here = (line, col);
            for c in self.text[from..at].chars() {
                here = if c == '\n' {
                    (here.0 + 1, 1)
                } else {
                    (here.0, here.1 + 1)
                };
            }
            here
        } else {
            let lc = self.lines.line_col(self.text, at);
            (lc.line, lc.col)
        };
        self.cursor.set((at, line, col));
        (line, col)
    }
}
