"""The logistics domain: pure rules, no I/O."""
