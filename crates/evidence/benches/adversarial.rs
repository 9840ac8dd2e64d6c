//! `zopa evidence` on 4 MB of hostile text, one shape at a time: extraction
//! must stay linear in the text (issue 28: each under a second). The
//! shapes: 10^6 quotation marks, one 4 MB line of reported speech,
//! quotations nested 2.5·10^5 deep, 4·10^5 one-sentence statements, 8·10^5
//! cue verbs in one sentence, quotations after colons, attributions
//! closing quotations, appositions, conditions, "according to" without
//! punctuation, titles, bracketed short forms, passives, typographic marks
//! that never close.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use zopa_evidence::{extract, Keywords, Parties};

/// 4 MB of `pattern` repeated (cut at a character boundary).
fn repeat(pattern: &str) -> String {
    const SIZE: usize = 4_000_000;
    let mut s = pattern.repeat(SIZE / pattern.len() + 1);
    let mut cut = SIZE;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    s
}

fn shapes() -> Vec<(&'static str, String)> {
    let nested = format!("{}{}", "“ ".repeat(500_000), "” ".repeat(500_000));
    vec![
        ("quotation marks", repeat("\"a\" ")),
        (
            "one line",
            repeat("Russia said that the plan is good and Ukraine rejected it, "),
        ),
        ("nested quotations", nested),
        ("sentences", repeat("He said. ")),
        ("cue verbs", repeat("said ")),
        ("colon quotations", repeat("He said: \"a\" and ")),
        ("closing attributions", repeat("\"a,\" he said, ")),
        (
            "appositions",
            repeat("Karl Berg, a Hamas spokesman, commented that x, "),
        ),
        ("conditions", repeat("\"If a, b.\" ")),
        ("according to", repeat("according to a ")),
        ("titles", repeat("President Minister Karl ")),
        ("short forms", repeat("The Big Org (BO) said ")),
        ("passives", repeat("was condemned by ")),
        ("unclosed marks", repeat("“a ")),
    ]
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("evidence adversarial 4 MB");
    g.sample_size(10);
    let (parties, keywords) = (Parties::none(), Keywords::default());
    for (name, text) in shapes() {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, t| {
            b.iter(|| extract(t, &parties, &keywords).len())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
