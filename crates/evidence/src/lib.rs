//! zopa's evidence engine: from a plain-text news article to attributed
//! statements of position — who says what, with what stance, about which
//! issue and option, with the exact span and its place in the text — and
//! what those statements change in a scenario.
//!
//! The extraction is rule-based: word lists kept as data files
//! (`lexicon/*.toml`) and patterns of English news prose (reported speech,
//! quotations and their attributions, titles, surnames and pronouns). It
//! needs no network and no model, and reads a megabyte in milliseconds.
//! `docs/evidence.md` documents the rules and their measured quality.

pub mod diff;
pub mod draft;
pub mod eval;
mod extract;
pub mod lexicon;
mod phrases;
mod speakers;
mod text;

pub use diff::{Contradiction, Coverage, Use};
pub use extract::{Form, Keywords, Location, Statement, Topic};
pub use lexicon::{Lexicon, Stance};
pub use speakers::{Parties, Speaker, Via};

/// The number of bytes two ranges share.
pub(crate) fn shared(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Why an article cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    /// The bytes are not UTF-8 text.
    #[error("line {line}, column {column} (byte {byte}): the article is not UTF-8 text; convert it (for example with iconv) and try again")]
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in characters) of the first invalid byte.
        column: usize,
        /// Its byte offset.
        byte: usize,
    },
}

/// The article as text, or where it stops being UTF-8.
pub fn decode(bytes: &[u8]) -> Result<&str, EvidenceError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let byte = e.valid_up_to();
        let valid = std::str::from_utf8(&bytes[..byte]).unwrap_or_default();
        let at = zopa_model::diag::LineIndex::new(valid).line_col(valid, byte);
        EvidenceError::NotUtf8 {
            line: at.line,
            column: at.col,
            byte,
        }
    })
}

/// Every attributed statement of position in `article`, in order. Speakers
/// resolve to `parties`; topics come from `keywords`.
pub fn extract(article: &str, parties: &Parties, keywords: &Keywords) -> Vec<Statement> {
    extract::Reader {
        text: article,
        lex: Lexicon::builtin(),
        parties,
        keywords,
        lines: zopa_model::diag::LineIndex::new(article),
        cursor: std::cell::Cell::new((0, 1, 1)),
    }
    .read()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode(b"ok\nab\xffc").unwrap_err();
        assert_eq!(
            e,
            EvidenceError::NotUtf8 {
                line: 2,
                column: 3,
                byte: 5
            }
        );
    }
}
