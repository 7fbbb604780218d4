"""``python -m flashcat_prefect.cli``: the same as the ``flashcat-prefect`` command."""

from flashcat_prefect.cli import main

main()
