//! Full analysis (utilities, agreement space, both frontiers, four solutions,
//! blocking) of synthetic additive scenarios: 2, 3 and 5 actors at 10^4 … 10^7
//! packages. `cargo bench -p zopa-analysis`; results in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use zopa_analysis::{analyze, Options};
use zopa_model::*;

/// `issues` issues of 10 options each (10^issues packages), `m` actors with
/// random saliences and option values, reservation 0.3, no red lines.
fn synthetic(m: usize, issues: usize, seed: u64) -> Scenario {
    Tables::synthetic(&Synthetic {
        actors: m,
        radices: vec![10; issues],
        anti_correlated: false,
        red_line_rate: 0.0,
        reservation: 0.3,
        grid: None,
        seed,
    })
    .build()
    .expect("valid synthetic scenario")
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("analyze");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    for m in [2usize, 3, 5] {
        for issues in 4..=7 {
            let s = synthetic(m, issues, 42 + m as u64);
            let id = BenchmarkId::new(format!("{m}_actors"), format!("1e{issues}"));
            g.bench_with_input(id, &s, |b, s| {
                b.iter(|| analyze(s, &Options::default()).unwrap())
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
