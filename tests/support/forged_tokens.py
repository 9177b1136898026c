"""Tokens an attacker would try (OWASP API2): none of them may be accepted anywhere.

Each is built by hand where a JWT library would refuse to make it (`alg: none`, HS256 keyed with
the public key), so the test does not depend on the library's own guard rails.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from support.tokens import AUDIENCE, ISSUER, KeyPair


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segments(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return ".".join(_b64(json.dumps(part).encode()) for part in (header, claims))


def claims(staff_id: str, role: str, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": staff_id, "role": role, "iss": ISSUER, "aud": AUDIENCE, "iat": now,
            "exp": now + 3600, **overrides}


FORGERIES = ("alg-none", "alg-none-uppercase", "hs256-with-public-key", "other-key", "expired",
             "wrong-audience", "wrong-issuer", "no-expiry", "unknown-role", "tampered-role")


def forged_tokens(keys: KeyPair, staff_id: str, role: str) -> dict[str, str]:
    """name → a token for `staff_id` that must be refused with 401."""
    good = claims(staff_id, role)
    unsigned = _segments({"alg": "none", "typ": "JWT"}, good)
    hs_input = _segments({"alg": "HS256", "typ": "JWT"}, good)
    hs_signature = hmac.new(keys.public_pem.encode(), hs_input.encode(), hashlib.sha256).digest()
    stranger = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    return {
        "alg-none": unsigned + ".",
        "alg-none-uppercase": _segments({"alg": "None"}, good) + ".",
        "hs256-with-public-key": f"{hs_input}.{_b64(hs_signature)}",
        "other-key": jwt.encode(good, stranger, algorithm="EdDSA"),
        "expired": keys.token(staff_id, role, ttl=-3600),
        "wrong-audience": keys.token(staff_id, role, aud="another-audience"),
        "wrong-issuer": keys.token(staff_id, role, iss="someone-else"),
        "no-expiry": jwt.encode({k: v for k, v in good.items() if k != "exp"},
                                keys.private_pem, algorithm="EdDSA"),
        "unknown-role": keys.token(staff_id, "superuser"),
        "tampered-role": _tampered(keys.token(staff_id, "presales"), role="manager"),
    }


def _tampered(token: str, **changes: Any) -> str:
    """The same signature over changed claims."""
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return f"{header}.{_b64(json.dumps({**decoded, **changes}).encode())}.{signature}"
