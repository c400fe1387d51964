#!/usr/bin/python3
"""Peer side of scripts/bench-vs-peers.sh: data generation, FAISS / hnswlib runs, ground truth, report.

  gen    DIR N NQ         clustered unit vectors -> DIR/base.npy (N x 384), DIR/queries.npy (NQ x 384)
  gt     DIR N            exact top-10 (FAISS IndexFlatIP over blocks of the first N rows, merged) -> DIR/gt-N.npy
  peer   DIR NAME N ...   one peer in this process (so its RSS delta is its own) -> DIR/NAME.json
  report DIR       table of all DIR/*.json, recall@10 against the ground truth; DIR/results.json for the plots

Data (the same bytes for every contender): 1,000 centres drawn uniformly on the unit sphere in 384-d; a point
is a random centre plus isotropic Gaussian noise of total norm ~0.75 (sigma = 0.75/sqrt(384) per component),
renormalised to unit length. Queries come from the same distribution (fresh draws). Seeded: reproducible.
"""
import json, os, sys, time, glob
import numpy as np

DIM, NOISE, K = 384, 0.75, 10
# BENCH_CENTRES: fewer centres make bigger clusters. 100 centres at 500k rows give the 5,000-point clusters of
# the 5M set (1,000 centres), whose graph-building failure then shows in minutes instead of hours.
CENTRES = int(os.environ.get('BENCH_CENTRES', '1000'))


def status(field):
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1]) * 1024
    return 0


def rss():
    # Anonymous memory only: what the index allocated. With MMAP=1 the base matrix is a file mapping whose
    # pages (RssFile) are the page cache's, shared with every other reader of base.npy, not the index's.
    return status('RssAnon')


def clustered(rng, centres, n):
    out = np.empty((n, DIM), dtype=np.float32)
    for s in range(0, n, 100_000):
        m = min(100_000, n - s)
        x = centres[rng.integers(0, CENTRES, m)] + rng.standard_normal((m, DIM), dtype=np.float32) * np.float32(NOISE / np.sqrt(DIM))
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        out[s:s + m] = x
    return out


def gen(d, n, nq):
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(20261129)
    centres = rng.standard_normal((CENTRES, DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    base = np.lib.format.open_memmap(os.path.join(d, 'base.npy'), mode='w+', dtype=np.float32, shape=(n, DIM))
    for s in range(0, n, 100_000):
        base[s:s + min(100_000, n - s)] = clustered(rng, centres, min(100_000, n - s))
    base.flush()
    np.save(os.path.join(d, 'queries.npy'), clustered(rng, centres, nq))


def load(d, n):
    # MMAP=1 (millions of rows): the base stays a read-only memory mapping of base.npy, as ours does, so the
    # machine holds one copy of it (page cache) instead of a second anonymous one.
    base = np.load(os.path.join(d, 'base.npy'), mmap_mode='r')[:n]
    if os.environ.get('MMAP') != '1':
        # A real copy in anonymous memory, loaded before the first reading, for every contender.
        base = np.array(base, dtype=np.float32, copy=True)
    return base, np.load(os.path.join(d, 'queries.npy'))


def ground_truth(d, n, block=250_000):
    # FAISS IndexFlatIP over blocks of the memory-mapped base, merged: exact top-10 in a bounded amount of
    # memory (one block, 384 MB at 384-d) whatever N is.
    import faiss
    base = np.load(os.path.join(d, 'base.npy'), mmap_mode='r')
    xq = np.load(os.path.join(d, 'queries.npy'))
    best_s = np.full((len(xq), K), -np.inf, dtype=np.float32)
    best_i = np.full((len(xq), K), -1, dtype=np.int64)
    for s in range(0, n, block):
        index = faiss.IndexFlatIP(DIM)
        index.add(np.ascontiguousarray(base[s:min(n, s + block)], dtype=np.float32))
        sc, ids = index.search(xq, K)
        all_s, all_i = np.hstack([best_s, sc]), np.hstack([best_i, ids + s])
        # Best score first; equal scores by the lower row, as in one flat index over all rows.
        order = np.lexsort((all_i, -all_s), axis=1)[:, :K]
        best_s, best_i = np.take_along_axis(all_s, order, 1), np.take_along_axis(all_i, order, 1)
        print(f'ground truth: {min(n, s + block):,} / {n:,} rows', file=sys.stderr)
    np.save(os.path.join(d, f'gt-{n}.npy'), best_i.astype(np.int32))


def timed_queries(search, xq, nq1, nq64):
    # Warm-up, untimed (the same count as our harness: 256 single queries for graphs, 2 for flat, one batch).
    for i in range(min(len(xq), 2 if nq1 < 256 else 256)):
        search(xq[i:i + 1])
    search(xq[:64])
    ids = np.full((len(xq), K), -1, dtype=np.int32)
    # Best of REPEAT timed passes (default 3), as in our harness: the machine is shared.
    b1 = b64 = 0.0
    for _ in range(int(os.environ.get('REPEAT', '3'))):
        t = time.perf_counter()
        for i in range(nq1):
            ids[i] = search(xq[i:i + 1])[0]
        b1 = max(b1, nq1 / (time.perf_counter() - t))
        t = time.perf_counter()
        done = 0
        for s in range(0, min(len(xq), nq64) - 63, 64):
            ids[s:s + 64] = search(xq[s:s + 64])
            done += 64
        b64 = max(b64, done / (time.perf_counter() - t))
    return b1, b64, ids


def peer(d, name, n, threads, m, efc, efs, nq1, nq64):
    xb, xq = load(d, n)
    result = {'name': name, 'n': n, 'dim': DIM, 'runs': [], 'load_start': os.getloadavg()[0]}
    kept_build = None  # the build figures of a graph loaded with KEEP_INDEX=1
    before = rss()
    t, cpu = time.perf_counter(), time.process_time()
    if name.startswith('faiss'):
        import faiss
        faiss.omp_set_num_threads(threads)
        if name == 'faiss-flat':
            index = faiss.IndexFlatIP(DIM)
        else:
            index = faiss.IndexHNSWFlat(DIM, m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = efc
        index.add(xb)
        def set_ef(ef):
            if name != 'faiss-flat': index.hnsw.efSearch = ef
        search = lambda q: index.search(q, K)[1]
        # Which BLAS the process really loaded (the flat index uses sgemm for batches of 20 or more).
        with open('/proc/self/maps') as f:
            blas = sorted({l.split()[-1] for l in f if 'blas' in l.lower()})
        result['blas'] = blas
    else:
        import hnswlib
        index = hnswlib.Index(space='ip', dim=DIM)
        # KEEP_INDEX=1: the graph is kept in DIR beside its build figures and loaded by later runs (query-side
        # sweeps of a graph that took an hour to build); the same for our harness (bench-vs-peers.sh).
        kept = os.path.join(d, f'{name}-m{m}-efc{efc}-n{n}.index') if os.environ.get('KEEP_INDEX') == '1' else None
        if kept and os.path.exists(kept):
            index.load_index(kept, max_elements=n)
            with open(kept + '.build') as f:
                kept_build = json.load(f)
        else:
            index.init_index(max_elements=n, ef_construction=efc, M=m, random_seed=100)
            index.set_num_threads(threads)
            # In blocks of 100k rows, so a memory-mapped base is never converted into one large temporary.
            for s in range(0, n, 100_000):
                index.add_items(np.ascontiguousarray(xb[s:s + 100_000]), np.arange(s, min(n, s + 100_000)), num_threads=threads)
            if kept:
                kept_build = {'build_s': time.perf_counter() - t, 'build_cpu_s': time.process_time() - cpu}
                index.save_index(kept)
                with open(kept + '.build', 'w') as f:
                    json.dump(kept_build, f)
        index.set_num_threads(threads)
        set_ef = index.set_ef
        # hnswlib starts fresh std::threads on every call with num_threads > 1, which costs more than a
        # single query's search: give it its best setting for one query (1 thread), and `threads` for batches.
        search = lambda q: index.knn_query(q, k=K, num_threads=1 if len(q) == 1 else threads)[0]
    result['build_s'] = time.perf_counter() - t
    # CPU seconds (all threads) as well: on a shared machine wall time also counts waiting for a core.
    result['build_cpu_s'] = time.process_time() - cpu
    if kept_build:
        result.update(kept_build)
    result['rss_delta_mb'] = (rss() - before) / 1048576
    # Said now, not only at the end: a build of millions takes an hour, and its figures must survive what follows.
    print(f'[{name}] built in {result["build_s"]:.1f} s ({result["build_cpu_s"]:.0f} CPU s), RSS +{result["rss_delta_mb"]:.0f} MiB', file=sys.stderr)
    if os.environ.get('SAVELOAD') == '1' and name != 'faiss-flat':
        # Save and load time of the built graph (the file is removed afterwards: it is as large as the vectors).
        path = os.path.join(d, f'{name}.index')
        t = time.perf_counter()
        if name == 'hnswlib': index.save_index(path)
        else: faiss.write_index(index, path)
        result['save_s'] = time.perf_counter() - t
        result['file_mb'] = os.path.getsize(path) / 1048576
        del index, search
        t = time.perf_counter()
        if name == 'hnswlib':
            index = hnswlib.Index(space='ip', dim=DIM)
            index.load_index(path, max_elements=n)
            index.set_num_threads(threads)
            set_ef = index.set_ef
            search = lambda q: index.knn_query(q, k=K, num_threads=1 if len(q) == 1 else threads)[0]
        else:
            index = faiss.read_index(path)
            search = lambda q: index.search(q, K)[1]
        result['load_s'] = time.perf_counter() - t
        os.remove(path)
    for ef in (efs if name != 'faiss-flat' else [0]):
        if ef: set_ef(ef)
        b1, b64, ids = timed_queries(search, xq, nq1, nq64)
        path = os.path.join(d, f'{name}{"-ef%d" % ef if ef else ""}-ids.npy')
        np.save(path, ids)
        result['runs'].append({'ef': ef, 'qps_b1': b1, 'qps_b64': b64, 'ids': path})
        print(f'[{name}] ef={ef}: b1 {b1:.1f} q/s, b64 {b64:.1f} q/s', file=sys.stderr)
    result['load_end'] = os.getloadavg()[0]
    # Peak resident set of the whole process (VmHWM), mapped base pages included.
    result['peak_rss_mb'] = status('VmHWM') / 1048576
    with open(os.path.join(d, f'{name}.json'), 'w') as f:
        json.dump(result, f)


def recall(ids_path, gt):
    # Over the queries that were run (the exact indexes time fewer queries than the file holds).
    ids = np.load(ids_path)
    ran = [i for i in range(len(gt)) if ids[i, 0] >= 0]
    return sum(len(set(ids[i]) & set(gt[i])) for i in ran) / (K * len(ran))


def report(d):
    rows = {}
    for p in glob.glob(os.path.join(d, '*.json')):
        if os.path.basename(p) == 'results.json': continue  # written below
        r = json.load(open(p))
        gt = np.load(os.path.join(d, f'gt-{r["n"]}.npy'))
        for run in r['runs']:
            run['recall'] = recall(run['ids'], gt)
        rows[r['name']] = r
    # The same rows with their recall, for the recall-QPS plots (tests/MediaGateway.Benchmarks `plot`).
    order = ['ours-exact', 'ours-exact-int8', 'faiss-flat', 'ours-hnsw', 'ours-hnsw-fp16', 'hnswlib', 'faiss-hnsw']
    with open(os.path.join(d, 'results.json'), 'w') as f:
        json.dump([rows[name] for name in order if name in rows], f)

    def line(label, r, run):
        load = f'{r["load_start"]:.1f}→{r["load_end"]:.1f}' if 'load_start' in r else '?'
        saveload = f'{r["save_s"]:.1f} / {r["load_s"]:.1f}' if 'save_s' in r else '-'
        return (f'| {label} | {r["n"]:,} | {run["ef"] or "-"} | {r["build_s"]:.1f} | {r.get("build_cpu_s", float("nan")):.1f} | {r["rss_delta_mb"]:.0f} | '
                f'{r.get("peak_rss_mb", float("nan")):.0f} | {saveload} | {run["qps_b1"]:.1f} | {run["qps_b64"]:.1f} | {run["recall"]:.4f} | {load} |')

    print(f'\nRecall@10 against FAISS IndexFlatIP. Build in s, RSS MiB = anonymous RSS (RssAnon) added by the build, '
          f'peak MiB = the process\'s VmHWM (mapped base pages included), save / load s = the built graph to a file and back, QPS = queries/s.\n')
    print('| index | N | ef | build s | build CPU s | RSS MiB | peak MiB | save / load s | QPS b=1 | QPS b=64 | recall@10 | load (1-min avg, start→end) |')
    print('|---|---|---|---|---|---|---|---|---|---|---|---|')
    for name in order:
        if name in rows:
            for run in rows[name]['runs']:
                print(line(name, rows[name], run))

    def ratio(a, b):
        return a / b if b else float('nan')
    print('\nRatios (ours / peer; > 1 is better for QPS, < 1 is better for build time and memory):\n')
    if 'ours-exact' in rows and 'faiss-flat' in rows:
        o, f = rows['ours-exact'], rows['faiss-flat']
        print(f'- exact vs FAISS IndexFlatIP: QPS b=1 {ratio(o["runs"][0]["qps_b1"], f["runs"][0]["qps_b1"]):.2f}x, '
              f'QPS b=64 {ratio(o["runs"][0]["qps_b64"], f["runs"][0]["qps_b64"]):.2f}x, '
              f'memory {o["rss_delta_mb"]:.0f} MiB = {o["rss_delta_mb"] * 1048576 / (o["n"] * o["dim"] * 4):.2f}x raw vectors '
              f'(FAISS {f["rss_delta_mb"] * 1048576 / (f["n"] * f["dim"] * 4):.2f}x)')
    for ours, peer_name in [(o, p) for o in ['ours-hnsw', 'ours-hnsw-fp16'] for p in ['hnswlib', 'faiss-hnsw']]:
        if ours not in rows or peer_name not in rows:
            continue
        o, p = rows[ours], rows[peer_name]
        # QPS at the smallest ef reaching recall 0.95, for each side.
        def at95(r, key):
            ok = [run for run in r['runs'] if run['recall'] >= 0.95]
            return (max(ok, key=lambda run: run[key]) if ok else None)
        parts = []
        for key in ['qps_b1', 'qps_b64']:
            a, b = at95(o, key), at95(p, key)
            parts.append(f'{key} at recall>=0.95 ' + (f'{ratio(a[key], b[key]):.2f}x (ours ef={a["ef"]} {a[key]:.0f}, {peer_name} ef={b["ef"]} {b[key]:.0f})' if a and b else 'n/a'))
        print(f'- {ours} vs {peer_name}: ' + '; '.join(parts)
              + f'; build {ratio(o["build_s"], p["build_s"]):.2f}x wall, {ratio(o.get("build_cpu_s", float("nan")), p.get("build_cpu_s", float("nan"))):.2f}x CPU; memory {ratio(o["rss_delta_mb"], p["rss_delta_mb"]):.2f}x')


if __name__ == '__main__':
    cmd, d = sys.argv[1], sys.argv[2]
    if cmd == 'gen':
        gen(d, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == 'gt':
        ground_truth(d, int(sys.argv[3]))
    elif cmd == 'peer':
        name, n, threads, m, efc = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
        efs = [int(x) for x in sys.argv[8].split(',')]
        peer(d, name, n, threads, m, efc, efs, int(sys.argv[9]), int(sys.argv[10]))
    elif cmd == 'report':
        report(d)
