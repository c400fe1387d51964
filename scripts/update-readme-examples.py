#!/usr/bin/env python3
"""Reruns the README's example requests against a running local gateway and rewrites their outputs in place.

    scripts/run-local.sh &                        # the embedded default the examples document
    scripts/update-readme-examples.py [--url http://localhost:7071] [--check]

The examples are found as tests/MediaGateway.Tests/Functions/ReadmeExample.cs finds them (a curl to localhost:7071
in a bash block, its output block right after; requests with $KEY are left alone), and each output keeps its shape:
a whole JSON body keeps its line layout, a shortened one keeps its columns (title, year, [genre], score,
[personalization], [matchedFields], reasons) and its interpretation line. Status-line examples (HTTP/1.1 …) are
left as written. ReadmeExamplesTests then checks the result; --check only reports which examples changed.
"""
import json
import re
import sys
import urllib.error
import urllib.request

README = "README.md"
CURL = re.compile(r"^curl -s (?:-i )?'?localhost:7071(?P<path>/api/v1/[^' ]+)'?(?: -H '[^']*')*(?: -d '(?P<body>[^']*)')?\s*$")


def examples(lines):
    """(output start, output end, method, path, body) per example, as ReadmeExample.All reads them."""
    i = 0
    while i < len(lines):
        if lines[i] != "```bash":
            i += 1
            continue
        end = lines.index("```", i + 1)
        command = " ".join(l.rstrip("\\").strip() for l in lines[i + 1:end])
        i = end + 1
        if not command.startswith("curl ") or "localhost:7071" not in command or "$KEY" in command:
            continue
        m = CURL.match(command)
        if not m or lines[end + 1] not in ("```", "```json"):
            sys.exit(f"README.md:{end}: a request this script cannot read: {command}")
        out_end = lines.index("```", end + 2)
        yield end + 2, out_end, ("POST" if m.group("body") else "GET"), m.group("path"), m.group("body")
        i = out_end + 1


def call(url, method, path, body):
    request = urllib.request.Request(url + path, method=method, data=body.encode() if body else None,
                                     headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        return json.load(e)


VOLATILE = ("jobId", "completedAt", "timingsMs", "cached")  # as ReadmeExamplesTests ignores them


def steady(body):
    return {k: v for k, v in body.items() if k not in VOLATILE} if isinstance(body, dict) else body


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def spaced(value):
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def whole_body(old, actual):
    """A search body laid out as the README lays it out: head, interpretation, one line per result, tail."""
    if len(old) == 1:
        return [compact(actual)]
    keys = list(actual)
    head = {k: actual[k] for k in keys[:keys.index("interpretation")]}
    tail = {k: actual[k] for k in keys[keys.index("results") + 1:]}
    results = actual["results"]
    lines = [compact(head)[:-1] + ",", ' "interpretation":' + compact(actual["interpretation"]) + ",", ' "results":[']
    lines += ["  " + compact(r) + ("," if i < len(results) - 1 else "],") for i, r in enumerate(results)]
    lines.append(" " + compact(tail)[1:])
    return lines


def shortened(old, actual):
    """Interpretation line (if the README shows one) and one aligned line per result, with the columns it shows."""
    shown = [l for l in old if l and not l.startswith('"')]
    has = lambda word: any(re.search(r"\s{2,}" + word, l) for l in shown)
    with_genre = any(re.match(r"^\S.*?\s{2,}\d{4}\s{2,}[A-Za-z]", l) for l in shown)
    # Arrays keep the spacing the README wrote them with.
    array = spaced if any('", "' in l for l in shown) else compact
    rows = []
    for r in actual["results"]:
        e = r["explanation"]
        row = [r["title"], str(r["year"])]
        if with_genre:
            row.append(r.get("genre") or "")
        row.append(f"{r['score']:.4f}")
        if has("personalization"):
            row.append(f"personalization {e['personalization']:.4f}")
        if has("matchedFields"):
            row.append("matchedFields " + array(r["matchedFields"]))
        row.append("reasons " + array(e["reasons"]))
        rows.append(row)
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))] if rows else []
    lines = []
    if any(l.startswith('"interpretation": ') for l in old):
        lines.append('"interpretation": ' + spaced(actual["interpretation"]))
    for row in rows:
        lines.append("  ".join(cell.ljust(widths[c]) if c < len(row) - 1 else cell for c, cell in enumerate(row)))
    return lines


def main():
    url = sys.argv[sys.argv.index("--url") + 1] if "--url" in sys.argv else "http://localhost:7071"
    lines = open(README, encoding="utf-8").read().split("\n")
    changed = []
    for start, end, method, path, body in reversed(list(examples(lines))):
        old = lines[start:end]
        if old and old[0].startswith("HTTP/1.1 "):
            continue
        actual = call(url, method, path, body)
        if old and old[0].startswith("{") and steady(json.loads("\n".join(old))) == steady(actual):
            continue  # only ids, clocks and timings differ: the README keeps its run
        if old and old[0].startswith("{"):
            # Ids, clocks and timings stay those the README describes (a cold first search, say); the rest is new.
            before = json.loads("\n".join(old))
            actual = {k: before.get(k, v) if k in VOLATILE else v for k, v in actual.items()}
            new = whole_body(old, actual)
        else:
            new = shortened(old, actual)
        if new != old:
            changed.append(f"README.md:{start} {method} {path}")
            lines[start:end] = new
    if "--check" not in sys.argv:
        open(README, "w", encoding="utf-8").write("\n".join(lines))
    print("\n".join(reversed(changed)) or "every example already matches")


if __name__ == "__main__":
    main()
