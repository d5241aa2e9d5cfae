#!/usr/bin/env bash
# Shorter runs of every family and of bf16, niced below the main SASRec accuracy run. Logs in bench/results/.
# Usage: bench/PLaw.Engine.Bench/run-families.sh <bench executable>
set -u
B=${1:-bench/PLaw.Engine.Bench/bin/Release/net9.0/linux-x64/PLaw.Engine.Bench}
R=bench/results
ML="--data ml100k --max-length 100 --dropout 0.2 --epochs 100 --eval-every 20 --threads 1"
nice -n 10 $B train $ML --model sasrec > $R/ml100k-sasrec-fp32.log 2>&1
nice -n 10 $B train $ML --model hstu --variant Reference > $R/ml100k-hstu-reference-fp32.log 2>&1
nice -n 10 $B train $ML --model hstu --variant PLaw > $R/ml100k-hstu-plaw-fp32.log 2>&1
nice -n 10 $B train $ML --model llama > $R/ml100k-llama-fp32.log 2>&1
nice -n 10 $B train $ML --model sasrec --precision bf16 > $R/ml100k-sasrec-bf16.log 2>&1
nice -n 10 $B train $ML --model llama --precision bf16 > $R/ml100k-llama-bf16.log 2>&1
GA="--data games --epochs 20 --eval-every 10 --threads 2"
nice -n 10 $B train $GA --model sasrec --precision bf16 > $R/games-sasrec-bf16-20ep.log 2>&1
nice -n 10 $B train $GA --model hstu --variant Reference > $R/games-hstu-reference-20ep.log 2>&1
nice -n 10 $B train $GA --model hstu --variant PLaw > $R/games-hstu-plaw-20ep.log 2>&1
nice -n 10 $B train $GA --model llama > $R/games-llama-20ep.log 2>&1
