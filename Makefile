# The two commands: `make run` starts the app locally; `make test` runs every test.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
VENV := run/venv
# Debian packages the build, the local run and the tests need.
DEBIAN_PACKAGES := libfcgi-dev libfcgi-bin libpq-dev libssl-dev libcurl4-openssl-dev nginx curl \
	postgresql spawn-fcgi python3-venv
# What only the end-to-end suite needs: a real browser for the UI and widget tests, and the
# servers the deployment examples are tested with.
E2E_PACKAGES := chromium fonts-dejavu-core apache2 libapache2-mod-fcgid systemd python3-seccomp openssl

.PHONY: run test bench fuzz fuzz-short install build build-release build-debug deps python-deps unit-test e2e-test web web-check clean

deps:
	@scripts/install-debian-packages.sh $(DEBIAN_PACKAGES)

build: build-release

# Statically linked Swift runtime: the installed binary must not depend on a toolchain under
# /home or /root, which the hardened unit hides.
build-release: deps
	$(SWIFT) build -c release --static-swift-stdlib --product FCGIApp

build-debug: deps
	$(SWIFT) build --product FCGIApp

# RUN_CONFIG=debug reuses the test build instead of an optimised one.
RUN_CONFIG ?= release
run: build-$(RUN_CONFIG)
	@FCGIAPP_BINARY=$(CURDIR)/.build/$(RUN_CONFIG)/FCGIApp exec scripts/run.sh

python-deps: $(VENV)/.installed
$(VENV)/.installed: Tests/e2e/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/e2e/requirements.txt
	touch $@

unit-test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

e2e-test: build-debug python-deps
	@scripts/install-debian-packages.sh $(E2E_PACKAGES)
	FCGIAPP_BINARY=$(CURDIR)/.build/debug/FCGIApp $(VENV)/bin/python -m pytest -q Tests/e2e

# The OAuth UI and widgets are built offline with Debian's esbuild and React; the output is
# committed, and web-check fails when it no longer matches web/.
web:
	scripts/build-web.sh

web-check:
	scripts/build-web.sh --check

# Every suite; the storage contract and the end-to-end suites also run against a real
# PostgreSQL started for the run (scripts/with-test-postgres.sh).
test: web-check
	REQUIRE_TEST_POSTGRES=1 scripts/with-test-postgres.sh $(MAKE) --no-print-directory unit-test e2e-test

# Throughput figures, each beside a reference measured in the same run (see Sources/Bench).
bench: deps
	$(SWIFT) build -c release --product Bench
	$(SWIFT) build -c release --static-swift-stdlib --product FCGIApp
	.build/release/Bench
	scripts/bench-http.sh

# libFuzzer with AddressSanitizer over every parser of untrusted input (Fuzz/README.md).
# fuzz-short is the CI pass: the regression inputs, then 20 s per target.
FUZZ_SECONDS ?= 600
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-short: deps
	scripts/fuzz.sh --short

# Installs the built binary, static files, nginx route rules, systemd units and an example
# environment file. Build first as yourself: `make build && sudo make install`.
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
install:
	PREFIX=$(PREFIX) SYSCONFDIR=$(SYSCONFDIR) DESTDIR=$(DESTDIR) scripts/install.sh

clean:
	rm -rf .build run
