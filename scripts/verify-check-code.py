#!/usr/bin/env python3
"""An independent offline verifier of inspection codes (检查码, format JC1), written from
docs/check-code-format.md alone: its own base32, CBOR and COSE code, the Python standard library
and the `cryptography` package for Ed25519. It shares no code with the service; the unit test
src/check-codes/rules/check-code-vectors.spec.ts runs it on the doc's test vectors and expects
the verdicts the service's judgeCode gives.

  python3 scripts/verify-check-code.py --trust-list list.json [--list-key key.pem] [--at ISO] CODE
  python3 scripts/verify-check-code.py --batch < cases.json     # [{code, trustList, at}] -> [{valid, reason}]

Prints {"valid": bool, "reason": str|null}; exit 0 valid, 1 not valid, 2 usage error or an
unusable trust list.
"""
import base64
import datetime
import hashlib
import json
import re
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

MAX_CODE_TEXT = 1500
ED25519 = -8
SPKI_ED25519_PREFIX = bytes.fromhex("302a300506032b6570032100")
KEY_CLOCK_SKEW_MS = 60_000


class NotValid(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


class Unusable(Exception):
    pass


# --- CBOR (RFC 8949), the definite-length subset a code uses -------------------------------

class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("truncated")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def item(self):
        first = self.take(1)[0]
        major, info = first >> 5, first & 31
        if major == 7:
            if info == 20:
                return False
            if info == 21:
                return True
            if info in (22, 23):
                return None
            if info == 25:
                return _half(self.take(2))
            if info == 26:
                return struct.unpack(">f", self.take(4))[0]
            if info == 27:
                return struct.unpack(">d", self.take(8))[0]
            raise ValueError("simple value")
        if info < 24:
            arg = info
        elif info in (24, 25, 26, 27):
            arg = int.from_bytes(self.take(1 << (info - 24)), "big")
        else:
            raise ValueError("indefinite length or reserved")
        if major == 0:
            return arg
        if major == 1:
            return -1 - arg
        if major == 2:
            return bytes(self.take(arg))
        if major == 3:
            return self.take(arg).decode("utf-8")
        if major == 4:
            return [self.item() for _ in range(arg)]
        if major == 5:
            out = {}
            for _ in range(arg):
                k = self.item()
                out[k] = self.item()
            return out
        raise ValueError("tag")


def _half(b):
    h = int.from_bytes(b, "big")
    exp, frac = (h >> 10) & 0x1F, h & 0x3FF
    val = frac * 2 ** -24 if exp == 0 else (float("inf") if exp == 31 else (frac + 1024) * 2 ** (exp - 25))
    return -val if h & 0x8000 else val


def cbor_decode(data):
    r = _Reader(data)
    v = r.item()
    if r.pos != len(data):
        raise ValueError("trailing bytes")
    return v


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError("too long")


def sig_structure(protected, payload):
    """["Signature1", protected, h'', payload] (RFC 9052 4.4)."""
    ctx = b"Signature1"
    return (_head(4, 4) + _head(3, len(ctx)) + ctx + _head(2, len(protected)) + protected
            + _head(2, 0) + _head(2, len(payload)) + payload)


# --- the code --------------------------------------------------------------------------

def code_text_of(value):
    text = value.strip()
    i = text.lower().rfind("/v/")
    if i >= 0:
        text = re.split(r"[?#]", text[i + 3:])[0]
    return text.upper()


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool) and abs(v) <= 2 ** 53 - 1 or (
        isinstance(v, float) and v.is_integer() and abs(v) <= 2 ** 53 - 1)


def decode(value):
    if not value.strip():
        raise NotValid("empty")
    if len(value) > MAX_CODE_TEXT:
        raise NotValid("too_long")
    text = code_text_of(value)
    if not text.startswith("JC1."):
        raise NotValid("unsupported_version" if re.match(r"^JC\d+\.", text) else "wrong_prefix")
    body = text[4:]
    if not re.fullmatch(r"[A-Z2-7]+", body):
        raise NotValid("not_base32")
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except Exception:
        raise NotValid("not_cose_sign1")
    # canonical: the text is exactly the encoding of its bytes (no stray bits in the last character)
    if base64.b32encode(raw).decode().rstrip("=") != body:
        raise NotValid("not_cose_sign1")
    try:
        cose = cbor_decode(raw)
    except Exception:
        raise NotValid("not_cose_sign1")
    if (not isinstance(cose, list) or len(cose) != 4 or not isinstance(cose[0], bytes)
            or not isinstance(cose[2], bytes) or not isinstance(cose[3], bytes)
            or cose[1] != {}):
        raise NotValid("not_cose_sign1")
    protected, _, payload, signature = cose
    try:
        header = cbor_decode(protected)
    except Exception:
        raise NotValid("bad_header")
    if not isinstance(header, dict) or not is_int(header.get(1)) or not isinstance(header.get(4), bytes):
        raise NotValid("bad_header")
    try:
        claims = cbor_decode(payload)
    except Exception:
        raise NotValid("bad_claims")
    if not isinstance(claims, dict) or not isinstance(claims.get(-260), dict):
        raise NotValid("bad_claims")
    ins = claims[-260]
    if ins.get(1) != 1:
        raise NotValid("unsupported_version")
    texts = lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)
    ints = lambda v: isinstance(v, list) and all(is_int(x) for x in v)
    ok = (isinstance(claims.get(1), str) and is_int(claims.get(4)) and is_int(claims.get(5))
          and is_int(claims.get(6)) and isinstance(claims.get(7), str)
          and ints(ins.get(2)) and len(ins.get(2)) > 0 and isinstance(ins.get(3), str)
          and texts(ins.get(4)) and texts(ins.get(5)) and texts(ins.get(6))
          and (ins.get(7) is None or isinstance(ins.get(7), str)) and ints(ins.get(8)))
    if not ok:
        raise NotValid("bad_claims")
    kid = base64.urlsafe_b64encode(header[4]).decode().rstrip("=")
    return {"alg": int(header[1]), "kid": kid, "claims": claims, "signed": sig_structure(protected, payload),
            "signature": signature}


# --- the trust list --------------------------------------------------------------------

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")


def ms_of(iso):
    if not isinstance(iso, str) or not ISO.match(iso):
        raise Unusable("not an ISO 8601 time: %r" % (iso,))
    return round(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def keys_of(doc, list_key=None):
    if not isinstance(doc, dict) or doc.get("format") != "JC-TL/1":
        raise Unusable("not a JC-TL/1 trust list")
    if list_key is not None:
        sig = doc.get("signature") or {}
        unsigned = {k: v for k, v in doc.items() if k != "signature"}
        canonical = json.dumps(unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        try:
            list_key.verify(base64.b64decode(sig.get("value", "")), canonical.encode("utf-8"))
        except (InvalidSignature, ValueError):
            raise Unusable("the trust list is not signed by the pinned key")
    keys = {}
    for k in doc.get("keys", []):
        spki = base64.b64decode(k["publicKey"])
        kid = base64.urlsafe_b64encode(hashlib.sha256(spki).digest()[:8]).decode().rstrip("=")
        if kid != k["kid"]:
            raise Unusable("key %s is not the id of its public key" % k["kid"])
        keys[kid] = {
            "alg": k["alg"], "status": k["status"], "spki": spki,
            "validFrom": ms_of(k["validFrom"]),
            "signsUntil": None if k["signsUntil"] is None else ms_of(k["signsUntil"]),
            "verifiesUntil": None if k["verifiesUntil"] is None else ms_of(k["verifiesUntil"]),
        }
    return keys


# --- the verdict (docs/check-code-format.md 有效性规则, offline) ----------------------------

def judge(value, keys, now_ms):
    try:
        code = decode(value)
        key = keys.get(code["kid"])
        if key is None:
            raise NotValid("unknown_key")
        if key["status"] == "revoked":
            raise NotValid("key_revoked")
        if code["alg"] != key["alg"] or code["alg"] != ED25519:
            raise NotValid("unsupported_algorithm")
        spki = key["spki"]
        if not spki.startswith(SPKI_ED25519_PREFIX) or len(spki) != 44:
            raise NotValid("bad_signature")
        try:
            Ed25519PublicKey.from_public_bytes(spki[12:]).verify(code["signature"], code["signed"])
        except InvalidSignature:
            raise NotValid("bad_signature")
        c = code["claims"]
        issued = c[6] * 1000
        if issued < key["validFrom"] - KEY_CLOCK_SKEW_MS or (
                key["signsUntil"] is not None and issued > key["signsUntil"]):
            raise NotValid("issued_outside_key_validity")
        if key["verifiesUntil"] is not None and now_ms > key["verifiesUntil"]:
            raise NotValid("key_expired")
        if now_ms < c[5] * 1000:
            raise NotValid("not_yet_valid")
        if now_ms > c[4] * 1000:
            raise NotValid("expired")
        return {"valid": True, "reason": None}
    except NotValid as e:
        return {"valid": False, "reason": e.reason}


def main(argv):
    args = {"--trust-list": None, "--list-key": None, "--at": None}
    code, batch, i = None, False, 0
    while i < len(argv):
        a = argv[i]
        if a == "--batch":
            batch = True
        elif a in args and i + 1 < len(argv):
            args[a] = argv[i + 1]
            i += 1
        elif code is None and not a.startswith("--"):
            code = a
        else:
            print("usage: verify-check-code.py --trust-list FILE [--list-key PEM] [--at ISO] CODE | --batch",
                  file=sys.stderr)
            return 2
        i += 1
    try:
        if batch:
            out = []
            for case in json.load(sys.stdin):
                out.append(judge(case["code"], keys_of(case["trustList"]), ms_of(case["at"])))
            print(json.dumps(out))
            return 0
        if code is None or args["--trust-list"] is None:
            print("usage: verify-check-code.py --trust-list FILE [--list-key PEM] [--at ISO] CODE", file=sys.stderr)
            return 2
        list_key = None
        if args["--list-key"]:
            with open(args["--list-key"], "rb") as f:
                list_key = load_pem_public_key(f.read())
        with open(args["--trust-list"], encoding="utf-8") as f:
            keys = keys_of(json.load(f), list_key)
        now = ms_of(args["--at"]) if args["--at"] else round(datetime.datetime.now().timestamp() * 1000)
        verdict = judge(code, keys, now)
        print(json.dumps(verdict))
        return 0 if verdict["valid"] else 1
    except (Unusable, OSError, ValueError, KeyError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
