"""Type-check the package and the Python code users copy from the docs with mypy.

The ```python blocks of README.md are written to a temporary folder, one module
per block, and checked together with ``flashcat_prefect`` under the settings in
pyproject.toml (``[tool.mypy]``). Exits with mypy's status.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = [REPO_ROOT / "README.md"]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def doc_snippets() -> dict[str, str]:
    """Module name -> source of every python block in the docs."""
    snippets = {}
    for doc in DOCS:
        for number, match in enumerate(BLOCK.finditer(doc.read_text(encoding="utf-8")), 1):
            stem = re.sub(r"\W", "_", doc.stem.lower())
            snippets[f"doc_{stem}_{number}"] = match.group(1)
    return snippets


def main(argv: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="flashcat-doc-snippets-") as folder:
        paths = []
        for name, source in doc_snippets().items():
            path = Path(folder) / f"{name}.py"
            path.write_text(source, encoding="utf-8")
            paths.append(str(path))
        command = [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO_ROOT / "pyproject.toml"),
            str(REPO_ROOT / "flashcat_prefect"),
            *paths,
            *(argv or []),
        ]
        return subprocess.run(command, cwd=REPO_ROOT, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
