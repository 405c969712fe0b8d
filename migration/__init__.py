"""Migration files (移行データ): layouts derived from the standards, a columnar validator and a generator.

``kikan data layout|validate|generate``. This package imports ``standards`` only: the layouts come
from the standards' entities and the item checks are the standards' own schema and common-type
validators, compiled for speed into Polars expressions (:mod:`migration.vector`).
"""
