"""Write docs/emulator-coverage.md: what the emulator does with each catalog endpoint.

``python tools/emulator_coverage.py`` rewrites the page; ``--check`` exits 1 when the page
is not what the emulator would generate (the test suite runs the same comparison).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PAGE = REPO_ROOT / "docs" / "emulator-coverage.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare instead of writing; exit 1 when the page drifted",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    from flashcat_prefect.emulator.coverage import render_markdown

    text = render_markdown()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(
                f"{PAGE.relative_to(REPO_ROOT)} is out of date: run "
                "python tools/emulator_coverage.py",
                file=sys.stderr,
            )
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
