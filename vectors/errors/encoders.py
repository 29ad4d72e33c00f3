#!/usr/bin/env python3
"""Writes vectors/errors/encoders.json: wallet mismatches whose payload line is the hash of the
payload as a standard JSON encoder writes it by default, and the mistake the diagnosis must name.

Independent of this repository's TypeScript: the canonical forms come from Python's json module,
and each encoder's escaping is written below from that encoder's documentation and source (Go
encoding/json encodeState.string, PHP php_json_escape_string, Gson JsonWriter's
HTML_SAFE_REPLACEMENT_CHARS, .NET JsonWriterHelper's allow list and JavaScriptEncoder docs,
ActiveSupport::JSON::Encoding's ESCAPED_CHARS, Jackson's and serde_json's key orders).

    python3 vectors/errors/encoders.py [--check]
"""

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "encoders.json"

WALLET = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
SESSION = "nonce-7f3a"
REQUEST = "req-0042"
JOB = "job_social_posts"

# A social-share completion as a client builds it (insertion order, not sorted): a tracked URL
# full of & / = ?, French text with an apostrophe, an emoji above U+FFFF, + and <.
SOCIAL = {
    "reservation_id": "res_7f3a9c2e",
    "proof_text": "Publié sur LinkedIn — l'agent a partagé le lien ✅",
    "social_posts": [
        {
            "platform": "linkedin",
            "post_url": "https://www.linkedin.com/feed/update/urn:li:activity:7150000000000000000/",
            "target_url_used": "https://www.agentpmt.com/agent-workflow-skills/example?utm_source=linkedin&utm_medium=agent_social&utm_campaign=agent_job_abc&utm_content=tracking-code",
            "message_text": "AgentPMT + agents = moins de travail 🚀 <3",
            "posted_at": "2026-05-17T14:30:00Z",
        }
    ],
}
# Only ASCII, no character any encoder escapes: every encoder writes the canonical bytes.
PLAIN = {
    "reservation_id": "res_51b2",
    "proof_text": "Published the workflow.",
    "workflow_id": "wf_01HZX3",
}
# Characters that only Go (and the encoders that escape U+2028/U+2029) write otherwise.
CONTROLS = {
    "proof_text": "Ligne un\u2028ligne deux, café \fsaut de page \bretour arrière",
    "reservation_id": "res_c0",
}


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utf16_key(key):
    return key.encode("utf-16-be")


def utf8_key(key):
    return key.encode("utf-8")


def units(char):
    """The UTF-16 code units of a character (or of a text)."""
    data = char.encode("utf-16-be")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def u(char, upper=False):
    return "".join(("\\u%04X" if upper else "\\u%04x") % unit for unit in units(char))


SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def canonical_char(char):
    """JavaScript's JSON.stringify (and serde_json, Jackson for these characters)."""
    if char in SHORT:
        return SHORT[char]
    if ord(char) < 0x20:
        return u(char)
    return char


def go_char(char, escape_html=True, before_1_22=False):
    # encodeState.string: HTML-safe set, U+2028/U+2029 always; \b and \f short since Go 1.22.
    if escape_html and char in "<>&":
        return u(char)
    if char in "\u2028\u2029":
        return u(char)
    if before_1_22 and char in "\b\f":
        return u(char)
    return canonical_char(char)


def php_char(char, unescaped_unicode=False):
    # json_encode without flags: "/" as "\/", every character above U+007F as \uXXXX (lower case).
    if char == "/":
        return "\\/"
    if ord(char) > 0x7F and not unescaped_unicode:
        return u(char)
    if unescaped_unicode and char in "\u2028\u2029":
        return u(char)
    return canonical_char(char)


def gson_char(char):
    # JsonWriter with htmlSafe (the default): < > & = ' escaped, U+2028/U+2029 always.
    if char in "<>&='\u2028\u2029":
        return u(char)
    return canonical_char(char)


def system_text_json_char(char):
    # The default encoder lets U+0020..U+007E through except " & ' + < > \ `; upper-case hex.
    if char == "\\":
        return "\\\\"
    if char in "\b\t\n\f\r":
        return SHORT[char]
    if 0x20 <= ord(char) <= 0x7E and char not in "\"&'+<>`":
        return char
    return u(char, upper=True)


def relaxed_char(char):
    # UnsafeRelaxedJsonEscaping: " as \", but characters above U+FFFF still escaped, upper case,
    # and the global block list (controls, U+2028/U+2029 among them).
    if ord(char) > 0xFFFF or ord(char) < 0x20 and char not in SHORT or ord(char) == 0x7F:
        return u(char, upper=True)
    if char in "\u2028\u2029":
        return u(char, upper=True)
    return canonical_char(char)


def rails_char(char):
    # ActiveSupport: JSON.generate, then < > & U+2028 U+2029 as \u003c \u003e \u0026 \u2028 \u2029.
    if char in "<>&\u2028\u2029":
        return u(char)
    return canonical_char(char)


def swift_char(char):
    # JSONEncoder: "/" as "\/" unless .withoutEscapingSlashes; the rest as JSON requires.
    if char == "/":
        return "\\/"
    return canonical_char(char)


def ascii_char(char):
    """Python's ensure_ascii=True on top of what an encoder wrote as itself."""
    return char if 0x20 <= ord(char) <= 0x7E else u(char)


def writer(char_of, key_order=utf16_key, top_order=None, empty_object="{}", order=None):
    def quote(text):
        return '"' + "".join(char_of(char) for char in text) + '"'

    def write(value, depth=0):
        if isinstance(value, dict):
            if not value:
                return empty_object
            keys = list(value)
            if order is not None:
                keys = order(keys)
            elif depth == 0 and top_order is not None:
                keys = top_order(keys)
            elif key_order is not None:
                keys = sorted(keys, key=key_order)
            return "{" + ",".join(quote(k) + ":" + write(value[k], depth + 1) for k in keys) + "}"
        if isinstance(value, list):
            return "[" + ",".join(write(item, depth + 1) for item in value) + "]"
        if isinstance(value, str):
            return quote(value)
        return json.dumps(value)

    return write


def then_ascii(text):
    """An encoder's output with every character above U+007E escaped afterwards."""
    return "".join(ascii_char(char) for char in text)


def canonical_forms(payload):
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    ascii_form = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert writer(canonical_char)(payload) == raw
    return raw, ascii_form


def message(payload_hash, action="job_complete", product=JOB):
    return "\n".join(
        [
            "agentpmt-external",
            f"wallet:{WALLET}",
            f"session:{SESSION}",
            f"request:{REQUEST}",
            f"action:{action}",
            f"product:{product}",
            f"payload:{payload_hash}",
        ]
    )


def case(name, payload, text, findings, action="job_complete", kinds=None):
    raw, ascii_form = canonical_forms(payload)
    expected_hash = sha256(raw)
    honest = text in (raw, ascii_form)
    return {
        "name": name,
        "status": 401,
        "body": {
            "error_code": "EXTERNAL_SIGNATURE_WALLET_MISMATCH",
            "detail": "The signature recovered to a different wallet than wallet_address.",
            "details": {
                "checklist": [
                    "Compare details.expected_message, details.accepted_path_candidates, and details.expected_payload_hash."
                ],
                "expected_message": message(expected_hash, action),
                "expected_wallet": WALLET,
                "expected_payload_hash": expected_hash,
                "accepted_payload_hashes": [expected_hash, sha256(ascii_form)],
            },
        },
        "signed": {"message": message(sha256(text), action), "payload": payload},
        "text": text,
        "expected": {
            "className": "WalletMismatchError",
            "errorCode": "EXTERNAL_SIGNATURE_WALLET_MISMATCH",
            "recovery": "fix-signature",
            "diagnosis": {
                "kinds": kinds or (["signed-by-another-key"] if honest else ["payload-hash-differs"]),
                "lines": [] if honest else [7],
                "findings": findings,
            },
        },
    }


def java_string_hash(text):
    """Java's String.hashCode: s[0]*31^(n-1) + ... over UTF-16 code units, in 32-bit ints."""
    value = 0
    for unit in units(text):
        value = (31 * value + unit) & 0xFFFFFFFF
    return value


def java_hash_map_order(keys):
    """java.util.HashMap's iteration order: by bucket (hash ^ hash >>> 16, masked by the table
    size, 16 doubled while more than 3/4 full), then in the order the keys were put."""
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(key):
        value = java_string_hash(key)
        return (value ^ (value >> 16)) & (capacity - 1)

    return [key for _, _, key in sorted((bucket(k), i, k) for i, k in enumerate(keys))]


# What java.util.HashMap iterates for these keys, from the JVM itself (HashMapOrder.java, Java 17).
JVM_ORDERS = {
    ("reservation_id", "proof_text", "social_posts"): ["reservation_id", "proof_text", "social_posts"],
    ("platform", "post_url", "target_url_used", "message_text", "posted_at"): [
        "target_url_used",
        "message_text",
        "post_url",
        "posted_at",
        "platform",
    ],
}
for put, iterated in JVM_ORDERS.items():
    assert java_hash_map_order(list(put)) == iterated, put


def hash_map_order(keys):
    """An order a Rust HashMap may iterate: neither sorted nor the insertion order."""
    order = sorted(keys, key=utf8_key)
    shuffled = order[1:] + order[:1]
    assert shuffled not in (order, list(keys))
    return shuffled


def cases():
    go = writer(go_char, key_order=utf8_key)
    go_before_1_22 = writer(lambda c: go_char(c, escape_html=False, before_1_22=True), utf8_key)
    go_no_html = writer(lambda c: go_char(c, escape_html=False), utf8_key)
    php = writer(php_char, key_order=utf8_key)
    php_unicode = writer(lambda c: php_char(c, unescaped_unicode=True), key_order=utf8_key)
    php_empty_array = writer(
        lambda c: php_char(c, unescaped_unicode=True), key_order=utf8_key, empty_object="[]"
    )
    gson = writer(gson_char)
    system_text_json = writer(system_text_json_char)
    relaxed = writer(relaxed_char)
    rails = writer(rails_char, key_order=utf8_key)
    swift = writer(swift_char)
    gson_hash_maps = writer(gson_char, order=java_hash_map_order)
    jackson_hash_maps = writer(canonical_char, order=java_hash_map_order)
    jackson = writer(canonical_char, key_order=None)
    serde_hash_map = writer(canonical_char, key_order=utf8_key, top_order=hash_map_order)
    raw, ascii_form = canonical_forms(SOCIAL)
    # Go's and Rails' defaults write the same bytes for this payload: both are named.
    assert go(SOCIAL) == rails(SOCIAL) and gson(SOCIAL) != go(SOCIAL)
    assert relaxed(CONTROLS) == go_no_html(CONTROLS)
    assert swift(SOCIAL) == php_unicode(SOCIAL)
    html = ["go-html-escaping", "rails-html-escaping"]
    found = [
        case("encoder Go encoding/json json.Marshal, the default", SOCIAL, go(SOCIAL), html),
        case(
            "encoder Go encoding/json json.Encoder.Encode: the default, and a trailing newline",
            SOCIAL,
            go(SOCIAL) + "\n",
            ["go-html-escaping", "go-encoder-newline"],
        ),
        case(
            "encoder Go encoding/json, its output then turned into the ASCII form",
            SOCIAL,
            then_ascii(go(SOCIAL)),
            html,
        ),
        # System.Text.Json's relaxed encoder writes the same bytes here: both are named.
        case(
            "encoder Go encoding/json with SetEscapeHTML(false): U+2028 still escaped",
            CONTROLS,
            go_no_html(CONTROLS),
            ["line-terminators-escaped", "system-text-json-relaxed-escaping"],
        ),
        case(
            "encoder Go encoding/json before Go 1.22: \\b and \\f as \\u0008 and \\u000c",
            CONTROLS,
            go_before_1_22(CONTROLS),
            ["go-control-escapes", "line-terminators-escaped"],
        ),
        case("encoder PHP json_encode, the default", SOCIAL, php(SOCIAL), ["php-escaped-slashes"]),
        # Swift's JSONEncoder writes the same bytes: both are named.
        case(
            "encoder PHP json_encode with JSON_UNESCAPED_UNICODE only",
            SOCIAL,
            php_unicode(SOCIAL),
            ["php-escaped-slashes", "swift-escaped-slashes"],
        ),
        case(
            "encoder Swift JSONEncoder with .sortedKeys",
            SOCIAL,
            swift(SOCIAL),
            ["php-escaped-slashes", "swift-escaped-slashes"],
        ),
        case(
            "encoder PHP json_encode: an empty array for the empty payload of job_reserve",
            {},
            php_empty_array({}),
            ["php-empty-array"],
            action="job_reserve",
        ),
        case("encoder Java Gson, the default", SOCIAL, gson(SOCIAL), ["gson-html-escaping"]),
        case(
            "encoder C# System.Text.Json, the default",
            SOCIAL,
            system_text_json(SOCIAL),
            ["system-text-json-escaping"],
        ),
        case(
            "encoder C# System.Text.Json with UnsafeRelaxedJsonEscaping: the emoji still escaped",
            SOCIAL,
            relaxed(SOCIAL),
            ["system-text-json-relaxed-escaping"],
        ),
        case("encoder Ruby on Rails to_json, the default", SOCIAL, rails(SOCIAL), html),
        case(
            "encoder Java Jackson ObjectMapper: keys in insertion order",
            SOCIAL,
            jackson(SOCIAL),
            ["unsorted-keys"],
        ),
        case(
            "encoder Java Gson, the default, with java.util.HashMap at every level",
            SOCIAL,
            gson_hash_maps(SOCIAL),
            ["gson-html-escaping", "java-hash-map-key-order"],
        ),
        case(
            "encoder Java Jackson with java.util.HashMap at every level",
            SOCIAL,
            jackson_hash_maps(SOCIAL),
            ["java-hash-map-key-order"],
        ),
        case(
            "encoder Rust serde_json with a HashMap: the top-level keys in its own order",
            SOCIAL,
            serde_hash_map(SOCIAL),
            ["hash-map-key-order"],
        ),
        case(
            "encoder Python json.dumps(sort_keys=True) without separators",
            SOCIAL,
            json.dumps(SOCIAL, sort_keys=True),
            ["whitespace-in-json"],
        ),
        case("not a mistake: the raw form of the social-share completion", SOCIAL, raw, ["wrong-key"]),
        case(
            "not a mistake: the ASCII form of the social-share completion",
            SOCIAL,
            ascii_form,
            ["wrong-key"],
        ),
    ]
    # Where no character is affected, every encoder writes a canonical form: no finding.
    for name, write in [
        ("Go", go),
        ("PHP", php),
        ("Gson", gson),
        ("System.Text.Json", system_text_json),
        ("Rails", rails),
    ]:
        found.append(
            case(f"not a mistake: {name} writes the canonical bytes of a plain payload", PLAIN, write(PLAIN), ["wrong-key"])
        )
    for entry in found:
        text = entry.pop("text")
        if entry["expected"]["diagnosis"]["findings"] != ["wrong-key"]:
            assert text not in canonical_forms(entry["signed"]["payload"]), entry["name"]
        entry["signed"]["hashedText"] = text
    return found


def main():
    document = {
        "$schema": "../schema/errors.schema.json",
        "description": "Wallet mismatches whose payload line is the hash of the payload as a standard JSON encoder writes it by default (signed.hashedText, written by encoders.py), and the mistakes the diagnosis must name.",
        "cases": cases(),
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit("vectors/errors/encoders.json is stale: run python3 vectors/errors/encoders.py")
        print("vectors/errors/encoders.json is up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(HERE.parent.parent)} ({len(document['cases'])} cases)")


if __name__ == "__main__":
    main()
