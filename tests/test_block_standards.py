"""Prefect's standard checks for every block this package defines (fails if there are none)."""

from __future__ import annotations

import pytest
from prefect.blocks.core import Block
from prefect.testing.standard_test_suites import BlockStandardTestSuite
from prefect.utilities.dispatch import get_registry_for_type
from prefect.utilities.importtools import to_qualified_name

import flashcat_prefect


def find_module_blocks() -> list[type[Block]]:
    """Every registered block class that comes from the flashcat_prefect package."""
    assert flashcat_prefect.FlashcatCredentials  # importing the package registers the blocks
    registry = get_registry_for_type(Block) or {}
    return [
        block
        for block in registry.values()
        if to_qualified_name(block).startswith("flashcat_prefect")
    ]


BLOCKS = find_module_blocks()


def test_the_package_defines_blocks() -> None:
    names = {block.__name__ for block in BLOCKS}
    assert {"FlashcatCredentials", "FlashcatIntegration"} <= names


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.__name__)
class TestAllBlocksAdhereToStandards(BlockStandardTestSuite):
    @pytest.fixture
    def block(self, block: type[Block]) -> type[Block]:
        return block

    def test_has_a_valid_image(self, block: type[Block]) -> None:
        # The suite downloads the logo; tests stay offline, so check the URL's shape instead.
        logo_url = str(block._logo_url)
        assert logo_url.startswith("https://") and logo_url.endswith((".png", ".svg"))
