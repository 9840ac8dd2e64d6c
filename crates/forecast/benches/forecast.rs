//! The expected-utility model and KTAB's SMP on 100 actors × 10 issues.
//! `cargo bench -p zopa-forecast`; results in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use zopa_forecast::model::{ExpectedUtility, Model, SpatialModel};
use zopa_forecast::spatial::IssueInput;

/// 100 actors with random capabilities, positions and saliences (summing to
/// 1 over the 10 issues), seeded.
fn inputs(actors: usize, issues: usize) -> Vec<IssueInput> {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let caps: Vec<f64> = (0..actors).map(|_| rng.random_range(10.0..200.0)).collect();
    let sal: Vec<Vec<f64>> = (0..actors)
        .map(|_| {
            let s: Vec<f64> = (0..issues).map(|_| rng.random_range(0.1..1.0)).collect();
            let t: f64 = s.iter().sum();
            s.iter().map(|x| x / t).collect()
        })
        .collect();
    (0..issues)
        .map(|i| IssueInput {
            x: (0..actors).map(|_| rng.random_range(0.0..100.0)).collect(),
            s: sal.iter().map(|s| s[i]).collect(),
            c: caps.clone(),
            q: None,
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inp = inputs(100, 10);
    let mut g = c.benchmark_group("forecast_100x10");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    g.bench_function("eum", |b| {
        b.iter(|| ExpectedUtility::default().forecast(&inp).unwrap())
    });
    g.bench_function("smp", |b| {
        b.iter(|| SpatialModel::default().forecast(&inp).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
