#!/usr/bin/env python3
"""Checks the vectors of this folder from their inputs, with Python's standard library only.

Run from the repository root: `python3 vectors/check.py` (or `pnpm vectors:check`). Exits 1 on any
failure and prints a one-line summary. It is also an example for implementers in other languages:

- `canonical()` writes the canonical forms exactly as JavaScript (JCS) does, including the cases
  where Python's own `json.dumps` differs (keys sorted by UTF-16 code units, ECMAScript numbers);
- every case without a `divergence` is also checked against plain `json.dumps(...,
  sort_keys=True, separators=(",", ":"))`, and every divergence against `python_ascii`;
- `build_message()` joins the seven lines of the signed message;
- `parse_error_line()` and `field_error()` find what is wrong in the negative cases;
- `accept_problem()` confirms that each must-accept case is valid: Python's json module writes the
  canonical values, the protocol's rules pass the message fields and texts.
"""

import hashlib
import json
import math
import re
import sys
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
failures = []
counts = {}


def fail(where, what):
    failures.append(f"{where}: {what}")


def count(name):
    counts[name] = counts.get(name, 0) + 1


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Canonical JSON as JavaScript writes it -------------------------------------------------------


def js_number(number):
    """ECMAScript Number::toString: what JSON.stringify writes for a number."""
    value = float(number)  # integers beyond 2^53 round to a double, as JavaScript reads them
    if math.isnan(value) or math.isinf(value):
        raise ValueError("non-finite number")
    if value == 0:
        return "0"  # -0 too
    if value < 0:
        return "-" + js_number(-value)
    # repr gives the shortest digits that read back to the same double, as ECMAScript requires.
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = int(exponent or 0) + len(whole)  # value = 0.<digits> * 10^point
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    k, n = len(digits), point
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    head = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{head}e{'+' if e >= 0 else '-'}{abs(e)}"


def utf16_key(key):
    """JavaScript sorts strings by UTF-16 code units; Python's sorted() by code points."""
    return key.encode("utf-16-be", "surrogatepass")


def canonical(value, ascii=False):
    """The raw (ascii=False) or ascii canonical form of a JSON value read by json.loads."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        # json.dumps escapes strings as JSON.stringify does: the short escapes, other controls as
        # \u00XX; with ensure_ascii=True also every character from U+007F on, astral as a pair.
        return json.dumps(value, ensure_ascii=ascii)
    if isinstance(value, list):
        return "[" + ",".join(canonical(member, ascii) for member in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=utf16_key)
        return "{" + ",".join(
            json.dumps(key, ensure_ascii=ascii) + ":" + canonical(value[key], ascii) for key in keys
        ) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


def python_dumps(value, ascii):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii)


def escape_non_ascii(raw):
    """raw -> ascii: every UTF-16 code unit outside U+0020..U+007E as \\uXXXX."""
    out = []
    for char in raw:
        code = ord(char)
        if 0x20 <= code <= 0x7E:
            out.append(char)
        elif code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


def check_canonical(cases):
    for case in cases:
        where = f"canonical-json {case['id']}"
        value = json.loads(case["input"])
        raw, ascii = canonical(value), canonical(value, ascii=True)
        if raw != case["raw"]:
            fail(where, f"raw {raw[:60]!r} != {case['raw'][:60]!r}")
        if ascii != case["ascii"]:
            fail(where, f"ascii {ascii[:60]!r} != {case['ascii'][:60]!r}")
        if escape_non_ascii(case["raw"]) != case["ascii"]:
            fail(where, "ascii is not raw with non-ASCII escaped")
        if sha256_hex(case["raw"]) != case["raw_sha256"]:
            fail(where, "raw_sha256")
        if sha256_hex(case["ascii"]) != case["ascii_sha256"]:
            fail(where, "ascii_sha256")
        stdlib = python_dumps(value, ascii=True)
        divergence = case.get("divergence")
        if divergence is None:
            if stdlib != case["ascii"]:
                fail(where, f"json.dumps writes {stdlib[:60]!r}: an unmarked divergence")
            if python_dumps(value, ascii=False) != case["raw"]:
                fail(where, "json.dumps(ensure_ascii=False) differs from raw")
        else:
            count("canonical divergences confirmed")
            if stdlib != divergence["python_ascii"] or stdlib == case["ascii"]:
                fail(where, f"divergence: json.dumps writes {stdlib[:60]!r}")
            if stdlib[:200] not in divergence["note"]:
                fail(where, "the divergence note does not quote json.dumps")
        count("canonical cases")


# --- Messages --------------------------------------------------------------------------------------

PREFIX = "agentpmt-external"
WALLET = re.compile(r"0x[0-9a-fA-F]{40}")
HASH = re.compile(r"[0-9a-fA-F]{64}")
LOWER_HASH = re.compile(r"[0-9a-f]{64}")


def payload_line(fields):
    if "payload_hash" in fields:
        return fields["payload_hash"].lower()
    if fields["payload"] is None:
        return ""
    return sha256_hex(canonical(fields["payload"]))


def build_message(fields):
    scope = fields["scope"]
    if "action" in scope:
        scope_lines = [f"action:{scope['action']}", f"product:{scope.get('product', '-')}"]
    else:
        scope_lines = [f"method:{scope['method'].upper()}", f"path:{scope['path']}"]
    return "\n".join(
        [
            PREFIX,
            f"wallet:{fields['wallet'].lower()}",
            f"session:{fields['session']}",
            f"request:{fields['request']}",
            *scope_lines,
            f"payload:{payload_line(fields)}",
        ]
    )


def check_messages(cases):
    for case in cases:
        where = f"message {case['id']}"
        fields = case["input"]
        payload = fields.get("payload")
        if payload is not None:
            if canonical(payload) != case["payload_canonical"]:
                fail(where, "payload_canonical")
            if python_dumps(payload, ascii=False) != case["payload_canonical"]:
                fail(where, "json.dumps differs: message payloads stay within strings and integers")
            if sha256_hex(case["payload_canonical"]) != case["payload_sha256"]:
                fail(where, "payload_sha256")
            if sha256_hex(python_dumps(payload, ascii=True)) != case["payload_ascii_sha256"]:
                fail(where, "payload_ascii_sha256")
        elif case["payload_canonical"] is not None:
            fail(where, "payload_canonical must be null")
        expected_hash = payload_line(fields) or None
        if case["payload_sha256"] != expected_hash:
            fail(where, "payload_sha256 is not the payload line")
        if build_message(fields) != case["message"]:
            fail(where, "message text")
        if parse_error_line(case["message"]) is not None:
            fail(where, "the message does not parse")
        count("message cases")


# --- Whole requests --------------------------------------------------------------------------------
# Everything but the signature, which needs secp256k1 (not in Python's standard library): the
# generator checks every signature with two implementations (see README.md).

JOB_ACTIONS = {"job_reserve": "reserve", "job_status": "status", "job_complete": "complete"}


def request_path(endpoint):
    name = endpoint["name"]

    def segment(key):
        return quote(endpoint[key], safe="")

    fixed = {
        "session": "/api/external/auth/session",
        "job_list": "/api/external/jobs/list",
        "balance": "/api/external/credits/balance",
    }
    if name in fixed:
        return fixed[name]
    if name in JOB_ACTIONS:
        return f"/api/external/jobs/{segment('job_id')}/{JOB_ACTIONS[name]}"
    if name == "workflow_create":
        return f"/api/external/jobs/{segment('job_id')}/workflow/create"
    if name == "workflow_publish":
        return f"/api/external/jobs/{segment('job_id')}/workflow/{segment('workflow_id')}/publish"
    if name == "tool_invoke":
        return (
            f"/api/external/tools/{segment('product_slug')}/actions/{segment('action_slug')}/invoke"
        )
    raise KeyError(name)


def request_scope(endpoint, path):
    name = endpoint["name"]
    if name == "tool_invoke":
        return {"method": "POST", "path": path.removeprefix("/api")}
    if name in JOB_ACTIONS:
        return {"action": name, "product": endpoint["job_id"]}
    return {"action": name}


def check_requests(cases):
    for case in cases:
        where = f"request {case['id']}"
        given, expected = case["input"], case["expected"]
        endpoint = given["endpoint"]
        path = request_path(endpoint)
        if expected["path"] != path:
            fail(where, f"path: expected {path}")
        payload = expected["payload"]
        if given["session"] is None:
            body = {"wallet_address": case["wallet"]} if endpoint["name"] == "session" else given["fields"]
            if payload is not None or expected["message"] is not None:
                fail(where, "an unsigned request has no payload and no message")
        else:
            ascii_form = given["hash_form"] == "ascii"
            if payload is not None:
                text = canonical(payload, ascii=ascii_form)
                if expected["payload_canonical"] != text:
                    fail(where, "payload_canonical")
                if expected["payload_sha256"] != sha256_hex(text):
                    fail(where, "payload_sha256")
            fields = {
                "wallet": case["wallet"],
                "session": given["session"],
                "request": given["request_id"],
                "scope": request_scope(endpoint, path),
                "payload": None,
            }
            if payload is not None:
                fields["payload_hash"] = expected["payload_sha256"]
            if build_message(fields) != expected["message"]:
                fail(where, "message text")
            envelope = {
                "wallet_address": case["wallet"],
                "session_nonce": given["session"],
                "request_id": given["request_id"],
                "signature": expected["signature"],
            }
            body = {**given["fields"], **envelope}
        if expected["body"] != body:
            fail(where, "body")
        if expected["body_canonical"] != canonical(expected["body"]):
            fail(where, "body_canonical")
        token = given.get("workflow_token")
        headers = {"content-type": "application/json"}
        if token is not None:
            headers["x-job-workflow-token"] = f"Bearer {token}"
        if expected["headers"] != headers:
            fail(where, "headers")
        count("request cases (signatures not checked here)")


# --- Negative cases --------------------------------------------------------------------------------


def field_ok(value):
    return isinstance(value, str) and value != "" and "\r" not in value and "\n" not in value


def field_error(fields):
    """The input field buildMessage refuses, or None."""
    wallet = fields.get("wallet")
    if not isinstance(wallet, str) or not WALLET.fullmatch(wallet):
        return "wallet"
    for name in ("session", "request"):
        if not field_ok(fields.get(name)):
            return name
    scope = fields["scope"]
    if "action" in scope:
        for name in ("action", "product"):
            if not field_ok(scope.get(name, "-")):
                return name
    else:
        if not field_ok(scope.get("method")) or not re.fullmatch(r"[A-Za-z]+", scope["method"]):
            return "method"
        if not field_ok(scope.get("path")) or not scope["path"].startswith("/"):
            return "path"
    if "payload_hash" in fields:
        if "payload" in fields:
            return "payload"
        if not isinstance(fields["payload_hash"], str) or not HASH.fullmatch(fields["payload_hash"]):
            return "payload_hash"
    elif fields.get("payload") is not None and not isinstance(fields["payload"], dict):
        return "payload"
    return None


def parse_error_line(text):
    """The 1-based line of the first departure from the message grammar, or None when valid."""
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        if "\r" in line:
            return number
    if lines[0] != PREFIX:
        return 1

    def value(index, label):
        line = lines[index]
        return line[len(label) + 1 :] if line.startswith(label + ":") else None

    for index in range(1, 7):
        if index >= len(lines):
            return index + 1  # the text ends before this line
        if index == 1:
            wallet = value(1, "wallet")
            if wallet is None or not WALLET.fullmatch(wallet) or wallet != wallet.lower():
                return 2
        elif index in (2, 3):
            if not value(index, ("session", "request")[index - 2]):
                return index + 1
        elif index == 4:
            action, method = value(4, "action"), value(4, "method")
            if not action and not (method and re.fullmatch(r"[A-Z]+", method)):
                return 5
        elif index == 5:
            if lines[4].startswith("action:"):
                if not value(5, "product"):
                    return 6
            else:
                path = value(5, "path")
                if not path or not path.startswith("/"):
                    return 6
        else:
            payload = value(6, "payload")
            if payload is None or (payload != "" and not LOWER_HASH.fullmatch(payload)):
                return 7
    if len(lines) > 7:
        return 8
    return None


class JavaScriptOnly(Exception):
    """A $special value Python has no counterpart for (undefined, bigint, function, ...)."""


def decode(encoded, ancestors=(), shared=None):
    """Decodes the {"$special": ...} encoding of README.md into a Python value."""
    shared = {} if shared is None else shared
    if isinstance(encoded, list):
        array = []
        for member in encoded:
            array.append(decode(member, (*ancestors, array), shared))
        return array
    if not isinstance(encoded, dict):
        return encoded
    if "$special" not in encoded:
        obj = {}
        for key, member in encoded.items():
            obj[key] = decode(member, (*ancestors, obj), shared)
        return obj
    tag = encoded["$special"]
    if tag in ("NaN", "Infinity", "-Infinity"):
        return float(tag.lower().replace("infinity", "inf"))
    if tag == "negative_zero":
        return -0.0
    if tag == "utf16":
        units = b"".join(int(unit, 16).to_bytes(2, "big") for unit in encoded["units"])
        return units.decode("utf-16-be", "surrogatepass")  # a pair is one character, lone ones stay
    if tag == "entries":
        obj = {}
        for key, member in encoded["entries"]:
            obj[decode(key, (), shared)] = decode(member, (*ancestors, obj), shared)
        return obj
    if tag == "ancestor":
        return ancestors[-encoded["levels"]]
    if tag == "shared":  # the first occurrence holds the value, later ones are the same object
        if "value" in encoded:
            shared[encoded["name"]] = decode(encoded["value"], ancestors, shared)
        return shared[encoded["name"]]
    if tag == "nest":
        value = decode(encoded["leaf"], (), shared)
        for _ in range(encoded["depth"]):
            value = [value]
        return value
    raise JavaScriptOnly(tag)


def value_error(root, max_depth):
    """The error kind canonical JSON gives `root`, found without recursion, or None."""
    stack = [(root, 0, False)]
    open_containers = set()
    while stack:
        value, depth, leaving = stack.pop()
        if leaving:
            open_containers.discard(id(value))
            continue
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return "non_finite_number"
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return "lone_surrogate"
        if isinstance(value, (list, dict)):
            if id(value) in open_containers:
                return "cycle"
            if depth + 1 > max_depth:
                return "max_depth"
            open_containers.add(id(value))
            stack.append((value, depth, True))
            members = value if isinstance(value, list) else [*value.keys(), *value.values()]
            stack.extend((member, depth + 1, False) for member in reversed(members))
    return None


def check_negatives(cases):
    for case in cases:
        where = f"negative {case['id']}"
        kind = case["kind"]
        if kind == "parse":
            line = parse_error_line(case["input"])
            if line != case["line"]:
                fail(where, f"line {line}, expected {case['line']}")
        elif kind == "message":
            field = field_error(case["input"])
            if field != case["field"]:
                fail(where, f"field {field}, expected {case['field']}")
        else:
            try:
                value = decode(case["input"])
            except JavaScriptOnly:
                count("negative cases")
                count("of them JavaScript-only, skipped")
                continue
            max_depth = case.get("options", {}).get("max_depth", 1_000_000)
            error = value_error(value, max_depth)
            if error != case["error"]:
                fail(where, f"error {error}, expected {case['error']}")
        count("negative cases")


def accept_problem(case):
    """Why a must-accept case is not valid after all, or None (it must then be accepted)."""
    kind, given = case["kind"], case["input"]
    if kind == "parse":
        line = parse_error_line(given)
        return None if line is None else f"line {line} is refused"
    if kind == "message":
        field = field_error(given)
        if field is not None:
            return f"field {field} is refused"
        line = parse_error_line(build_message(given))
        return None if line is None else f"the message it builds is refused at line {line}"
    value = decode(given)  # JavaScriptOnly propagates: the caller counts it as skipped
    max_depth = case.get("options", {}).get("max_depth", 1_000_000)
    error = value_error(value, max_depth)
    if error is not None:
        return f"error {error}"
    try:  # Python's own json module, the independent writer: it must write the value as UTF-8
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
        canonical(value).encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError, RecursionError) as error:
        return f"json.dumps refuses it: {error}"
    return None


def check_accepts(cases, negative_ids):
    for case in cases:
        where = f"accept {case['id']}"
        if case["id"] in negative_ids:
            fail(where, "the id is also a negative case's: both are fed as refuse/<id>")
        try:
            problem = accept_problem(case)
        except JavaScriptOnly:
            count("must-accept cases")
            count("of those JavaScript-only, skipped")
            continue
        if problem is not None:
            fail(where, f"not valid: {problem}")
        count("must-accept cases")


# --- File shape: a small JSON Schema (2020-12) subset -----------------------------------------------

TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def schema_errors(value, schema, root, where="$"):
    if "$ref" in schema:
        target = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return schema_errors(value, target, root, where)
    errors = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(
            isinstance(value, TYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool))
            for t in types
        ):
            return [f"{where}: not of type {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: too short")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{where}: below {schema['minimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for index, member in enumerate(value):
                errors += schema_errors(member, schema["items"], root, f"{where}[{index}]")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: missing {key}")
        properties = schema.get("properties", {})
        for key, member in value.items():
            if key in properties:
                errors += schema_errors(member, properties[key], root, f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected {key}")
    if "oneOf" in schema:
        matching = sum(not schema_errors(value, option, root, where) for option in schema["oneOf"])
        if matching != 1:
            errors.append(f"{where}: matches {matching} of oneOf")
    if "anyOf" in schema and all(schema_errors(value, o, root, where) for o in schema["anyOf"]):
        errors.append(f"{where}: matches none of anyOf")
    return errors


def load(topic, schema_name, file="cases.json"):
    document = json.loads((HERE / topic / file).read_text(encoding="utf-8"))
    schema = json.loads((HERE / "schema" / f"{schema_name}.schema.json").read_text(encoding="utf-8"))
    for error in schema_errors(document, schema, schema)[:20]:
        fail(f"{topic}/{file}", error)
    if document["count"] != len(document["cases"]):
        fail(f"{topic}/{file}", "count is not the number of cases")
    ids = [case["id"] for case in document["cases"]]
    if len(set(ids)) != len(ids):
        fail(f"{topic}/{file}", "duplicate ids")
    return document["cases"]


def main():
    check_canonical(load("canonical-json", "canonical-json"))
    check_messages(load("message", "message"))
    negatives = load("negative", "negative")
    check_negatives(negatives)
    check_accepts(load("negative", "accept", "accept.json"), {case["id"] for case in negatives})
    check_requests(load("requests", "requests"))
    for line in failures[:50]:
        print("FAIL", line, file=sys.stderr)
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    status = "ok" if not failures else f"{len(failures)} FAILED"
    print(f"vectors: {status}: {summary}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
