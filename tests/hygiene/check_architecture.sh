#!/usr/bin/env bash
# The layering README.md and ENGINEERING.md promise, checked on the source tree:
#   - no LibTorch (torch/, ATen/, c10/, caffe2/) include in ui/, app/ or the public core headers core/include/:
#     LibTorch stays private to maxstate_core, and Qt's keywords break its headers;
#   - no Qt include (Qt modules, Q-classes, QCustomPlot) anywhere in core/: the core never knows about widgets.
# usage: check_architecture.sh SOURCE_DIR        exit 0 clean, 1 with every offending line listed
set -uo pipefail
root=${1:?usage: check_architecture.sh SOURCE_DIR}
cd "$root" || exit 1

files() {  # C++ sources and headers under the given folders
  find "$@" -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.hpp' -o -name '*.cc' \) 2>/dev/null | sort
}

status=0
report() {  # $1: rule, then the grep output (file:line:text)
  local rule=$1 hits=$2
  [ -z "$hits" ] && return 0
  echo "FAIL: $rule"
  echo "$hits" | sed 's/^/  /'
  status=1
}

torch_include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](torch|ATen|c10|caffe2)/'
qt_include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](Qt[A-Za-z]*/|Q[A-Z][A-Za-z0-9]*>|qcustomplot)'

for dir in ui app core/include core; do
  [ -d "$dir" ] || { echo "FAIL: $root/$dir is missing (wrong SOURCE_DIR?)"; exit 1; }
done
mapfile -t torch_files < <(files ui app core/include)
mapfile -t core_files < <(files core)
checked=$(( ${#torch_files[@]} + ${#core_files[@]} ))
[ ${#torch_files[@]} -gt 0 ] && [ ${#core_files[@]} -gt 0 ] || { echo "FAIL: no sources found under $root"; exit 1; }

report "LibTorch included outside the core's private sources (ui/, app/, core/include/ must stay torch-free)" \
  "$(grep -EnH "$torch_include" "${torch_files[@]}")"
report "Qt included in core/ (the core is plain C++ and LibTorch, no Qt)" \
  "$(grep -EnH "$qt_include" "${core_files[@]}")"

[ $status -eq 0 ] && echo "architecture ok: $checked files checked"
exit $status
