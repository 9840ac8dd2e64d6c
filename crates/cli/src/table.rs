//! Plain-text tables for the human-readable outputs.

/// A plain-text table with left-aligned text and right-aligned numbers.
pub struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
    pub right: Vec<bool>,
}

impl Table {
    pub fn new(head: &[&str], right: &[bool]) -> Self {
        Table {
            head: head.iter().map(|s| s.to_string()).collect(),
            rows: vec![],
            right: right.to_vec(),
        }
    }
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }
    pub fn render(&self, out: &mut String) {
        let n = self.head.len();
        let mut width: Vec<usize> = (0..n)
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.head[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        if let Some(limit) = crate::width::get() {
            self.fit(&mut width, limit);
        }
        let line = |cells: &[String], out: &mut String| {
            let mut s = String::from(" ");
            for (c, cell) in cells.iter().enumerate() {
                let pad = width[c] - cell.chars().count();
                s.push(' ');
                if self.right[c] {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(cell);
                } else {
                    s.push_str(cell);
                    if c + 1 < n {
                        s.push_str(&" ".repeat(pad));
                    }
                }
                if c + 1 < n {
                    s.push(' ');
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        // A cell wider than its column continues on the row's next lines.
        let lines = |cells: &[String], out: &mut String| {
            let parts: Vec<Vec<String>> = cells
                .iter()
                .enumerate()
                .map(|(c, cell)| cut(cell, width[c]))
                .collect();
            let height = parts.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let row: Vec<String> = parts
                    .iter()
                    .map(|p| p.get(k).cloned().unwrap_or_default())
                    .collect();
                line(&row, out);
            }
        };
        lines(&self.head, out);
        let rule: Vec<String> = width.iter().map(|&w| "-".repeat(w)).collect();
        line(&rule, out);
        for r in &self.rows {
            lines(r, out);
        }
    }

    /// Narrow the widest text columns (never below 10 characters, numbers
    /// never) until the table fits in `limit` columns, if it can.
    fn fit(&self, width: &mut [usize], limit: usize) {
        let total = |w: &[usize]| 1 + w.iter().map(|x| x + 2).sum::<usize>();
        while total(width) > limit {
            let Some(c) = (0..width.len())
                .filter(|&c| !self.right[c] && width[c] > 10)
                .max_by_key(|&c| width[c])
            else {
                return;
            };
            let excess = total(width) - limit;
            width[c] = width[c].saturating_sub(excess).max(10);
        }
    }
}

/// `cell` in pieces of at most `w` characters, broken at spaces where it
/// can be (a single word longer than `w` is cut).
fn cut(cell: &str, w: usize) -> Vec<String> {
    if cell.chars().count() <= w || w == 0 {
        return vec![cell.to_string()];
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    for word in cell.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let have = cur.chars().count();
            let need = if have == 0 {
                word.len()
            } else {
                have + 1 + word.len()
            };
            if need <= w {
                if have > 0 {
                    cur.push(' ');
                }
                cur.extend(word.iter());
                break;
            }
            if have > 0 {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            // A word longer than the column: cut it.
            let rest = word.split_off(w);
            out.push(word.iter().collect());
            word = rest;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn cells_are_cut_at_spaces_then_inside_words() {
        assert_eq!(cut("one two three", 7), ["one two", "three"]);
        assert_eq!(cut("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(cut("short", 10), ["short"]);
    }
}
