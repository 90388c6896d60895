"""Export a subgraph's SDL, or check that the committed file matches the code.

python -m kit.sdl organisations.schema:schema services/organisations/schema.graphql [--check]
"""

import argparse
import importlib
import sys
from pathlib import Path

from strawberry.printer import print_schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("schema", help="module:attribute of a Strawberry schema")
    parser.add_argument("path", type=Path, help="the schema.graphql file")
    parser.add_argument("--check", action="store_true", help="fail when the file is stale")
    args = parser.parse_args()
    module_name, attribute = args.schema.split(":")
    sdl = print_schema(getattr(importlib.import_module(module_name), attribute)) + "\n"
    if args.check:
        if not args.path.exists() or args.path.read_text() != sdl:
            print(f"{args.path} is stale: run `make schemas` and commit it", file=sys.stderr)
            return 1
        return 0
    args.path.write_text(sdl)
    return 0


if __name__ == "__main__":
    sys.exit(main())
