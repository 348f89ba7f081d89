#!/usr/bin/env bash
# Style is the formatter's, not a review topic: every Swift file passes `swift format lint --strict` with
# .swift-format (the generated README snippets carry `// swift-format-ignore-file`: they are the README's code as
# written, byte for byte what Tools/docs/gen-snippets.py writes).
#   bash Tools/lint.sh            check (CI runs this before the tests)
#   bash Tools/lint.sh --fix      format in place
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.swift')
if [ "${1:-}" = --fix ]; then
    swift format format --in-place --parallel "${files[@]}"
else
    swift format lint --strict --parallel "${files[@]}"
fi
