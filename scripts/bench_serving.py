#!/usr/bin/env python3
"""Loopback load client for scripts/bench-serving.sh: end-to-end latency of POST /api/v1/search.

Runs, against one gateway at --url:
  sequential  N distinct (uncached) searches one after another
  cached      one search repeated M times (all but the first answered from cache)
  concurrent  N distinct searches over C persistent connections
and prints one JSON object per run (latency percentiles in ms, requests/s, statuses, engine batch sizes,
the engine's own summed stage timings, and the time before and after the engine: send → engine start, engine end → response). Bounded: fixed request counts, loopback only."""
import argparse, datetime, http.client, json, random, statistics, threading, time, urllib.parse

MOODS = ["scary", "funny", "sad", "uplifting", "dark", "quiet", "violent", "romantic", "strange", "slow"]
GENRES = ["drama", "comedy", "horror film", "western", "thriller", "musical", "documentary", "war film", "adventure", "mystery"]
TOPICS = ["a lighthouse", "two brothers", "a heist", "the ocean", "a small town", "space travel", "a chess player",
          "a lost dog", "an election", "a storm", "a band on tour", "a family farm", "a submarine", "a boxer"]


def queries(tag, n):
    rng = random.Random(tag)
    return [f"{rng.choice(MOODS)} {rng.choice(GENRES)} about {rng.choice(TOPICS)} {tag}{i}" for i in range(n)]


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 2) if values else None


class Client:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        self.sent = []  # wall-clock send time of each request, for the breakdown

    def search(self, query, limit=10):
        body = json.dumps({"query": query, "limit": limit})
        sent = time.time()
        start = time.perf_counter()
        self.conn.request("POST", "/api/v1/search", body=body, headers={"Content-Type": "application/json"})
        response = self.conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        self.sent.append(sent)
        return response.status, elapsed, data


def completed_at(doc):
    """The engine's completedAt (when its stages ended) as Unix seconds, or None."""
    text = doc.get("completedAt")
    if not text: return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def summarise(name, latencies, statuses, bodies, wall, sent=None):
    batch, engine, overhead, before, after, gateway, queue, planned = [], [], [], [], [], [], [], []
    stages = {name: [] for name in ("plan", "embed", "search", "enrich", "rank")}
    sent = sent or [None] * len(bodies)
    for data, ms, at in zip(bodies, latencies, sent):
        try:
            doc = json.loads(data)
        except ValueError:
            continue
        t = doc.get("timingsMs") if isinstance(doc, dict) else None
        if t and not doc.get("cached"):
            batch.append(t.get("batchSize", 0))
            for stage, values in stages.items():
                values.append(t.get(stage, 0))
            engine.append(t.get("embed", 0) + t.get("search", 0) + t.get("enrich", 0) + t.get("rank", 0))
            overhead.append(ms - engine[-1])
            # Breakdown on one machine's clock: send → engine start is the gateway's enqueue, the queue wait and the
            # runner's receive and admit; engine end → response is the result write and the gateway noticing it.
            done = completed_at(doc)
            if at is not None and done is not None:
                before.append((done - at) * 1000 - engine[-1])
                after.append(ms - (done - at) * 1000)
                # The runner's queue wait (enqueue → engine start) splits "before" into the gateway's part and the queue's.
                if t.get("queue") is not None:
                    queue.append(t["queue"])
                    planned.append(engine[-1] + t.get("plan", 0))
                    gateway.append(before[-1] - t["queue"] - t.get("plan", 0))
    counts = {}
    for s in statuses:
        counts[str(s)] = counts.get(str(s), 0) + 1
    return {
        "run": name, "requests": len(latencies), "statuses": counts,
        "p50": pct(latencies, 50), "p90": pct(latencies, 90), "p99": pct(latencies, 99), "max": round(max(latencies), 2),
        "requestsPerSecond": round(len(latencies) / wall, 1),
        "meanBatchSize": round(statistics.mean(batch), 2) if batch else None, "maxBatchSize": max(batch) if batch else None,
        "engineMsP50": pct(engine, 50),
        # End to end minus the engine's own stages: HTTP, gateway, queue, store, waiting.
        "overheadMsP50": pct(overhead, 50), "overheadMsP99": pct(overhead, 99),
        "sendToEngineMsP50": pct(before, 50), "engineToResponseMsP50": pct(after, 50),
        # The same request's time in four parts (p50 of each): gateway (HTTP in, cache lookups, job insert, send),
        # queue (wait, receive, admission), engine (its stages incl. planning), store (result written, noticed, HTTP out).
        "breakdownMsP50": {"gateway": pct(gateway, 50), "queue": pct(queue, 50), "engine": pct(planned, 50), "store": pct(after, 50)} if queue else None,
        # The engine's own stages (p50 of each, per batch: in a batch every query reports the batch's times).
        "engineStagesMsP50": {stage: pct(values, 50) for stage, values in stages.items()} if batch else None,
    }


def sequential(url, tag, n):
    client, lat, st, bodies = Client(url), [], [], []
    start = time.perf_counter()
    for q in queries(tag, n):
        s, ms, data = client.search(q)
        lat.append(ms); st.append(s); bodies.append(data)
    return summarise("sequential-uncached", lat, st, bodies, time.perf_counter() - start, client.sent[-n:])


def cached(url, tag, n):
    client, lat, st = Client(url), [], []
    client.search(f"cached query {tag}")
    start = time.perf_counter()
    for _ in range(n):
        s, ms, _ = client.search(f"cached query {tag}")
        lat.append(ms); st.append(s)
    return summarise("sequential-cached", lat, st, [], time.perf_counter() - start)


def concurrent(url, tag, n, connections):
    work = queries(tag, n)
    lock, lat, st, bodies, sent = threading.Lock(), [], [], [], []
    def worker(index):
        client = Client(url)
        for q in work[index::connections]:
            s, ms, data = client.search(q)
            with lock:
                lat.append(ms); st.append(s); bodies.append(data); sent.append(client.sent[-1])
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    start = time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    return summarise(f"concurrent-uncached-{connections}", lat, st, bodies, time.perf_counter() - start, sent)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--label", required=True)
    p.add_argument("--sequential", type=int, default=200)
    p.add_argument("--cached", type=int, default=1000)
    p.add_argument("--concurrent", type=int, default=1000)
    p.add_argument("--connections", type=int, default=16)
    a = p.parse_args()
    tag = f"r{random.randrange(10**6)}x"
    Client(a.url).search(f"warm up {tag}")  # first request JIT-compiles the path; not measured
    for result in [sequential(a.url, tag + "s", a.sequential), cached(a.url, tag, a.cached) if a.cached else None,
                   concurrent(a.url, tag + "c", a.concurrent, a.connections) if a.concurrent else None]:
        if result:
            result["label"] = a.label
            print(json.dumps(result), flush=True)
