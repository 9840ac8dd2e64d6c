//! The robustness study on the default scenario (432 packages, 4 actors):
//! 10,000 Monte Carlo runs, on every core. `cargo bench -p zopa-analysis
//! --bench robustness`; results in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use zopa_analysis::robustness::{study, Params};

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/security-guarantees.toml");
    let s = zopa_model::load_file(&path)
        .expect("the default scenario")
        .scenario;
    let mut g = c.benchmark_group("robustness");
    g.sampling_mode(SamplingMode::Flat).sample_size(10);
    for runs in [1_000usize, 10_000] {
        let p = Params {
            runs,
            seed: 1,
            bands: Default::default(),
        };
        g.bench_function(format!("default_scenario_{runs}_runs"), |b| {
            b.iter(|| study(&s, &p, u64::MAX, &|| {}).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
