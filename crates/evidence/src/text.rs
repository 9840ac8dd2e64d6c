//! Reading a plain-text article: words and punctuation with their byte
//! offsets, paragraphs, quotations and sentences.

use std::ops::Range;

/// A word or a punctuation mark of the article.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tok {
    /// Byte range in the article.
    pub span: Range<usize>,
    /// Lower-cased word with typographic apostrophes made straight; the
    /// character itself for punctuation. Inline up to 23 bytes (no
    /// allocation per token: a 4 MB article of 3·10^6 tokens took 259 MB).
    pub lower: smol_str::SmolStr,
    /// Whether it is a word (else punctuation).
    pub word: bool,
    /// Whether the word starts with an upper-case letter.
    pub capital: bool,
}

impl Tok {
    /// Whether it is this punctuation mark.
    pub fn is(&self, c: char) -> bool {
        !self.word && self.lower.starts_with(c)
    }
    /// An opening quotation mark (“, or " that opens).
    pub fn quote(&self) -> bool {
        !self.word && matches!(self.lower.as_str(), "“" | "”" | "\"" | "„" | "«" | "»")
    }
}

/// Whether `c` can continue a word when a letter or digit follows it
/// ("neighbour’s", "US-Russia", "U.S").
fn joins(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.' | '‑')
}

/// `w` lower-cased, typographic apostrophes made straight (without an
/// intermediate allocation when it already is).
fn lowered(w: &str) -> smol_str::SmolStr {
    if w.chars().all(|c| !c.is_uppercase() && c != '’') {
        smol_str::SmolStr::new(w)
    } else {
        smol_str::SmolStr::new(w.to_lowercase().replace('’', "'"))
    }
}

/// The words and punctuation of `text[range]`, with absolute offsets.
pub(crate) fn tokenize(text: &str, range: Range<usize>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let slice = &text[range.clone()];
    let mut it = slice.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let at = range.start + i;
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                let continues = d.is_alphanumeric()
                    || (joins(d)
                        && slice[j + d.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(char::is_alphanumeric));
                if !continues {
                    break;
                }
                it.next();
                end = j + d.len_utf8();
            }
            let w = &slice[i..end];
            toks.push(Tok {
                span: at..range.start + end,
                lower: lowered(w),
                word: true,
                capital: c.is_uppercase(),
            });
        } else if !c.is_whitespace() {
            toks.push(Tok {
                span: at..at + c.len_utf8(),
                lower: smol_str::SmolStr::new(c.encode_utf8(&mut [0; 4])),
                word: false,
                capital: false,
            });
        }
    }
    toks
}

/// Byte ranges of the paragraphs: runs of non-blank lines.
pub(crate) fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(at),
            (true, Some(s)) => {
                out.push(s..end);
                start = None;
            }
            _ => {}
        }
        if !blank {
            end = at + line.trim_end().len();
        }
        at += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// Quotations of a paragraph as token ranges of their content (the marks
/// excluded). Typographic marks pair by shape, straight ones alternate; a
/// quotation still open at the paragraph's end runs to it (a quote that
/// goes on in the next paragraph).
pub(crate) fn quotes(toks: &[Tok]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, t) in toks.iter().enumerate() {
        if t.word {
            continue;
        }
        let m = t.lower.as_str();
        match (open, m) {
            (None, "“" | "\"" | "„" | "«") => open = Some((i, m)),
            (Some((s, "“" | "„")), "”" | "“") if m == "”" || s + 1 < i => {
                // “ … “ without a closing mark: the first ran to here.
                out.push(s + 1..i);
                open = (m == "“").then_some((i, m));
            }
            (Some((s, "\"")), "\"") | (Some((s, "«")), "»") => {
                out.push(s + 1..i);
                open = None;
            }
            _ => {}
        }
    }
    if let Some((s, _)) = open {
        out.push(s + 1..toks.len());
    }
    out.retain(|r| r.start < r.end);
    out
}

/// Whether token `i` lies inside one of `quotes` (as [`quotes`] gives
/// them: disjoint, in order; a binary search, so a paragraph of many
/// quotations is not quadratic).
pub(crate) fn inside(quotes: &[Range<usize>], i: usize) -> bool {
    let k = quotes.partition_point(|q| q.end <= i);
    quotes.get(k).is_some_and(|q| q.start <= i)
}

/// Sentences of a paragraph as token ranges. A sentence ends at `.`, `!` or
/// `?` (and any closing quotation mark after it) when a capitalised word, a
/// digit or an opening quotation mark follows — never inside a quotation,
/// so a quotation of several sentences stays in one, and never after an
/// abbreviation such as "Mr." or "U.S.".
pub(crate) fn sentences(
    toks: &[Tok],
    quotes: &[Range<usize>],
    abbreviations: &dyn Fn(&str) -> bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let stop = t.is('.') || t.is('!') || t.is('?');
        let mut end = i + 1;
        if !stop {
            i = end;
            continue;
        }
        // A closing mark right after the stop belongs to this sentence.
        while end < toks.len() && toks[end].quote() && closes(quotes, end) {
            end += 1;
        }
        // "Mr.", "U.S." and an initial ("George W. Bush") end no sentence.
        let after_abbrev = t.is('.')
            && i > 0
            && (abbreviations(&toks[i - 1].lower)
                || (toks[i - 1].capital && toks[i - 1].lower.chars().count() == 1));
        let next_starts = toks.get(end).is_none_or(|n| {
            n.capital || n.lower.starts_with(|c: char| c.is_ascii_digit()) || n.quote()
        });
        // A stop inside a quotation ends a sentence only where the
        // quotation closes right after it (“… discussions.” Next …).
        let in_quote = inside(quotes, i) && end == i + 1;
        if !in_quote && !after_abbrev && next_starts {
            out.push(start..end);
            start = end;
        }
        i = end;
    }
    if start < toks.len() {
        out.push(start..toks.len());
    }
    out
}

/// The quotation whose content starts at token `i` (binary search).
pub(crate) fn starting_at(quotes: &[Range<usize>], i: usize) -> Option<&Range<usize>> {
    let k = quotes.partition_point(|q| q.start < i);
    quotes.get(k).filter(|q| q.start == i)
}

/// The quotation whose content ends just before token `i` (binary search).
pub(crate) fn ending_at(quotes: &[Range<usize>], i: usize) -> Option<&Range<usize>> {
    let k = quotes.partition_point(|q| q.end < i);
    quotes.get(k).filter(|q| q.end == i)
}

/// The quotations that lie within `range` (binary search).
pub(crate) fn within(quotes: &[Range<usize>], range: Range<usize>) -> &[Range<usize>] {
    let a = quotes.partition_point(|q| q.start < range.start);
    let b = quotes.partition_point(|q| q.end <= range.end);
    &quotes[a..b.max(a)]
}

/// Whether the mark at token `i` closes a quotation (`quotes` as
/// [`inside`] takes them).
fn closes(quotes: &[Range<usize>], i: usize) -> bool {
    let k = quotes.partition_point(|q| q.end < i);
    quotes.get(k).is_some_and(|q| q.end == i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|t| text[t.span].to_string())
            .collect()
    }

    /// The quotations of any mix of marks are disjoint and in order, and
    /// the binary searches answer what a scan of them answers.
    #[test]
    fn quote_look_ups_agree_with_a_scan() {
        let marks = ["“", "”", "\"", "«", "»", "„", "a", "b."];
        let mut seed = 7u64;
        for _ in 0..200 {
            let mut text = String::new();
            for _ in 0..40 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text += marks[(seed >> 33) as usize % marks.len()];
                text.push(' ');
            }
            let toks = tokenize(&text, 0..text.len());
            let q = quotes(&toks);
            assert!(
                q.windows(2).all(|w| w[0].end <= w[1].start),
                "{text}: {q:?}"
            );
            for i in 0..=toks.len() + 1 {
                assert_eq!(
                    inside(&q, i),
                    q.iter().any(|r| r.contains(&i)),
                    "{text} {i}"
                );
                assert_eq!(closes(&q, i), q.iter().any(|r| r.end == i), "{text} {i}");
                assert_eq!(
                    starting_at(&q, i),
                    q.iter().find(|r| r.start == i),
                    "{text} {i}"
                );
                assert_eq!(
                    ending_at(&q, i),
                    q.iter().find(|r| r.end == i),
                    "{text} {i}"
                );
                for j in i..=toks.len() + 1 {
                    let scan: Vec<_> = q
                        .iter()
                        .filter(|r| r.start >= i && r.end <= j)
                        .cloned()
                        .collect();
                    assert_eq!(within(&q, i..j), &scan[..], "{text} {i}..{j}");
                }
            }
        }
    }

    #[test]
    fn words_keep_apostrophes_hyphens_and_abbreviations() {
        assert_eq!(
            words("the neighbour’s US-Russia talks, U.S. said"),
            [
                "the",
                "neighbour’s",
                "US-Russia",
                "talks",
                ",",
                "U.S",
                ".",
                "said"
            ]
        );
    }

    #[test]
    fn paragraphs_are_runs_of_non_blank_lines() {
        let t = "a b\nc\n\n  \nd\n";
        let p: Vec<&str> = paragraphs(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(p, ["a b\nc", "d"]);
    }

    #[test]
    fn quotations_pair_and_sentences_do_not_split_inside_them() {
        let t = "“We will go. Then we stop,” he said. Mr. Smith left. “Fine.” Next";
        let toks = tokenize(t, 0..t.len());
        let q = quotes(&toks);
        assert_eq!(q.len(), 2);
        let s = sentences(&toks, &q, &|w| w == "mr");
        let text: Vec<&str> = s
            .iter()
            .map(|r| &t[toks[r.start].span.start..toks[r.end - 1].span.end])
            .collect();
        assert_eq!(
            text,
            [
                "“We will go. Then we stop,” he said.",
                "Mr. Smith left.",
                "“Fine.”",
                "Next"
            ]
        );
    }

    #[test]
    fn an_unclosed_quotation_runs_to_the_paragraph_end() {
        let t = "He said: “we stay";
        let toks = tokenize(t, 0..t.len());
        assert_eq!(quotes(&toks), vec![4..6]);
    }
}
