"""The exercise engine: a deterministic simpy simulation of a scenario. Prints nothing."""

from tabletop.engine.exercise import Exercise, ExerciseError
from tabletop.engine.snapshot import ExerciseSnapshot

__all__ = ["Exercise", "ExerciseError", "ExerciseSnapshot"]
