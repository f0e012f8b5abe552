# rfx — top-level build. The verbs people type: make, make test, make demo,
# make bench, make fuzz, make leakcheck, make format.
#
# BUILD selects the output folder, so several builds (release, sanitizers,
# fuzzing) live side by side: make BUILD=build/asan SAN=1
CC      ?= cc
BUILD   ?= build
SAN     ?=
PKGS    := libpcre2-8 jansson libutf8proc libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
OPT     ?= -O2
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) -g $(WARN) -Iinclude -Isrc $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lgumbo -lstemmer -llinear -lm -lpthread
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC   := $(shell find src -name '*.c' | sort)
CLI_SRC   := $(shell find cli -name '*.c' | sort)
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HEADERS   := $(shell find include src cli tests -name '*.h')

.PHONY: all deps demo test check unit e2e bench fuzz fuzz-ci leakcheck format clean eval

all: $(BUILD)/rfx

deps:
	@tools/install-deps.sh

# V=1 shows the full commands
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/librfx.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

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

bench: all
	bench/run.sh $(BUILD)/rfx

eval: all
	$(BUILD)/rfx eval ../shared/data/filings

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(HEADERS)

clean:
	rm -rf build build-*
