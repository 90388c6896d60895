"""The schema clients see: the supergraph without join/link machinery and @inaccessible parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import (
    REMOVE,
    DirectiveDefinitionNode,
    DirectiveLocation,
    DocumentNode,
    GraphQLSchema,
    NamedTypeNode,
    Node,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    Visitor,
    build_ast_schema,
    visit,
)

if TYPE_CHECKING:
    from gateway.link import LinkedNames

_KEPT_DIRECTIVES = {"deprecated", "specifiedBy", "oneOf"}
_EXECUTABLE = {
    DirectiveLocation.QUERY.name,
    DirectiveLocation.MUTATION.name,
    DirectiveLocation.SUBSCRIPTION.name,
    DirectiveLocation.FIELD.name,
    DirectiveLocation.FRAGMENT_DEFINITION.name,
    DirectiveLocation.FRAGMENT_SPREAD.name,
    DirectiveLocation.INLINE_FRAGMENT.name,
    DirectiveLocation.VARIABLE_DEFINITION.name,
}


def build_api_schema(document: DocumentNode, names: LinkedNames) -> GraphQLSchema:
    inaccessible = names.inaccessible_directive()
    prefixes = tuple(f"{p}__" for p in names.machinery_prefixes())
    machinery = names.machinery_directives()

    def hidden(node: Any) -> bool:
        return inaccessible is not None and any(
            d.name.value == inaccessible for d in getattr(node, "directives", None) or ()
        )

    removed_types = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
        and (hidden(d) or d.name.value.startswith(prefixes))
    }

    class ToApi(Visitor):
        def enter(self, node: Node, *_: Any) -> Any:
            if isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
                return None
            if isinstance(node, DirectiveDefinitionNode):
                executable = {loc.value for loc in node.locations} & _EXECUTABLE
                if node.name.value in machinery or not executable:
                    return REMOVE
                return None
            if isinstance(node, TypeDefinitionNode | TypeExtensionNode):
                return REMOVE if node.name.value in removed_types else None
            if isinstance(node, NamedTypeNode) and node.name.value in removed_types:
                return REMOVE
            if node.kind in _HIDEABLE and hidden(node):
                return REMOVE
            return None

        def enter_directive(self, node: Any, *_: Any) -> Any:
            return None if node.name.value in _KEPT_DIRECTIVES else REMOVE

    api_document = visit(document, ToApi())
    return build_ast_schema(api_document, assume_valid_sdl=True)


_HIDEABLE = {
    "field_definition",
    "input_value_definition",
    "enum_value_definition",
}
