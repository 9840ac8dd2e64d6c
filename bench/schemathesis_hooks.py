"""Schemathesis hooks for zopa's API: scenario bodies may be TOML, which
schemathesis cannot serialise by itself; a generated string is sent as its
UTF-8 bytes (anything else as its JSON text, which the server must refuse
with a 4xx)."""

import json

import schemathesis


@schemathesis.serializer("application/toml", "text/toml")
def toml(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")
