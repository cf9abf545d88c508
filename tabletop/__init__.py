"""tabletop: a terminal tabletop-exercise simulator."""

__version__ = "0.1.0"
