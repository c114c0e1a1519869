"""Runs each command in a fresh process, interleaved run by run so drift hits all alike, and prints medians.

  load:NAME=COMMAND   the command prints '<ms> <count>': the in-process time of the first load (JIT included)
  first:NAME=COMMAND  wall time from spawning the process to its exit, which follows its first trusted response
A command is split on spaces; a backslash-escaped space stays inside its argument.
"""
import re
import statistics
import subprocess
import sys
import time


def split(command):
    return [part.replace("\\ ", " ") for part in re.split(r"(?<!\\) ", command)]


def main():
    runs, url, bundle = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    cases = []
    for spec in sys.argv[4:]:
        kind, rest = spec.split(":", 1)
        name, command = rest.split("=", 1)
        cases.append((kind, name, split(command), []))

    for kind, name, argv, _ in cases:  # one warm-up each: the OS file cache, not the process, should be warm
        subprocess.run(argv, check=True, capture_output=True)
    for _ in range(runs):
        for kind, name, argv, samples in cases:
            start = time.perf_counter()
            done = subprocess.run(argv, check=True, capture_output=True, text=True)
            elapsed = (time.perf_counter() - start) * 1000
            samples.append(float(done.stdout.split()[0]) if kind == "load" else elapsed)

    count = open(bundle, encoding="ascii", errors="replace").read().count("BEGIN CERTIFICATE")
    print(f"Start-up, fresh processes, median of {runs} (min-max), {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, "
          f"bundle of {count} certificates, {url}")
    print("| measurement | what | median ms | min–max ms |")
    print("|---|---|---:|---:|")
    for kind, name, _, samples in cases:
        what = "first bundle load in a new process" if kind == "load" else "process start → first trusted response → exit"
        print(f"| {name} | {what} | {statistics.median(samples):.1f} | {min(samples):.1f}–{max(samples):.1f} |")


if __name__ == "__main__":
    main()
