"""Registry of operation rules: operation id -> the module implementing its commands.

Adding an operation = its standard under ``standards/operations/<id>/`` + a rules module here
exposing ``COMMANDS`` (command id -> handler), ``OPTIONS`` (claimed option requirement ids) and,
when its standard states effects of other operations' commands, ``EFFECTS`` (action -> handler,
see :mod:`reference_impl.effects`).
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: operation id -> rules module
RULES: dict[str, str] = {
    "juki": "reference_impl.operations.juki",
    "koseki": "reference_impl.operations.koseki",
    "fuhyo": "reference_impl.operations.fuhyo",
    "inkan": "reference_impl.operations.inkan",
    "senkyo": "reference_impl.operations.senkyo",
}


def load_rules(op_ids: list[str] | None = None) -> dict[str, ModuleType]:
    """The rules modules of the registered operations (or of ``op_ids``), imported."""
    wanted = RULES if op_ids is None else {k: RULES[k] for k in op_ids}
    return {op_id: importlib.import_module(name) for op_id, name in wanted.items()}
