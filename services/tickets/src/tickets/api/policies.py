"""Placeholder: filled by the tickets work."""

from fastapi import APIRouter

router = APIRouter()
