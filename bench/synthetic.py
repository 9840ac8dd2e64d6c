#!/usr/bin/env python3
"""Write a synthetic additive zopa scenario (TOML) to stdout.

    python3 bench/synthetic.py --actors 5 --issues 7 --options 10 --seed 1 > /tmp/s.toml
    zopa analyze /tmp/s.toml

Random saliences and option values (uniform, seeded: the same arguments give the
same bytes), reservation 0.3 for everyone, optional random red lines. With
--anti-correlated each option's values across the actors sum to one (what one
gains another loses), which puts many packages on the Pareto frontier. Every
claim is marked as a synthetic assumption so the file validates cleanly.

    python3 bench/synthetic.py --actors 2 --issues 12 --red-line-rate 0.03 --reservation 0.5 > /tmp/s2.toml   # 10^12
    python3 bench/synthetic.py --actors 5 --issues 7 --anti-correlated --reservation 0 > /tmp/s5.toml          # large frontier
"""
import argparse
import random


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--actors", type=int, default=2)
    p.add_argument("--issues", type=int, default=6)
    p.add_argument("--options", type=int, default=10)
    p.add_argument("--radices", type=str, default=None,
                   help="comma-separated options per issue (overrides --issues/--options)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--red-line-rate", type=float, default=0.0,
                   help="probability that an actor rejects an option (never all options of an issue)")
    p.add_argument("--reservation", type=float, default=0.3)
    p.add_argument("--anti-correlated", action="store_true",
                   help="each option's values across the actors sum to 1 (large frontiers)")
    a = p.parse_args()
    radices = [int(x) for x in a.radices.split(",")] if a.radices else [a.options] * a.issues
    a.issues = len(radices)
    rng = random.Random(a.seed)
    note = 'assumption = true, note = "synthetic"'
    out = [
        "[scenario]",
        f'id = "synthetic-{a.actors}x{"x".join(map(str, radices))}-s{a.seed}"',
        f'title = "Synthetic: {a.actors} actors, options per issue {radices}"',
        "",
    ]
    for i in range(a.issues):
        opts = ", ".join(f'{{ id = "o{o}", label = "Option {o}" }}' for o in range(radices[i]))
        out += ["[[issues]]", f'id = "i{i}"', f'name = "Issue {i}"', f"options = [{opts}]", ""]
    # values[k][i][o]; anti-correlated: split 1 among the actors per option.
    if a.anti_correlated:
        values = [[[0.0] * r for r in radices] for _ in range(a.actors)]
        for i, r in enumerate(radices):
            for o in range(r):
                raw = [rng.random() for _ in range(a.actors)]
                for k in range(a.actors):
                    values[k][i][o] = raw[k] / sum(raw)
    else:
        values = None
    for k in range(a.actors):
        sal = ", ".join(f"i{i} = {0.1 + rng.random():.6f}" for i in range(a.issues))
        out += [
            "[[actors]]", f'id = "a{k}"', f'name = "Actor {k}"', "power = 1.0",
            f"power_basis = {{ {note} }}", f"reservation = {a.reservation}",
            f"reservation_basis = {{ {note} }}", f"salience = {{ {sal} }}",
            f"salience_basis = {{ {note} }}", "",
        ]
        for i in range(a.issues):
            vals = ", ".join(
                f"o{o} = {values[k][i][o] if values else rng.random():.6f}" for o in range(radices[i]))
            reds = [f'"o{o}"' for o in range(radices[i]) if rng.random() < a.red_line_rate][: radices[i] - 1]
            out += ["[[actors.positions]]", f'issue = "i{i}"', f"values = {{ {vals} }}"]
            if reds:
                out.append(f"red_lines = [{', '.join(reds)}]")
            out += ["assumption = true", 'note = "synthetic"', ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
