"""Citation-first fact-sheet generator: YAML facts in, cited Markdown pages out."""

from __future__ import annotations

__version__ = "0.1.0"
