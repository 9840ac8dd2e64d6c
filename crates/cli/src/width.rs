//! The width human-readable reports are laid out for: the terminal's, or
//! `COLUMNS`, or none (`--wide`, or output that is not a terminal, so files
//! and pipes get whole lines). JSON, TOML and Markdown outputs are never
//! wrapped.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

/// 0: no limit.
static WIDTH: AtomicUsize = AtomicUsize::new(0);

/// The narrowest layout: below this a table is clipped rather than squeezed.
pub const MIN: usize = 40;

/// Set the width once, from `--wide`, `COLUMNS` and the terminal.
pub fn init(wide: bool) {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    let w = if wide {
        0
    } else if let Some(c) = columns {
        c.max(MIN)
    } else if std::io::stdout().is_terminal() {
        terminal_size::terminal_size().map_or(0, |(w, _)| usize::from(w.0).max(MIN))
    } else {
        0
    };
    WIDTH.store(w, Ordering::Relaxed);
}

/// The width to lay reports out for, if any.
pub fn get() -> Option<usize> {
    Some(WIDTH.load(Ordering::Relaxed)).filter(|&w| w > 0)
}

/// `text` with every line longer than the width broken at spaces, each
/// continuation indented four more than its line (a table row that still
/// does not fit, a long sentence).
pub fn wrap(text: &str) -> String {
    match get() {
        Some(w) => wrap_to(text, w),
        None => text.to_string(),
    }
}

/// [`wrap`] for width `w`.
pub fn wrap_to(text: &str, w: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        if body.chars().count() <= w {
            out.push_str(line);
            continue;
        }
        let indent = body.len() - body.trim_start().len();
        let hang = " ".repeat((indent + 4).min(w / 2));
        let mut cur = String::from(&body[..indent]);
        let mut len = indent;
        let mut fresh = true;
        for word in body[indent..].split(' ') {
            let n = word.chars().count();
            if !fresh && n > 0 && len + 1 + n > w {
                out.push_str(cur.trim_end());
                out.push('\n');
                cur = hang.clone();
                len = hang.len();
                fresh = true;
            }
            if !fresh {
                cur.push(' ');
                len += 1;
            }
            cur.push_str(word);
            len += n;
            fresh = fresh && n == 0;
        }
        out.push_str(cur.trim_end());
        out.push_str(nl);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap_to;

    #[test]
    fn long_lines_break_at_spaces_with_a_hanging_indent() {
        let text = "short\n  one two three four five six seven eight nine ten\n";
        let w = wrap_to(text, 20);
        assert_eq!(
            w,
            "short\n  one two three four\n      five six seven\n      eight nine ten\n"
        );
        assert!(w.lines().all(|l| l.chars().count() <= 20), "{w}");
        // The words are kept, in order.
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&w), words(text));
        // A word longer than the width stays whole.
        assert_eq!(
            wrap_to("x aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 10),
            "x\n    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        );
    }
}
