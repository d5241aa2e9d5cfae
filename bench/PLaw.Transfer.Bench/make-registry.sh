#!/usr/bin/env bash
# Builds a registry for the transfer bench: ML-100K and three synthetic Markov datasets of different concentration (entropy
# rate), each with a small SASRec grid (layers 1,2 × widths 16,32,64), trained by the plaw worker. About 20 minutes on 2 cores.
# Then: dotnet run -c Release --project bench/PLaw.Transfer.Bench -- report --data-dir <folder>/data --name <name>
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
folder=${1:-/tmp/plaw-transfer-bench}
epochs=${EPOCHS:-40}
plaw="$root/src/PLaw.Cli/bin/Release/net10.0/plaw"
bench=(dotnet run -c Release --no-build --project "$root/bench/PLaw.Transfer.Bench" --)
data="$folder/data"
mkdir -p "$folder"
dotnet build "$root/src/PLaw.Cli" -c Release --nologo -v q
dotnet build "$root/bench/PLaw.Transfer.Bench" -c Release --nologo -v q

"$plaw" import "${ML100K:-/work/shared/data/ml-100k/u.data}" --format movielens --name ml-100k --data-dir "$data"
for c in 0.05 0.5 5; do
  "${bench[@]}" markov --out "$folder/markov-c$c.txt" --concentration "$c" --seed 7
  "$plaw" import "$folder/markov-c$c.txt" --format sasrec --name "markov-c$c" --data-dir "$data"
done
for d in ml-100k markov-c0.05 markov-c0.5 markov-c5; do
  "$plaw" study --name "grid-$d" --dataset "$d" --models sasrec --layers-grid 1,2 --dims 16,32,64 --max-len 50 \
    --epochs "$epochs" --eval-every "$epochs" --threads 1 --data-dir "$data"
done
"$plaw" worker --until-empty --data-dir "$data"
