#!/usr/bin/env bash
# Regenerates docs/report-screenshot.png from the README walkthrough's report, with headless Chromium
# (Debian package 'chromium'). Run from the repository root.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet run --project src/ProvenanceSet.Cli -c Release -- audit --outputs docs/examples/outputs.jsonl --target acme-chat-ft \
  --quiet --report "$work/report.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
  --window-size=1200,1500 --screenshot="docs/report-screenshot.png" "file://$work/report.html" 2>/dev/null
echo "docs/report-screenshot.png"
