"""The HTTP API's OpenAPI document against what the server really answers.

A real ``zopa serve`` (the binary of ``ZOPA_BIN``) on an ephemeral port;
every 2xx response of the document's routes is validated against the
schema the document gives it (JSON Schema 2020-12, as OpenAPI 3.1 uses),
with requests chosen to fill the optional parts (a robustness study, a
returned trace, a failed negotiation, an uploaded GENIUS folder). Every
2xx schema must be typed: a bare ``object`` documents nothing."""

import json
import pathlib
import re
import subprocess
import urllib.request

import jsonschema
import pytest

from conftest import EXAMPLES, zopa_binary

BUILTIN = "scenario=security-guarantees"
ARTICLE = EXAMPLES.parent / "scenarios" / "sources" / "security-guarantees-article.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    proc = subprocess.Popen(
        [zopa_binary(), "serve", "--addr", "127.0.0.1:0", "--data", str(data / "data")],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        found = re.search(r"serving (http://\S+)", line)
        assert found, f"the server did not start: {line}"
        yield found.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def call(base, method, path, body=b"", content_type=None):
    req = urllib.request.Request(base + path, data=body if method == "POST" else None, method=method)
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=120) as r:
        return r.status, json.loads(r.read())


def multipart(files, name):
    boundary = "zopa-test-boundary"
    out = b""
    for path in files:
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            "Content-Type: application/xml\r\n\r\n"
        ).encode() + path.read_bytes() + b"\r\n"
    out += f'--{boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n{name}\r\n--{boundary}--\r\n'.encode()
    return out, f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="module")
def spec(server):
    _, doc = call(server, "GET", "/api/v1/openapi.json")
    return doc


def response_schema(spec, method, path):
    op = spec["paths"][path][method.lower()]
    ok = [r for code, r in op["responses"].items() if code.startswith("2")]
    assert len(ok) == 1, f"{method} {path}: one 2xx response"
    return ok[0]["content"]["application/json"]["schema"]


def validator(spec, schema):
    """A validator of ``schema`` resolving ``#/components/...`` in ``spec``
    (the schema is checked inside a document holding the components)."""
    root = {"allOf": [schema], "components": spec["components"]}
    return jsonschema.Draft202012Validator(root)


def resolve(spec, schema):
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def requests():
    folder = EXAMPLES / "genius" / "supplier-contract"
    body, ct = multipart(sorted(folder.glob("*.xml")), "supplier-contract")
    return [
        ("GET", "/api/v1/scenarios", "", b"", None),
        ("POST", "/api/v1/validate", BUILTIN, b"", None),
        ("POST", "/api/v1/analyze", BUILTIN, b"", None),
        ("POST", "/api/v1/analyze", BUILTIN + "&top=0&robustness=50&seed=2", b"", None),
        ("POST", "/api/v1/forecast", BUILTIN + "&runs=20", b"", None),
        ("POST", "/api/v1/forecast", BUILTIN + "&runs=0&model=smp", b"", None),
        ("POST", "/api/v1/simulate", BUILTIN + "&trace=true", b"", None),
        (
            "POST",
            "/api/v1/simulate",
            BUILTIN + "&strategies=russia=hardliner,ukraine=hardliner&deadline=20&protocol=veto",
            b"",
            None,
        ),
        ("POST", "/api/v1/convert", BUILTIN + "&to=genius", b"", None),
        ("POST", "/api/v1/space", BUILTIN + "&points=50", b"", None),
        ("POST", "/api/v1/score", BUILTIN + "&deal=monitors,arms_aid,backstop,guarantor,europe_led", b"", None),
        (
            "POST",
            "/api/v1/score",
            BUILTIN + "&deal=european_force,political,none,consulted,europe_led",
            b"",
            None,
        ),
        ("POST", "/api/v1/reference", "", body, ct),
        ("POST", "/api/v1/evidence", BUILTIN, ARTICLE.read_bytes(), "text/plain"),
        ("POST", "/api/v1/evidence", "draft=true", ARTICLE.read_bytes(), "text/plain"),
    ]


def test_every_answer_matches_its_documented_schema(server, spec):
    seen = set()
    for method, path, query, body, ct in requests():
        status, doc = call(server, method, path + ("?" + query if query else ""), body, ct)
        assert 200 <= status < 300, (path, status)
        schema = response_schema(spec, method, path)
        errors = sorted(validator(spec, schema).iter_errors(doc), key=lambda e: list(e.path))
        assert not errors, f"{method} {path}?{query}: " + "; ".join(
            f"{'/'.join(map(str, e.path))}: {e.message[:200]}" for e in errors[:5]
        )
        seen.add(path)
    # The requests filled the optional parts the schemas describe.
    assert len(seen) == 10


def test_every_2xx_json_schema_is_typed(spec):
    """No route answers a document its schema leaves as a bare object."""
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for code, r in op["responses"].items():
                content = r.get("content", {}).get("application/json")
                if not code.startswith("2") or content is None or path.endswith("openapi.json"):
                    continue
                schema = resolve(spec, content["schema"])
                if schema.get("type") == "array":
                    schema = resolve(spec, schema["items"])
                # One of several documents (POST /api/v1/evidence): each typed.
                for member in schema.get("oneOf", [schema]):
                    member = resolve(spec, member)
                    assert member.get("properties"), f"{method.upper()} {path}: {code} is untyped: {member}"


def test_a_schema_mismatch_is_caught(spec):
    """The check above can fail: a document missing a required field, or
    with a string for a number, does not validate."""
    schema = response_schema(spec, "POST", "/api/v1/analyze")
    v = validator(spec, schema)
    doc = json.loads((pathlib.Path(__file__).resolve().parents[2] / "crates/cli/tests/golden/security-guarantees.json").read_text())
    assert v.is_valid(doc)
    broken = dict(doc, space=dict(doc["space"], size="432"))
    assert not v.is_valid(broken)
    del broken["space"]
    assert not v.is_valid(broken)
