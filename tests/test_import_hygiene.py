"""The domain core never imports the UI: importing every core module leaves Textual unloaded."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import gmed_trainer

CORE_PACKAGES = ("decks", "scheduling", "store", "study", "exam", "interop")
UI_MODULES = ("textual", "textual_serve", "textual_plotext", "rich")


def core_modules(package: str) -> list[str]:
    root = Path(gmed_trainer.__file__).parent / package
    prefix = f"gmed_trainer.{package}."
    return [f"gmed_trainer.{package}"] + [
        m.name for m in pkgutil.walk_packages([str(root)], prefix=prefix)
    ]


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_core_package_does_not_import_the_ui(package: str) -> None:
    modules = core_modules(package)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in {UI_MODULES!r} if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{package} pulls in UI modules: {result.stdout.strip()}"
