#!/usr/bin/env python3
"""Client and choreography of scripts/fault-tests.sh: a storage outage under traffic, then a load run.
Prints one JSON object per phase. Exit status 1 when a check fails (a 500 or a hang during the outage,
no recovery, an error under load). Bounded: fixed durations, every request has a 30 s timeout."""
import argparse, socket, http.client, json, os, signal, subprocess, sys, threading, time, random, urllib.parse

MOODS = ["scary", "funny", "sad", "uplifting", "dark", "quiet", "violent", "romantic", "strange", "slow"]
GENRES = ["drama", "comedy", "horror film", "western", "thriller", "musical", "documentary", "war film", "adventure", "mystery"]
TOPICS = ["a lighthouse", "two brothers", "a heist", "the ocean", "a small town", "space travel", "a chess player",
          "a lost dog", "an election", "a storm", "a band on tour", "a family farm", "a submarine", "a boxer"]


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 1) if values else None


class Client:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def call(self, method, path, body=None):
        """(status, ms, Retry-After, body); status 0 for a connection failure or timeout."""
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            headers = {"Content-Type": "application/json"} if body is not None else {}
            self.conn.request(method, path, body=body, headers=headers)
            r = self.conn.getresponse()
            data = r.read()
            return r.status, (time.perf_counter() - start) * 1000, r.getheader("Retry-After"), data
        except (OSError, http.client.HTTPException) as e:
            self.conn = None
            return 0, (time.perf_counter() - start) * 1000, None, str(e).encode()

    def search(self, query):
        return self.call("POST", "/api/v1/search", json.dumps({"query": query, "limit": 5}))


def outage(a):
    """Searches (each new) and health checks, before, during and after Azurite is stopped."""
    events, lock, stop = [], threading.Lock(), threading.Event()
    tag = f"o{random.randrange(10**6)}x"

    def searcher():
        c, i = Client(a.url), 0
        while not stop.is_set():
            s, ms, ra, data = c.search(f"{random.choice(MOODS)} {random.choice(GENRES)} about {random.choice(TOPICS)} {tag}{i}")
            job = None
            if s in (200, 202):
                try: job = json.loads(data).get("jobId")
                except ValueError: pass
            with lock: events.append(("search", time.monotonic(), s, ms, ra, job))
            i += 1
            time.sleep(0.2)

    def checker():
        c = Client(a.url)
        while not stop.is_set():
            s, ms, ra, data = c.call("GET", "/api/v1/health")
            with lock: events.append(("health", time.monotonic(), s, ms, ra, None))
            time.sleep(0.5)

    threads = [threading.Thread(target=searcher), threading.Thread(target=checker)]
    for t in threads: t.start()
    time.sleep(a.before_seconds)
    pid = int(open(a.azurite_pid_file).read())
    stopped = time.monotonic()
    os.kill(pid, signal.SIGTERM)
    time.sleep(a.outage_seconds)
    log = open(a.azurite_log, "a")
    restarted = time.monotonic()
    proc = subprocess.Popen(["bash", "-c", a.azurite_start], stdout=log, stderr=log)
    open(a.azurite_pid_file, "w").write(str(proc.pid))
    # When Azurite itself listens again (Node start-up and loading its data take a while on a loaded machine),
    # so that the hosts' own recovery can be told apart from the emulator's.
    listening = None
    while listening is None and time.monotonic() < restarted + a.recovery_limit:
        try:
            socket.create_connection(("127.0.0.1", a.azurite_queue_port), timeout=1).close()
            listening = time.monotonic()
        except OSError:
            time.sleep(0.1)
    # Recovered: a search sent after the restart answered 200 and health said 200.
    deadline = restarted + a.recovery_limit
    while time.monotonic() < deadline:
        with lock:
            recovered = {k: next((e[1] for e in events if e[0] == k and e[1] > restarted and e[2] == 200), None) for k in ("search", "health")}
        if all(recovered.values()): break
        time.sleep(0.2)
    time.sleep(a.after_seconds)
    stop.set()
    for t in threads: t.join()

    def summary(kind, start, end):
        rows = [e for e in events if e[0] == kind and start <= e[1] - e[3] / 1000 and e[1] < end]
        counts = {}
        for e in rows: counts[str(e[2])] = counts.get(str(e[2]), 0) + 1
        unavailable = [e for e in rows if e[2] == 503]
        return {"requests": len(rows), "statuses": counts,
                "503WithRetryAfter": sum(1 for e in unavailable if e[4]), "retryAfter": sorted({e[4] for e in unavailable if e[4]}),
                "p50ms": pct([e[3] for e in rows], 50), "maxMs": round(max((e[3] for e in rows), default=0), 1)}

    # Requests sent while Azurite was down (sent after the stop, answered before the restart).
    during = {k: summary(k, stopped, restarted) for k in ("search", "health")}
    first_503 = {k: next((round(e[1] - stopped, 2) for e in events if e[0] == k and e[1] > stopped and e[2] == 503), None) for k in ("search", "health")}
    # Jobs accepted before the outage: every one must have succeeded by the end (nothing lost).
    accepted = [e[5] for e in events if e[0] == "search" and e[5] and e[1] < stopped]
    c, lost = Client(a.url), []
    for job in accepted:
        s, _, _, data = c.call("GET", f"/api/v1/jobs/{job}")
        if s != 200 or json.loads(data).get("status") != "succeeded": lost.append((job, s))
    after = [e for e in events if e[1] > restarted and e[2] not in (200, 202, 503)]
    result = {
        "phase": "storage-outage", "outageSeconds": a.outage_seconds, "loadAverage": open("/proc/loadavg").read().split()[:3],
        "during": during, "first503AfterStopSeconds": first_503,
        "azuriteListeningAfterRestartSeconds": round(listening - restarted, 2) if listening else None,
        "recoveredAfterRestartSeconds": {k: (round(v - restarted, 2) if v else None) for k, v in recovered.items()},
        "recoveredAfterAzuriteListeningSeconds": {k: (round(v - listening, 2) if v and listening else None) for k, v in recovered.items()},
        "before": {k: summary(k, 0, stopped) for k in ("search", "health")},
        "jobsAcceptedBeforeOutage": len(accepted), "jobsNotSucceeded": lost,
        "otherStatusesAfterRestart": len(after),
    }
    print(json.dumps(result), flush=True)
    # Searches: 503 + Retry-After only. Health: 503 only (it reports; callers of /health are probes, not retriers).
    bad = [k for k in ("search", "health") if set(during[k]["statuses"]) - {"503"}]
    if during["search"]["503WithRetryAfter"] != during["search"]["requests"]: bad.append("search without Retry-After")
    ok = not bad and all(recovered.values()) and not lost and during["search"]["requests"] > 0
    if not ok: print(json.dumps({"phase": "storage-outage", "failed": bad or "no recovery / lost jobs"}), flush=True)
    return ok


def load(a):
    """a.connections persistent connections for a.load_seconds: new and repeated searches mixed (a pool of 2,000)."""
    tag = f"l{random.randrange(10**6)}x"
    rng = random.Random(tag)
    pool = [f"{rng.choice(MOODS)} {rng.choice(GENRES)} about {rng.choice(TOPICS)} {tag}{i}" for i in range(2000)]
    lock, rows = threading.Lock(), []
    end = time.monotonic() + a.load_seconds

    def worker(seed):
        c, r = Client(a.url), random.Random(seed)
        while time.monotonic() < end:
            s, ms, _, data = c.search(r.choice(pool))
            cached = None
            if s == 200:
                try: cached = json.loads(data).get("cached")
                except ValueError: pass
            with lock: rows.append((s, ms, cached))

    load_before = open("/proc/loadavg").read().split()[:3]
    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(a.connections)]
    for t in threads: t.start()
    for t in threads: t.join()
    wall = time.monotonic() - start
    counts = {}
    for s, _, _ in rows: counts[str(s)] = counts.get(str(s), 0) + 1
    errors = sum(1 for s, _, _ in rows if s not in (200, 202))
    lat = [ms for _, ms, _ in rows]
    print(json.dumps({
        "phase": "load", "seconds": round(wall, 1), "connections": a.connections, "requests": len(rows), "statuses": counts, "errors": errors,
        "requestsPerSecond": round(len(rows) / wall, 1), "p50ms": pct(lat, 50), "p90ms": pct(lat, 90), "p99ms": pct(lat, 99), "maxMs": round(max(lat), 1),
        "cachedShare": round(sum(1 for r in rows if r[2]) / max(1, len(rows)), 2),
        "uncachedP50ms": pct([ms for s, ms, c in rows if c is False], 50), "cachedP50ms": pct([ms for s, ms, c in rows if c], 50),
        "loadAverage": {"start": load_before, "end": open("/proc/loadavg").read().split()[:3]},
    }), flush=True)
    return errors == 0 and len(rows) > 0


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--azurite-start", required=True)
    p.add_argument("--azurite-pid-file", required=True)
    p.add_argument("--azurite-log", required=True)
    p.add_argument("--azurite-queue-port", type=int, required=True)
    p.add_argument("--before-seconds", type=float, default=10)
    p.add_argument("--outage-seconds", type=float, default=20)
    p.add_argument("--after-seconds", type=float, default=5)
    p.add_argument("--recovery-limit", type=float, default=120)
    p.add_argument("--load-seconds", type=float, default=60)
    p.add_argument("--connections", type=int, default=8)
    a = p.parse_args()
    ok = outage(a)
    ok = load(a) and ok
    sys.exit(0 if ok else 1)
