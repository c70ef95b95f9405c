# Wellbeing Metrics API. `make` builds build/wellbeingd; `make run` sets up a private
# PostgreSQL and serves; `make test` runs every test (also under ASan and UBSan).
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
CPPFLAGS += -I/usr/include/postgresql -Iserver
LDLIBS  := -lmicrohttpd -ljansson -lpq -lcrypto -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SERVER_SRC := $(wildcard server/*.c server/http/*.c server/api/*.c server/store/*.c server/domain/*.c)
DOMAIN_SRC := $(wildcard server/domain/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
HEADERS    := $(wildcard server/*.h server/http/*.h server/api/*.h server/store/*.h server/domain/*.h)
OPENAPI_SRC := openapi/src/base.json $(sort $(wildcard openapi/src/paths/*.json))

OBJ      := $(SERVER_SRC:%.c=build/obj/%.o)
ASAN_OBJ := $(SERVER_SRC:%.c=build/asan/obj/%.o)
ASAN_DOMAIN_OBJ := $(DOMAIN_SRC:%.c=build/asan/obj/%.o)

# The dashboard's one run-time library, installed from the npm registry at the exact
# version dashboard/package-lock.json pins and copied into dashboard/vendor/ (git-ignored)
# under a name carrying that version, so the server may mark it immutable.
CHART_VERSION := $(shell sed -n 's/^ *"chart\.js": *"\([0-9][0-9.]*\)".*/\1/p' dashboard/package.json)
CHART_JS := dashboard/vendor/chart-$(CHART_VERSION).umd.min.js

export WELLBEING_DATABASE_URL ?= $(shell scripts/devdb url)

.PHONY: all deps run test test-all unit page-test api-test browser-test asan fmt fmt-check clean \
        bench bench-ingest bench-cluster check-structure db-start db-stop serve install \
        docker-check cluster-test

all: build/wellbeingd $(CHART_JS)

deps:
	@scripts/deps build

dashboard/node_modules/.package-lock.json: dashboard/package.json dashboard/package-lock.json
	@scripts/deps page
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error

$(CHART_JS): dashboard/node_modules/.package-lock.json
	@mkdir -p dashboard/vendor
	rm -f dashboard/vendor/chart-*
	cp dashboard/node_modules/chart.js/dist/chart.umd.min.js $@
	cp dashboard/node_modules/chart.js/LICENSE.md dashboard/vendor/chart-$(CHART_VERSION).LICENSE.txt

# What an installation needs beside the binary, laid out as find_data_dir expects:
# PREFIX/bin/wellbeingd with sql/, openapi/ and dashboard/ beside bin/.
PREFIX ?= /usr/local/lib/wellbeing
# The page's scripts are ES modules: app.js and every module it imports, all in dashboard/.
DASHBOARD_FILES := dashboard/index.html $(wildcard dashboard/*.js) dashboard/styles.css dashboard/favicon.svg
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/openapi $(DESTDIR)$(PREFIX)/dashboard/vendor
	install -m 755 build/wellbeingd $(DESTDIR)$(PREFIX)/bin/wellbeingd
	cp -R sql $(DESTDIR)$(PREFIX)/
	install -m 644 openapi/openapi.json $(DESTDIR)$(PREFIX)/openapi/
	install -m 644 $(DASHBOARD_FILES) $(DESTDIR)$(PREFIX)/dashboard/
	install -m 644 dashboard/vendor/* $(DESTDIR)$(PREFIX)/dashboard/vendor/

build/obj/%.o: %.c $(HEADERS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(CPPFLAGS) -c $< -o $@

# The served spec, merged from one fragment per resource (openapi/README.md). The folder
# is a prerequisite so that removing a fragment rebuilds it too.
openapi/openapi.json: $(OPENAPI_SRC) openapi/src/paths scripts/build-openapi | deps
	scripts/build-openapi $@ $(OPENAPI_SRC)

# The binary reads the spec at run time rather than embedding it: order-only, so a spec
# edit rebuilds the spec but does not relink.
build/wellbeingd: $(OBJ) | openapi/openapi.json
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LDLIBS)

build/asan/obj/%.o: %.c $(HEADERS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -c $< -o $@

build/asan/wellbeingd: $(ASAN_OBJ) | openapi/openapi.json
	$(CC) $(SAN) -o $@ $(ASAN_OBJ) $(LDLIBS)

asan: build/asan/wellbeingd

# A unit test links the domain objects and the sources its UNIT_LINK_<test> names (the
# parts of server/http it tests, and stand-ins from tests/unit/support for what those
# call outside the test's reach). Never daemon.c or request.c: unit tests link without
# libmicrohttpd, a database or any handler.
UNIT_LINK_test_router := server/http/router.c
UNIT_LINK_test_log := server/log.c
UNIT_LINK_test_reply := server/http/reply.c
UNIT_LINK_test_workers := server/http/workers.c server/log.c
UNIT_LINK_test_question := server/http/question.c server/http/cache.c server/http/reply.c \
                           tests/unit/support/usage_fake.c
UNIT_LINK_test_cache := server/http/cache.c server/http/reply.c server/http/question.c \
                        tests/unit/support/usage_fake.c
UNIT_SUPPORT := $(wildcard tests/unit/support/*.c tests/unit/support/*.h)

build/asan/obj/tests/unit/support/%.o: tests/unit/support/%.c $(HEADERS) $(UNIT_SUPPORT) | deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -Itests/unit -c $< -o $@

# Kept between runs like every other object (make would delete it as intermediate).
.SECONDARY: $(patsubst %.c,build/asan/obj/%.o,$(filter %.c,$(UNIT_SUPPORT)))

.SECONDEXPANSION:
unit_objs = $(patsubst %.c,build/asan/obj/%.o,$(UNIT_LINK_$(1)))

build/asan/tests/%: tests/unit/%.c $(ASAN_DOMAIN_OBJ) $$(call unit_objs,$$*) \
                    $(HEADERS) $(UNIT_SUPPORT) | deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS) -Itests/unit $< $(ASAN_DOMAIN_OBJ) \
		$(call unit_objs,$*) -o $@ -lcmocka -ljansson -lm -lpthread

# Fuzzers (libFuzzer + ASan + UBSan) over the pure domain code: each runs FUZZ_SECONDS from
# its committed seeds in tests/fuzz/corpus/<target>/; new inputs and any crash stay in build/.
FUZZ_SECONDS ?= 20
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)

.PHONY: fuzz

# The targets that link the whole server (main.c aside): fuzz_http runs the daemon in
# the fuzzer's process, fed raw requests over loopback; fuzz_router needs the route
# table, which names every handler.
FUZZ_SERVER_SRC := $(filter-out server/main.c,$(SERVER_SRC))
build/fuzz/fuzz_http build/fuzz/fuzz_router: build/fuzz/%: tests/fuzz/%.c $(FUZZ_SERVER_SRC) $(HEADERS) | openapi/openapi.json
	@mkdir -p $(dir $@)
	clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(CPPFLAGS) $< $(FUZZ_SERVER_SRC) -o $@ $(LDLIBS)

build/fuzz/%: tests/fuzz/%.c $(DOMAIN_SRC) $(HEADERS)
	@mkdir -p $(dir $@)
	clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(CPPFLAGS) $< $(DOMAIN_SRC) -o $@ -ljansson

fuzz: $(FUZZ_BIN)
	@set -e; for t in $(FUZZ_BIN); do n=$${t##*/}; mkdir -p build/fuzz/corpus/$$n; \
	  echo "== $$n for $(FUZZ_SECONDS) s"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=build/fuzz/$$n- \
	    build/fuzz/corpus/$$n tests/fuzz/corpus/$$n; done

db-start:
	@scripts/deps db
	@scripts/devdb start

db-stop:
	@scripts/devdb stop

# Serve on 127.0.0.1:8080 (or WELLBEING_LISTEN) with the private database. Everything
# missing is installed first, in one pass. NEW_KEY=1: a new development admin key.
NEW_KEY ?= 0
run:
	@scripts/deps build page db
	@$(MAKE) --no-print-directory serve

# scripts/run-dev: migrate, the development admin key kept in .devdb/admin-key and reused
# (NEW_KEY=1 makes a new one), the server's log in .devdb/wellbeingd.log, and a closing
# block with the page, the key and what to read next.
serve: all db-start
	@NEW_KEY=$(NEW_KEY) scripts/run-dev

unit: $(UNIT_BIN)
	@scripts/deps test
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

# The dashboard's modules that need no DOM (formatting, periods, RAG words, Making Data
# Count judgements, CSV, tile text, chart configurations) under node's test runner; no
# browser, no server.
page-test:
	node --test --test-reporter=spec tests/dashboard/

tests/node_modules/.package-lock.json: tests/package.json tests/package-lock.json
	@scripts/deps test
	cd tests && npm ci --no-audit --no-fund --loglevel=error

api-test: build/wellbeingd build/asan/wellbeingd db-start tests/node_modules/.package-lock.json
	@scripts/deps test
	tests/api/run.sh

tests/browser/node_modules/.package-lock.json: tests/browser/package.json tests/browser/package-lock.json
	@scripts/deps test
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error

# The dashboard in Debian's Chromium (installed if missing) against a real server.
browser-test: all db-start tests/browser/node_modules/.package-lock.json
	@scripts/deps test browser
	tests/browser/run.sh

# The many-machine shape on loopback (primary, pg_basebackup replica, PgBouncer, two
# wellbeingd, HAProxy; Debian packages, no Docker): tests/cluster/, stopped by a trap.
cluster-test: build/asan/wellbeingd
	@scripts/deps cluster
	tests/cluster/run.sh

# The compose file through docker-compose config, the Dockerfile's build held to make.
docker-check: all
	@scripts/deps test docker
	node --test --test-reporter=spec tests/docker/

# Every test, after installing whatever is missing in one pass (one apt-get update).
test:
	@scripts/deps build page db test browser docker cluster
	@$(MAKE) --no-print-directory test-all

test-all: fmt-check check-structure all asan unit page-test api-test browser-test docker-check \
          cluster-test

# The shape HACKING.md describes: no include cycle, no SQL in handlers, a pure domain,
# microhttpd.h only in the daemon and request core, no source file over 600 lines.
check-structure:
	@scripts/check-structure

fmt:
	clang-format -i $(SERVER_SRC) $(HEADERS) $(UNIT_SRC) $(UNIT_SUPPORT)

fmt-check:
	@clang-format --dry-run -Werror $(SERVER_SRC) $(HEADERS) $(UNIT_SRC) $(UNIT_SUPPORT) && echo "fmt-check: formatted"

clean:
	rm -rf build openapi/openapi.json dashboard/vendor

# Read benchmark: wrk against the board view and a series, beside a bare libmicrohttpd
# program and nginx serving the same bytes (prints only; DURATION=10s CONNECTIONS=64).
build/bench/bare_mhd: bench/bare_mhd.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 $< -o $@ -lmicrohttpd -lpthread

bench: build/wellbeingd build/bench/bare_mhd db-start
	@scripts/deps bench
	scripts/bench

# Reads through HAProxy with one and two API processes, and the replica's lag under a
# 100,000-row submission, on the loopback cluster (prints only).
bench-cluster: build/wellbeingd
	@scripts/deps cluster bench test
	scripts/bench-cluster

# Ingest benchmark: 100,000 rows as one CSV submission against psql \copy (prints only).
bench-ingest: build/wellbeingd db-start
	@scripts/deps test
	scripts/bench-ingest
