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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// Issue id.
    pub issue: String,
    /// Option id, when an option's keyword occurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
}

/// Where a span lies in the article.
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
}

/// A sentence being read: its paragraph's tokens and quotations, and the
/// sentence's own token range.
struct Sent<'t> {
    toks: &'t [Tok],
    quotes: &'t [Range<usize>],
    range: Range<usize>,
}

impl Sent<'_> {
    /// Past the run of words starting at `from` (a mention after a cue);
    /// `from` itself when none starts there.
    fn words_from(&self, from: usize) -> usize {
        (from..self.range.end)
            .find(|&e| !self.toks[e].word)
            .unwrap_or(self.range.end)
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
}

const BOUNDARY_WORDS: [&str; 9] = [
    "and", "but", "that", "which", "who", "while", "as", "because", "whereas",
];
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
        for para in text::paragraphs(self.text) {
            let toks = text::tokenize(self.text, para);
            memory.learn(self.text, &toks, self.lex, self.parties);
            let quotes = text::quotes(&toks);
            let abbrev = |w: &str| self.lex.abbreviations.has_word(w);
            for sent in text::sentences(&toks, &quotes, &abbrev) {
                let s = Sent {
                    toks: &toks,
                    quotes: &quotes,
                    range: sent,
                };
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

    /// The attributions of one sentence.
    fn sentence(&self, s: &Sent<'_>, memory: &mut Memory, last: &Option<Speaker>) -> Vec<Found> {
        let cues: Vec<CueAt> = self
            .lex
            .cues
            .find_all(s.toks, s.range.clone())
            .into_iter()
            .filter(|(i, _, _)| !text::inside(s.quotes, *i))
            .map(|(i, e, c)| self.cue_at(s, i..e, *c))
            .filter(|c| !c.embedded(s))
            .collect();
        let mut found: Vec<Found> = Vec::new();
        for (n, cue) in cues.iter().enumerate() {
            let next = cues.get(n + 1).map(|c| self.clause_start(s, c));
            let end = next.map_or(s.range.end, |x| x.min(s.range.end));
            if let Some(f) = self.attribution(s, cue, end, &found, memory) {
                found.extend(f);
            }
        }
        found.extend(self.according_to(s, memory));
        // A quotation standing as its own sentence continues the last speaker.
        if found.is_empty() {
            if let (Some(q), Some(sp)) = (Self::whole_quote(s.quotes, &s.range), last) {
                found.push(Found {
                    span: q,
                    speaker: sp.clone(),
                    cue: None,
                    form: Form::Quote,
                });
            }
        }
        found
    }

    /// A cue at `range` with its subject's place: the subject is in `k..j`
    /// (empty when the clause shares an earlier subject), `j` being where
    /// the auxiliaries before the cue ("has also") begin.
    fn cue_at(&self, s: &Sent<'_>, range: Range<usize>, meaning: Cue) -> CueAt {
        let floor = s.range.start;
        let j = self.skip_auxiliaries(s.toks, floor, range.start);
        let mut k = j;
        while k > floor && !self.boundary(&s.toks[k - 1]) {
            k -= 1;
        }
        CueAt {
            range,
            meaning,
            k,
            j,
        }
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
        let k = cue.k;
        let subject = self.subject(toks, k..cue.j);
        let shared = k > sent.start && (toks[k - 1].is(',') || toks[k - 1].word);
        let speaker = match &subject {
            Some(r) => memory.resolve(self.text, toks, r.clone(), self.lex, self.parties),
            None if shared && !before.is_empty() => before.last()?.speaker.clone(),
            None => return self.inverted(s, cue, memory),
        };
        let found = |span: Range<usize>, form| Found {
            span,
            speaker: speaker.clone(),
            cue: Some((cue.range.clone(), cue.meaning)),
            form,
        };
        if cue.meaning.kind == CueKind::Stance {
            let start = subject.as_ref().map_or(cue.range.start, |r| r.start);
            return Some(vec![found(start..end, Form::Stance)]);
        }
        // “…,” Peskov said. — the quotation before the subject.
        if k > sent.start && toks[k - 1].quote() {
            if let Some(q) = quotes.iter().find(|q| q.end == k - 1) {
                let mut out = vec![found(q.clone(), Form::Quote)];
                out.extend(
                    self.quote_after(toks, quotes, cue.range.end, end)
                        .map(|q| found(q, Form::Quote)),
                );
                return Some(out);
            }
        }
        let start = self.complement_start(toks, cue.range.end, end);
        if start >= end || (end - start == 1 && !toks[start].word) {
            // "…, Peskov said." — the clause before the comma.
            if k > sent.start + 1 && toks[k - 1].is(',') {
                let from = self.skip_openers(toks, sent.start, k - 1);
                return Some(vec![found(from..k - 1, Form::Reported)]);
            }
            return None;
        }
        if let Some(q) = quotes
            .iter()
            .find(|q| q.start == start + 1 && toks[start].quote())
        {
            return Some(vec![found(q.clone(), Form::Quote)]);
        }
        Some(
            self.split_clauses(toks, quotes, start..end)
                .into_iter()
                .map(|r| found(r, Form::Reported))
                .collect(),
        )
    }

    /// "“…,” said Peskov." — a cue with no subject before it and a mention
    /// after it, closing the sentence.
    fn inverted(&self, s: &Sent<'_>, cue: &CueAt, memory: &mut Memory) -> Option<Vec<Found>> {
        let (toks, sent) = (s.toks, &s.range);
        let e = s.words_from(cue.range.end);
        let subject = self.subject(toks, cue.range.end..e)?;
        let before = cue.range.start.checked_sub(1)?;
        let speaker = memory.resolve(self.text, toks, subject, self.lex, self.parties);
        let span = if toks[before].quote() {
            s.quotes.iter().find(|q| q.end == before)?.clone()
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
        }])
    }

    /// A subject: at most eight words, a pronoun, or holding a capitalised
    /// word or a title.
    fn subject(&self, toks: &[Tok], range: Range<usize>) -> Option<Range<usize>> {
        let s = self.skip_openers(toks, range.start, range.end);
        let r = s..range.end;
        let words = toks[r.clone()].iter().filter(|t| t.word).count();
        if r.is_empty() || words == 0 || words > 8 || toks[r.clone()].iter().any(|t| t.quote()) {
            return None;
        }
        let first = &toks[r.start].lower;
        let pronoun = words == 1
            && (self.lex.person_pronouns.has_word(first)
                || self.lex.group_pronouns.has_word(first));
        let capital = toks[r.clone()]
            .iter()
            .any(|t| t.capital && !self.lex.openers.has_word(&t.lower));
        let titled = r.clone().any(|k| self.lex.titles.at(toks, k).is_some());
        (pronoun || capital || titled).then_some(r)
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
        if let Some(i) = words(10).find(|&i| toks[i].lower == "that") {
            return i + 1;
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
        quotes
            .iter()
            .find(|q| q.start == i + 1 && i < end && toks[i].quote())
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
        for i in range.clone() {
            let joint = toks[i].is(',')
                && !text::inside(quotes, i)
                && toks.get(i + 1).is_some_and(|t| t.lower == "and")
                && toks.get(i + 2).is_some_and(|t| {
                    t.capital
                        || self.lex.person_pronouns.has_word(&t.lower)
                        || self.lex.group_pronouns.has_word(&t.lower)
                })
                && toks.get(i + 3).is_some_and(|t| {
                    t.word && (FINITE.contains(&t.lower.as_str()) || t.lower.ends_with("ed"))
                })
                && i + 3 < range.end;
            if joint {
                out.push(start..i);
                start = i + 2;
            }
        }
        out.push(start..range.end);
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
            let speaker = memory.resolve(self.text, toks, subject, self.lex, self.parties);
            out.push(Found {
                span,
                speaker,
                cue: None,
                form: Form::Reported,
            });
        }
        out
    }

    /// The quotation that makes up the whole sentence, if one does.
    fn whole_quote(quotes: &[Range<usize>], sent: &Range<usize>) -> Option<Range<usize>> {
        quotes
            .iter()
            .find(|q| q.start == sent.start + 1 && q.end + 1 >= sent.end)
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
        if f.form == Form::Reported
            && neutral
            && stance == Stance::Assesses
            && !quoted
            && !judged
            && topics.is_empty()
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
        })
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
                    && quotes
                        .iter()
                        .any(|q| q.end == r.end - 1 && q.start > r.start))
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
        let start = self.lines.line_col(self.text, bytes.start);
        let end = self.lines.line_col(self.text, bytes.end);
        Location {
            bytes: [bytes.start, bytes.end],
            line: start.line,
            column: start.col,
            end_line: end.line,
            end_column: end.col,
        }
    }
}
