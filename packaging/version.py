"""The version lives once, in pyproject.toml; build scripts read it from there.

    python packaging/version.py          -> 0.1.0
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def version_from_pyproject(path: Path = ROOT / "pyproject.toml") -> str:
    with open(path, "rb") as fh:
        return tomllib.load(fh)["project"]["version"]


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0): the four numbers of a Windows version resource."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:4]]
    if not numbers:
        raise ValueError(f"no version number in {version!r}")
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def render_version_info(template: str, version: str) -> str:
    """Fill packaging/windows/version_info.txt's @FILEVERS@ and @VERSION@ placeholders."""
    return (template.replace("@FILEVERS@", repr(version_tuple(version)))
            .replace("@VERSION@", version))


if __name__ == "__main__":
    print(version_from_pyproject())
    sys.exit(0)
