"""Traces of the gateway and the services: OpenTelemetry, set up from the standard OTEL_*
variables, or not at all.

Tracing is on when the process is told where its spans go — `OTEL_EXPORTER_OTLP_ENDPOINT` or
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (OTLP over HTTP), or `OTEL_TRACES_EXPORTER` set to `otlp`
or `console` — and `OTEL_SDK_DISABLED` is not `true`. Otherwise no SDK is set up: the API's
no-op tracer stays in place, nothing is instrumented and `is_on()` tells the callers to skip
their spans. The exporter reads its own variables (headers, timeout, compression), the
provider reads the sampler's (`OTEL_TRACES_SAMPLER`), the resource `OTEL_SERVICE_NAME` and
`OTEL_RESOURCE_ATTRIBUTES`; without `OTEL_SERVICE_NAME` the service is the process's name.

Here beside the log format because both are the gateway's and the services' alike, and each
log line names the trace and span it was written in (JsonFormatter).
"""

import contextlib
import os
import sys
from collections.abc import Mapping

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_EXPORTERS = ("otlp", "console")
_on = False

# the W3C trace context, carried as HTTP headers and as an event's CloudEvents attributes alike
TRACE_HEADERS = ("traceparent", "tracestate")
PROPAGATOR = TraceContextTextMapPropagator()
# what a span is when tracing is off: a context manager that does nothing
OFF: contextlib.nullcontext[None] = contextlib.nullcontext()


def is_on() -> bool:
    return _on


def tracing_wanted(environ: Mapping[str, str]) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporter:
        return exporter in _EXPORTERS
    return any(
        environ.get(name, "").strip()
        for name in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def start_tracing(service: str) -> bool:
    """Set up the process's tracer provider when OTEL_* asks for it, once; whether it is on."""
    global _on
    if _on or not tracing_wanted(os.environ):
        return _on
    # imported only here: a process that does not trace does not load the SDK
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SpanExporter,
    )

    named = {} if os.environ.get("OTEL_SERVICE_NAME") else {SERVICE_NAME: service}
    provider = TracerProvider(resource=Resource.create(named))
    exporter: SpanExporter
    if os.environ.get("OTEL_TRACES_EXPORTER", "").strip().lower() == "console":
        exporter = ConsoleSpanExporter(out=sys.stderr)  # stdout holds the log lines
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _on = True
    return True


def ids_in_force() -> tuple[str, str] | None:
    """The trace and span ids (hex) of the span in force, when tracing is on and one is."""
    if not _on:
        return None
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")
