#!/usr/bin/env bash
# Catalog imports across runner replicas and restarts (issue 11), on the split deployment: a private in-memory
# Azurite, a gateway-only and two runner-only local hosts. Imports a 3-row file (2 valid) through the gateway, then
# reports how long the other runner took to serve it (its /readyz catalogItems), what a search answers, whether a
# restarted runner starts on the imported catalog, and the same for importing the demo catalog (3,200 items) back.
# Expects a Release build of functions/MediaGateway.LocalHost and embeddings in .data/test-embeddings (the tests
# fill it). Loopback only; every process started here is stopped on exit. Figures in docs/reliability.md.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/catalog-replicas.XXXXXX)
key=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==   # Azurite's public development key
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:20100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:20101/devstoreaccount1;TableEndpoint=http://127.0.0.1:20102/devstoreaccount1;"
export MediaGateway__LocalHost__FunctionKey=e2e-key MediaGateway__Engine__EmbeddingStorePath=$PWD/.data/test-embeddings MediaGateway__Engine__Backend=Cpu
export Logging__LogLevel__Default=Warning
dll=functions/MediaGateway.LocalHost/bin/Release/net10.0/MediaGateway.LocalHost.dll
node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck --blobPort 20100 --queuePort 20101 --tablePort 20102 > "$out/azurite.log" 2>&1 & az=$!
sleep 3
dotnet $dll --storage azurite --role gateway --urls http://127.0.0.1:17071 > "$out/gateway.log" 2>&1 & gw=$!
dotnet $dll --storage azurite --role runner --urls http://127.0.0.1:17072 > "$out/runner1.log" 2>&1 & r1=$!
dotnet $dll --storage azurite --role runner --urls http://127.0.0.1:17073 > "$out/runner2.log" 2>&1 & r2=$!
cleanup() { kill $gw $r1 $r2 $az 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT
items() { curl -s -m 2 "http://127.0.0.1:$1/readyz" | python3 -c 'import sys,json; print(json.load(sys.stdin).get("catalogItems",-1))' 2>/dev/null || echo -1; }
since() { python3 -c "print(round($(date +%s.%N)-$1,2))"; }
wait_items() { # port count: seconds until that runner serves a catalog of count items (at most 120 s)
  local start; start=$(date +%s.%N)
  for _ in $(seq 1 1200); do [ "$(items "$1")" = "$2" ] && break; sleep 0.1; done
  since "$start"; }
import() { # file content-type: seconds from POST to succeeded, and the record
  local start loc r=""; start=$(date +%s.%N)
  loc=$(curl -s -i http://127.0.0.1:17071/api/v1/catalog/imports -H "x-functions-key: e2e-key" -H "Content-Type: $2" --data-binary "@$1" | tr -d '\r' | awk '/^Location:/{print $2}')
  for _ in $(seq 1 1200); do r=$(curl -s "http://127.0.0.1:17071$loc" -H "x-functions-key: e2e-key"); echo "$r" | grep -q '"status":"\(succeeded\|failed\)"' && break; sleep 0.1; done
  echo "import done in $(since "$start") s: ${r:0:300}"; }
echo "runner 1 ready after $(wait_items 17072 3200) s; runner 2 after $(wait_items 17073 3200) s more"
printf '%s\n' '{"id":"quorvex-saga-2031","title":"The Quorvex Saga","year":2021,"genres":["Science Fiction"],"runtimeMinutes":118,"description":"Star pilots fight a robot armada across the galaxy."}' \
  '{"id":"lantern-keeper-1988","title":"The Lantern Keeper","year":1988,"genres":["Drama"],"runtimeMinutes":95,"description":"A quiet drama about a lighthouse keeper."}' \
  '{"year":1999}' > "$out/new.jsonl"
import "$out/new.jsonl" application/x-ndjson
echo "right after: runner 1 serves $(items 17072) items, runner 2 $(items 17073)"
echo "both serve the 2 imported items after $(wait_items 17073 2) s (runner 2) / $(wait_items 17072 2) s more (runner 1)"
curl -s http://127.0.0.1:17071/api/v1/search -H 'Content-Type: application/json' -d '{"query":"robot armada in space","limit":1}' \
  | python3 -c 'import sys,json; d=json.load(sys.stdin); print("search:", d["results"][0]["title"], "catalogVersion", d.get("catalogVersion"))'
kill $r2; wait $r2 2>/dev/null
dotnet $dll --storage azurite --role runner --urls http://127.0.0.1:17073 > "$out/runner2b.log" 2>&1 & r2=$!
echo "runner 2 restarted: ready with the 2 imported items after $(wait_items 17073 2) s"
import node_modules/vega-datasets/data/movies.json application/json
echo "demo catalog back: runner 2 serves 3200 after $(wait_items 17073 3200) s, runner 1 after $(wait_items 17072 3200) s more"
