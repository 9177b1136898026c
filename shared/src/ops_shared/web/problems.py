"""RFC 9457 problem details for every error answer; never a stack trace to the caller."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ops_shared.persistence import TransactionBusy

log = structlog.get_logger(__name__)
PROBLEM_BASE = "https://problems.ops.example/"
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error answer: status, a stable type slug, a title, a detail and extra members."""

    def __init__(self, status: int, slug: str, title: str, detail: str = "", *,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body = {"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status,
                "detail": self.detail, **self.extra}
        if instance:
            body["instance"] = instance
        return body


def problem_response(problem: Problem, request: Request,
                     headers: dict[str, str] | None = None) -> JSONResponse:
    body = problem.body(_instance(request.url.path))
    request_id = getattr(request.state, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    return JSONResponse(body, status_code=problem.status, media_type=MEDIA_TYPE,
                        headers=headers)


def _instance(path: str) -> str:
    return path if len(path) <= 500 else path[:500] + "…"


SLUGS = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated", 403: "forbidden",
         413: "content-too-large", 414: "uri-too-long", 431: "headers-too-large"}
TITLES = {413: "Content too large", 414: "URI too long", 431: "Request headers too large"}


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "")


def _error(error: dict) -> dict[str, str]:
    """One refused input: the field it names, where, why. A body that is not JSON names the body
    as a whole and says where the parse stopped (its location is a character offset, not a
    field)."""
    loc = tuple(error.get("loc", ()))
    where = str((loc or ("body",))[0])
    if error.get("type") == "json_invalid":
        offset = loc[1] if len(loc) > 1 else None
        reason = error.get("msg", "")
        if offset is not None:
            reason = f"{reason} at character {offset}"
        return {"field": "body", "in": where, "reason": reason, "type": "json_invalid"}
    return {"field": _field(loc), "in": where, "reason": error.get("msg", ""),
            "type": error.get("type", "")}


def unparsable_body(cause: BaseException) -> Problem:
    """A JSON body the parser gave up on, as a 422 that says why (never FastAPI's bare 400).

    Nested deeper than the parser goes (about 1,000 levels: a `[[[[...` body meant to exhaust
    the stack) it is `body-too-deep`; otherwise (bytes that are not UTF-8 text, ...) it is not
    JSON. A body nested less deeply is parsed and refused by its schema, also with 422."""
    if isinstance(cause, RecursionError):
        return Problem(422, "body-too-deep", "Request body nested too deeply",
                       "The JSON body is nested deeper than any request of this API; "
                       "no request needs more than a few levels.",
                       errors=[{"field": "body", "in": "body", "reason": "nested too deeply",
                                "type": "json_too_deep"}])
    return Problem(422, "validation-error", "Invalid request",
                   "body: not JSON text (it must be UTF-8 encoded JSON)",
                   errors=[{"field": "body", "in": "body", "reason": "not JSON text",
                            "type": "json_invalid"}])


def install_problem_handlers(app: FastAPI) -> None:
    """Every 4xx/5xx leaves as application/problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        if exc.status >= 500:
            log.error("http.problem", status=exc.status, slug=exc.slug)
        return problem_response(exc, request, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_error(e) for e in exc.errors()]
        detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)[:1000]
        return problem_response(
            Problem(422, "validation-error", "Invalid request", detail, errors=errors), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        if status == 400 and exc.__cause__ is not None:  # FastAPI could not parse the body
            return problem_response(unparsable_body(exc.__cause__), request)
        problem = Problem(status, SLUGS.get(status, "http-error"),
                          TITLES.get(status, str(exc.detail)), str(exc.detail))
        return problem_response(problem, request, headers=getattr(exc, "headers", None))

    @app.exception_handler(TransactionBusy)
    async def _busy(request: Request, exc: TransactionBusy) -> JSONResponse:
        """The request's transaction met transient errors for its whole budget (a document held
        by another, perhaps orphaned, transaction; the database failing over): nothing was
        written; try again soon."""
        log.warning("http.busy", attempts=exc.attempts, budget_s=exc.budget_s)
        return problem_response(
            Problem(503, "busy", "Busy, try again",
                    "The change could not be written in time (the data is held by another "
                    "change, or the database is unavailable); nothing was written. Try again "
                    f"in {exc.retry_after_s} s.", retry_after_s=exc.retry_after_s),
            request, headers={"Retry-After": str(exc.retry_after_s)})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled_error")
        return problem_response(
            Problem(500, "internal-error", "Internal error",
                    "The request failed; quote the request id to operations."), request)
