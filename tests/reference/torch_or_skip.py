"""The PyTorch reference's imports for the test scripts, in one place: torch and numpy, or exit code 77 (ctest's
skip) when python3-torch or python3-numpy is not installed. Any other missing module is a broken installation
and fails. With tests/reference on sys.path:

    from torch_or_skip import np, torch  # noqa: E402
"""
import sys

try:
    import numpy as np  # noqa: F401
    import torch  # noqa: F401
except ModuleNotFoundError as e:  # pragma: no cover
    if e.name not in ("torch", "numpy"):  # only a missing reference skips; a broken installation fails
        raise
    print(f"skipping: {e} (install python3-torch)", file=sys.stderr)
    sys.exit(77)
