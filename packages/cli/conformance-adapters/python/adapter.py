#!/usr/bin/env python3
"""AgentPMT conformance adapter in Python: `agentpmt conformance run -- python3 adapter.py`.

Canonical JSON, hashes and messages with the standard library; signing with python3-ecdsa
(secp256k1, RFC 6979) and keccak-256 from pycryptodome(x). Without them, sign, recover and request
are declared unsupported, with the reason."""
import hashlib, json, math, re, sys

try:
    from ecdsa import SECP256k1, SigningKey
    from ecdsa.ecdsa import Signature
    from ecdsa.util import sigencode_strings_canonize
    try:
        from Cryptodome.Hash import keccak
    except ImportError:
        from Crypto.Hash import keccak
    SIGNING = None
except ImportError as error:
    SIGNING = f"{error} (install python3-ecdsa and python3-pycryptodome)"

N = SECP256k1.order if SIGNING is None else 0
WALLET = re.compile(r"^0x[0-9a-fA-F]{40}$")

def js_number(value):  # ECMAScript Number::toString, as JSON.stringify writes numbers
    value = float(value)
    if math.isnan(value) or math.isinf(value): raise ValueError("non_finite_number")
    if value == 0: return "0"
    if value < 0: return "-" + js_number(-value)
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    n = int(exponent or 0) + len(whole) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21: return digits + "0" * (n - k)
    if 0 < n <= 21: return digits[:n] + "." + digits[n:]
    if -6 < n <= 0: return "0." + "0" * -n + digits
    head = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{head}e{'+' if n - 1 > 0 else '-'}{abs(n - 1)}"

def canonical(value, ascii=False, depth=0, max_depth=None):
    if max_depth is not None and depth > max_depth: raise ValueError("max_depth")
    if value is None or isinstance(value, bool): return json.dumps(value)
    if isinstance(value, (int, float)): return js_number(value)
    if isinstance(value, str):
        value.encode("utf-8")  # a lone surrogate has no UTF-8 bytes: refused
        return json.dumps(value, ensure_ascii=ascii)
    if isinstance(value, list): return "[" + ",".join(canonical(v, ascii, depth + 1, max_depth) for v in value) + "]"
    if isinstance(value, dict):  # keys in UTF-16 code unit order, as JavaScript sorts them
        keys = sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(canonical(k, ascii) + ":" + canonical(value[k], ascii, depth + 1, max_depth) for k in keys) + "}"
    raise TypeError("unsupported_value")

sha256 = lambda text: hashlib.sha256(text.encode("utf-8")).hexdigest()

def message(wallet, session, request, scope, payload=None, payload_hash=None, has_payload=True):
    if not WALLET.match(wallet): raise ValueError("wallet_format")
    if payload is not None and payload_hash is not None: raise ValueError("payload_and_hash")
    if payload is not None and not isinstance(payload, dict): raise ValueError("payload_not_object")
    if "action" in scope: lines = [f"action:{scope['action']}", f"product:{scope.get('product', '-')}"]
    else:
        if not re.match(r"^[A-Za-z]+$", scope["method"]): raise ValueError("method_format")
        if not scope["path"].startswith("/"): raise ValueError("path_format")
        lines = [f"method:{scope['method'].upper()}", f"path:{scope['path']}"]
    if payload_hash is not None and not re.match(r"^[0-9a-fA-F]{64}$", payload_hash): raise ValueError("payload_hash_format")
    digest = payload_hash.lower() if payload_hash else sha256(canonical(payload)) if payload is not None else ""
    fields = [session, request] + [line.split(":", 1)[1] for line in lines]
    if any(field == "" for field in fields): raise ValueError("empty_field")
    if any("\r" in field or "\n" in field for field in fields): raise ValueError("line_break_in_field")
    return "\n".join(["agentpmt-external", f"wallet:{wallet.lower()}", f"session:{session}", f"request:{request}", *lines, f"payload:{digest}"])

def keccak256(data): return keccak.new(digest_bits=256, data=data).digest()
def digest_of(text):
    data = text.encode("utf-8")
    return keccak256(b"\x19Ethereum Signed Message:\n" + str(len(data)).encode() + data)
def address_of(point): return "0x" + keccak256(point.x().to_bytes(32, "big") + point.y().to_bytes(32, "big"))[12:].hex()

def sign(private_key, text):
    key = SigningKey.from_string(bytes.fromhex(private_key[2:]), curve=SECP256k1)
    digest = digest_of(text)
    r, s = key.sign_digest_deterministic(digest, hashfunc=hashlib.sha256, sigencode=sigencode_strings_canonize)
    mine = address_of(key.get_verifying_key().pubkey.point)
    candidates = Signature(int.from_bytes(r, "big"), int.from_bytes(s, "big")).recover_public_keys(int.from_bytes(digest, "big"), SECP256k1.generator)
    v = next(i for i, key in enumerate(candidates) if address_of(key.point) == mine)  # even y first
    return mine, "0x" + (r + s).hex() + format(27 + v, "02x")

def recover(text, signature):
    if not re.match(r"^0x[0-9a-fA-F]{130}$", signature): return None
    r, s, v = int(signature[2:66], 16), int(signature[66:130], 16), int(signature[130:], 16)
    if v not in (0, 1, 27, 28) or not (0 < r < N and 0 < s <= N // 2): return None
    keys = Signature(r, s).recover_public_keys(int.from_bytes(digest_of(text), "big"), SECP256k1.generator)
    return address_of(keys[v % 27].point)

def request(i):
    e, fields, name = i["endpoint"], i["fields"], i["endpoint"]["name"]
    job = f"/api/external/jobs/{e.get('job_id')}"
    if name.startswith("workflow_"):
        path = f"{job}/workflow/create" if name == "workflow_create" else f"{job}/workflow/{e['workflow_id']}/publish"
        return {"path": path, "headers": {"X-Job-Workflow-Token": "Bearer " + i["workflow_token"]}, "message": None, "signature": None, "payload_canonical": None, "payload_sha256": None, "body": fields}
    wallet, _ = sign(i["private_key"], "")
    if name == "session":
        return {"path": "/api/external/auth/session", "message": None, "signature": None, "payload_canonical": None, "payload_sha256": None, "body": {**fields, "wallet_address": wallet}}
    if name == "tool_invoke":
        signed = f"/external/tools/{e['product_slug']}/actions/{e['action_slug']}/invoke"
        path, scope, payload = "/api" + signed, {"method": "POST", "path": signed}, fields["parameters"]
    else:
        path = {"job_list": "/api/external/jobs/list", "balance": "/api/external/credits/balance"}.get(name) or f"{job}/{name[4:]}"
        scope = {"action": name, "product": e.get("job_id", "-")}
        payload = None if name == "balance" else fields
    text = None if payload is None else canonical(payload, ascii=i["hash_form"] == "ascii")
    msg = message(wallet, i["session"], i["request_id"], scope, payload_hash=text and sha256(text))
    _, signature = sign(i["private_key"], msg)
    body = {**fields, "wallet_address": wallet, "session_nonce": i["session"], "request_id": i["request_id"], "signature": signature}
    return {"path": path, "payload_canonical": text, "payload_sha256": text and sha256(text), "message": msg, "signature": signature, "body": body}

def decode(value, ancestors=()):
    if isinstance(value, list):
        out = []; out.extend(decode(v, ancestors + (out,)) for v in value); return out
    if not isinstance(value, dict): return value
    special = value.get("$special")
    if special is None:
        out = {}; out.update((k, decode(v, ancestors + (out,))) for k, v in value.items()); return out
    if special in ("NaN", "Infinity", "-Infinity"): return float(special.lower().replace("infinity", "inf"))
    if special == "utf16": return b"".join(int(u, 16).to_bytes(2, "big") for u in value["units"]).decode("utf-16-be", "surrogatepass")
    if special == "entries":
        out = {}; out.update((decode(k), decode(v, ancestors + (out,))) for k, v in value["entries"]); return out
    if special == "ancestor": return ancestors[-value["levels"]]
    if special == "nest":
        out = decode(value["leaf"])
        for _ in range(value["depth"]): out = [out]
        return out
    raise LookupError(f"no Python value for $special {special}")

def answer(capability, i):
    if capability == "canonicalize":
        value = json.loads(i["json"]); return {"raw": canonical(value), "ascii": canonical(value, True)}
    if capability == "hash":
        value = json.loads(i["json"]); return {"raw_sha256": sha256(canonical(value)), "ascii_sha256": sha256(canonical(value, True))}
    if capability == "message":
        i = dict(i); return {"message": message(i.pop("wallet"), i.pop("session"), i.pop("request"), i.pop("scope"), **i)}
    if capability == "sign":
        address, signature = sign(i["private_key"], i["message"]); return {"address": address, "signature": signature}
    if capability == "recover":
        who = recover(i["message"], i["signature"])
        return {"valid": who is not None and bool(WALLET.match(i["address"])) and who == i["address"].lower(), "recovered": who}
    if capability == "request": return request(i)
    if capability == "refuse":
        if i["kind"] == "parse": return {"skipped": "this adapter has no message parser"}
        try:
            if i["kind"] == "canonical": canonical(decode(i["input"]), max_depth=i.get("options", {}).get("max_depth"))
            else: v = dict(i["input"]); message(v.pop("wallet"), v.pop("session"), v.pop("request"), v.pop("scope"), **v)
        except LookupError as error: return {"skipped": str(error)}
        except (ValueError, TypeError, RecursionError, UnicodeError) as error: return {"refused": True, "error": str(error) or type(error).__name__}
        return {"refused": False}

for line in sys.stdin:
    request_line = json.loads(line)
    if request_line["cmd"] == "start":
        caps = ["canonicalize", "hash", "message", "refuse"] + (["sign", "recover", "request"] if SIGNING is None else [])
        unsupported = {} if SIGNING is None else {c: SIGNING for c in ("sign", "recover", "request")}
        if SIGNING: print(f"python adapter: sign, recover and request unsupported: {SIGNING}", file=sys.stderr)
        reply = {"ready": True, "implementation": {"name": "python-stdlib-ecdsa", "language": "python", "version": sys.version.split()[0]}, "capabilities": caps, "unsupported": unsupported}
    elif request_line["cmd"] == "stop": break
    else:
        try:
            output = answer(request_line["capability"], request_line["input"])
            reply = {"id": request_line["id"], "skipped": output["skipped"]} if "skipped" in output else {"id": request_line["id"], "output": output}
        except Exception as error:
            reply = {"id": request_line["id"], "error": f"{type(error).__name__}: {error}"}
    print(json.dumps(reply), flush=True)
