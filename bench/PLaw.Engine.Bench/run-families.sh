#!/usr/bin/env bash
# Shorter runs of every family and of bf16, niced slightly below the main SASRec accuracy run. Logs in bench/results/;
# a run whose log already ends with a final line is skipped.
# Usage: bench/PLaw.Engine.Bench/run-families.sh <bench executable>
set -u
B=${1:-bench/PLaw.Engine.Bench/bin/Release/net10.0/PLaw.Engine.Bench}
R=bench/results
run() { local log=$R/$1; shift; grep -q "^# final" "$log" 2>/dev/null && return; nice -n 2 "$B" train "$@" > "$log" 2>&1; }
ML="--data ml100k --max-length 100 --dropout 0.2 --epochs 40 --eval-every 10 --threads 1"
run ml100k-sasrec-fp32.log $ML --model sasrec
run ml100k-hstu-reference-fp32.log $ML --model hstu --variant Reference
run ml100k-hstu-reference-ssm128-fp32.log $ML --model hstu --variant Reference --loss SampledSoftmax --negatives 128
run ml100k-hstu-plaw-fp32.log $ML --model hstu --variant PLaw
run ml100k-llama-fp32.log $ML --model llama
run ml100k-sasrec-bf16.log $ML --model sasrec --precision bf16
run ml100k-llama-bf16.log $ML --model llama --precision bf16
GA="--data games --epochs 10 --eval-every 5 --threads 1"
run games-sasrec-bf16-10ep.log $GA --model sasrec --precision bf16 --threads 2
run games-hstu-reference-ssm128-10ep.log $GA --model hstu --variant Reference --loss SampledSoftmax --negatives 128
run games-hstu-plaw-10ep.log $GA --model hstu --variant PLaw
run games-llama-10ep.log $GA --model llama
