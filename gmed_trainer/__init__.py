"""gmed-trainer: a spaced-repetition and case-vignette trainer for clinicians."""

__version__ = "0.1.0"
