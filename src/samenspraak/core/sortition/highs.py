"""The HiGHS solver object, kept between solves so that each re-solve starts warm.

We use the bindings' base class ``_Highs``: the public ``highspy.Highs`` prints a banner on
standard output when created, which would corrupt the CLI's JSON. Without the ``highspy``
package, the identical bindings that scipy ships with its own copy of HiGHS are used.
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from highspy._core import _Highs as _Solver
except ImportError:  # pragma: no cover - depends on the environment
    from scipy.optimize._highspy._core import _Highs as _Solver  # type: ignore[import-untyped, no-redef]

INF = 1e30  # HiGHS treats any bound of 1e20 or more as infinite


def new_solver() -> Any:
    """A silent HiGHS instance."""
    solver = _Solver()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("random_seed", 0)
    return solver


def optimal(solver: Any) -> bool:
    return bool(solver.getModelStatus().name == "kOptimal")


def int32(values: Any) -> np.ndarray[Any, np.dtype[np.int32]]:
    return np.ascontiguousarray(values, dtype=np.int32)
