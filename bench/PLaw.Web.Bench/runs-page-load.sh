#!/usr/bin/env bash
# Issue #9's runs-page benchmark in one command: first rows of the Runs page with 10,000 runs and 1,000,000 metric points,
# the previous release (72d87aa, net9.0 self-contained, Radzen) against this checkout, in one run on this machine.
# Builds what is missing (the old release in its own git worktree beside this checkout, and this checkout's dashboard),
# then runs the bench's load mode; results go to bench/results/runs-page-load-<date>[-<name>].md.
#
# Usage (from anywhere in the checkout):
#   bench/PLaw.Web.Bench/runs-page-load.sh [load options…]      e.g.  --name post-rewrite --note "after the MudBlazor Runs page"
# Environment: PLAW_OLD_RELEASE (commit, default 72d87aa), PLAW_OLD_RELEASE_DIR (worktree, default ../old-release).
set -euo pipefail
root=$(git rev-parse --show-toplevel)
cd "$root"
old_commit=${PLAW_OLD_RELEASE:-72d87aa}
old=${PLAW_OLD_RELEASE_DIR:-$(dirname "$root")/old-release}

if [ ! -e "$old/.git" ]; then
  git worktree add --detach "$old" "$old_commit"
fi
if [ "$(git -C "$old" rev-parse HEAD)" != "$(git rev-parse "$old_commit^{commit}")" ]; then
  echo "$old is at $(git -C "$old" rev-parse --short HEAD), not $old_commit: move it (git -C $old checkout --detach $old_commit) or set PLAW_OLD_RELEASE_DIR" >&2
  exit 1
fi
find_build() { ls "$1"/src/PLaw.Web/bin/Release/net9.0/*/PLaw.Web.dll 2>/dev/null | head -n 1; }
if [ -z "$(find_build "$old")" ]; then
  echo "Building the previous release in $old (net9.0, self-contained; a few minutes)…"
  (cd "$old" && dotnet build src/PLaw.Web -c Release --nologo -v q)
fi
old_bin=$(dirname "$(find_build "$old")")

echo "Building this checkout's dashboard and the bench…"
dotnet build bench/PLaw.Web.Bench -c Release --nologo -v q   # builds src/PLaw.Web too (project reference)
exec dotnet bench/PLaw.Web.Bench/bin/Release/net10.0/PLaw.Web.Bench.dll load \
  --web "before=$old_bin" --web "after=src/PLaw.Web/bin/Release/net10.0" --loads 15 "$@"
