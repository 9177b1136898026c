"""Common library of the customer-service operations services.

Subpackages, each with an explicit export list:
- `contracts`: the event envelope, the typed events of each publisher, and the registry;
- `messaging`: bus, outbox relay, consumer and inbox, dead letters, subscription tables;
- `persistence`: client, indexes, the unit of work and transaction retry;
- `web`: request context, health, problems (the domain refusals too), authentication, admin routers;
- `calendar`: the working-day calendar and the admin's days;
- `domain`: the refusals every service's domain raises (pure: no framework import);
- `tools`: command-line tools (not imported at run time).
`settings`, `logging` and `service` (the runtime that wires them) stand beside them.
"""
