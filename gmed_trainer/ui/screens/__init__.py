"""Screens of the trainer, one module each."""
