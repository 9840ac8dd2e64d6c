#!/usr/bin/env python3
"""The HTTP cases of issue 30 against the release server, timed.

Starts `target/release/zopa serve` on a free loopback port (with a data
folder under target/tmp), runs each hostile case with a real client, and
prints one Markdown row per case: what the server answered, how long it
took and the server's peak resident memory so far (VmHWM). Standard
library only.

    cargo build --release -p zopa && python3 bench/hostile_http.py
"""

import http.client
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
ZOPA = ROOT / "target" / "release" / "zopa"
DATA = ROOT / "target" / "tmp" / "hostile-http"


def start(*flags, data=DATA):
    p = subprocess.Popen(
        [str(ZOPA), "serve", "--addr", "127.0.0.1:0", "--data", str(data), *flags],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "RUST_LOG": "error"},
        text=True,
    )
    first = p.stderr.readline()
    host, port = first.split("http://")[1].split()[0].rsplit(":", 1)
    threading.Thread(target=lambda: [None for _ in p.stderr], daemon=True).start()
    return p, (host, int(port))


def peak_mb(p):
    for line in pathlib.Path(f"/proc/{p.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def request(addr, method, path, body=b"", headers=None, timeout=120):
    c = http.client.HTTPConnection(*addr, timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def raw(addr, payload, wait=60):
    s = socket.create_connection(addr)
    s.sendall(payload)
    s.settimeout(wait)
    got = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
    except OSError:
        pass
    s.close()
    return got


def scenario(actors, issues, options, value=lambda a, i, o: 0.5, combinations=0):
    opts = ", ".join(f'{{ id = "o{o}", label = "o" }}' for o in range(options))
    out = ['[scenario]\nid = "h"\ntitle = "h"\n']
    for i in range(issues):
        out.append(f'[[issues]]\nid = "i{i}"\nname = "i"\noptions = [{opts}]\n')
    sal = ", ".join(f"i{i} = 1" for i in range(issues))
    for a in range(actors):
        out.append(f'[[actors]]\nid = "a{a}"\nname = "a"\npower = 1\nreservation = 0\nsalience = {{ {sal} }}\n')
        for i in range(issues):
            vals = ", ".join(f"o{o} = {value(a, i, o):.3f}" for o in range(options))
            out.append(f'[[actors.positions]]\nissue = "i{i}"\nvalues = {{ {vals} }}\nassumption = true\nnote = "n"\n')
        for k in range(a, combinations, actors):
            out.append(
                f'[[actors.red_line_combinations]]\noptions = {{ i0 = "o{k % options}", i1 = "o{(k // options + 7 * k) % options}" }}\nassumption = true\nnote = "n"\n'
            )
    return "\n".join(out).encode()


ROWS = []


def row(case, result, seconds, p):
    ROWS.append(f"| {case} | {result} | {seconds:.2f} s | {peak_mb(p):.0f} MB |")
    print(ROWS[-1], flush=True)


def timed(f):
    t = time.monotonic()
    out = f()
    return out, time.monotonic() - t


def main():
    shutil.rmtree(DATA, ignore_errors=True)
    p, addr = start()
    toml = {"Content-Type": "application/toml"}

    body = scenario(2, 9, 4)
    (st, data), dt = timed(lambda: request(addr, "POST", "/api/v1/analyze?top=0", body, toml))
    doc = json.loads(data) if st == 200 else {}
    f = doc.get("agreement_frontier", {})
    row(f"`analyze?top=0`, 4^9 packages all tied ({len(body) // 1024} KB)",
        f"{st}: {f.get('listed')} of {f.get('size')} listed, {len(data) / 2**20:.1f} MB", dt, p)

    value = lambda a, i, o: ((a * 31 + i * 7 + o * 13) % 97) / 97
    body = scenario(3, 3, 60, value, combinations=100)
    (st, data), dt = timed(lambda: request(addr, "POST", "/api/v1/analyze", body, toml))
    row("216,000 packages, 100 combinations", f"{st} ({json.loads(data)['title']})", dt, p)

    got, dt = timed(lambda: raw(addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\n"))
    row("half-sent headers", f"closed ({len(got)} bytes)", dt, p)
    got, dt = timed(lambda: raw(addr, b"POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/toml\r\nContent-Length: 1000000000000000\r\n\r\n0123456789"))
    row("`Content-Length: 10^15`, 10 bytes sent", got.split(b"\r\n")[0].decode(), dt, p)
    got, dt = timed(lambda: raw(addr, b"POST /api/v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/toml\r\nContent-Length: 100\r\n\r\ntitle"))
    row("a body that stops after 5 of 100 bytes", got.split(b"\r\n")[0].decode(), dt, p)

    held = []
    for _ in range(1100):
        s = socket.create_connection(addr)
        s.sendall(b"GET /he")
        held.append(s)
    (st, _), dt = timed(lambda: request(addr, "GET", "/healthz"))
    row("`/healthz` beside 1,100 half-open requests", str(st), dt, p)
    for s in held:
        s.close()

    results = []
    def heavy(seed):
        results.append(request(addr, "POST", f"/api/v1/forecast?scenario=security-guarantees&runs=100000&seed={seed}")[0])
    threads = [threading.Thread(target=heavy, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    (st, _), dt = timed(lambda: request(addr, "POST", "/api/v1/validate?scenario=security-guarantees"))
    row("a validation while one client sends 20 forecasts of 10^5 runs", f"{st}", dt, p)
    for t in threads:
        t.join()
    counts = {s: results.count(s) for s in sorted(set(results))}
    row("those 20 forecasts", ", ".join(f"{n} × {s}" for s, n in counts.items()), 0, p)

    parts, boundary = [], "hostile"
    tournament = b'name = "t"\ndomains = ["builtin:security-guarantees"]\nstrategies = ["linear"]\ndeadline = 10\n'
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="tournament"; filename="t.toml"\r\n\r\n'.encode() + tournament + b"\r\n")
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="unused/filler.bin"\r\n\r\n'.encode() + b"\0" * (3 << 20) + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    before = sum(f.stat().st_size for f in DATA.rglob("*") if f.is_file())
    statuses = []
    _, dt = timed(lambda: [statuses.append(request(addr, "POST", "/api/v1/tournaments", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})[0]) for _ in range(20)])
    after = sum(f.stat().st_size for f in DATA.rglob("*") if f.is_file())
    row("20 tournaments with 3 MiB of unused uploads", f"{statuses.count(400)} × 400, data folder +{(after - before) / 2**20:.1f} MiB", dt, p)

    second = subprocess.run([str(ZOPA), "serve", "--addr", "127.0.0.1:0", "--data", str(DATA)], capture_output=True, text=True, timeout=30)
    row("a second server on the same `--data`", f"exit {second.returncode}: refuses to start", 0, p)

    box = {}
    t = threading.Thread(target=lambda: box.update(st=request(addr, "POST", "/api/v1/forecast?scenario=security-guarantees&runs=100000&seed=1")[0]))
    t.start()
    time.sleep(0.5)
    peak = peak_mb(p)
    start_t = time.monotonic()
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    dt = time.monotonic() - start_t
    t.join()
    ROWS.append(f"| SIGTERM during a forecast of 10^5 runs (`--shutdown-timeout` 10 s) | exit {p.returncode}; the request answered {box.get('st')} | {dt:.2f} s | {peak:.0f} MB |")
    print(ROWS[-1], flush=True)


if __name__ == "__main__":
    print("| case | result | time | server peak RSS |")
    print("|---|---|---|---|")
    main()
