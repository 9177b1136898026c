"""`/.well-known/jwks.json`: the public key that verifies staff tokens, for anyone to fetch."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["authentication"])
JWKS_MEDIA_TYPE = "application/jwk-set+json"


@router.get("/.well-known/jwks.json",
            summary="The public key(s) verifying staff tokens (Ed25519, OKP JWK with kid)",
            response_class=JSONResponse,
            responses={200: {"content": {JWKS_MEDIA_TYPE: {}}}})
async def jwks(request: Request) -> JSONResponse:
    """The JWK set (RFC 7517) of the key the gateway signs with; a token's `kid` header names
    its key. Public and cacheable for five minutes. No token needed."""
    keys: list[dict[str, Any]] = request.app.state.jwks
    return JSONResponse({"keys": keys}, media_type=JWKS_MEDIA_TYPE,
                        headers={"Cache-Control": "public, max-age=300"})
