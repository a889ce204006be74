"""Every test ctest knows carries one of the project's labels, so `ctest -L core` (cli, reference, ui, package,
fuzz) selects every test of its part and none is left out of every selection.
usage: check_labels.py CTEST BUILD_DIR        exit 0 when all are labelled, 1 naming the tests that are not
"""
import json
import subprocess
import sys

LABELS = {"core", "cli", "reference", "ui", "package", "fuzz"}


def main():
    ctest, build = sys.argv[1], sys.argv[2]
    listing = subprocess.run([ctest, "--show-only=json-v1"], cwd=build, capture_output=True, text=True, check=True)
    tests = json.loads(listing.stdout)["tests"]
    missing = []
    for test in tests:
        labels = set()
        for prop in test.get("properties", []):
            if prop["name"] == "LABELS":
                labels.update(prop["value"])
        if not labels & LABELS:
            missing.append(f"{test['name']} (labels: {sorted(labels) or 'none'})")
    if len(tests) < 10:
        print(f"FAIL: ctest lists only {len(tests)} tests in {build}")
        return 1
    if missing:
        print(f"FAIL: {len(missing)} of {len(tests)} tests carry none of the labels {sorted(LABELS)}:")
        print("\n".join("  " + m for m in missing))
        return 1
    print(f"labels ok: all {len(tests)} tests carry one of {sorted(LABELS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
