#!/usr/bin/env bash
# Sends a 1,000-query batch to a running gateway, prints its progress as it is polled, fetches the JSON Lines
# results, then sends the same 1,000 queries one by one over HTTP and compares the results (ids and scores).
#   BASE=http://localhost:7071 KEY=<function key> scripts/bench-batch.sh
# For an uncached comparison start the gateway with MediaGateway__Gateway__ResultTtl=00:00:00.001, so the
# one-by-one searches are computed again rather than served from the batch's cache.
set -euo pipefail
BASE=${BASE:-http://localhost:7071}
KEY=${KEY:?set KEY to the gateway function key (the local host logs it at start)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

python3 - > "$out/batch.json" <<'PY'
import json
subjects = ["horror", "comedy", "drama", "action", "western", "musical", "thriller", "romance", "adventure", "science fiction"]
moods = ["", "well reviewed ", "funny ", "dark ", "short "]
times = ["", " from the 70s", " from the 80s", " from the 90s", " after 2000"]
print(json.dumps({"queries": [{"query": f"{m}{s}{t}", "limit": l} for s in subjects for m in moods for t in times for l in (3, 5, 7, 10)]}))
PY

now() { date +%s.%N; }
start=$(now)
location=$(curl -s -D - -o /dev/null "$BASE/api/v1/search/batch" -H "x-functions-key: $KEY" -H 'Content-Type: application/json' \
  --data-binary @"$out/batch.json" | tr -d '\r' | awk 'tolower($1)=="location:"{print $2}')
echo "accepted: $location ($(python3 -c "print(f'{($(now)-$start)*1000:.0f}')") ms)"
while true; do
  status=$(curl -s "$BASE$location" -H "x-functions-key: $KEY")
  python3 -c "import json,sys; b=json.loads(sys.argv[1]); print(f\"{float(sys.argv[2]):6.2f} s  {b['status']:<9} {b['done']:>4}/{b['total']}  failed {b['failed']}\")" "$status" "$(python3 -c "print($(now)-$start)")"
  case "$status" in *'"status":"succeeded"'*|*'"status":"failed"'*) break ;; esac
  sleep 0.25
done
batch_s=$(python3 -c "print($(now)-$start)")
curl -s "$BASE$location/results" -H "x-functions-key: $KEY" > "$out/results.jsonl"
echo "batch: $(wc -l < "$out/results.jsonl") lines, $(wc -c < "$out/results.jsonl") bytes, ${batch_s} s end to end"

start=$(now)
python3 -c "import json; [print(json.dumps(q)) for q in json.load(open('$out/batch.json'))['queries']]" | while read -r query; do
  curl -s "$BASE/api/v1/search" -H 'Content-Type: application/json' -d "$query"; echo
done > "$out/single.jsonl"
echo "one by one: $(wc -l < "$out/single.jsonl") searches in $(python3 -c "print(f'{$(now)-$start:.1f}')") s"

python3 - "$out/results.jsonl" "$out/single.jsonl" <<'PY'
import json, sys
batch = [json.loads(l) for l in open(sys.argv[1])]
single = [json.loads(l) for l in open(sys.argv[2])]
key = lambda r: [(h["id"], h["score"]) for h in r["results"]]
same = sum(1 for b, s in zip(batch, single) if "result" in b and "results" in s and key(b["result"]) == key(s))
cached = sum(1 for s in single if s.get("cached"))
print(f"equal results: {same} of {len(batch)}; one-by-one answers served from cache: {cached}; in input order: {[b['index'] for b in batch] == list(range(len(batch)))}")
PY
