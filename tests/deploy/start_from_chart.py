"""Builds one workload's app as its pod would, from the environment alone (the chart's
ConfigMap) and the secret files in a folder (the chart's /run/secrets), and prints what it
serves as JSON: run in a process of its own by test_helm_chart, so that nothing of the test's
environment or of another workload's settings reaches it.

    python tests/deploy/start_from_chart.py WORKLOAD SECRETS_FOLDER
"""

import importlib
import json
import sys
from pathlib import Path
from typing import Any


def started(workload: str, secrets: Path) -> dict[str, Any]:
    if workload == "gateway":
        from gateway.server import create_app
        from gateway.settings import Settings

        gateway = Settings(_secrets_dir=secrets)
        routes = [route.path for route in create_app(gateway).framework.routes]
        return {"production": gateway.production, "port": gateway.port, "routes": routes}
    main = importlib.import_module(f"{workload}.main")
    config = importlib.import_module(f"{workload}.config")
    settings = config.Settings(_secrets_dir=secrets)
    routes = [getattr(route, "path", "") for route in main.create_app(settings).routes]
    return {"production": settings.production, "port": settings.port, "routes": routes}


if __name__ == "__main__":
    print(json.dumps(started(sys.argv[1], Path(sys.argv[2]))))
