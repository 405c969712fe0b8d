"""The one error a migration command stops with: bad input, said in one line."""

from __future__ import annotations


class InputError(Exception):
    """A file that cannot be read as a migration file (empty, wrong encoding, wrong columns …).

    ``str()`` is one line, Japanese first with English beside, naming the file and what to do.
    """

    def __init__(self, path: str, ja: str, en: str) -> None:
        super().__init__(f"{path}: {ja} / {en}")
        self.path = path
        self.ja = ja
        self.en = en
