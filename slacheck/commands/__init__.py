"""Command implementations behind the thin CLI in :mod:`slacheck.cli`."""
