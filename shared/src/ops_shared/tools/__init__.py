"""Command-line tools: `python -m ops_shared.tools.cli` (dead letters, outbox) and
`python -m ops_shared.tools.asyncapi` (regenerates docs/asyncapi.yaml). Not imported at run time."""
