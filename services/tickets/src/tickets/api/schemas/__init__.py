"""Schemas of the tickets API, one module per resource, one naming family per resource.

- `<Resource>Create`: the body that creates one (`POST` to a collection), e.g. `TicketCreate`.
- `<Resource>Update`: the body that changes or puts one (`PATCH`, `PUT`), e.g. `CustomerUpdate`.
- `<Resource>Read`: what a response carries, e.g. `TicketRead`; every datetime is a `StaffTime`.
- `<Action>Request`: the body of an action on a resource, named after it, e.g. `EscalateRequest`.
- `<Resource>Query` / `<Resource>ListQuery`: the query parameters a route declares (unknown ones
  are refused with 422).
Request bodies refuse unknown fields. Shared types (bounded strings, days, moments, `StaffTime`)
live in `common.py`.
"""
