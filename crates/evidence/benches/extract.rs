//! `zopa evidence` on 1 MB of news text: the security-guarantees article
//! repeated 200 times (paragraphs kept), with the default scenario's aliases
//! and keywords.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use zopa_evidence::{extract, Keywords, Parties};

fn bench(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let article =
        std::fs::read_to_string(root.join("scenarios/sources/security-guarantees-article.txt"))
            .unwrap();
    let s = zopa_model::load_file(&root.join("scenarios/security-guarantees.toml"))
        .unwrap()
        .scenario;
    let (parties, keywords) = (Parties::of(&s), Keywords::of(&s));
    let text = vec![article.as_str(); 200].join("\n\n");
    let mut g = c.benchmark_group("evidence");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("extract 1 MB", |b| {
        b.iter(|| extract(&text, &parties, &keywords).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
