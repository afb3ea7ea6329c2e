"""kg: a linked-data publisher for United Nations resolutions."""

from __future__ import annotations

__version__ = "0.1.0"
