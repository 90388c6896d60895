# mypy: disable-error-code="untyped-decorator"
"""A paper handed out through GraphQL: a PDF as base64, with its file name and content type,
the same type in every subgraph that issues papers (@shareable)."""

import base64

import strawberry


@strawberry.federation.type(
    shareable=True,
    description="A paper as a file [văn bản]: the PDF, base64-encoded, its name and content type",
)
class PaperFile:
    filename: str
    content_type: str
    base64: str = strawberry.field(description="The file's bytes, base64-encoded")
    size: int = strawberry.field(description="The file's length in bytes")

    @classmethod
    def of(cls, filename: str, content_type: str, content: bytes) -> "PaperFile":
        return cls(
            filename=filename,
            content_type=content_type,
            base64=base64.b64encode(content).decode("ascii"),
            size=len(content),
        )
