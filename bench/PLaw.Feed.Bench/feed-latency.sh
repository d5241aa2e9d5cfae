#!/usr/bin/env bash
# Issue #15's live-feed latency on a real PostgreSQL: a throwaway server from Debian's package (initdb in a temp dir, a free
# port, loopback, trust auth), the dashboard on it with no worker of its own, a `plaw worker` process, a SignalR client.
# Usage: bench/PLaw.Feed.Bench/feed-latency.sh [--runs 3] [--epochs 3]   → bench/results/feed-latency-<date>.md
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/plaw-feed-bench-pg-XXXXXX)
as=(); [ "$(id -u)" -eq 0 ] && { chown -R postgres:postgres "$dir"; as=(runuser -u postgres --); }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as[@]}" "$bin/initdb" -D "$dir/data" -U plaw --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/server.log" -w start >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; rm -rf "$dir"' EXIT
"$bin/createdb" -h 127.0.0.1 -p "$port" -U plaw plaw
dotnet build bench/PLaw.Feed.Bench -c Release --nologo -v q >/dev/null
out="bench/results/feed-latency-$(date -u +%Y-%m-%d).md"
export PLAW_BENCH_COMMAND="bench/PLaw.Feed.Bench/feed-latency.sh $*"
dotnet bench/PLaw.Feed.Bench/bin/Release/net10.0/PLaw.Feed.Bench.dll \
  --registry "Host=127.0.0.1;Port=$port;Username=plaw;Database=plaw" --out "$out" "$@"
echo "written: $out"
