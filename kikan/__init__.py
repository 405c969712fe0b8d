"""The ``kikan`` command line: the one place that wires the four packages together."""

__version__ = "0.1.0"
