"""The version lives once, in pyproject.toml; build scripts read it from there."""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path


def version_from_pyproject(path: Path) -> str:
    with open(path, "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print(version_from_pyproject(root / "pyproject.toml"))
    sys.exit(0)
