#!/usr/bin/env bash
# maxstate starts without LibTorch: the executable links neither LibTorch nor Qt, help, --version and inspect
# never load them (the dynamic loader's own record, LD_DEBUG=files, says what was opened), and the commands that
# run models load libmaxstate-run.so, which brings LibTorch, and work. A module that is missing or broken is one
# line naming the file, exit 1.
#
#   check_startup.sh MAXSTATE WORK_DIR
set -uo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 MAXSTATE WORK_DIR" >&2
  exit 2
fi
MAXSTATE=$(readlink -f "$1") WORK=$2
MODULE=$(dirname "$MAXSTATE")/libmaxstate-run.so
HEAVY='libtorch|libc10|libQt6|libQCustomPlot|libqcustomplot'

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
[ -f "$MODULE" ] || { echo "FAIL: no module $MODULE beside $MAXSTATE (build the target maxstate_run)" >&2; exit 1; }

# ---------------------------------------------------------------- what the files link
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
exe_needed=$(needed "$MAXSTATE")
echo "maxstate needs: $(tr '\n' ' ' <<<"$exe_needed")"
check "maxstate links no LibTorch, c10, Qt or QCustomPlot" test -z "$(grep -E "^($HEAVY)" <<<"$exe_needed")"
check "libmaxstate-run.so links LibTorch (the test would prove nothing otherwise)" \
  grep -qE '^libtorch' <<<"$(needed "$MODULE")"

# ---------------------------------------------------------------- what a run opens
# opened NAME ARGS...: runs maxstate, keeping its output in $WORK/NAME.out/.err and exit status in $WORK/NAME.rc;
# prints the shared objects the loader opened, one a line.
opened() {
  local name=$1
  shift
  LD_DEBUG=files LD_DEBUG_OUTPUT="$WORK/ld-$name" "$MAXSTATE" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
  echo $? >"$WORK/$name.rc"
  cat "$WORK/ld-$name".* 2>/dev/null | sed -n 's/.*file=\([^ ]*\) .*/\1/p' | sort -u
}
light() {
  local name=$1 expect=$2
  shift 2
  local libs
  libs=$(opened "$name" "$@")
  check "maxstate $* exits $expect" test "$(cat "$WORK/$name.rc")" -eq "$expect"
  # LD_DEBUG must have recorded something, or "nothing heavy was opened" would be vacuous.
  check "maxstate $* opens libstdc++ (the loader's record works)" grep -q 'libstdc++' <<<"$libs"
  local heavy
  heavy=$(grep -E "$HEAVY|libmaxstate-run" <<<"$libs")
  check "maxstate $* loads neither LibTorch nor Qt nor the module" test -z "$heavy"
  [ -z "$heavy" ] || echo "  opened: $(tr '\n' ' ' <<<"$heavy")" >&2
}
light help 0 --help
light version 0 --version
check "--version names the BLAS (OpenBLAS) found without LibTorch" grep -q '^BLAS: OpenBLAS' "$WORK/version.out"
light help_trace 0 help trace
light trace_help 0 trace --help
light export_help 0 export --help
light whatif_help 0 whatif --help
light inspect 0 inspect
check "inspect summarised the demo" grep -q '^variant' "$WORK/inspect.out"
light inspect_json 0 inspect --json
light inspect_missing 1 inspect "$WORK/no-such-file.pth"
light alphas 0 alphas "$(dirname "$0")/../../resources/demo" --csv
check "alphas listed the demo's training run" grep -q 'openash_step1000.pth' "$WORK/alphas.out"
light unknown 2 no-such-command

libs=$(opened trace trace --ids 1,2,3 --out "$WORK/trace")
check "maxstate trace exits 0" test "$(cat "$WORK/trace.rc")" -eq 0
cat "$WORK/trace.err" >&2
check "maxstate trace loads $MODULE" grep -qxF "$MODULE" <<<"$libs"
check "maxstate trace loads LibTorch (through the module)" grep -q 'libtorch_cpu' <<<"$libs"
check "maxstate trace wrote layer 0's state" test -s "$WORK/trace/layer0/state.npy"
# An error raised in the module is reported as the executable reported it before the split.
opened export_usage export --ids 1,2 --layer x --what state --format csv --out "$WORK/x.csv" >/dev/null
check "an error in the module is a usage error (exit 2)" test "$(cat "$WORK/export_usage.rc")" -eq 2
check "... with its message and the pointer to the command's help" \
  test "$(cat "$WORK/export_usage.err")" = "maxstate export: --layer expects a layer number or 'all', got 'x'
Run 'maxstate export --help' for usage."

# ---------------------------------------------------------------- a module missing, broken, or another library
# A copy of the executable in a folder of its own finds no module beside it nor in ../lib/<multiarch>/maxstate.
one_line_error() {
  local dir=$1 what=$2 expect=$3
  "$dir/maxstate" trace --ids 1 --out "$WORK/never" >"$WORK/$what.out" 2>"$WORK/$what.err"
  local rc=$?
  check "$what module: maxstate trace exits 1" test $rc -eq 1
  check "$what module: one line on stderr, naming the file ($expect)" \
    bash -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -qF -- "$2" "$1"' _ "$WORK/$what.err" "$expect"
  cat "$WORK/$what.err"
}
mkdir -p "$WORK/missing" "$WORK/broken" "$WORK/other"
for d in missing broken other; do cp "$MAXSTATE" "$WORK/$d/maxstate"; done
one_line_error "$WORK/missing" missing "cannot find libmaxstate-run.so"
"$WORK/missing/maxstate" inspect >/dev/null
check "without its module, maxstate inspect still works" test $? -eq 0
echo "not a library" >"$WORK/broken/libmaxstate-run.so"
one_line_error "$WORK/broken" broken "cannot load $WORK/broken/libmaxstate-run.so"
libz=$(ldd "$MAXSTATE" | awk '$1 ~ /^libz\.so/ {print $3}')
if [ -n "$libz" ]; then
  cp "$libz" "$WORK/other/libmaxstate-run.so"
  one_line_error "$WORK/other" other "$WORK/other/libmaxstate-run.so is not the part of maxstate that runs models"
else
  fail "maxstate does not link libz: no other library at hand for the last case"
fi

if [ $failures -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "maxstate starts without LibTorch, and loads it when a command needs it"
