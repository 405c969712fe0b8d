"""``--standards-dir``: a standards folder is used only when it passes lint.

``kikan serve`` and ``kikan run`` refuse a folder that ``kikan standards lint --root DIR`` rejects,
with the first problems in one line: a server or a suite built from a standard with dangling
references or requirement texts that contradict their rules would give verdicts that mean nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kikan.cli import UserError

#: How many of the lint's problems the one-line refusal names.
SHOWN = 3


def checked_standards(root: Path) -> Any:
    """The standards under ``root`` when they pass lint; :class:`UserError` naming the first problems."""
    from standards.lint import lint
    from standards.loader import load_standards

    if not root.is_dir():
        raise UserError(f"標準フォルダがありません / the standards folder does not exist: {root}")
    problems = lint(root)
    if problems:
        first = "; ".join(str(p) for p in problems[:SHOWN])
        more = f" (+{len(problems) - SHOWN})" if len(problems) > SHOWN else ""
        raise UserError(
            f"標準フォルダ {root} は検査に通りません（{len(problems)} 件）/ the standards in {root} fail lint "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''}): {first}{more}"
            f" — kikan standards lint --root {root}"
        )
    return load_standards(root)
