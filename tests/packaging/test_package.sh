#!/usr/bin/env bash
# The Debian package is a complete desktop application: builds the .deb with cpack from the existing build,
# unpacks it with dpkg-deb -x into a temporary root, and checks the package metadata, the files, the desktop
# entry, the AppStream metainfo, the icons and the man pages; then runs the INSTALLED programs, with a clean
# environment (no LD_LIBRARY_PATH, no data directory given), on the INSTALLED demo model. `maxstate` is in two
# parts: the executable (no LibTorch, no Qt) and the module that runs models, MODULE_DIR/libmaxstate-run.so
# (relative to /usr), which it loads only for the commands that need it: both are checked, and that it is so.
#
#   test_package.sh CPACK BUILD_DIR SOURCE_DIR VERSION APP_ID GUI(ON|OFF) MODULE_DIR
#
# Exit 0 when everything passes, 1 on any failure, 77 (skip) when everything present passes but a piece that
# another branch delivers is not in the tree yet; the pieces skipped are named on the last line.
set -uo pipefail

if [ $# -ne 7 ]; then
  echo "usage: $0 CPACK BUILD_DIR SOURCE_DIR VERSION APP_ID GUI MODULE_DIR" >&2
  exit 2
fi
CPACK=$1 BUILD=$2 SOURCE=$3 VERSION=$4 APP_ID=$5 GUI=$6 MODULE=$7/libmaxstate-run.so

failures=0
missing=()
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }
# check DESCRIPTION COMMAND...: runs the command, reports the result.
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
contains() { grep -qF -- "$2" <<<"$1"; }

for tool in dpkg-deb dpkg dpkg-parsechangelog desktop-file-validate appstreamcli groff lexgrog file readelf ldd gzip; do
  command -v "$tool" >/dev/null || {
    echo "FAIL: '$tool' is not installed (tools/dev installs what the tests need)" >&2
    exit 1
  }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/maxstate-package.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
ROOT=$TMP/root
mkdir -p "$TMP/home" "$TMP/out" "$ROOT" "$TMP/runtime"
chmod 700 "$TMP/runtime"  # Qt insists on a private XDG_RUNTIME_DIR

# ---------------------------------------------------------------- build the package
if ! "$CPACK" -G DEB --config "$BUILD/CPackConfig.cmake" -B "$TMP/out" >"$TMP/cpack.log" 2>&1; then
  cat "$TMP/cpack.log" >&2
  echo "FAIL: cpack could not build the package" >&2
  exit 1
fi
debs=("$TMP"/out/*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  cat "$TMP/cpack.log" >&2
  echo "FAIL: expected one .deb from cpack, got: ${debs[*]}" >&2
  exit 1
fi
deb=${debs[0]}
arch=$(dpkg --print-architecture)
check "package file name is maxstate-explorer_${VERSION}_${arch}.deb" \
  test "$(basename "$deb")" = "maxstate-explorer_${VERSION}_${arch}.deb"

# ---------------------------------------------------------------- metadata
field() { dpkg-deb -f "$deb" "$1"; }
check "Package is maxstate-explorer" test "$(field Package)" = maxstate-explorer
check "Version is $VERSION" test "$(field Version)" = "$VERSION"
check "Architecture is $arch" test "$(field Architecture)" = "$arch"
check "Section is science" test "$(field Section)" = science
check "Maintainer is 'Name <email>'" grep -qE '^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$' <<<"$(field Maintainer)"
description=$(field Description)
check "Description has a synopsis and an extended description" \
  test "$(head -1 <<<"$description" | wc -c)" -gt 20 -a "$(wc -l <<<"$description")" -ge 5
check "Description lines fit in 80 columns" test "$(awk 'length > 80' <<<"$description" | wc -l)" -eq 0
depends=$(field Depends)
echo "Depends: $depends"
# dpkg-shlibdeps ran: the dependencies name the packages of the shared libraries the programs link.
check "Depends has libc6 and libstdc++6 (from the shared libraries used)" \
  grep -qE '(^|, )libc6 .*libstdc\+\+6|libstdc\+\+6.*(^|, )libc6 ' <<<"$depends"
check "Depends has LibTorch's runtime package" grep -qE '(^|, )libtorch[0-9.]+( |,|$)' <<<"$depends"
if [ "$GUI" = ON ]; then
  check "Depends has Qt 6 Widgets" grep -qE '(^|, )libqt6widgets6( |,|$)' <<<"$depends"
  check "Depends has the Qt SVG icon engine" grep -qE '(^|, )libqt6svg6( |,|$)' <<<"$depends"
fi
check "Recommends OpenBLAS" grep -qE '(^|, )libopenblas0-pthread( |,|$)' <<<"$(field Recommends)"
check "Recommends a CJK font" grep -qE '(^|, )fonts-noto-cjk \| fonts-wqy-microhei( |,|$)' <<<"$(field Recommends)"

# ---------------------------------------------------------------- contents
listing=$(dpkg-deb -c "$deb")
check "every file is owned by root" test "$(awk '$2 != "root/root"' <<<"$listing" | wc -l)" -eq 0
check "every file is under /usr" test "$(awk '{print $6}' <<<"$listing" | grep -vE '^\./(usr(/.*)?)?$' | wc -l)" -eq 0
check "no headers, static libraries or build leftovers" \
  test "$(awk '{print $6}' <<<"$listing" | grep -E '\.(a|h|o|cmake)$|/include/|CMakeFiles' | wc -l)" -eq 0
dpkg-deb -x "$deb" "$ROOT" || { echo "FAIL: dpkg-deb -x could not unpack the package" >&2; exit 1; }

U=$ROOT/usr
expected=(bin/maxstate "$MODULE" share/man/man1/maxstate.1.gz share/doc/maxstate-explorer/README.md
          share/doc/maxstate-explorer/user-guide.md share/doc/maxstate-explorer/changelog.gz
          share/maxstate-explorer/jieba.dat share/doc/maxstate-explorer/copyright)
sizes=(16 22 24 32 48 64 128 256)
if [ "$GUI" = ON ]; then
  expected+=(bin/maxstate-explorer share/man/man1/maxstate-explorer.1.gz
             "share/applications/$APP_ID.desktop" "share/metainfo/$APP_ID.metainfo.xml"
             share/icons/hicolor/scalable/apps/maxstate-explorer.svg)
  for s in "${sizes[@]}"; do expected+=("share/icons/hicolor/${s}x${s}/apps/maxstate-explorer.png"); done
fi
for f in "${expected[@]}"; do check "installs /usr/$f" test -s "$U/$f"; done
check "the module /usr/$MODULE is not executable (a library loaded by maxstate)" test ! -x "$U/$MODULE"
check "the copyright file records jieba's licence" \
  grep -q "^Files: usr/share/maxstate-explorer/jieba.dat" "$U/share/doc/maxstate-explorer/copyright"
zcat "$U/share/doc/maxstate-explorer/changelog.gz" >"$TMP/changelog"
check "the Debian changelog parses and its newest entry is $VERSION" \
  test "$(dpkg-parsechangelog -l "$TMP/changelog" -S Version 2>&1)" = "$VERSION"

# ---------------------------------------------------------------- the programs as installed
programs=(maxstate)
[ "$GUI" = ON ] && programs+=(maxstate-explorer)
for p in "${programs[@]}" "$MODULE"; do
  if [ "$p" = "$MODULE" ]; then
    exe=$U/$MODULE
    p=$(basename "$MODULE")
  else
    exe=$U/bin/$p
    check "$p is executable" test -x "$exe"
  fi
  check "$p is stripped" grep -q ', stripped' <<<"$(file -b "$exe")"
  # The loader must find every library on the system, not in the build tree.
  check "$p has no RPATH/RUNPATH" test "$(readelf -d "$exe" | grep -cE 'RPATH|RUNPATH')" -eq 0
  check "$p finds all its shared libraries" test "$(ldd "$exe" | grep -c 'not found')" -eq 0
  # Every library the program links comes from a package the .deb depends on (one dpkg -S: it is slow).
  libs=$(ldd "$exe")
  needed=$(readelf -d "$exe" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  # dpkg knows a file by the path its package ships, /lib/... or /usr/lib/... (merged /usr): ask for both.
  paths=()
  for soname in $needed; do
    # ldd prints "soname => path (address)", but the dynamic loader itself as "path (address)".
    path=$(readlink -f "$(awk -v so="$soname" '$1 == so {print $3; exit} $1 ~ "/" so "$" {print $1; exit}' <<<"$libs")")
    paths+=("$path" "/lib/${path#/usr/lib/}")
  done
  owners=$(dpkg -S "${paths[@]}" 2>/dev/null)
  for ((i = 0; i < ${#paths[@]}; i += 2)); do
    owner=$(awk -v a="${paths[i]}" -v b="${paths[i + 1]}" \
              '$2 == a || $2 == b {sub(/:.*/, "", $1); print $1; exit}' <<<"$owners")
    pattern=$(sed 's/[][\.+*?^$(){}|]/\\&/g' <<<"${owner:-unknown}")
    check "$p's $(basename "${paths[i]}") (package ${owner:-unknown}) is in Depends" \
      grep -qE "(^|, )$pattern( |,|$)" <<<"$depends"
  done
done
# maxstate starts without LibTorch and Qt Widgets; the module brings them, and offers only its entry point.
needed=$(readelf -d "$U/bin/maxstate" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
check "maxstate links no LibTorch, Qt Widgets or QCustomPlot (only its module does)" \
  test -z "$(grep -E '^lib(torch|c10|Qt6Widgets|QCustomPlot|qcustomplot)' <<<"$needed")"
check "libmaxstate-run.so links LibTorch" grep -qE '(NEEDED).*\[libtorch' <<<"$(readelf -d "$U/$MODULE")"
check "libmaxstate-run.so exports its entry point maxstate_run_module" \
  grep -qE ' GLOBAL +DEFAULT +[0-9]+ maxstate_run_module$' <<<"$(readelf -W --dyn-syms "$U/$MODULE")"

# Installed programs run as a user would: a clean environment, in a folder of their own, nothing pointing them
# at libraries or data. Where mount namespaces are allowed (root), the source and build trees are hidden from
# them too -- a build-tree fallback compiled into the programs cannot stand in for the installed data.
mkdir -p "$TMP/empty"
isolate=()
hidden=()
src=$(readlink -f "$SOURCE")
for d in "$src" "$(readlink -f "$BUILD")"; do
  case "$(readlink -f "$TMP")/" in "$d"/*) continue ;; esac  # never hide the temporary root itself
  # A build folder inside the source tree is hidden with it (and could not be mounted over once it is).
  [ "$d" != "$src" ] && case "$d/" in "$src"/*) [ "${hidden[0]:-}" = "$src" ] && continue ;; esac
  hidden+=("$d")
done
# shellcheck disable=SC2016
if [ ${#hidden[@]} -gt 0 ] && unshare -m --propagation private true 2>/dev/null; then
  isolate=(unshare -m --propagation private sh -c \
    'e=$1; shift; while [ "$1" != -- ]; do mount --bind "$e" "$1" || exit 125; shift; done; shift; exec "$@"' \
    sh "$TMP/empty" "${hidden[@]}" --)
  echo "installed programs run with ${hidden[*]} hidden"
else
  echo "note: mount namespaces are not available: installed programs run with the source and build trees visible"
fi
run() { (cd "$TMP/home" && env -i PATH=/usr/bin:/bin HOME="$TMP/home" LANG=C.UTF-8 "${isolate[@]}" "$@"); }
# traced NAME COMMAND...: run, recording the shared objects the dynamic loader opens; loads NAME lists them.
traced() {
  local name=$1
  shift
  run env LD_DEBUG=files LD_DEBUG_OUTPUT="$TMP/ld-$name" "$@"
}
loads() { cat "$TMP/ld-$1".* 2>/dev/null | sed -n 's/.*file=\([^ ]*\) .*/\1/p' | sort -u; }
without_torch() { test -n "$(loads "$1")" && test -z "$(loads "$1" | grep -E 'libtorch|libc10|libQt6Widgets|libQCustomPlot|libqcustomplot|libmaxstate-run')"; }

out=$(traced version "$U/bin/maxstate" --version)
check "maxstate --version prints 'maxstate $VERSION'" test "$(head -1 <<<"$out")" = "maxstate $VERSION"
check "maxstate --version names OpenBLAS (found without LibTorch)" grep -q '^BLAS: OpenBLAS' <<<"$out"
check "maxstate --version loads neither LibTorch nor Qt Widgets nor its module" without_torch version
out=$(traced help "$U/bin/maxstate" --help)
check "maxstate --help loads neither LibTorch nor Qt Widgets nor its module" without_torch help
check "maxstate --help shows the usage and both options" \
  bash -c 'grep -q "^Usage: maxstate" <<<"$1" && grep -q -- "--version" <<<"$1" && grep -q -- "--help" <<<"$1"' _ "$out"
run "$U/bin/maxstate" help no-such-command >/dev/null 2>&1
check "maxstate help NO-SUCH-COMMAND is a usage error (exit 2)" test $? -eq 2
commands=$(sed -n '/^Commands:/,/^$/p' <<<"$out" | awk 'NR > 1 && NF {print $1}')
echo "commands: $(tr '\n' ' ' <<<"$commands")"

if [ "$GUI" = ON ]; then
  out=$(run "$U/bin/maxstate-explorer" --version)
  check "maxstate-explorer --version prints 'maxstate-explorer $VERSION' without a display" \
    test "$out" = "maxstate-explorer $VERSION"
  out=$(run "$U/bin/maxstate-explorer" --help)
  check "maxstate-explorer --help shows the usage and its options without a display" \
    bash -c 'grep -q "^Usage: maxstate-explorer" <<<"$1" && grep -q -- "--version" <<<"$1"' _ "$out"
  err=$(run "$U/bin/maxstate-explorer" 2>&1 >/dev/null)
  rc=$?
  check "maxstate-explorer without a display exits 1 and says so" \
    bash -c '[ "$1" -eq 1 ] && grep -qi "no display" <<<"$2"' _ "$rc" "$err"
  # The installed GUI starts (Qt finds its plugins, the compiled-in icon loads) and is still running when it is
  # stopped; it would open the installed demo model.
  err=$(run env QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$TMP/runtime" timeout 8 "$U/bin/maxstate-explorer" 2>&1)
  rc=$?
  check "the installed maxstate-explorer starts and keeps running (offscreen)" test $rc -eq 124
  problems=$(grep -iE '^maxstate-explorer:|cannot open|could not (find|load)|failed to|error' <<<"$err")
  check "the installed maxstate-explorer starts without complaints" test -z "$problems"
  [ -z "$err" ] || echo "$err"
fi

# ---------------------------------------------------------------- man pages
# A man page as a reader sees it, with groff's typographic hyphens and minus signs turned back into '-'.
render_man() { zcat "$1" | groff -man -Tutf8 -P-cbou 2>/dev/null | sed 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g'; }
for p in "${programs[@]}"; do
  page=$U/share/man/man1/$p.1.gz
  warnings=$(zcat "$page" | groff -man -Tutf8 -ww -z 2>&1)
  check "$p.1 formats without groff warnings" test -z "$warnings"
  [ -z "$warnings" ] || echo "$warnings" >&2
  check "$p.1 has a NAME line for whatis" lexgrog "$page"
  text=$(render_man "$page")
  check "$p.1 shows version $VERSION" contains "$text" "$p $VERSION"
  check "$p.1 documents --help and --version" \
    bash -c 'grep -q -- "--help" <<<"$1" && grep -q -- "--version" <<<"$1"' _ "$text"
done
# Every command's full help is in maxstate(1): each of its lines appears there.
man_text=$(render_man "$U/share/man/man1/maxstate.1.gz" | sed 's/^ *//; s/ *$//')
for c in $commands; do
  lost=$(run "$U/bin/maxstate" help "$c" | sed 's/^ *//; s/ *$//' | grep . | grep -vxF -f <(cat <<<"$man_text"))
  check "maxstate.1 has the full help of '$c'" test -z "$lost"
  [ -z "$lost" ] || echo "not in maxstate.1: $lost" >&2
done

# ---------------------------------------------------------------- desktop integration
if [ "$GUI" = ON ]; then
  desktop=$U/share/applications/$APP_ID.desktop
  out=$(desktop-file-validate "$desktop" 2>&1)
  check "desktop-file-validate accepts $APP_ID.desktop" test -z "$(grep -v ' hint: ' <<<"$out")"
  [ -z "$out" ] || echo "$out"
  exec_line=$(sed -n 's/^Exec=//p' "$desktop")
  check "the desktop entry runs the installed maxstate-explorer" test -x "$U/bin/${exec_line%% *}"
  icon=$(sed -n 's/^Icon=//p' "$desktop")
  check "the desktop entry's icon '$icon' is installed" \
    test -s "$U/share/icons/hicolor/scalable/apps/$icon.svg" -a -s "$U/share/icons/hicolor/48x48/apps/$icon.png"
  for s in "${sizes[@]}"; do
    png=$U/share/icons/hicolor/${s}x${s}/apps/$icon.png
    check "icon ${s}x${s} is a ${s} x ${s} PNG" contains "$(file -b "$png")" "PNG image data, $s x $s,"
  done

  metainfo=$U/share/metainfo/$APP_ID.metainfo.xml
  out=$(appstreamcli validate --no-net "$metainfo" 2>&1)
  check "appstreamcli validates the metainfo" test $? -eq 0
  echo "$out"
  out=$(appstreamcli validate-tree --no-net "$ROOT" 2>&1)
  check "appstreamcli validates the installed tree (metainfo, desktop entry, icons together)" test $? -eq 0
  echo "$out"
  check "metainfo id is $APP_ID" grep -qF "<id>$APP_ID</id>" "$metainfo"
  check "metainfo launches $APP_ID.desktop" \
    grep -qF "<launchable type=\"desktop-id\">$APP_ID.desktop</launchable>" "$metainfo"
  newest=$(grep -m1 -oE '<release version="[^"]+"' "$metainfo" | cut -d'"' -f2)
  check "metainfo's newest release is $VERSION (add a <release> when the version changes)" \
    test "$newest" = "$VERSION"
fi

# ---------------------------------------------------------------- the installed demo model, inspected and traced
DEMO=$U/share/maxstate-explorer/demo
has_command() { run "$U/bin/maxstate" help "$1" >/dev/null 2>&1; }
if ! has_command inspect; then missing+=("'maxstate inspect' (branch inspect)"); fi
if ! has_command trace; then missing+=("'maxstate trace' (branch model)"); fi

# The demo manifest (core/util/resources.cpp reads it): prints "default_model vocabulary text", then one line
# "file variant heads" per checkpoint; fails naming what is missing.
read_manifest() {
  /usr/bin/python3 - "$DEMO" <<'PY'
import json, os, sys
demo = sys.argv[1]
m = json.load(open(os.path.join(demo, "demo.json")))
names = [m["default_model"], m["vocabulary"], m["text"]] + [c["file"] for c in m["checkpoints"]]
absent = [n for n in names if not os.path.isfile(os.path.join(demo, n))]
assert not absent, f"the manifest names files that are not installed: {absent}"
assert m["checkpoints"], "the manifest lists no checkpoints"
print(m["default_model"], m["vocabulary"], m["text"])
for sub in m.get("demos", []):  # the other demos (the Chinese one): their files are installed too
    d = json.load(open(os.path.join(demo, sub, "demo.json")))
    keys = ["default_model", "vocabulary", "text", "long_text", "long_text_ids", "chat"]
    names = [d[k] for k in keys if k in d] + [c["file"] for c in d["checkpoints"]]
    absent = [n for n in names if not os.path.isfile(os.path.join(demo, sub, n))]
    assert not absent, f"the {sub} demo's manifest names files that are not installed: {absent}"
for c in m["checkpoints"]:
    print(c["file"], c["variant"], c["heads"])
PY
}

# Checks what `maxstate inspect --json` printed ($1) against the variant ($2) and heads ($3) expected, if given;
# prints "layers variant kind".
check_inspect_json() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
for key in ("format", "variant", "kind", "vocab_size", "hidden", "heads", "layers", "dtype", "parameters",
            "layers_info"):
    assert key in d, f"no '{key}' in {d}"
assert d["format"] in ("torch-zip", "torch-legacy", "safetensors", "torchscript"), d["format"]
assert d["variant"] in ("openash", "seed") and d["kind"] in ("model", "layer"), d
assert d["hidden"] > 0 and d["heads"] > 0 and d["hidden"] % d["heads"] == 0, d
assert d["layers"] >= 1 and len(d["layers_info"]) == d["layers"], d
assert (d["vocab_size"] is None) == (d["kind"] == "layer"), d
if len(sys.argv) > 2:
    assert d["variant"] == sys.argv[2] and d["heads"] == int(sys.argv[3]), (d, sys.argv[2:])
print(d["layers"], d["variant"], d["kind"])
PY
}

# Checks the files `maxstate trace` wrote in $1 for a model of $2 layers, variant $3, kind $4.
check_trace_dir() {
  /usr/bin/python3 - "$@" <<'PY'
import json, os, sys
import numpy as np
out, layers, variant, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
terms_count = 6 if variant == "openash" else 5
json.load(open(os.path.join(out, "meta.json")))
for L in range(layers):
    d = os.path.join(out, f"layer{L}")
    x, state, source, terms, y = (np.load(os.path.join(d, n + ".npy"))
                                  for n in ("input", "state", "source", "terms", "output"))
    S, H, dh = state.shape
    assert S > 1, f"layer {L}: only {S} positions traced"
    assert x.dtype == np.float32 and x.shape == (S, H * dh), (L, x.shape)
    assert state.dtype == np.float32 and source.dtype == np.int64 and source.shape == (S, H, dh)
    assert terms.shape == (terms_count, S, H, dh) and y.shape == (S, H * dh), (L, terms.shape, y.shape)
    # A running maximum never decreases; its source is an earlier (or the same) position and never moves back.
    assert (np.diff(state, axis=0) >= 0).all(), f"layer {L}: the state decreases"
    assert (source >= 0).all() and (source <= np.arange(S)[:, None, None]).all(), f"layer {L}: a future source"
    assert (np.diff(source, axis=0) >= 0).all(), f"layer {L}: a source moves back"
    # The terms add up to the output, whose channel order is j*H + h.
    summed = terms.sum(0, dtype=np.float64).transpose(0, 2, 1).reshape(S, H * dh)
    err = np.abs(summed - y).max() / max(1.0, np.abs(y).max())
    assert err < 1e-5, f"layer {L}: the terms do not add up to the output ({err})"
if kind == "model":
    logits = np.load(os.path.join(out, "logits.npy"))
    assert logits.dtype == np.float32 and logits.shape[0] == S and np.isfinite(logits).all(), logits.shape
print(f"{layers} layers, {S} positions")
PY
}

if [ ! -f "$DEMO/demo.json" ]; then
  missing+=("demo models in resources/demo (branch text)")
elif ! manifest=$(read_manifest); then
  fail "the installed demo manifest $DEMO/demo.json is consistent"
else
  ok "the installed demo manifest names only installed files"
  read -r default_model vocabulary text_file <<<"$(head -1 <<<"$manifest")"
  if has_command inspect; then
    # The newest checkpoint of each variant (the reader itself is tested on every form elsewhere; each run of
    # an installed program costs a LibTorch start).
    while read -r file variant heads; do
      json=$(run "$U/bin/maxstate" inspect "$DEMO/$file" --heads "$heads" --json)
      check "installed 'maxstate inspect --json' describes the installed demo $file ($variant, $heads heads)" \
        check_inspect_json "$json" "$variant" "$heads"
    done < <(tail -n +2 <<<"$manifest" | tac | sort -s -u -k2,2)
    out=$(traced inspect "$U/bin/maxstate" inspect "$DEMO/$default_model" 2>&1)
    check "installed 'maxstate inspect' summarises the installed demo $default_model" test $? -eq 0
    echo "$out"
    check "installed 'maxstate inspect' loads neither LibTorch nor Qt Widgets nor its module" without_torch inspect
    # No PATH: the program must find the installed demo by itself, next to where it is installed.
    default_json=$(run "$U/bin/maxstate" inspect "$DEMO/$default_model" --json)
    check "installed 'maxstate inspect' without PATH finds the installed demo by itself" \
      test "$(run "$U/bin/maxstate" inspect --json 2>&1)" = "$default_json"
  fi
  if has_command inspect && has_command trace; then
    read -r layers variant kind < <(check_inspect_json "$default_json")
    text=$(/usr/bin/python3 -c 'import sys; print(" ".join(open(sys.argv[1], encoding="utf-8").read().split())[:60])' \
             "$DEMO/$text_file")
    out=$(traced trace "$U/bin/maxstate" trace "$DEMO/$default_model" --vocab "$DEMO/$vocabulary" \
            --text "$text" --out "$TMP/trace" 2>&1)
    check "installed 'maxstate trace' runs the installed demo $default_model on the demo text" test $? -eq 0
    echo "$out"
    check "installed 'maxstate trace' runs in the installed module /usr/$MODULE, with LibTorch" \
      bash -c 'grep -qxF "$1" <<<"$2" && grep -q "libtorch_cpu" <<<"$2"' _ "$(readlink -f "$U/$MODULE")" "$(loads trace)"
    check "the trace holds every layer's input, state, source, terms and output, consistent" \
      check_trace_dir "$TMP/trace" "$layers" "$variant" "$kind"
  fi
fi

# ---------------------------------------------------------------- report
if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "SKIPPED (not in the tree yet): ${missing[*]}"
  exit 77
fi
echo "the package is complete"
