//! Verbatim-quote checking.
//!
//! A quote matches its source when, after normalising both texts, the quote is
//! a substring of the source. Normalisation touches only whitespace (any run
//! becomes one space; ends are trimmed) and typographic quotes and apostrophes
//! (‘ ’ ‚ ‛ ′ become `'`, “ ” „ ‟ ″ « » become `"`). Case, spelling, dashes and
//! punctuation must match exactly.

/// Normalise text for quote matching (see the module documentation).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(match ch {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => '"',
            c => c,
        });
    }
    out
}

/// A source text prepared for repeated quote look-ups.
#[derive(Debug, Clone)]
pub struct SourceText {
    normalized: String,
}

impl SourceText {
    /// Prepare `text`.
    pub fn new(text: &str) -> Self {
        SourceText {
            normalized: normalize(text),
        }
    }

    /// Whether `quote` occurs verbatim (up to normalisation) in the source.
    /// An empty quote never matches.
    pub fn contains(&self, quote: &str) -> bool {
        let q = normalize(quote);
        !q.is_empty() && self.normalized.contains(&q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typographic_quotes_and_whitespace_are_normalised() {
        let src = SourceText::new("He said “we won’t  go”\n\tand left.");
        assert!(src.contains("said \"we won't go\" and left"));
        assert!(src.contains("we won’t go"));
        assert!(!src.contains("We won't go"), "case matters");
        assert!(!src.contains("we will not go"), "wording matters");
        assert!(!src.contains("   "), "an empty quote is no evidence");
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

        #[test]
        fn normalize_is_idempotent(s in "\\PC{0,60}") {
            let n = normalize(&s);
            prop_assert_eq!(normalize(&n), n);
        }
    }
}
