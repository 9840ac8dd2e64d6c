//! An LLM-Deliberation game folder (`examples/deliberation/harbour-board`,
//! written for zopa in that format) analysed and scored through the binary,
//! against a brute force that reads the integer scores itself and decides
//! by the game's own rule: a party accepts when its total reaches its
//! threshold; a deal passes when at least n − 1 parties accept, p1 and p2
//! among them. Integers only: no float is compared.

mod common;

use std::path::Path;

use common::{repo, zopa};
use serde_json::Value;

const GAME: &str = "examples/deliberation/harbour-board";

/// A party: its file name, role, scores per issue and threshold.
struct Party {
    file: String,
    role: String,
    scores: Vec<Vec<i64>>,
    threshold: i64,
}

fn read_game(dir: &Path) -> Vec<Party> {
    let config = std::fs::read_to_string(dir.join("config.txt")).unwrap();
    config
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let text =
                std::fs::read_to_string(dir.join("scores_files").join(format!("{}.txt", f[1])))
                    .unwrap();
            let mut rows: Vec<Vec<i64>> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.split(',').map(|x| x.trim().parse().unwrap()).collect())
                .collect();
            let threshold = rows.pop().unwrap()[0];
            Party {
                file: f[1].to_string(),
                role: f[2].to_string(),
                scores: rows,
                threshold,
            }
        })
        .collect()
}

/// Every package in zopa's numbering (last issue fastest), as option indices.
fn packages(radices: &[usize]) -> Vec<Vec<usize>> {
    let mut all = vec![vec![]];
    for &r in radices {
        all = all
            .into_iter()
            .flat_map(|p: Vec<usize>| {
                (0..r).map(move |o| {
                    let mut q = p.clone();
                    q.push(o);
                    q
                })
            })
            .collect();
    }
    all
}

fn total(p: &Party, pkg: &[usize]) -> i64 {
    pkg.iter().enumerate().map(|(i, &o)| p.scores[i][o]).sum()
}

fn passes(parties: &[Party], pkg: &[usize]) -> bool {
    let accepts: Vec<bool> = parties
        .iter()
        .map(|p| total(p, pkg) >= p.threshold)
        .collect();
    let vetoes_in = parties
        .iter()
        .zip(&accepts)
        .all(|(p, &a)| a || (p.role != "p1" && p.role != "p2"));
    vetoes_in && accepts.iter().filter(|&&a| a).count() + 1 >= parties.len()
}

/// Score vectors no other passing package weakly beats with one strict gain.
fn frontier(parties: &[Party], set: &[Vec<usize>]) -> Vec<usize> {
    let scores: Vec<Vec<i64>> = set
        .iter()
        .map(|pkg| parties.iter().map(|p| total(p, pkg)).collect())
        .collect();
    let beats = |a: &[i64], b: &[i64]| a.iter().zip(b).all(|(x, y)| x >= y) && a != b;
    (0..set.len())
        .filter(|&i| !scores.iter().any(|s| beats(s, &scores[i])))
        .collect()
}

fn json(args: &[&str]) -> Value {
    let o = zopa(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "zopa {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn index(radices: &[usize], pkg: &[usize]) -> u64 {
    pkg.iter()
        .zip(radices)
        .fold(0u64, |n, (&o, &r)| n * r as u64 + o as u64)
}

#[test]
fn the_rule_set_its_frontier_and_the_unanimous_count_match_brute_force() {
    let dir = repo(GAME);
    let parties = read_game(&dir);
    let radices: Vec<usize> = parties[0].scores.iter().map(Vec::len).collect();
    let all = packages(&radices);
    let pass: Vec<Vec<usize>> = all
        .iter()
        .filter(|p| passes(&parties, p))
        .cloned()
        .collect();
    let unanimous = all
        .iter()
        .filter(|pkg| parties.iter().all(|p| total(p, pkg) >= p.threshold))
        .count();
    // The game is not degenerate: the rule passes more than unanimity would.
    assert!(
        pass.len() > unanimous && unanimous > 0,
        "{} {unanimous}",
        pass.len()
    );

    let d = json(&["analyze", dir.to_str().unwrap(), "--json", "--top", "0"]);
    assert_eq!(d["space"]["agreement"], pass.len() as u64);
    assert_eq!(d["space"]["unanimous"], unanimous as u64);
    assert_eq!(d["decision"]["at_least"], 5);
    assert_eq!(
        d["decision"]["must_include"],
        serde_json::json!(["port", "city"])
    );
    let mut want: Vec<u64> = frontier(&parties, &pass)
        .into_iter()
        .map(|k| index(&radices, &pass[k]))
        .collect();
    want.sort_unstable();
    let mut got: Vec<u64> = d["agreement_frontier"]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["index"].as_u64().unwrap())
        .collect();
    got.sort_unstable();
    assert_eq!(got, want);
    // Every listed package names who accepts it, by the scores.
    for p in d["agreement_frontier"]["packages"].as_array().unwrap() {
        let pkg = &all[p["index"].as_u64().unwrap() as usize];
        let outvoted: Vec<&str> = parties
            .iter()
            .filter(|x| total(x, pkg) < x.threshold)
            .map(|x| x.file.as_str())
            .collect();
        assert_eq!(p["coalition"]["passes"], true);
        assert_eq!(
            p["coalition"]["outvoted"],
            serde_json::json!(outvoted),
            "{p}"
        );
    }
}

#[test]
fn a_deal_is_scored_by_the_games_rule() {
    let dir = repo(GAME);
    let parties = read_game(&dir);
    let radices: Vec<usize> = parties[0].scores.iter().map(Vec::len).collect();
    let all = packages(&radices);
    // A deal one party refuses that still passes, and one that fails.
    let over_one = all
        .iter()
        .find(|pkg| {
            passes(&parties, pkg)
                && parties
                    .iter()
                    .filter(|p| total(p, pkg) < p.threshold)
                    .count()
                    == 1
        })
        .unwrap();
    let failing = all.iter().find(|pkg| !passes(&parties, pkg)).unwrap();
    for (pkg, passing) in [(over_one, true), (failing, false)] {
        let deal: Vec<String> = pkg
            .iter()
            .enumerate()
            .map(|(i, &o)| format!("{}{}", (b'A' + i as u8) as char, o + 1))
            .collect();
        let d = json(&[
            "score",
            dir.to_str().unwrap(),
            "--deal",
            &deal.join(","),
            "--json",
        ]);
        assert_eq!(d["passes"], passing, "{d}");
        for (party, doc) in parties.iter().zip(d["parties"].as_array().unwrap()) {
            assert_eq!(
                doc["accepts"],
                total(party, pkg) >= party.threshold,
                "{doc}"
            );
        }
        if passing {
            assert_eq!(d["outvoted"].as_array().unwrap().len(), 1, "{d}");
            // Outvoting one more party would drop below 5 of 6: everyone left is pivotal.
            assert_eq!(d["pivotal"].as_array().unwrap().len(), 5, "{d}");
        }
    }
}

#[test]
fn the_game_converts_to_a_scenario_stating_its_rule() {
    let out = common::tmp("harbour-board.toml");
    let o = zopa(&[
        "convert",
        repo(GAME).to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("[decision]"), "{text}");
    assert!(
        text.contains("must_include = [\n    \"port\",\n    \"city\",\n]")
            || text.contains("must_include = [\"port\", \"city\"]"),
        "{text}"
    );
    let o = zopa(&[
        "convert",
        repo(GAME).to_str().unwrap(),
        "out-dir",
        "--to",
        "deliberation",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not write them"));
}

/// A game nobody can settle: the proposer and the second veto holder want
/// opposite ends of the one issue. The report says so, and whose acceptance
/// would let a deal pass (either veto holder's; the third party's is not
/// enough).
#[test]
fn an_impossible_game_names_who_must_be_brought_around() {
    let dir = common::tmp("deadlock");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scores_files")).unwrap();
    std::fs::write(
        dir.join("config.txt"),
        "Proposer,first,p1,cooperative,none\nSecond,second,p2,cooperative,none\nThird,third,player,cooperative,none\n",
    )
    .unwrap();
    for (file, scores) in [
        ("first", "10, 5, 0\n10\n"),
        ("second", "0, 5, 10\n10\n"),
        ("third", "0, 10, 0\n10\n"),
    ] {
        std::fs::write(dir.join("scores_files").join(format!("{file}.txt")), scores).unwrap();
    }
    let d = json(&["analyze", dir.to_str().unwrap(), "--json"]);
    assert_eq!(d["space"]["agreement"], 0);
    assert_eq!(
        d["opening"]["sets"],
        serde_json::json!([["first"], ["second"]]),
        "{}",
        d["opening"]
    );
    let o = zopa(&["analyze", dir.to_str().unwrap()]);
    // The summary wraps its lines: compare words.
    let text = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(
            "a package would pass if first accepted what it now refuses, or if second did"
        ),
        "{text}"
    );
}
