# install.sh — `make install PREFIX=...` into a temporary prefix: the files a
# user gets, a C program built with `pkg-config --cflags --libs rfx` against
# the shared and the static library (fully static where every dependency
# has a static archive), and `make uninstall` removing them all.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for tool in make pkg-config cc; do
    command -v $tool >/dev/null 2>&1 || { skip "install" "$tool is not installed"; echo "1..$n"; exit 0; }
done
P="$T/prefix"
# the release build (build/); a nested make must not join the caller's jobserver
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s -C "$RFX_ROOT" "$@"; }
if mk install PREFIX="$P" >"$T/log" 2>&1; then ok "make install PREFIX=tmp"; else notok "make install PREFIX=tmp" "$(tail -5 "$T/log")"; fi
for f in bin/rfx lib/librfx.a lib/librfx.so lib/librfx.so.0 include/rfx.h lib/pkgconfig/rfx.pc \
         share/man/man1/rfx.1 share/man/man1/rfx-parse.1 share/man/man1/rfx-diff.1 \
         share/man/man1/rfx-eval.1 share/man/man1/rfx-train.1 share/bash-completion/completions/rfx \
         share/rfx/schema/register.schema.json share/rfx/schema/diff.schema.json share/doc/rfx/json.md; do
    check "installed $f" test -e "$P/$f"
done
check "every man/*.1 is installed" sh -c 'for m in "$1"/man/*.1; do test -f "$2/share/man/man1/$(basename "$m")" || exit 1; done' _ "$RFX_ROOT" "$P"
so=$(readelf -d "$P/lib/librfx.so" 2>/dev/null | sed -n 's/.*soname: \[\(.*\)\]/\1/p')
[ "$so" = librfx.so.0 ] && ok "soname is librfx.so.0" || notok "soname is librfx.so.0" "got '$so'"
check "installed rfx runs" "$P/bin/rfx" version
if command -v bash >/dev/null 2>&1; then
    comp() { PATH="$P/bin:$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rfx; echo "${COMPREPLY[*]}"' _ "$P/share/bash-completion/completions/rfx" "$@"; }
    [ "$(comp rfx pa)" = parse ] && ok "completion: commands" || notok "completion: commands" "got '$(comp rfx pa)'"
    [ "$(comp rfx parse --wordl)" = --wordlist ] && ok "completion: a command's options" || notok "completion: a command's options" "got '$(comp rfx parse --wordl)'"
    # the commands added after parse and diff, and their options and values
    for w in "li lint" "pe peers" "fe fetch" "db db" "ser serve" "ind index"; do
        set -- $w
        [ "$(comp rfx "$1")" = "$2" ] && ok "completion: rfx $1 -> $2" || notok "completion: rfx $1 -> $2" "got '$(comp rfx "$1")'"
    done
    for w in "parse --ocr-t --ocr-timeout" "lint --fail- --fail-on" "peers --pe --peers" "fetch --user --user-agent" \
             "serve --tls-k --tls-key" "export --js --jsonl"; do
        set -- $w
        [ "$(comp rfx "$1" "$2")" = "$3" ] && ok "completion: rfx $1 $2 -> $3" || notok "completion: rfx $1 $2 -> $3" "got '$(comp rfx "$1" "$2")'"
    done
    [ "$(comp rfx db mi)" = migrate ] && ok "completion: rfx db's verbs" || notok "completion: rfx db's verbs" "got '$(comp rfx db mi)'"
    [ "$(comp rfx lint --fail-on w)" = warning ] && ok "completion: lint --fail-on levels" || notok "completion: lint --fail-on levels" "got '$(comp rfx lint --fail-on w)'"
    [ "$(comp rfx lint --disable ocr,s105-g)" = ocr,s105-general ] && ok "completion: lint --disable rule ids" ||
        notok "completion: lint --disable rule ids" "got '$(comp rfx lint --disable ocr,s105-g)'"
fi

cat >"$T/prog.c" <<'C'
#include <rfx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
    rfx_options opt;
    rfx_options_init(&opt);
    rfx_register *reg = NULL;
    rfx_error err;
    rfx_status st = rfx_parse_file(argv[1], &opt, &reg, &err);
    if (st != RFX_OK) { fprintf(stderr, "%s\n", err.message); return 1; }
    char *json = rfx_register_json(reg, 0);
    printf("%zu risks; %s; %s\n", rfx_risk_count(reg), rfx_risk_heading(reg, 0),
           json && strstr(json, "\"schema_version\":\"" RFX_SCHEMA_VERSION "\"") ? "schema ok" : "no schema");
    free(json);
    rfx_register_free(reg);
    (void)argc;
    return 0;
}
C
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
check "pkg-config knows rfx" pkg-config --exists rfx
check "pkg-config version is rfx's" test "$(pkg-config --modversion rfx)" = "$("$P/bin/rfx" version | cut -d' ' -f2)"
EX="$RFX_ROOT/examples/northwind-20f-2024.txt"
want=$("$P/bin/rfx" parse "$EX" --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%d risks; %s; schema ok" % (len(d["risks"]), d["risks"][0]["heading"]))')
if cc -std=c11 -Wall -Werror -o "$T/prog" "$T/prog.c" $(pkg-config --cflags --libs rfx) 2>"$T/cc.log"; then
    ok "a C program builds with pkg-config --cflags --libs rfx"
    got=$(LD_LIBRARY_PATH="$P/lib" "$T/prog" "$EX")
    [ "$got" = "$want" ] && ok "it parses the example through librfx.so" || notok "it parses the example through librfx.so" "got '$got', want '$want'"
    check "it is linked to librfx.so.0" sh -c 'LD_LIBRARY_PATH="$1/lib" ldd "$2" | grep -q "librfx.so.0 => $1/lib/"' _ "$P" "$T/prog"
else
    notok "a C program builds with pkg-config --cflags --libs rfx" "$(head -5 "$T/cc.log")"
fi
# librfx.a: the static rfx with its dependencies' shared libraries (what a
# distribution without static archives of libcurl's own dependencies allows):
# Requires.private resolved by pkg-config without --static, Libs.private as
# rfx.pc states it. The program must then not load librfx.so at all.
reqs=$(pkg-config --print-requires-private rfx)
privs=$(sed -n 's/^Libs.private: *//p' "$P/lib/pkgconfig/rfx.pc")
if cc -std=c11 -Wall -Werror -o "$T/prog_a" "$T/prog.c" $(pkg-config --cflags rfx) "$P/lib/librfx.a" \
       $privs $(pkg-config --libs $reqs) 2>"$T/cc.log"; then
    got=$("$T/prog_a" "$EX")
    [ "$got" = "$want" ] && ok "links librfx.a (Requires.private, Libs.private) and parses the example" ||
        notok "links librfx.a (Requires.private, Libs.private) and parses the example" "got '$got'"
    if ldd "$T/prog_a" | grep -q librfx; then notok "the librfx.a program loads no librfx.so" "$(ldd "$T/prog_a" | grep librfx)"
    else ok "the librfx.a program loads no librfx.so"; fi
else
    notok "links librfx.a (Requires.private, Libs.private) and parses the example" "$(head -5 "$T/cc.log")"
fi
# A fully static program (-static, pkg-config --static) needs a lib*.a of
# every library that names; distributions ship few (Debian: none for
# libcurl's nghttp2, rtmp, ssh2, psl), so the check runs only where all are.
static_libs=$(pkg-config --static --libs rfx)
nostatic=""
for l in $(printf '%s\n' $static_libs | sed -n 's/^-l//p' | sort -u); do
    [ "$l" = rfx ] && continue
    found=""
    for d in $(printf '%s\n' $static_libs | sed -n 's/^-L//p'); do [ -f "$d/lib$l.a" ] && found=1; done
    a=$(cc -print-file-name="lib$l.a")
    [ -n "$found" ] || { [ "$a" != "lib$l.a" ] && [ -f "$a" ]; } || nostatic="$nostatic lib$l.a"
done
if [ -n "$nostatic" ]; then
    skip "static link with pkg-config --static" "no static archive of:$nostatic"
elif cc -static -std=c11 -Wall -Werror -o "$T/prog_static" "$T/prog.c" $(pkg-config --cflags rfx) \
       $static_libs 2>"$T/cc.log"; then
    got=$("$T/prog_static" "$EX")
    [ "$got" = "$want" ] && ok "static link with pkg-config --static" || notok "static link with pkg-config --static" "got '$got'"
else
    notok "static link with pkg-config --static" "$(head -5 "$T/cc.log")"
fi

if mk uninstall PREFIX="$P" >"$T/log" 2>&1; then ok "make uninstall"; else notok "make uninstall" "$(tail -5 "$T/log")"; fi
left=$(find "$P" -type f -o -type l | head -5)
[ -z "$left" ] && ok "uninstall leaves no file behind" || notok "uninstall leaves no file behind" "$left"
echo "1..$n"
