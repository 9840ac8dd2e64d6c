#!/usr/bin/env python3
"""A scenario citing many quotes from one large source, for timing quote
checking (issue 30: quotes x source).

    python3 bench/quotes.py OUT_DIR [QUOTES] [SOURCE_BYTES]

Writes OUT_DIR/q.toml (examples/supplier-contract.toml plus QUOTES
`[[unmodelled]]` entries, each 8 words of the source) and OUT_DIR/sources/
(the example's minutes and a SOURCE_BYTES source of random words, seed 1).
"""

import pathlib
import random
import shutil
import sys

out = pathlib.Path(sys.argv[1])
quotes = int(sys.argv[2]) if len(sys.argv) > 2 else 4000
size = int(sys.argv[3]) if len(sys.argv) > 3 else 3_900_000
root = pathlib.Path(__file__).resolve().parents[1]
(out / "sources").mkdir(parents=True, exist_ok=True)
shutil.copy(root / "examples/sources/minutes.txt", out / "sources/minutes.txt")
rng = random.Random(1)
vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(5000)]
words, n = [], 0
while n < size:
    w = rng.choice(vocabulary)
    words.append(w)
    n += len(w) + 1
(out / "sources/big.txt").write_text(" ".join(words))
toml = (root / "examples/supplier-contract.toml").read_text()
toml = toml.replace(
    'path = "sources/minutes.txt"',
    'path = "sources/minutes.txt"\n\n[[sources]]\nid = "big"\ntitle = "Big"\npath = "sources/big.txt"',
    1,
)
parts = [toml]
for _ in range(quotes):
    i = rng.randrange(len(words) - 12)
    parts.append(f'\n[[unmodelled]]\nsource = "big"\nquote = "{" ".join(words[i:i + 8])}"\nreason = "r"\n')
(out / "q.toml").write_text("".join(parts))
