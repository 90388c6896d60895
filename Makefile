# partyorg — the README's commands. `make up` runs the product locally, `make test` tests it.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV_VERSION := 0.13.8
GATEWAY_URL ?= http://127.0.0.1:4000/graphql
INFRA := infra/local/infra.sh
WITH_INFRA = set -a && source <($(INFRA) env) && set +a &&
TRACES_SH := infra/local/traces.sh
# `make up TRACES=1`: Jaeger started too, and the suite's processes send it their traces
WITH_TRACES = $(if $(TRACES),$(TRACES_SH) up && set -a && source <($(TRACES_SH) env) && set +a &&)

.PHONY: help install infra traces up demo tokens token down status test check lint schemas supergraph compose-check chart-check compose-secrets asyncapi-check asyncapi-html bench bench-restructuring bench-scale faults faults-dissolution fuzz soak graphiql

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: ## Python (uv) and Node dependencies, as pinned by uv.lock and package-lock.json
	@command -v uv >/dev/null || python3 -m pip install -q "uv==$(UV_VERSION)"
	uv sync --frozen --quiet
	infra/local/fonts.sh
	@[ gateway/node/node_modules/.package-lock.json -nt gateway/node/package-lock.json ] \
		|| npm ci --prefix gateway/node --no-audit --no-fund --loglevel=error
	@[ tools/asyncapi/node_modules/.package-lock.json -nt tools/asyncapi/package-lock.json ] \
		|| npm ci --prefix tools/asyncapi --no-audit --no-fund --loglevel=error
	@node gateway/node/graphiql-assets.mjs --check 2>/dev/null || $(MAKE) --no-print-directory graphiql

graphiql: ## copy React and GraphiQL from the pinned npm packages into the gateway (no CDN)
	node gateway/node/graphiql-assets.mjs

infra: ## start or reuse RabbitMQ and FerretDB (MONGODB_URL / AMQP_URL override them)
	$(INFRA) up

traces: ## Jaeger, the trace viewer, on http://127.0.0.1:16686 (built with Go the first time)
	$(TRACES_SH) up
	@echo "Send traces to it: make up TRACES=1 (or set $$($(TRACES_SH) env))"

up: install infra ## run everything locally, load the Ba Đình 2019 demo, print a token per role
	$(WITH_TRACES) $(WITH_INFRA) uv run python infra/local/suite.py up
	uv run python -m infra.demo --gateway $(GATEWAY_URL)
	@echo
	@uv run python -m infra.demo.tokens --gateway $(GATEWAY_URL)
	@echo
	@$(INFRA) env | sed -n 's/^CITY_STREAM_URL=/Public event stream (read-only account of city systems, CITY_STREAM_PASSWORD): /p'
	@echo "  follow it: uv run python examples/city_stream.py --since $$(TZ=Asia/Ho_Chi_Minh date +%F)"
	@echo "partyorg is up. GraphiQL: $(GATEWAY_URL) (paste a token in its Headers tab)"
	@echo "Try:  { campaigns { directive { number } cases { cell { name } stage } } }"
	@$(if $(TRACES),echo "Traces: http://127.0.0.1:16686/api/traces?service=gateway (make traces)")
	@echo "Stop: make down"

demo: ## load the demo again (idempotent)
	uv run python -m infra.demo --gateway $(GATEWAY_URL)

tokens: ## print a fresh token per role for the demo
	@uv run python -m infra.demo.tokens --gateway $(GATEWAY_URL)

token: ## one token: make token ROLE=WARD_COMMITTEE [ORG=HN-BD-KM] [MEMBER=id] [NAME=…]
	@uv run python -m infra.demo.tokens --gateway $(GATEWAY_URL) --role "$(ROLE)" \
		$(if $(ORG),--org "$(ORG)") $(if $(MEMBER),--member "$(MEMBER)") $(if $(NAME),--name "$(NAME)")

status: ## what runs
	@uv run python infra/local/suite.py status

down: ## stop what `make up` started, and nothing else
	-uv run python infra/local/suite.py down
	$(TRACES_SH) down
	$(INFRA) down

test: install infra ## unit, integration (real RabbitMQ and FerretDB) and e2e (through the gateway)
	$(WITH_INFRA) uv run pytest -m "not faults and not fuzz"

# in CI: three of the dissolution's 13 kills (a relay, a bulk batch, the evaluations roster),
# of 100 members; make faults-dissolution runs all 13 at 1,000 (15 to 25 minutes)
CI_DISSOLUTION_SEAMS := members-relay.published-receptions,members-batches.updated:2-receptions,evaluations-roster.moved-receptions
faults: install infra ## the fault tests (tests/faults: minutes, not in make test; CI runs both)
	$(INFRA) ferretdb-binary >/dev/null  # the store test kills a FerretDB of its own
	$(WITH_INFRA) FAULT_DISSOLUTION_MEMBERS=$${FAULT_DISSOLUTION_MEMBERS:-100} \
		FAULT_DISSOLUTION_SEAMS=$${FAULT_DISSOLUTION_SEAMS:-$(CI_DISSOLUTION_SEAMS)} \
		uv run pytest tests/faults -m faults

faults-dissolution: install infra ## a 1,000-member dissolution with a service killed at each of 13 seams
	$(WITH_INFRA) uv run pytest tests/faults/test_dissolution_killed.py -m faults

FUZZ_OPERATIONS ?= 2500
fuzz: install infra ## generated and malformed traffic through the gateway, the full count (tests/fuzz)
	$(WITH_INFRA) FUZZ_OPERATIONS=$(FUZZ_OPERATIONS) uv run pytest tests/fuzz -m fuzz

MINUTES ?= 10
soak: install infra ## a steady mixed read/write load through the gateway with locust: make soak [MINUTES=10]
	$(WITH_INFRA) uv run python bench/soak/run.py --minutes $(MINUTES)

check: install lint schemas-check supergraph-check compose-check chart-check asyncapi-check ## what CI checks besides the tests

lint: ## ruff, mypy, import boundaries
	uv run ruff check .
	uv run ruff format --check .
	uv run mypy libs/kit/src libs/logs/src libs/papers/src services/organisations/src services/members/src services/evaluations/src gateway/src tools/cli/src examples
	uv run lint-imports

SCHEMAS := organisations members evaluations
schemas: ## export each subgraph's SDL to its schema.graphql
	@for s in $(SCHEMAS); do uv run python -m kit.sdl $$s.schema:schema services/$$s/schema.graphql; done

schemas-check:
	@for s in $(SCHEMAS); do uv run python -m kit.sdl $$s.schema:schema services/$$s/schema.graphql --check || exit 1; done

supergraph: schemas ## compose gateway/supergraph.graphql with @apollo/composition
	node gateway/node/compose.mjs

supergraph-check:
	node gateway/node/compose.mjs --check

compose-check: ## validate docker-compose.yml (no Docker engine needed)
	@command -v docker-compose >/dev/null || apt-get install -y -q docker-compose >/dev/null
	docker-compose -f docker-compose.yml --env-file infra/compose/example.env config -q

# the Kubernetes the chart is rendered for and its manifests validated against (kubernetes-validate
# bundles the schemas: no cluster, no network)
KUBERNETES_VERSION ?= 1.34.0
CHART := infra/helm/partyorg
chart-check: ## lint and render the Helm chart (defaults, infra/helm/ci-values.yaml), validate every manifest, test it
	@helm=$$(infra/local/helm.sh) && mkdir -p build/chart && set -x && \
	$$helm lint --strict --kube-version $(KUBERNETES_VERSION) $(CHART) && \
	$$helm lint --strict --kube-version $(KUBERNETES_VERSION) $(CHART) -f infra/helm/ci-values.yaml && \
	$$helm template partyorg $(CHART) --kube-version $(KUBERNETES_VERSION) >build/chart/default.yaml && \
	$$helm template partyorg $(CHART) --kube-version $(KUBERNETES_VERSION) -f infra/helm/ci-values.yaml \
		>build/chart/production.yaml && \
	uv run kubernetes-validate --strict --quiet -k $(KUBERNETES_VERSION) build/chart/default.yaml build/chart/production.yaml && \
	HELM=$$helm KUBERNETES_VERSION=$(KUBERNETES_VERSION) uv run pytest tests/deploy -q

ASYNCAPI := $(wildcard services/*/asyncapi.yaml)
asyncapi-check: ## validate services/*/asyncapi.yaml with the AsyncAPI parser (@asyncapi/parser)
	node tools/asyncapi/validate.mjs $(ASYNCAPI)

asyncapi-html: ## the event catalogue as HTML in build/asyncapi/ (open build/asyncapi/index.html)
	@[ -d tools/asyncapi/node_modules ] || npm ci --prefix tools/asyncapi --no-audit --no-fund --loglevel=error
	node tools/asyncapi/render.mjs build/asyncapi $(ASYNCAPI)

compose-secrets: ## make .env and secrets/ for docker compose (keeps what exists)
	uv run python -m infra.compose.secrets

bench: ## every benchmark but bench-scale, bench-restructuring and the soak, each printing figures and ratios
	@for b in $(filter-out bench/scale/run.py bench/soak/run.py bench/restructuring/run.py,$(wildcard bench/*/run.py)); do \
		echo "== $$b"; uv run python $$b || exit 1; done

SIZE ?= ward
SIZES ?= ward,district
bench-restructuring: install infra ## the 2025 merger over the synthetic Hà Nội: make bench-restructuring SIZES=ward,district|city
	$(WITH_INFRA) uv run python bench/restructuring/run.py --sizes $(SIZES)

bench-scale: install infra ## a synthetic Hà Nội through the gateway: make bench-scale SIZE=ward|district|city
	$(WITH_INFRA) uv run python bench/scale/run.py --size $(SIZE)
