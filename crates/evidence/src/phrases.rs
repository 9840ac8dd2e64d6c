//! Whole-word, case-insensitive matching of many phrases against tokens.

use std::collections::HashMap;

/// Phrases are looked up once per word of the text: a fast hash, not
/// SipHash (the keys are the lexicon's own words, not hostile input).
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

use crate::text::{tokenize, Tok};

/// Phrases (sequences of lower-case words), each with a value, indexed by
/// their first word.
#[derive(Debug, Clone)]
pub(crate) struct Phrases<T> {
    by_first: Map<String, Vec<(Vec<String>, T)>>,
}

impl<T> Default for Phrases<T> {
    fn default() -> Self {
        Phrases {
            by_first: Map::default(),
        }
    }
}

/// The lower-case words of a phrase, tokenised as articles are.
pub(crate) fn words_of(phrase: &str) -> Vec<String> {
    tokenize(phrase, 0..phrase.len())
        .into_iter()
        .filter(|t| t.word)
        .map(|t| t.lower.to_string())
        .collect()
}

impl<T: Clone> Phrases<T> {
    /// Add a phrase (ignored when it has no words).
    pub fn add(&mut self, phrase: &str, value: T) {
        let words = words_of(phrase);
        let Some(first) = words.first().cloned() else {
            return;
        };
        let list = self.by_first.entry(first).or_default();
        list.push((words, value));
        // Longest first, so a match is the longest phrase starting there.
        list.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }

    /// The longest phrase starting at token `i` (punctuation between words
    /// never matches), with the token index just past it.
    pub fn at(&self, toks: &[Tok], i: usize) -> Option<(usize, &T)> {
        let first = toks.get(i).filter(|t| t.word)?;
        let list = self.by_first.get(first.lower.as_str())?;
        list.iter().find_map(|(words, v)| {
            let end = i + words.len();
            let hit = end <= toks.len()
                && toks[i..end]
                    .iter()
                    .zip(words)
                    .all(|(t, w)| t.word && t.lower == *w);
            hit.then_some((end, v))
        })
    }

    /// Every non-overlapping match in `toks[range]`, left to right, as
    /// `(start, end, value)`.
    pub fn find_all(&self, toks: &[Tok], range: std::ops::Range<usize>) -> Vec<(usize, usize, &T)> {
        let mut out = Vec::new();
        let mut i = range.start;
        while i < range.end {
            match self.at(toks, i).filter(|(e, _)| *e <= range.end) {
                Some((end, v)) => {
                    out.push((i, end, v));
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    /// Whether a single word is one of the phrases.
    pub fn has_word(&self, lower: &str) -> bool {
        self.by_first
            .get(lower)
            .is_some_and(|l| l.iter().any(|(w, _)| w.len() == 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_whole_word_match_wins_and_apostrophes_are_one() {
        let mut p = Phrases::default();
        p.add("will not", 1);
        p.add("will not allow", 2);
        p.add("won't", 3);
        let t = "It will not allow it; we won’t; willnot";
        let toks = tokenize(t, 0..t.len());
        let hits: Vec<i32> = p
            .find_all(&toks, 0..toks.len())
            .into_iter()
            .map(|(_, _, v)| *v)
            .collect();
        assert_eq!(hits, [2, 3]);
    }
}
