#!/usr/bin/env bash
# Every tracked C++ file is formatted as .clang-format says. Fix with: tools/dev format
# usage: check_format.sh SOURCE_DIR        exit 0 clean, 1 listing the files that differ, 77 (skip) without git
# or clang-format, or outside a git checkout (a source tarball has no list of tracked files).
set -uo pipefail
root=${1:?usage: check_format.sh SOURCE_DIR}
cd "$root" || exit 1
command -v clang-format >/dev/null || { echo "clang-format not installed (tools/dev installs it): skipped"; exit 77; }
command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
  { echo "not a git checkout: no list of tracked files, skipped"; exit 77; }

mapfile -d '' files < <(git ls-files -z -- '*.cpp' '*.h')
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no tracked C++ files in $root"; exit 1; }
present=()
for f in "${files[@]}"; do [ -f "$f" ] && present+=("$f"); done  # a file deleted but not yet committed is skipped
# One run over all files (a process per file costs minutes on a loaded machine); each violation names its file.
output=$(clang-format --style=file --dry-run --Werror "${present[@]}" 2>&1)
if [ $? -ne 0 ]; then
  mapfile -t bad < <(printf '%s\n' "$output" | grep -oE '^[^:[:space:]]+:[0-9]+:[0-9]+: (warning|error)' | cut -d: -f1 |
                     sort -u)
  echo "FAIL: ${#bad[@]} of ${#present[@]} files are not formatted as .clang-format says (fix: tools/dev format):"
  printf '  %s\n' "${bad[@]}"
  echo "first differences:"
  printf '%s\n' "$output" | head -12
  exit 1
fi
echo "format ok: ${#present[@]} files ($(clang-format --version))"
