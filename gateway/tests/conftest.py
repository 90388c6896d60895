"""Test set-up for the gateway.

pytest's importlib mode names these modules `gateway.tests.*` and registers the folder
`gateway/` as a namespace package called `gateway`, which would hide the real package
(gateway/src/gateway). The real one is put back here, before any test imports it."""

import importlib
import sys
from pathlib import Path

if getattr(sys.modules.get("gateway"), "__file__", None) is None:
    del sys.modules["gateway"]
    real = importlib.import_module("gateway")
    tests = sys.modules.get("gateway.tests")
    if tests is not None:
        real.tests = tests  # type: ignore[attr-defined]

sys.path.insert(0, str(Path(__file__).parent))
