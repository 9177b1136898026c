"""Domain refusals → RFC 9457 problem details, for every route of a router.

`domain_problem` maps the common refusals of `ops_shared.domain`: TransitionRefused 409 (with
`current_state`, `allowed` and `target` when the refusal names one), NotAllowed 403, NotFound
404, Conflict 409 (with `existing` when it names one), ValidationFailed 422 (with `field` and
`errors[]` when one input is at fault), any other DomainError 422 with its `code` as the type slug.
`domain_route(problem_for)` is the route class that raises `problem_for(error)` for every
DomainError a route lets out; a service's `problem_for` maps its own refusals first and hands
the rest to `domain_problem`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from ops_shared.domain import errors
from ops_shared.domain.errors import DomainError
from ops_shared.web.problems import Problem

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid staff token (problem details)"},
    403: {"description": "The caller's role may not do this (problem details)"},
    404: {"description": "No such resource (problem details)"},
    409: {"description": "Refused by the state machine or a rule (problem details)"},
    422: {"description": "Invalid input (problem details)"},
}


def domain_problem(exc: DomainError, *, invalid_title: str = "Rule violated") -> Problem:
    """The problem a common refusal earns; `invalid_title` is the title of a ValidationFailed."""
    if isinstance(exc, errors.TransitionRefused):
        target = {"target": exc.target} if exc.target is not None else {}
        return Problem(409, "transition-refused", "Transition refused", exc.detail,
                       current_state=exc.current, **target, allowed=exc.allowed)
    if isinstance(exc, errors.NotAllowed):
        return Problem(403, "forbidden", "Not allowed", exc.detail)
    if isinstance(exc, errors.NotFound):
        return Problem(404, "not-found", "Not found", exc.detail)
    if isinstance(exc, errors.Conflict):
        existing = {"existing": exc.existing} if exc.existing else {}
        return Problem(409, "conflict", "Conflict", exc.detail, **existing)
    if isinstance(exc, errors.ValidationFailed):
        # `errors` as a request validation names its fields, so that one reader serves both.
        field = ({"field": exc.field, "errors": [{"field": exc.field, "in": "body",
                                                  "reason": exc.detail}]} if exc.field else {})
        return Problem(422, "validation-failed", invalid_title, exc.detail, **field)
    return Problem(422, exc.code.replace("_", "-"), "Refused", exc.detail)


def domain_route(problem_for: Callable[[DomainError], Problem] = domain_problem,
                 ) -> type[APIRoute]:
    """A route class whose domain refusals leave as `problem_for(error)`."""

    class DomainRoute(APIRoute):
        """A route whose domain refusals leave as problem details."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def route(request: Request) -> Response:
                try:
                    return await handler(request)
                except DomainError as exc:
                    raise problem_for(exc) from None

            return route

    return DomainRoute
