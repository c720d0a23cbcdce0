"""Compare definitions between two git revisions or folders, for contract review.

Importing the package registers its finding codes (SC9xx).
"""

from __future__ import annotations

from slacheck.diff import codes as _codes  # noqa: F401  (registers SC901-SC903)
