"""Load the Ba Đình 2019 demo through the gateway, idempotently.

uv run python -m infra.demo [--gateway http://127.0.0.1:4000/graphql]
"""

import argparse
import asyncio
import importlib
import sys

from infra.demo.client import DemoGateway

STEPS = ("organisations", "members", "dissolution", "evaluations")


async def load(url: str) -> None:
    gateway = DemoGateway(url)
    try:
        for step in STEPS:
            try:
                module = importlib.import_module(f"infra.demo.{step}")
            except ModuleNotFoundError:
                print(f"demo: no {step} step yet", file=sys.stderr)
                continue
            print(f"demo: loading {step}", file=sys.stderr)
            await module.load(gateway)
    finally:
        await gateway.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:4000/graphql")
    asyncio.run(load(parser.parse_args().gateway))


if __name__ == "__main__":
    main()
