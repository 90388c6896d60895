"""The names under which a supergraph imports the specs it `@link`s (core schema rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, SchemaDefinitionNode, SchemaExtensionNode, value_from_ast_untyped

_SPEC_URL = re.compile(r"^https?://[^/]+/(?P<name>[^/]+)/v(?P<version>\d+\.\d+)")

MACHINERY_SPECS = {"link", "join"}


@dataclass
class LinkedSpec:
    name: str
    version: str
    prefix: str
    imports: dict[str, str] = field(default_factory=dict)

    def directive(self, element: str) -> str:
        """The name under which the schema uses the spec's directive `element`."""
        imported = self.imports.get("@" + element)
        if imported is not None:
            return imported.lstrip("@")
        if element == self.name:
            return self.prefix
        return f"{self.prefix}__{element}"


@dataclass
class LinkedNames:
    specs: dict[str, LinkedSpec]

    @property
    def join(self) -> LinkedSpec | None:
        return self.specs.get("join")

    def join_directive(self, element: str) -> str:
        spec = self.join
        return spec.directive(element) if spec else f"join__{element}"

    def inaccessible_directive(self) -> str | None:
        spec = self.specs.get("inaccessible")
        return spec.directive("inaccessible") if spec else None

    def machinery_prefixes(self) -> set[str]:
        """Prefixes of types and directives that exist only for the gateway, never for clients."""
        return {s.prefix for s in self.specs.values()}

    def machinery_directives(self) -> set[str]:
        names: set[str] = set()
        for spec in self.specs.values():
            names.add(spec.prefix)
            names.update(i.lstrip("@") for i in spec.imports.values() if i.startswith("@"))
        return names

    @classmethod
    def from_document(cls, document: DocumentNode) -> LinkedNames:
        specs: dict[str, LinkedSpec] = {}
        for definition in document.definitions:
            if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                continue
            for directive in definition.directives or ():
                if directive.name.value not in ("link", "core"):
                    continue
                args = {
                    a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()
                }
                spec = _spec(args)
                if spec is not None:
                    specs[spec.name] = spec
        specs.setdefault("link", LinkedSpec("link", "1.0", "link"))
        return cls(specs)


def _spec(args: dict[str, Any]) -> LinkedSpec | None:
    url = args.get("url") or args.get("feature")
    if not isinstance(url, str):
        return None
    match = _SPEC_URL.match(url)
    if match is None:
        return None
    name = match.group("name")
    imports: dict[str, str] = {}
    for item in args.get("import") or ():
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and "name" in item:
            imports[str(item["name"])] = str(item.get("as", item["name"]))
    prefix: Any = args.get("as")
    if not isinstance(prefix, str):
        prefix = name
    return LinkedSpec(name, match.group("version"), prefix, imports)
