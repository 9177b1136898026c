"""The merged OpenAPI document and the Swagger UI that reads it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.api.deps import Runtime
from gateway.openapi import TITLE, merge_openapi

router = APIRouter()


@router.get("/openapi.json", include_in_schema=False)
async def openapi(request: Request, runtime: Runtime) -> JSONResponse:
    upstreams = await runtime.catalog.documents()
    return JSONResponse(merge_openapi(
        request.app.openapi(), upstreams.documents, upstreams.unavailable,
        stale=upstreams.stale, fetched_at=upstreams.fetched_at))


@router.get("/docs", include_in_schema=False)
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{TITLE} – docs")
