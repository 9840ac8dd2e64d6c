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
        let width: Vec<usize> = (0..n)
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| r[c].chars().count())
                    .chain([self.head[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
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
        line(&self.head, out);
        let rule: Vec<String> = width.iter().map(|&w| "-".repeat(w)).collect();
        line(&rule, out);
        for r in &self.rows {
            line(r, out);
        }
    }
}
