"""A test key pair and staff tokens signed with it (the gateway issues real ones)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ISSUER = "ops-gateway"
AUDIENCE = "ops-staff"


@dataclass(frozen=True)
class KeyPair:
    private_pem: str
    public_pem: str

    @classmethod
    def generate(cls) -> KeyPair:
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        return cls(private, public)

    def token(self, staff_id: str, role: str, team: str | None = None, *, ttl: int = 3600,
              **overrides: object) -> str:
        now = int(time.time())
        claims = {"sub": staff_id, "role": role, "team": team, "iss": ISSUER, "aud": AUDIENCE,
                  "iat": now, "exp": now + ttl, **overrides}
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.private_pem, algorithm="EdDSA")

    def headers(self, staff_id: str, role: str, team: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(staff_id, role, team)}"}
