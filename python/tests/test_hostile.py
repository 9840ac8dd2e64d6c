"""Hostile inputs through the Python API (issue 30): each is generated
here and must end with the documented refusal or a bounded result, never a
hang or an interpreter exhausted by one call.

Run from the root of a clone after ``pip install ./python pytest``:
``python -m pytest python/tests``."""

import json
import resource
import time

import pytest

import zopa


def scenario(actors, issues, options, value=lambda a, i, o: 0.5, combinations=0):
    """A scenario as TOML: `value(a, i, o)` is actor a's value of option o
    of issue i; `combinations` pairs of issue 0 and 1 options rejected
    together, spread over the actors."""
    opts = ", ".join(f'{{ id = "o{o}", label = "o" }}' for o in range(options))
    out = ['[scenario]\nid = "h"\ntitle = "h"\n']
    for i in range(issues):
        out.append(f'[[issues]]\nid = "i{i}"\nname = "i"\noptions = [{opts}]\n')
    sal = ", ".join(f"i{i} = 1" for i in range(issues))
    for a in range(actors):
        out.append(f'[[actors]]\nid = "a{a}"\nname = "a"\npower = 1\nreservation = 0.3\nsalience = {{ {sal} }}\n')
        for i in range(issues):
            vals = ", ".join(f"o{o} = {value(a, i, o):.3f}" for o in range(options))
            out.append(f'[[actors.positions]]\nissue = "i{i}"\nvalues = {{ {vals} }}\nassumption = true\nnote = "n"\n')
        for k in range(a, combinations, actors):
            out.append(
                f'[[actors.red_line_combinations]]\noptions = {{ i0 = "o{k % options}", i1 = "o{(k // options + 7 * k) % options}" }}\nassumption = true\nnote = "n"\n'
            )
    return "\n".join(out)


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_listing_of_every_tied_package_is_bounded(tmp_path):
    """64,000 packages all tied are all on the frontier; `top=0` lists the
    first 20,000 and says how many there are (a 109 KB request once built a
    2 GB document and aborted the interpreter)."""
    path = write(tmp_path, "ties.toml", scenario(2, 3, 40))
    a = zopa.load(path).analyze(top=0)
    f = a.report["agreement_frontier"]
    assert (f["size"], f["listed"]) == (64_000, 20_000)
    assert len(f["packages"]) == 20_000
    assert len(json.dumps(a.report)) < 20 * 2**20


def test_combinations_cannot_multiply_the_work(tmp_path):
    """100 combinations on 216,000 packages are refused before any study
    (they took 129 s), naming the keyword that raises the bound."""
    value = lambda a, i, o: ((a * 31 + i * 7 + o * 13) % 97) / 97
    path = write(tmp_path, "c100.toml", scenario(3, 3, 60, value, combinations=100))
    start = time.monotonic()
    with pytest.raises(zopa.ZopaError, match="combinations alone") as e:
        zopa.load(path).analyze()
    assert "limit=" in str(e.value)
    assert time.monotonic() - start < 10


def test_large_forecasts_and_simulations_are_refused_before_work(tmp_path):
    """A forecast of 1,000 actors (once 11-15 GB) and a simulation whose
    trace would hold 10^6 rounds (once 14 GB) are refused at once."""
    path = write(tmp_path, "actors.toml", scenario(1000, 1, 3))
    with pytest.raises(zopa.ZopaError, match="above the limit"):
        zopa.load(path).forecast(runs=1)
    s = zopa.load("builtin:security-guarantees")
    with pytest.raises(zopa.ZopaError):
        s.simulate(deadline=10**6)
    with pytest.raises(zopa.ZopaError, match="above the limit of 1000000000"):
        s.analyze(limit=10**18)
    assert peak_mb() < 2048
