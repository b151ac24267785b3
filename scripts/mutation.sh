#!/usr/bin/env bash
# Mutation testing of the numeric path (infer/, decode/, segment/windows.py, detector.py, claims/checkworthy.py,
# claims/profile.py, explain.py, types.py,
# pipeline.py, evaluate.py, scoring.py) with mutmut 3; configuration in pyproject.toml
# [tool.mutmut]. Prints the count of each outcome and the score (killed + timeout) / run.
# Takes about half an hour on 2 cores; resumable (mutmut keeps its state in mutants/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/mutmut ] || .venv/bin/pip install -q 'mutmut==3.8.1'
.venv/bin/mutmut run --max-children "${JOBS:-2}" > mutants.log 2>&1 || true
.venv/bin/mutmut results --all true | awk '{print $NF}' | sort | uniq -c
.venv/bin/mutmut results --all true | awk '
  {n[$NF]++}
  END {run = n["killed"] + n["timeout"] + n["survived"] + n["tests"];
       printf "score: %d of %d mutants killed (%.1f%%); %d of %d covered by a test (%.1f%%)\n",
         n["killed"] + n["timeout"], run, 100 * (n["killed"] + n["timeout"]) / run,
         n["killed"] + n["timeout"], run - n["tests"],
         100 * (n["killed"] + n["timeout"]) / (run - n["tests"])}'
