"""Where the real data of the field is: ``../shared/data/real/`` beside the project (see its
README for sources and licences), or the folder named by ``SAMENSPRAAK_REAL_DATA``.

The files are not copied into the repository (Pabulib states no licence), so tests that need
them are marked ``needs_real_pabulib`` and skip, saying where they looked, only when the
folder is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REAL_DATA = Path(
    os.environ.get("SAMENSPRAAK_REAL_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
)
REAL_PABULIB = REAL_DATA / "pabulib"

needs_real_pabulib = pytest.mark.skipif(
    not REAL_PABULIB.is_dir(),
    reason=f"the real Pabulib files are not here ({REAL_PABULIB}); set SAMENSPRAAK_REAL_DATA",
)
