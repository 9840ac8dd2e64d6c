//! Measuring the extractor against hand-made annotations: precision and
//! recall with a span match of at least half of both spans and the right party.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use zopa_model::evidence::SourceText;

use crate::extract::Statement;

/// A file of annotations: every attributed statement of position in one
/// article, made by hand (`scenarios/sources/*-statements.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Annotations {
    /// The statements.
    pub statements: Vec<Annotation>,
}

/// One annotated statement.
#[derive(Debug, Clone, Deserialize)]
pub struct Annotation {
    /// A name for it.
    pub id: String,
    /// The party (actor id) it speaks for.
    pub party: String,
    /// The verbatim span.
    pub span: String,
    /// The stance (reported, not scored).
    #[serde(default)]
    pub stance: Option<String>,
    /// The speaker as written (reported, not scored).
    #[serde(default)]
    pub speaker: Option<String>,
    /// Line of the article (informative).
    #[serde(default)]
    pub line: Option<usize>,
}

/// Scores of one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Annotated statements.
    pub gold: usize,
    /// Extracted statements.
    pub found: usize,
    /// Annotations matched by an extracted statement (one each).
    pub matched: usize,
    /// `matched / found` (1 when nothing was found).
    pub precision: f64,
    /// `matched / gold` (1 when nothing was annotated).
    pub recall: f64,
    /// Ids of annotations no statement matched.
    pub missed: Vec<String>,
    /// Extracted statements that matched no annotation (indices).
    pub spurious: Vec<usize>,
    /// Annotation spans not found in the article (a broken annotation).
    pub unlocated: Vec<String>,
}

/// Whether a found span matches an annotated one: they share at least half
/// of the longer of the two (so neither a fragment nor a whole paragraph
/// passes for a statement).
pub fn spans_match(a: &Range<usize>, b: &Range<usize>) -> bool {
    let common = crate::shared(a, b);
    common > 0 && 2 * common >= a.len().max(b.len())
}

/// Score `found` against `gold` on `article`: each annotation is matched by
/// at most one statement of the same party whose span matches, greedily in
/// order of overlap.
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
    for (g, (a, r)) in gold.statements.iter().zip(&spans).enumerate() {
        let Some(r) = r else { continue };
        for (f, s) in found.iter().enumerate() {
            let b = s.location.bytes[0]..s.location.bytes[1];
            if s.speaker.party.as_deref() == Some(a.party.as_str()) && spans_match(r, &b) {
                pairs.push((crate::shared(r, &b), g, f));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut g_used = vec![false; gold.statements.len()];
    let mut f_used = vec![false; found.len()];
    for (_, g, f) in pairs {
        if !g_used[g] && !f_used[f] {
            g_used[g] = true;
            f_used[f] = true;
        }
    }
    let matched = g_used.iter().filter(|&&u| u).count();
    let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    Score {
        gold: gold.statements.len(),
        found: found.len(),
        matched,
        precision: ratio(matched, found.len()),
        recall: ratio(matched, gold.statements.len()),
        missed: gold
            .statements
            .iter()
            .zip(&g_used)
            .filter(|(_, &u)| !u)
            .map(|(a, _)| a.id.clone())
            .collect(),
        spurious: (0..found.len()).filter(|&f| !f_used[f]).collect(),
        unlocated,
    }
}

#[cfg(test)]
mod tests {
    use super::spans_match;

    #[test]
    fn a_match_needs_half_of_the_longer_span() {
        assert!(spans_match(&(0..10), &(0..10)));
        assert!(spans_match(&(0..10), &(5..10)));
        assert!(!spans_match(&(0..10), &(0..4)), "a fragment");
        assert!(!spans_match(&(0..10), &(0..30)), "a whole paragraph");
        assert!(!spans_match(&(0..10), &(10..20)), "adjacent");
    }
}
