"""Emulator fixtures (owned by the emulator work; see flashcat_prefect/emulator)."""
