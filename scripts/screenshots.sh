#!/usr/bin/env bash
# Regenerates the screenshots of docs/getting-started.md with Debian's headless Chromium (which
# .ci/run installs): the report and the replay viewer of the default run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
run="$(mktemp -d)/first-run"
./fedlodrop run --out "$run" -q >/dev/null
shots=docs/getting-started
mkdir -p "$shots"
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,1700 \
  --screenshot="$ROOT/$shots/report.png" "file://$run/report.html"
./fedlodrop view "$run" --port 8765 >/dev/null 2>&1 &
viewer=$!
trap 'kill $viewer 2>/dev/null || true' EXIT
sleep 4
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,950 \
  --virtual-time-budget=8000 --screenshot="$ROOT/$shots/viewer.png" http://127.0.0.1:8765/
echo "screenshots: $shots/report.png $shots/viewer.png"
