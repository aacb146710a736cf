#!/usr/bin/env bash
# Run the whole benchmark: data, REPEATS runs of each method at each size, then the table.
#
#   bash benchmarks/magic/run_all.sh                 # 10 000 and 50 000 cells, 3 repeats
#   SIZES="10000" REPEATS=1 bash benchmarks/magic/run_all.sh
#   ONLY=synthbio bash benchmarks/magic/run_all.sh    # re-time synthbio only, keep MAGIC's runs
#
# Each run is its own process (so its peak memory is its own). The order of the methods
# rotates from one repeat to the next, so that a burst of load from other jobs does not
# always land on the same method.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PY:-$ROOT/.venv/bin/python}"              # main environment (synthbio, numpy 2)
MPY="${MPY:-/work/venv-magic/bin/python}"        # side environment (magic-impute, numpy < 2)
DATA="${DATA:-/work/magic_data}"
RESULTS="${RESULTS:-$DATA/results}"
SIZES="${SIZES:-10000 50000}"
GENES="${GENES:-2000}"
REPEATS="${REPEATS:-3}"
METHODS=(synthbio magic-matched magic-default)
ONLY="${ONLY:-${METHODS[*]}}"                   # e.g. ONLY=synthbio re-times synthbio alone

mkdir -p "$RESULTS"
for n in $SIZES; do
    f="$DATA/counts_${n}x${GENES}.npz"
    [[ -f "$f" ]] || "$PY" "$HERE/make_data.py" --cells "$n" --genes "$GENES" --data-dir "$DATA"
done

run_one() {  # method size repeat
    local m="$1" n="$2" r="$3"
    local f="$DATA/counts_${n}x${GENES}.npz" out="$RESULTS/${n}x${GENES}_${m}_${r}.npz"
    case "$m" in
        synthbio) "$PY" "$HERE/run_synthbio.py" "$f" --out "$out" \
                      ${SYNTHBIO_ROOT:+--synthbio-root "$SYNTHBIO_ROOT"} ;;
        magic-*) "$MPY" "$HERE/run_magic.py" "$f" --variant "${m#magic-}" --out "$out" ;;
    esac
}

for r in $(seq 1 "$REPEATS"); do
    for n in $SIZES; do
        for i in 0 1 2; do
            m="${METHODS[$(( (i + r - 1) % 3 ))]}"
            [[ " $ONLY " == *" $m "* ]] || continue
            run_one "$m" "$n" "$r" > "$RESULTS/${n}x${GENES}_${m}_${r}.log" 2>&1
            tail -n 1 "$RESULTS/${n}x${GENES}_${m}_${r}.log"
        done
    done
done

"$PY" "$HERE/report.py" --results "$RESULTS" --data-dir "$DATA" --output "$ROOT/benchmarks/magic.md"
