#!/bin/bash
# test.sh — build from scratch and run the whole test suite (make check),
# printing each suite's log summary.
set -uo pipefail
cd "$(dirname "$0")/.."
autoreconf -fi >/dev/null 2>&1 || { autoreconf -fi; exit 2; }
./configure -q || exit 2
make -s -j"$(nproc)" || exit 2
make -s -j"$(nproc)" check
rc=$?
[ $rc -ne 0 ] && [ -f test-suite.log ] && head -300 test-suite.log | sed "s/^# /## /"
exit $rc
