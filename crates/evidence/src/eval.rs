//! Measuring the extractor against hand-made annotations: span precision
//! and recall, and how often the party of a matched statement is right.
//!
//! Two annotation files are read: zopa's own TOML (`[[statements]]` with
//! `id`, `party` — an actor id —, `span`, as in
//! `scenarios/sources/*-statements.toml`) and the JSON list of the
//! evidence-reports set (`speaker`, `party` — the party in words —, `span`,
//! `kind`, `stance`, `topic`).

use std::ops::Range;

use serde::{Deserialize, Serialize};
use zopa_model::evidence::SourceText;

use crate::extract::Statement;
use crate::lexicon::Lexicon;

/// A file of annotations: every attributed statement of position in one
/// article, made by hand.
#[derive(Debug, Clone, Deserialize)]
pub struct Annotations {
    /// The statements.
    pub statements: Vec<Annotation>,
}

/// One annotated statement.
#[derive(Debug, Clone, Deserialize)]
pub struct Annotation {
    /// A name for it (`#n`, its place in the file, when it has none).
    #[serde(default)]
    pub id: String,
    /// The party it speaks for: an actor id, or the party in words
    /// ("Malaysia, for the Non-Aligned Movement (NAM)").
    pub party: String,
    /// The verbatim span.
    pub span: String,
    /// The stance (reported, not scored).
    #[serde(default)]
    pub stance: Option<String>,
    /// The speaker as written (reported, not scored).
    #[serde(default)]
    pub speaker: Option<String>,
    /// `direct` or `reported` (reported, not scored).
    #[serde(default)]
    pub kind: Option<String>,
    /// Line of the article (informative).
    #[serde(default)]
    pub line: Option<usize>,
}

/// Why an annotation file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    /// Neither format.
    #[error("not an annotation file: as TOML: {toml}; as JSON: {json}")]
    Format {
        /// The TOML parser's complaint.
        toml: String,
        /// The JSON parser's complaint.
        json: String,
    },
}

impl Annotations {
    /// Read zopa's TOML or the evidence-reports JSON list (a text starting
    /// with `[` followed by `{` is JSON).
    pub fn parse(text: &str) -> Result<Annotations, GoldError> {
        let mut a = match serde_json::from_str::<Vec<Annotation>>(text) {
            Ok(statements) => Annotations { statements },
            Err(json) => toml::from_str::<Annotations>(text).map_err(|toml| {
                // Located as the JSON error is: line and column.
                let at = toml
                    .span()
                    .map(|r| zopa_model::diag::LineIndex::new(text).line_col(text, r.start));
                GoldError::Format {
                    toml: match at {
                        Some(p) => {
                            format!("{} at line {} column {}", toml.message(), p.line, p.col)
                        }
                        None => toml.message().to_string(),
                    },
                    json: json.to_string(),
                }
            })?,
        };
        for (k, s) in a.statements.iter_mut().enumerate() {
            if s.id.is_empty() {
                s.id = format!("#{}", k + 1);
            }
        }
        Ok(a)
    }
}

/// Scores of one article.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Annotated statements.
    pub gold: usize,
    /// Extracted statements.
    pub found: usize,
    /// Annotations matched by an extracted statement (one each): the
    /// statement covers at least half of the annotated span.
    pub matched: usize,
    /// `matched / found` (1 when nothing was found).
    pub precision: f64,
    /// `matched / gold` (1 when nothing was annotated).
    pub recall: f64,
    /// Matches whose spans also share half of the longer span (neither a
    /// fragment nor a whole paragraph).
    pub strict: usize,
    /// Matched statements whose party is the annotation's.
    pub party_correct: usize,
    /// `party_correct / matched` (1 when nothing matched).
    pub party: f64,
    /// Ids of annotations no statement matched.
    pub missed: Vec<String>,
    /// Ids of matched annotations whose party the statement got wrong.
    pub wrong_party: Vec<String>,
    /// Extracted statements that matched no annotation (indices).
    pub spurious: Vec<usize>,
    /// Annotation spans not found in the article (a broken annotation).
    pub unlocated: Vec<String>,
}

/// Whether a found span covers at least half of an annotated one.
pub fn covers(annotated: &Range<usize>, found: &Range<usize>) -> bool {
    let common = crate::shared(annotated, found);
    common > 0 && 2 * common >= annotated.len()
}

/// Whether two spans share at least half of the longer of the two.
pub fn spans_match(a: &Range<usize>, b: &Range<usize>) -> bool {
    let common = crate::shared(a, b);
    common > 0 && 2 * common >= a.len().max(b.len())
}

/// Whether statement `s` speaks for the annotated `party`: its scenario
/// party is that actor id, or the party the text ties it to (or one of the
/// words `lexicon/parties.toml` gives it) occurs in the annotation's words.
pub fn party_agrees(s: &Statement, party: &str) -> bool {
    if s.speaker.party.as_deref() == Some(party) {
        return true;
    }
    let Some(a) = &s.speaker.affiliation else {
        return false;
    };
    let mut names = Lexicon::builtin().gazetteer.words_for(a);
    names.push(a.clone());
    let hay = format!(" {} ", words(party));
    names.iter().any(|n| {
        let n = words(n);
        !n.is_empty() && hay.contains(&format!(" {n} "))
    })
}

/// Lower-case words separated by single spaces.
fn words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Score `found` against `gold` on `article`: each annotation is matched by
/// at most one statement covering half of it, greedily in order of
/// overlap; then the parties of the matches are checked.
pub fn score(article: &str, gold: &Annotations, found: &[Statement]) -> Score {
    let text = SourceText::new(article);
    let mut unlocated = Vec::new();
    let spans: Vec<Option<Range<usize>>> = gold
        .statements
        .iter()
        .map(|a| {
            let r = text.range_of(&a.span);
            if r.is_none() {
                unlocated.push(a.id.clone());
            }
            r
        })
        .collect();
    let mut pairs = Vec::new();
    for (g, r) in spans.iter().enumerate() {
        let Some(r) = r else { continue };
        for (f, s) in found.iter().enumerate() {
            let b = s.location.bytes[0]..s.location.bytes[1];
            if covers(r, &b) {
                pairs.push((crate::shared(r, &b), g, f));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut g_to = vec![None; gold.statements.len()];
    let mut f_used = vec![false; found.len()];
    for (_, g, f) in pairs {
        if g_to[g].is_none() && !f_used[f] {
            g_to[g] = Some(f);
            f_used[f] = true;
        }
    }
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    let mut s = Score {
        gold: gold.statements.len(),
        found: found.len(),
        matched: 0,
        precision: 0.0,
        recall: 0.0,
        strict: 0,
        party_correct: 0,
        party: 0.0,
        missed: Vec::new(),
        wrong_party: Vec::new(),
        spurious: (0..found.len()).filter(|&f| !f_used[f]).collect(),
        unlocated,
    };
    for (g, a) in gold.statements.iter().enumerate() {
        let (Some(f), Some(r)) = (g_to[g], &spans[g]) else {
            s.missed.push(a.id.clone());
            continue;
        };
        s.matched += 1;
        let st = &found[f];
        if spans_match(r, &(st.location.bytes[0]..st.location.bytes[1])) {
            s.strict += 1;
        }
        if party_agrees(st, &a.party) {
            s.party_correct += 1;
        } else {
            s.wrong_party.push(a.id.clone());
        }
    }
    s.precision = ratio(s.matched, s.found);
    s.recall = ratio(s.matched, s.gold);
    s.party = ratio(s.party_correct, s.matched);
    s
}

#[cfg(test)]
mod tests {
    use super::{covers, spans_match};

    #[test]
    fn a_match_covers_half_of_the_annotation() {
        assert!(covers(&(0..10), &(0..10)));
        assert!(covers(&(0..10), &(5..10)));
        assert!(covers(&(0..10), &(0..30)), "a longer span covers it");
        assert!(!covers(&(0..10), &(0..4)), "a fragment");
        assert!(!covers(&(0..10), &(10..20)), "adjacent");
    }

    #[test]
    fn a_strict_match_needs_half_of_the_longer_span() {
        assert!(spans_match(&(0..10), &(5..10)));
        assert!(!spans_match(&(0..10), &(0..4)), "a fragment");
        assert!(!spans_match(&(0..10), &(0..30)), "a whole paragraph");
    }
}
