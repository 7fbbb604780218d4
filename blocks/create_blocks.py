"""Create the Flashcat blocks on the Prefect API from the JSON specs in this folder.

    export FLASHCAT_APP_KEY=...              # and optionally FLASHCAT_BASE_URL,
    export FLASHCAT_INTEGRATION_KEY=...      # FLASHCAT_INTEGRATION_KEY
    python blocks/create_blocks.py           # every *.json here whose variables are set
    python blocks/create_blocks.py blocks/flashcat-credentials.json --overwrite

The specs hold ``${VAR}`` references only; the values are read from the environment when
the block is saved. Same logic as ``flashcat-prefect blocks create --from-json``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flashcat_prefect.blocks_kit import (
    MissingVariableError,
    describe_error,
    error_line,
    load_block_spec,
    save_block,
)

HERE = Path(__file__).resolve().parent


def report_error(exc: Exception) -> int:
    """Print the one-line error the CLI would print; return its exit code."""
    message, code = describe_error(exc)
    print(error_line(message), file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("specs", nargs="*", type=Path, help="JSON specs (default: blocks/*.json)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing blocks")
    args = parser.parse_args(argv)

    explicit = bool(args.specs)
    paths = args.specs or sorted(HERE.glob("*.json"))
    saved = 0
    for path in paths:
        try:
            slug = save_block(load_block_spec(path), overwrite=args.overwrite, origin=str(path))
        except MissingVariableError as exc:
            if explicit:
                return report_error(exc)
            print(f"skipped {path.name}: {exc}")
            continue
        except Exception as exc:
            return report_error(exc)
        print(f"saved block {slug}")
        saved += 1
    if saved == 0:
        print(
            "error: no block saved (set FLASHCAT_APP_KEY or FLASHCAT_INTEGRATION_KEY)",
            file=sys.stderr,
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
