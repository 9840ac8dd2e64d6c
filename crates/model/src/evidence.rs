//! Verbatim-quote checking.
//!
//! A quote matches its source when, after normalising both texts, the quote is
//! a substring of the source. Normalisation touches only whitespace (any run
//! becomes one space; ends are trimmed) and typographic quotes and apostrophes
//! (‘ ’ ‚ ‛ ′ become `'`, “ ” „ ‟ ″ « » become `"`). Case, spelling, dashes and
//! punctuation must match exactly.

/// Whether `c` is a double quotation mark, straight or typographic.
fn is_double_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{2033}'
            | '\u{00AB}'
            | '\u{00BB}'
    )
}

/// Normalise text for quote matching (see the module documentation).
pub fn normalize(text: &str) -> String {
    normalize_mapped(text).0
}

/// The normalised text and, for each of its bytes, the byte offset in
/// `text` of the character it came from.
fn normalize_mapped(text: &str) -> (String, Vec<u32>) {
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    let mut pending_space = None;
    for (at, ch) in text.char_indices() {
        if ch.is_whitespace() {
            if !out.is_empty() && pending_space.is_none() {
                pending_space = Some(at);
            }
            continue;
        }
        if let Some(sp) = pending_space.take() {
            out.push(' ');
            origin.push(sp as u32);
        }
        let c = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            c => c,
        };
        out.push(c);
        origin.resize(out.len(), at as u32);
    }
    (out, origin)
}

/// A source text prepared for repeated quote look-ups: its normalised text
/// is indexed once (a suffix array), so each look-up costs about the
/// quote's length times log of the source's, not the source's length (4,000
/// quotes in a 3.9 MB source took 19 s by scanning).
#[derive(Debug, Clone)]
pub struct SourceText {
    index: suffix::SuffixTable<'static, 'static>,
    /// Byte offset in the original text of each normalised byte.
    origin: Vec<u32>,
    /// Byte offset of the start of each line of the original text.
    line_starts: Vec<usize>,
    /// Length in bytes of the original character each normalised byte
    /// came from.
    widths: Vec<u8>,
    /// The original text (quotation marks are read from it).
    text: String,
}

impl SourceText {
    /// Prepare `text` (at most 4 GiB: sources are capped far below).
    pub fn new(text: &str) -> Self {
        let (normalized, origin) = normalize_mapped(text);
        let widths = origin
            .iter()
            .map(|&o| {
                text[o as usize..]
                    .chars()
                    .next()
                    .map_or(1, |c| c.len_utf8() as u8)
            })
            .collect();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceText {
            index: suffix::SuffixTable::new(normalized),
            origin,
            line_starts,
            widths,
            text: text.to_string(),
        }
    }

    /// Where the normalised quote `q` first occurs in the normalised text.
    fn first(&self, q: &str) -> Option<usize> {
        self.index.positions(q).iter().min().map(|&p| p as usize)
    }

    /// Whether `quote` occurs verbatim (up to normalisation) in the source.
    /// An empty quote never matches.
    pub fn contains(&self, quote: &str) -> bool {
        self.line_of(quote).is_some()
    }

    /// The byte range in the original text of `quote`'s first occurrence,
    /// if it occurs.
    pub fn range_of(&self, quote: &str) -> Option<std::ops::Range<usize>> {
        let q = normalize(quote);
        if q.is_empty() {
            return None;
        }
        let at = self.first(&q)?;
        let last = at + q.len() - 1;
        let end = self.origin[last] as usize + usize::from(self.widths[last]);
        Some(self.origin[at] as usize..end)
    }

    /// Whether `quote`'s first occurrence is someone's words in quotation
    /// marks: the quote is itself wrapped in quotation marks, or it holds
    /// none and an odd number of double quotation marks (straight or
    /// typographic) precede it on its line of the original text — it sits
    /// inside a quotation opened before it. `None` when it does not occur.
    pub fn in_quotation_marks(&self, quote: &str) -> Option<bool> {
        let text = self.text.as_str();
        let range = self.range_of(quote)?;
        let q = normalize(quote);
        if q.len() >= 2 && q.starts_with('"') && q.ends_with('"') {
            return Some(true);
        }
        if q.contains('"') {
            return Some(false);
        }
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let marks = text[line_start..range.start]
            .chars()
            .filter(|&c| is_double_quote(c))
            .count();
        Some(marks % 2 == 1)
    }

    /// The passage of the source nearest to a `quote` that does not occur
    /// in it: the longest piece of the quote (12 characters at least) that
    /// does occur, widened to the quote's length around it — as `(1-based
    /// line, the passage as written)` — for an error to show what the
    /// source really says. `None` when no such piece occurs.
    pub fn nearest(&self, quote: &str) -> Option<(usize, String)> {
        let q = normalize(quote);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(q.match_indices(' ').map(|(i, _)| i + 1))
            .filter(|&i| q.is_char_boundary(i))
            .take(64)
            .collect();
        // (piece length, start in the quote, where in the normalised text).
        let mut best: Option<(usize, usize, usize)> = None;
        for &i in &starts {
            let rest = &q[i..];
            // Binary search on the length of the piece that occurs.
            let (mut lo, mut hi) = (0, rest.len());
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                let cut = (mid..=rest.len())
                    .find(|&c| rest.is_char_boundary(c))
                    .unwrap_or(rest.len());
                if self.first(&rest[..cut]).is_some() {
                    lo = cut;
                } else {
                    hi = mid - 1;
                }
            }
            if lo >= 12 && best.is_none_or(|b| lo > b.0) {
                let at = self.first(&rest[..lo]).expect("it occurs");
                best = Some((lo, i, at));
            }
        }
        let (_, i, at) = best?;
        // The passage: where the quote would start, for the quote's length.
        let n = self.origin.len();
        let from = at.saturating_sub(i);
        let to = (from + q.len()).min(n);
        let (a, b) = (
            self.origin[from] as usize,
            self.origin[to - 1] as usize + usize::from(self.widths[to - 1]),
        );
        // Whole words: back to the start of the first, on to the end of the last.
        let t = self.text.as_str();
        let a = t[..a]
            .rfind(char::is_whitespace)
            .map_or(0, |w| w + 1)
            .max(a.saturating_sub(40));
        let b = t[b..].find(char::is_whitespace).map_or(t.len(), |w| b + w);
        let a = (a..=b).find(|&x| t.is_char_boundary(x)).unwrap_or(b);
        let line = self.line_starts.partition_point(|&s| s <= a);
        Some((
            line,
            self.text[a..b]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        ))
    }

    /// The 1-based line of the original text where `quote`'s first
    /// occurrence starts, if it occurs.
    pub fn line_of(&self, quote: &str) -> Option<usize> {
        let q = normalize(quote);
        if q.is_empty() {
            return None;
        }
        let at = self.first(&q)?;
        let byte = self.origin[at] as usize;
        Some(self.line_starts.partition_point(|&s| s <= byte))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quotation_marks_are_found_on_the_quotes_line() {
        let text = "Intro.\nHe said “we will not go” and left.\nShe indicated that she may stay.\nThey wrote \"x y z\".";
        let src = SourceText::new(text);
        assert_eq!(src.in_quotation_marks("we will not go"), Some(true));
        assert_eq!(src.in_quotation_marks("he said"), None, "case matters");
        assert_eq!(src.in_quotation_marks("He said"), Some(false));
        assert_eq!(
            src.in_quotation_marks("and left"),
            Some(false),
            "after the closing mark"
        );
        assert_eq!(src.in_quotation_marks("she may stay"), Some(false));
        assert_eq!(src.in_quotation_marks("“we will not go”"), Some(true));
        assert_eq!(
            src.in_quotation_marks("said “we will not go”"),
            Some(false),
            "partly paraphrase"
        );
        assert_eq!(src.in_quotation_marks("y z"), Some(true), "straight marks");
    }

    #[test]
    fn the_nearest_passage_shows_what_the_source_says() {
        let src = SourceText::new("Intro.\nThe seller wants a quick deal and a good price.\nEnd.");
        let (line, passage) = src
            .nearest("The seller wants a fast deal and a good price.")
            .unwrap();
        assert_eq!(line, 2);
        assert_eq!(passage, "The seller wants a quick deal and a good price.");
        assert_eq!(src.nearest("Nothing of the kind is written"), None);
    }

    #[test]
    fn typographic_quotes_and_whitespace_are_normalised() {
        let src = SourceText::new("He said “we won’t  go”\n\tand left.");
        assert!(src.contains("said \"we won't go\" and left"));
        assert!(src.contains("we won’t go"));
        assert!(!src.contains("We won't go"), "case matters");
        assert!(!src.contains("we will not go"), "wording matters");
        assert!(!src.contains("   "), "an empty quote is no evidence");
        assert_eq!(src.line_of("and left"), Some(2));
        assert_eq!(src.line_of("He said"), Some(1));
    }

    #[test]
    fn range_of_gives_the_original_bytes() {
        let t = "He said “we won’t  go”\n\tand left.";
        let src = SourceText::new(t);
        let r = src.range_of("\"we won't go\" and").unwrap();
        assert_eq!(&t[r], "“we won’t  go”\n\tand");
        assert_eq!(src.range_of("nothing"), None);
    }

    proptest! {
        #[test]
        fn every_substring_of_words_matches(words in proptest::collection::vec("[a-zA-Z’“”]{1,8}", 1..20),
                                            a in 0usize..20, b in 0usize..20) {
            let text = words.join(" \n ");
            let (x, y) = (a % words.len(), b % words.len());
            let (lo, hi) = (x.min(y), x.max(y));
            let quote = words[lo..=hi].join(" ");
            prop_assert!(SourceText::new(&text).contains(&quote));
        }

        /// The index finds the first occurrence a scan of the normalised
        /// text finds, or none when the scan finds none (a repetitive
        /// alphabet makes many occurrences).
        #[test]
        fn the_index_finds_what_a_scan_finds(text in "[ab “”’\n]{0,80}", q in "[ab “”’]{1,6}") {
            let src = SourceText::new(&text);
            let (n, nq) = (normalize(&text), normalize(&q));
            prop_assume!(!nq.is_empty());
            prop_assert_eq!(src.first(&nq), n.find(&nq));
        }

        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,60}") {
            let n = normalize(&s);
            prop_assert_eq!(normalize(&n), n);
        }
    }
}
