"""The machine-readable standards of the 20 standardised operations, and the library that reads them.

This package imports none of ``conformance``, ``reference_impl`` or ``reports``.
"""

from __future__ import annotations

from pathlib import Path

#: Folder holding the YAML standards and meta-schemas shipped with the package.
DATA_DIR = Path(__file__).resolve().parent
