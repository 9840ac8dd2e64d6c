//! Text reports fit the terminal's width (`COLUMNS` here), `--wide` keeps
//! whole lines, and output to a pipe without `COLUMNS` is never wrapped.

mod common;

use common::{zopa, zopa_columns};

const ARTICLE: &str = "../../scenarios/sources/security-guarantees-article.txt";

fn longest(out: &[u8]) -> usize {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn reports_fit_80_columns_and_wide_keeps_whole_lines() {
    // Relative to the package (the tests' working folder): a word longer
    // than the width — a long absolute path — is kept whole, not broken.
    let article = ARTICLE;
    let commands: [&[&str]; 6] = [
        &["claims"],
        &["analyze", "--critical-budget", "1000"],
        &["forecast", "--runs", "50"],
        &["simulate"],
        &["evidence", article],
        &["analyze", "--critical-budget", "0", "--robustness", "100"],
    ];
    for args in commands {
        let o = zopa_columns(80, args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            longest(&o.stdout) <= 80,
            "{args:?}: {} columns\n{}",
            longest(&o.stdout),
            String::from_utf8_lossy(&o.stdout)
        );
        let piped = zopa(args);
        assert!(
            longest(&piped.stdout) > 80,
            "{args:?}: the piped report has long lines to wrap"
        );
        let mut wide = args.to_vec();
        wide.push("--wide");
        let w = zopa_columns(80, &wide);
        assert_eq!(
            w.stdout, piped.stdout,
            "{args:?}: --wide is the unwrapped report"
        );
    }
}
