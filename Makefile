# rfx — top-level build. The verbs people type: make, make test, make demo,
# make bench, make fuzz, make leakcheck, make format.
#
# BUILD selects the output folder, so several builds (release, sanitizers,
# fuzzing) live side by side: make BUILD=build/asan SAN=1
CC      ?= cc
BUILD   ?= build
SAN     ?=
PKGS    := libpcre2-8 jansson libutf8proc libcrypto
# corpus store (src/store/): embedded SQLite with FTS5
PKGS    += sqlite3
# rfx fetch: HTTP client for SEC EDGAR (src/fetch/http.c)
PKGS += libcurl
# PDF input (src/ingest/pdf.c): poppler-glib + cairo for text and rendering
PKGS    += poppler-glib cairo
# OCR of pages without a text layer (src/ingest/pdf_ocr.c)
PKGS    += tesseract lept
# PostgreSQL corpus backend (src/store/pg.c, docs/corpus.md, PostgreSQL)
PKGS    += libpq
# rfx serve: the HTTP server (docs/serve.md)
PKGS += libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
OPT     ?= -O2
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) -g $(WARN) -Iinclude -Isrc $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lgumbo -lstemmer -llinear -lm -lpthread
# Objects are position-independent so the same ones make librfx.so (Python, install)
CFLAGS  += -fPIC
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC   := $(shell find src -name '*.c' | sort)
CLI_SRC   := $(shell find cli -name '*.c' | sort)
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
# The classifier's default model and word lists are compiled into the library:
# tools/classify_embed.sh turns the data files into C in $(BUILD)/gen (sh+sed,
# nothing else), so no data path is needed at run time.
CLS_LISTS := data/wordlists/uncertainty.txt data/wordlists/litigious.txt \
             data/wordlists/negative.txt data/wordlists/boilerplate_4grams.txt
LIB_OBJ   += $(BUILD)/obj/gen/model_default.o $(BUILD)/obj/gen/wordlists_default.o
# rfx serve's web application (web/) is compiled in the same way by
# tools/web_embed.sh, so the binary serves its pages with no files beside it.
WEB_FILES := web/index.html web/app.js web/style.css
LIB_OBJ   += $(BUILD)/obj/gen/web_assets.o
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HEADERS   := $(shell find include src cli tests -name '*.h')

.PHONY: all deps demo test check unit e2e bench bench-corpus fuzz fuzz-ci leakcheck format clean eval
.PHONY: bench-pdf
.PHONY: all deps demo test check unit e2e bench fuzz fuzz-ci leakcheck format clean eval

all: $(BUILD)/rfx $(BUILD)/librfx.so

deps:
	@tools/install-deps.sh

# V=1 shows the full commands
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/model_default.c: data/model/default.rfxm tools/classify_embed.sh
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  EMBED   $@")
	$(Q)tools/classify_embed.sh $@ rfx_default_model_text data/model/default.rfxm
$(BUILD)/gen/wordlists_default.c: $(CLS_LISTS) tools/classify_embed.sh
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  EMBED   $@")
	$(Q)tools/classify_embed.sh $@ rfx_wl_uncertainty data/wordlists/uncertainty.txt \
	    rfx_wl_litigious data/wordlists/litigious.txt rfx_wl_negative data/wordlists/negative.txt \
	    rfx_wl_boilerplate data/wordlists/boilerplate_4grams.txt
$(BUILD)/gen/web_assets.c: $(WEB_FILES) tools/web_embed.sh
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  EMBED   $@")
	$(Q)tools/web_embed.sh $@ $(WEB_FILES)
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/librfx.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

# The shared library: versioned file, soname librfx.so.0 (bumped when the ABI
# breaks), and the librfx.so / librfx.so.0 links a build tree and an install need.
SOVERSION := 0
RFX_VER   := $(shell sed -n 's/^.define RFX_VERSION "\(.*\)"/\1/p' include/rfx.h)
SO_FILE   := librfx.so.$(RFX_VER)
$(BUILD)/librfx.so: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -shared -Wl,-soname,librfx.so.$(SOVERSION) -o $(BUILD)/$(SO_FILE) $(LIB_OBJ) $(LDLIBS)
	$(Q)ln -sf $(SO_FILE) $(BUILD)/librfx.so.$(SOVERSION) && ln -sf $(SO_FILE) $@

$(BUILD)/rfx: $(CLI_OBJ) $(BUILD)/librfx.a
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/librfx.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librfx.a $(HEADERS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librfx.a $(LDLIBS) -lcmocka

# The demo: a fictional company's disclosure bundled in examples/.
demo: deps
	@$(MAKE) --no-print-directory all >/dev/null
	$(BUILD)/rfx parse examples/northwind-20f-2024.txt --text

# Every test, built and run under AddressSanitizer + UndefinedBehaviorSanitizer,
# after a warning-free release build. Ends with "N passed, N failed".
test: deps
	@$(MAKE) --no-print-directory all >/dev/null
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 OPT=-O1 build/asan/rfx $(TEST_BIN:$(BUILD)/%=build/asan/%) >/dev/null
	@tests/run.sh build/asan

# Tests without the sanitizer rebuild (quick local loop).
check: all $(TEST_BIN)
	@tests/run.sh $(BUILD)

# bench/stages: each pipeline stage timed alone, both ways of reading
$(BUILD)/bench/stages: bench/stages/stages.c $(BUILD)/librfx.a $(HEADERS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librfx.a $(LDLIBS)

# bench/corpus: search latency through the store API (bench/corpus/run.sh)
$(BUILD)/bench/corpus_search: bench/corpus/search.c $(BUILD)/librfx.a $(HEADERS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librfx.a $(LDLIBS)
# bench/pdf: pages per second on PDFs and the share of each stage
$(BUILD)/bench/pdf_bench: bench/pdf/pdf_bench.c $(BUILD)/librfx.a $(HEADERS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librfx.a $(LDLIBS)

bench-corpus: all $(BUILD)/bench/corpus_search
	bench/corpus/run.sh $(BUILD)

bench-pdf: all $(BUILD)/bench/pdf_bench
	PDF_BENCH=$(BUILD)/bench/pdf_bench bench/pdf/run.sh $(BUILD)/rfx

bench: all $(BUILD)/bench/stages
	STAGES=$(BUILD)/bench/stages bench/run.sh $(BUILD)/rfx

# ---- reliability (docs/reliability.md): fuzzing and leak checks ----
# make fuzz: libFuzzer targets with ASan+UBSan in build/fuzz/ (clang-14).
# make fuzz-ci: each target for FUZZ_SECONDS (8 x 35 s; CI 8 x 25 s); longer runs:
# fuzz/run.sh -t 3600 [TARGET...]. make leakcheck: valgrind over the fixtures.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 35
FUZZ_BIN     := $(patsubst fuzz/%.c,build/fuzz/%,$(wildcard fuzz/fuzz_*.c))
fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=$(FUZZ_CC) \
	    OPT="-O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	    fuzz-lib
	@$(MAKE) --no-print-directory fuzz-bins
fuzz-lib: $(BUILD)/librfx.a
	@:
fuzz-bins: $(FUZZ_BIN)
	@:
build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h build/fuzz/librfx.a
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g $(WARN) -Iinclude -Isrc \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	    -o $@ $< build/fuzz/librfx.a $(LDLIBS)
fuzz-ci: fuzz
	@fuzz/run.sh -t $(FUZZ_SECONDS) -b build/fuzz
leakcheck: all
	@tests/regress/leakcheck.sh $(BUILD)/rfx

eval: all
	$(BUILD)/rfx eval ../shared/data/filings

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(HEADERS)

clean:
	rm -rf build build-*

# ---- install (docs: README "Install") ----
# make install PREFIX=/usr/local [DESTDIR=...]; make uninstall with the same.
# Every man/*.1 is installed, so a subcommand's page is picked up by adding it.
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DATADIR    ?= $(PREFIX)/share/rfx
DOCDIR     ?= $(PREFIX)/share/doc/rfx
SCHEMAS    := $(sort $(wildcard schema/*.schema.json))
MAN_PAGES  := $(sort $(wildcard man/*.1))
LIBS_PRIVATE := $(filter-out $(PKG_LIBS),$(LDLIBS))

$(BUILD)/rfx.pc: tools/rfx.pc.in Makefile
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(RFX_VER)|' -e 's|@REQUIRES@|$(PKGS)|' -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|' $< >$@

.PHONY: install uninstall $(BUILD)/rfx.pc
install: all $(BUILD)/rfx.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(DOCDIR)
	install -m 755 $(BUILD)/rfx $(DESTDIR)$(PREFIX)/bin/rfx
	install -m 644 $(BUILD)/librfx.a $(DESTDIR)$(LIBDIR)/librfx.a
	install -m 755 $(BUILD)/$(SO_FILE) $(DESTDIR)$(LIBDIR)/$(SO_FILE)
	ln -sf $(SO_FILE) $(DESTDIR)$(LIBDIR)/librfx.so.$(SOVERSION)
	ln -sf $(SO_FILE) $(DESTDIR)$(LIBDIR)/librfx.so
	install -m 644 include/rfx.h $(DESTDIR)$(INCLUDEDIR)/rfx.h
	install -m 644 $(BUILD)/rfx.pc $(DESTDIR)$(LIBDIR)/pkgconfig/rfx.pc
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completion/rfx.bash $(DESTDIR)$(BASHCOMPDIR)/rfx
	install -m 644 $(SCHEMAS) $(DESTDIR)$(DATADIR)/schema/
	install -m 644 docs/json.md $(DESTDIR)$(DOCDIR)/json.md

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rfx $(DESTDIR)$(LIBDIR)/librfx.a $(DESTDIR)$(LIBDIR)/librfx.so \
	    $(DESTDIR)$(LIBDIR)/librfx.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/$(SO_FILE) \
	    $(DESTDIR)$(INCLUDEDIR)/rfx.h $(DESTDIR)$(LIBDIR)/pkgconfig/rfx.pc \
	    $(DESTDIR)$(BASHCOMPDIR)/rfx $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN_PAGES))) \
	    $(addprefix $(DESTDIR)$(DATADIR)/schema/,$(notdir $(SCHEMAS))) $(DESTDIR)$(DOCDIR)/json.md
	-rmdir $(DESTDIR)$(DATADIR)/schema $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) 2>/dev/null
