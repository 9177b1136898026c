"""The staff token signing key and the tokens it signs (EdDSA over Ed25519)."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gateway.settings import GatewaySettings
from ops_shared.settings import DEV_JWT_PUBLIC_KEY

log = structlog.get_logger(__name__)
SESSION_CLAIM = "sv"
SESSION_ID_CLAIM = "sid"
"""One sign-in's session: every token of one sign-in carries it; signing out ends it alone."""


@dataclass(frozen=True)
class SigningKeys:
    """The private key that signs and the public PEM that verifies (ours and the services')."""

    private_key: Ed25519PrivateKey
    public_pem: str


def load_signing_keys(settings: GatewaySettings) -> SigningKeys:
    """The configured key, or an ephemeral one in development; refuses a mismatched pair."""
    pem = settings.jwt_private_key.get_secret_value()
    if not pem:
        log.warning("jwt.ephemeral_key", reason="JWT_PRIVATE_KEY empty in development")
        key = Ed25519PrivateKey.generate()
        return SigningKeys(key, _public_pem(key.public_key()))
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("JWT_PRIVATE_KEY must be an Ed25519 private key")
    public_pem = _public_pem(key.public_key())
    configured = settings.jwt_public_key
    if configured != DEV_JWT_PUBLIC_KEY and not _same_public_key(configured, key.public_key()):
        raise ValueError("JWT_PUBLIC_KEY is not the public half of JWT_PRIVATE_KEY")
    return SigningKeys(key, public_pem)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk(key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as an OKP JWK (RFC 8037), `kid` its RFC 7638 thumbprint."""
    x = _b64url(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    # The thumbprint hashes the required members only, sorted, without whitespace.
    canonical = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"),
                           sort_keys=True)
    kid = _b64url(hashlib.sha256(canonical.encode()).digest())
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "use": "sig", "alg": "EdDSA"}


def _public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _same_public_key(pem: str, key: Ed25519PublicKey) -> bool:
    try:
        configured = serialization.load_pem_public_key(pem.encode())
    except ValueError:
        return False
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    return isinstance(configured, Ed25519PublicKey) and (
        configured.public_bytes(*raw) == key.public_bytes(*raw))


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int
    session_id: str


class TokenIssuer:
    """Signs staff tokens: sub, role, team, iss, aud, iat, exp, jti, the session version (`sv`)
    and the session id (`sid`)."""

    def __init__(self, keys: SigningKeys, settings: GatewaySettings) -> None:
        self._key = keys.private_key
        self._kid = public_jwk(keys.private_key.public_key())["kid"]
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._ttl = settings.token_ttl_s

    def issue(self, staff_id: str, role: str, team: str | None, session_version: int
              ) -> IssuedToken:
        """A fresh token for one account, opening a new session (a new `sid`)."""
        now = int(time.time())
        session_id = uuid.uuid4().hex
        claims: dict[str, Any] = {
            "sub": staff_id, "role": role, "iss": self._issuer, "aud": self._audience,
            "iat": now, "exp": now + self._ttl, "jti": uuid.uuid4().hex,
            SESSION_CLAIM: session_version, SESSION_ID_CLAIM: session_id,
        }
        if team:
            claims["team"] = team
        return IssuedToken(jwt.encode(claims, self._key, algorithm="EdDSA",
                                      headers={"kid": self._kid}), self._ttl, session_id)
