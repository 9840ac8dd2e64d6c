//! Analyses beyond enumeration (issue 15): 2 and 3 actors × 10^12 packages
//! with red lines and reservations (exact counts by meet in the middle), and
//! 5 actors × 10^7 anti-correlated packages (a frontier of ~2·10^5, the k-d
//! skyline). `cargo bench -p zopa-analysis --bench scale`; results in
//! docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use zopa_analysis::{analyze, Options};
use zopa_model::*;

/// `m` actors, `issues` issues of 10 options; values uniform (or, when
/// `anti`, each option's values across the actors summing to one); each
/// actor rejects each option with probability `red`; reservation `res`.
fn synthetic(m: usize, issues: usize, anti: bool, red: f64, res: f64, seed: u64) -> Scenario {
    Tables::synthetic(&Synthetic {
        actors: m,
        radices: vec![10; issues],
        anti_correlated: anti,
        red_line_rate: red,
        reservation: res,
        grid: None,
        seed,
    })
    .build()
    .expect("valid synthetic scenario")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("scale");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    let cases = [
        (
            "2_actors_red_lines",
            synthetic(2, 12, false, 0.03, 0.5, 1),
            "1e12",
        ),
        (
            "3_actors_red_lines",
            synthetic(3, 12, false, 0.03, 0.45, 1),
            "1e12",
        ),
        (
            "5_actors_anti_correlated",
            synthetic(5, 7, true, 0.0, 0.0, 1),
            "1e7",
        ),
    ];
    for (name, s, size) in &cases {
        let a = analyze(s, &Options::default()).expect("analysable");
        eprintln!(
            "{name}: {} red lines, agreement {} of {}, frontier {}",
            s.red_lines().len(),
            a.agreement_size,
            a.space_size,
            a.agreement_frontier.len()
        );
        g.bench_with_input(BenchmarkId::new(*name, size), s, |b, s| {
            b.iter(|| analyze(s, &Options::default()).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
