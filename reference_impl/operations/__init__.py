"""Registry of operation rules: operation id -> the package implementing its commands.

Each operation's rules live in one folder, ``reference_impl/operations/<id>/``, named by the id of
its standard (``standards/operations/<id>/``). Its ``__init__`` exposes ``COMMANDS`` (command id ->
handler), ``OPTIONS`` (claimed option requirement ids) and, when its standard states effects of
other operations' commands, ``EFFECTS`` (action -> handler, see :mod:`reference_impl.effects`).
The registry is the folders: adding an operation adds no line here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

#: operation id -> rules package (every folder here with an ``__init__.py``)
RULES: dict[str, str] = {
    folder.name: f"{__name__}.{folder.name}"
    for folder in sorted(Path(__file__).parent.iterdir())
    if (folder / "__init__.py").is_file()
}


def load_rules(op_ids: list[str] | None = None) -> dict[str, ModuleType]:
    """The rules modules of the registered operations (or of ``op_ids``), imported."""
    wanted = RULES if op_ids is None else {k: RULES[k] for k in op_ids}
    return {op_id: importlib.import_module(name) for op_id, name in wanted.items()}
