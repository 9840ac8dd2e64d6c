//! Full analysis (utilities, agreement space, both frontiers, four solutions,
//! blocking) of synthetic additive scenarios: 2, 3 and 5 actors at 10^4 … 10^7
//! packages. `cargo bench -p zopa-analysis`; results in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use zopa_analysis::{analyze, Options};
use zopa_model::*;

/// SplitMix64: a tiny deterministic generator, so the scenarios are the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `issues` issues of 10 options each (10^issues packages), `m` actors with
/// random saliences and option values, reservation 0.3, no red lines.
fn synthetic(m: usize, issues: usize, seed: u64) -> Scenario {
    let mut rng = Rng(seed);
    let mut t = Tables {
        radices: vec![10; issues],
        reservations: vec![0.3; m],
        note: "synthetic benchmark".into(),
        ..Tables::default()
    };
    for _ in 0..m {
        t.saliences
            .push((0..issues).map(|_| 0.1 + rng.next()).collect());
        t.values.push(
            (0..issues)
                .map(|_| (0..10).map(|_| rng.next()).collect())
                .collect(),
        );
    }
    t.build().expect("valid synthetic scenario")
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
