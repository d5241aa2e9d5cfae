#!/usr/bin/env bash
# Installs what the tests need (Debian: chromium for the browser tests, OpenBLAS for the engine, npm for the chart
# library, docker-compose to validate docker-compose.yml, python3-torch to load exported models, postgresql for the registry tests) and runs the whole suite. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0' || need+=(libopenblas0-pthread)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || need+=(docker-compose)
# Debian's PyTorch, for /usr/bin/python3: the test that loads `plaw export-model --format pytorch` files in Python.
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
# Debian's PostgreSQL server: the registry and queue tests start a real one (initdb in a temp dir, a free port) and stop it.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "test.sh: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if docker compose version >/dev/null 2>&1; then docker compose config -q; else docker-compose config -q; fi
echo "docker-compose.yml: valid"

log=$(mktemp)
set +e
dotnet test PLawDashboard.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over every test project: "N passed, N failed, N skipped".
# An aborted run (a project that is not a test project taken for one, a crashed test host) fails the command with no failed test:
# it is named.
awk '/(Passed|Failed)! +- +Failed: /{ gsub(",",""); f+=$4; p+=$6; s+=$8 } /^Test Run Aborted/{ a++ }
     END { printf "Tests: %d passed, %d failed, %d skipped%s\n", p, f, s, a ? sprintf("; %d test run(s) aborted (see \"Test Run Aborted\" above)", a) : "" }' "$log"
rm -f "$log"
exit "$status"
