# Gonggao — make deps | build | demo | test | clean
# `make demo` and `make test` are the README's first two commands; .ci/run runs `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# The Swift toolchain lives outside the default PATH on our machines.
export PATH := /opt/swift/usr/bin:$(PATH)
SWIFT ?= swift

# Every Debian package the project needs (build, tests, later: posters, pushes, printing, verification).
DEBIAN_PACKAGES := libssl-dev libsqlite3-dev libpq-dev postgresql pkg-config \
	libcurl4-openssl-dev libqrencode-dev libpng-dev libpango1.0-dev libcairo2-dev fonts-noto-cjk \
	libmicrohttpd-dev libcups2-dev cups-ipp-utils zbar-tools poppler-utils qrencode avahi-daemon dbus
# The browser tests (Tests/Browser): Chromium and its driver; venv for Selenium's virtual environment
# (installed by `make test` and `make browser-test` only: the demo does not need a browser).
TEST_PACKAGES := chromium chromium-driver python3-venv
# Selenium and pytest from PyPI, pinned, in a virtual environment `make deps` makes when missing.
PYTHON ?= python3
TEST_VENV := .venv-test
BROWSER_REQUIREMENTS := Tests/Browser/requirements.txt

# apt needs root: use sudo only when we are not root already.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Loopback ceilings for the benchmarks (only `make bench` installs them).
BENCH_PACKAGES := wrk nginx-light sqlite3
PACKAGES ?= $(DEBIAN_PACKAGES)

DEMO_CONFIG := Config/demo.json

.PHONY: deps test-deps build release demo test browser-test browser-test-run bench soak clean

## deps: install the Debian packages that are missing (apt-get update only when something is)
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else \
		echo "make deps: all $(words $(PACKAGES)) Debian packages present"; \
	fi

## test-deps: deps, plus Chromium and the browser tests' Python environment (made only when missing or stale)
test-deps:
	$(MAKE) --no-print-directory deps PACKAGES="$(DEBIAN_PACKAGES) $(TEST_PACKAGES)"
	@if ! cmp -s $(BROWSER_REQUIREMENTS) $(TEST_VENV)/requirements.txt; then \
		echo "make deps: Python test environment $(TEST_VENV) from $(BROWSER_REQUIREMENTS)"; \
		rm -rf $(TEST_VENV); \
		$(PYTHON) -m venv $(TEST_VENV); \
		$(TEST_VENV)/bin/pip install -q --disable-pip-version-check -r $(BROWSER_REQUIREMENTS); \
		cp $(BROWSER_REQUIREMENTS) $(TEST_VENV)/requirements.txt; \
	fi

## build: debug build of everything
build: deps
	$(SWIFT) build

## release: optimised build of the gonggao command
release: deps
	$(SWIFT) build -c release --product gonggao

## demo: fresh demo store; sandbox portals on loopback; import the sample, draft, submit and approve the
## pre-announcement with two users; deliver to all four channels; print the receipts, the posters and the
## parcel-page URL, then end (DEMO_SERVE=1 keeps `gonggao serve` running in the foreground afterwards)
# The demo never depends on today's date: every process starts its clock at this instant.
demo: export GONGGAO_CLOCK = 2026-12-01T10:00:00+08:00
demo: release
	@bin="$$($(SWIFT) build -c release --show-bin-path)/gonggao"; \
	gg() { echo "\$$ gonggao $$* --config $(DEMO_CONFIG)" >&2; "$$bin" "$$@" --config $(DEMO_CONFIG); }; \
	rm -rf .demo; mkdir -p .demo; \
	gg init; \
	"$$bin" sandbox --config $(DEMO_CONFIG) > .demo/sandbox.out 2> .demo/sandbox.log & sandbox=$$!; \
	trap 'kill $$sandbox 2>/dev/null; wait $$sandbox 2>/dev/null || true' EXIT; \
	for i in $$(seq 1 100); do grep -q "sandbox portals on" .demo/sandbox.out 2>/dev/null && break; sleep 0.1; done; \
	cat .demo/sandbox.out; \
	gg project import Config/samples/anji-meixi-2026-37.project.json --as zhang.wei; \
	id="$$(gg notice draft Config/samples/anji-meixi-2026-37.pre-announcement.json --as zhang.wei)"; \
	echo "$$id"; \
	gg notice submit "$$id" --as zhang.wei; \
	gg notice approve "$$id" --as li.na; \
	gg worker --until-idle 2> .demo/worker.log; \
	gg notice show "$$id"; \
	gg deliveries list --notice "$$id"; \
	echo "posters in the spool folder:"; find .demo/spool -type f | sort; \
	gg audit verify; \
	echo "parcel page of the sample project: http://127.0.0.1:8080/p/330523-2026-37 (served by 'DEMO_SERVE=1 make demo')"; \
	if [ -n "$${DEMO_SERVE:-}" ]; then \
		echo "serving on http://127.0.0.1:8080 until Ctrl-C (officer API under /api, parcel pages under /p)"; \
		"$$bin" serve --config $(DEMO_CONFIG) || true; \
	fi

## test: unit, store and end-to-end CLI tests, then the browser tests
test: test-deps
	$(SWIFT) test
	$(MAKE) --no-print-directory browser-test-run

## browser-test: the console and parcel pages in headless Chromium (Tests/Browser; screenshots in
## .artifacts/browser/); under CI a missing Chromium fails them, never skips them
browser-test: test-deps
	$(MAKE) --no-print-directory browser-test-run

browser-test-run:
	$(SWIFT) build --product gonggao
	GONGGAO_BIN="$$($(SWIFT) build --show-bin-path)/gonggao" $(TEST_VENV)/bin/python -m pytest Tests/Browser

## bench: every benchmark beside its anchor in the same run (release builds), ≤ 10 min, ONE markdown table:
## posters and QR vs bare C, deliveries vs wrk, approve→acknowledged latency, claims at 10k vs 1M (SQLite
## and PostgreSQL), pages vs nginx, peak RSS of a 1,000-poster batch (each script's own report: bench/out/*.md)
bench:
	$(MAKE) deps PACKAGES="$(DEBIAN_PACKAGES) $(BENCH_PACKAGES)"
	@mkdir -p bench/out; rm -f bench/out/summary.json; export SUMMARY_JSON="$$PWD/bench/out/summary.json"; \
	t0=$$(date +%s); started="$$(date -u '+%Y-%m-%d %H:%M UTC')"; failed=""; \
	run() { name=$$1; shift; echo "make bench: $$name…" >&2; \
		env "$$@" bench/$$name.sh > bench/out/$$name.md || failed="$$failed $$name"; }; \
	run poster RUNS=7; \
	run delivery RUNS=5 DELIVERIES=1000 WRK_SECONDS=3 WINDOW=60; \
	run page RUNS=5 WRK_SECONDS=3; \
	run claims ROUNDS=5 CLAIMS=40 BUDGET=4; \
	run rss BATCH=1000; \
	python3 bench/summary.py "$$SUMMARY_JSON" "$$started" "$$(( $$(date +%s) - t0 ))"; \
	if [ -n "$$failed" ]; then echo "make bench: failed:$$failed (see bench/out/)" >&2; exit 1; fi

## soak: the release binary under 100 SIGKILLs while 10,000 deliveries flow, every sandbox fault on every
## channel, schemathesis against /openapi.json, PostgreSQL and portal restart storms, three workers on
## PostgreSQL with one killed; ≤ 20 min, every figure and a summary table; non-zero on any loss (SEED= replays)
SOAK_VENV := .venv-soak
SOAK_REQUIREMENTS := bench/soak/requirements.txt
soak:
	$(MAKE) deps PACKAGES="$(DEBIAN_PACKAGES) sqlite3"
	@if ! cmp -s $(SOAK_REQUIREMENTS) $(SOAK_VENV)/requirements.txt; then \
		echo "make soak: Python environment $(SOAK_VENV) from $(SOAK_REQUIREMENTS) (schemathesis)"; \
		rm -rf $(SOAK_VENV); \
		$(PYTHON) -m venv $(SOAK_VENV); \
		$(SOAK_VENV)/bin/pip install -q --disable-pip-version-check -r $(SOAK_REQUIREMENTS); \
		cp $(SOAK_REQUIREMENTS) $(SOAK_VENV)/requirements.txt; \
	fi
	SOAK_VENV=$(SOAK_VENV) bench/soak/soak.sh

## clean: remove build output and the demo store (never var/, which holds real data)
clean:
	rm -rf .build .demo
