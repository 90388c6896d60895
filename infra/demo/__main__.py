"""Load the Ba Đình demo through the gateway, idempotently: 2019, then its wards merged in 2025.

uv run python -m infra.demo [--gateway http://127.0.0.1:4000/graphql] [--token JWT]

Without --token it acts as the demo loader (`client.DEMO_LOADER`), with a token signed by the
local key `make up` made; against another deployment, pass a token of an account with the
same roles.
"""

import argparse
import asyncio
import importlib
import sys

from infra.demo.client import DEMO_LOADER, DemoGateway, bearer
from infra.local.suite import RUN, LocalSecrets

STEPS = ("organisations", "members", "dissolution", "evaluations", "restructuring")


async def load(url: str, token: str) -> None:
    gateway = DemoGateway(url, headers=bearer(token))
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
    parser.add_argument("--token", help="a bearer token (default: the local demo loader's)")
    args = parser.parse_args()
    token = args.token or LocalSecrets.load(RUN).token_for(DEMO_LOADER)
    asyncio.run(load(args.gateway, token))


if __name__ == "__main__":
    main()
