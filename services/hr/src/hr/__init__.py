"""The hr service."""
