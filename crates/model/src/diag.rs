//! Diagnostics: every problem found in an input, with its position.
//!
//! Parsing and validation never stop at the first problem: they collect a
//! [`Diagnostics`] list so that `zopa validate` can report everything at once
//! (rust-analyzer's `(T, Vec<Error>)` idea).

use std::fmt;
use std::ops::Range;

/// A byte range in the input text.
pub type Span = Range<usize>;

/// How bad a diagnostic is. Errors make a scenario invalid; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The scenario cannot be used.
    Error,
    /// The scenario can be used, but something is probably not what the author meant.
    Warning,
}

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column number, in characters.
    pub col: usize,
}

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where in the document, as a dotted path (`actors[1].positions[0].values.none`).
    pub path: String,
    /// Where in the text, when the input has positions.
    pub span: Option<Span>,
    /// Line and column of `span.start`, filled in by [`Diagnostics::locate`].
    pub pos: Option<LineCol>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// An error at `path`/`span`.
    pub fn error(path: impl Into<String>, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            span,
            pos: None,
            message: message.into(),
        }
    }

    /// A warning at `path`/`span`.
    pub fn warning(
        path: impl Into<String>,
        span: Option<Span>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, span, message)
        }
    }
}

/// All diagnostics found in one input, plus the name of that input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnostics {
    /// The file name (or `<builtin:NAME>`) the positions refer to.
    pub origin: String,
    /// The problems, in the order found.
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list for `origin`.
    pub fn new(origin: impl Into<String>) -> Self {
        Diagnostics {
            origin: origin.into(),
            items: Vec::new(),
        }
    }

    /// Add one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Whether any item is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Fill in line/column of every item from the text its spans refer to,
    /// in one pass over the text whatever the number of items (items are
    /// visited in offset order; many errors on one long line stay linear).
    pub fn locate(&mut self, text: &str) {
        let mut order: Vec<(usize, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.span.as_ref().map(|s| (s.start.min(text.len()), i)))
            .collect();
        order.sort_unstable();
        let mut cursor = Cursor::default();
        for (offset, i) in order {
            self.items[i].pos = Some(cursor.advance(text, offset));
        }
    }

    /// Sort by position (items without a position keep their order, after those with one).
    pub fn sort(&mut self) {
        self.items
            .sort_by_key(|d| (d.pos.is_none(), d.pos.map(|p| (p.line, p.col))));
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}", self.message)?;
        if !self.path.is_empty() {
            write!(f, " (at {})", self.path)?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.items {
            match d.pos {
                Some(p) => writeln!(f, "{}:{}:{}: {d}", self.origin, p.line, p.col)?,
                None => writeln!(f, "{}: {d}", self.origin)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// A position moving forward through a text: line and column of the
/// character boundary at or before `byte`.
#[derive(Debug, Default)]
struct Cursor {
    byte: usize,
    line: usize,
    col: usize,
}

impl Cursor {
    /// Move to `offset` (not before the current position) and return its
    /// 1-based line and column; an offset inside a multi-byte character
    /// counts as that character.
    fn advance(&mut self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len()).max(self.byte);
        for (i, c) in text[self.byte..].char_indices() {
            if self.byte + i >= offset {
                break;
            }
            if c == '\n' {
                self.line += 1;
                self.col = 0;
            } else {
                self.col += 1;
            }
        }
        // Continue from the character boundary at or after `offset`.
        let mut next = offset;
        while !text.is_char_boundary(next) {
            next += 1;
        }
        self.byte = next;
        LineCol {
            line: self.line + 1,
            col: self.col + 1,
        }
    }
}

/// Maps byte offsets to line/column in time independent of the line's
/// length (a 1 MB line once made every look-up count from its start).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// Characters before each block of [`LineIndex::BLOCK`] bytes.
    block_chars: Vec<usize>,
}

impl LineIndex {
    const BLOCK: usize = 1024;

    /// Index the line starts of `text`, and its characters by block.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut block_chars = Vec::with_capacity(text.len() / Self::BLOCK + 1);
        let mut chars = 0;
        for block in text.as_bytes().chunks(Self::BLOCK) {
            block_chars.push(chars);
            chars += char_starts(block);
        }
        block_chars.push(chars);
        LineIndex {
            line_starts,
            block_chars,
        }
    }

    /// Characters that start before byte `x` of `text`.
    fn chars_before(&self, text: &str, x: usize) -> usize {
        let block = x / Self::BLOCK;
        self.block_chars[block] + char_starts(&text.as_bytes()[block * Self::BLOCK..x])
    }

    /// 1-based line and column of byte `offset` (clamped to the text); an
    /// offset inside a multi-byte character counts that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self.chars_before(text, offset) - self.chars_before(text, start);
        LineCol {
            line: line + 1,
            col: col + 1,
        }
    }
}

/// What to add to "unknown X `value`" so the reader can fix it: `; did
/// you mean `y`?` when one of the `known` ids is close (Jaro–Winkler
/// similarity 0.8 or more, or one edit away), else the known ids (at most
/// eight, sorted) — or nothing when there are none.
pub fn did_you_mean<'a>(value: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let mut known: Vec<&str> = known.into_iter().collect();
    known.sort_unstable();
    known.dedup();
    match closest(value, known.iter().copied()) {
        Some(k) => format!("; did you mean `{k}`?"),
        None if known.is_empty() => String::new(),
        None if known.len() <= 8 => format!(" (known: {})", known.join(", ")),
        None => format!(" (known: {}, …)", known[..8].join(", ")),
    }
}

/// The one of `known` closest to `value`, if any is close (Jaro–Winkler
/// similarity 0.8 or more, or one edit away); ties go to the first.
pub fn closest<'a>(value: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, usize, &str)> = None;
    for k in known {
        let (jw, lev) = (
            strsim::jaro_winkler(value, k),
            strsim::levenshtein(value, k),
        );
        let better = best.is_none_or(|(bj, bl, _)| jw > bj || (jw == bj && lev < bl));
        if (jw >= 0.8 || lev <= 1) && better {
            best = Some((jw, lev, k));
        }
    }
    best.map(|(_, _, k)| k)
}

/// Characters starting in `bytes` (UTF-8: every byte but continuations).
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_close_id_is_suggested_else_the_known_ones_are_listed() {
        assert_eq!(
            did_you_mean("sped", ["speed", "price"]),
            "; did you mean `speed`?"
        );
        assert_eq!(
            did_you_mean("buyr", ["seller", "buyer"]),
            "; did you mean `buyer`?"
        );
        assert_eq!(
            did_you_mean("zed", ["russia", "ukraine"]),
            " (known: russia, ukraine)"
        );
        assert_eq!(did_you_mean("x", std::iter::empty()), "");
        let many: Vec<String> = (0..10).map(|i| format!("opt{i}")).collect();
        assert!(did_you_mean("zzz", many.iter().map(String::as_str)).ends_with(", …)"));
    }

    /// Across block boundaries and on long lines, the index counts what a
    /// scan of the line counts.
    #[test]
    fn the_line_index_counts_characters_on_long_lines() {
        let line: String = (0..3000).map(|i| ['a', 'ç', '€', '𝄞'][i % 4]).collect();
        let text = format!("x\n{line}\n{line}");
        let ix = LineIndex::new(&text);
        for offset in (0..=text.len()).step_by(7) {
            let start = text.as_bytes()[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let want = text[start..]
                .char_indices()
                .take_while(|(i, _)| start + i < offset)
                .count()
                + 1;
            assert_eq!(ix.line_col(&text, offset).col, want, "offset {offset}");
        }
    }

    /// `locate` (one forward pass) agrees with `LineIndex` (per offset) on
    /// every byte offset, including inside multi-byte characters.
    #[test]
    fn locate_agrees_with_the_line_index() {
        let text = "ab\nçd\n\nx€y\n";
        let ix = LineIndex::new(text);
        let mut d = Diagnostics::new("t");
        for o in (0..=text.len() + 2).rev() {
            d.push(Diagnostic::error("", Some(o..o + 1), "x"));
        }
        d.locate(text);
        for item in &d.items {
            let o = item.span.as_ref().unwrap().start;
            assert_eq!(item.pos, Some(ix.line_col(text, o)), "offset {o}");
        }
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\nçd\n\nx";
        let ix = LineIndex::new(text);
        assert_eq!(ix.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(ix.line_col(text, 3), LineCol { line: 2, col: 1 });
        // 'ç' is two bytes; 'd' is the second character of line 2.
        assert_eq!(ix.line_col(text, 5), LineCol { line: 2, col: 2 });
        assert_eq!(ix.line_col(text, 7), LineCol { line: 3, col: 1 });
        assert_eq!(ix.line_col(text, 8), LineCol { line: 4, col: 1 });
        assert_eq!(ix.line_col(text, 999), LineCol { line: 4, col: 2 });
    }
}
