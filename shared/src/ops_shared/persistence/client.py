"""The MongoDB client: one per process and event loop, made in the app's lifespan."""

from __future__ import annotations

from pymongo import AsyncMongoClient


def make_client(url: str, *, app_name: str) -> AsyncMongoClient:
    """One client per process and event loop, made in the app's lifespan."""
    return AsyncMongoClient(
        url, appname=app_name, tz_aware=True, serverSelectionTimeoutMS=10_000, retryWrites=True
    )
