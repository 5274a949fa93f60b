#!/usr/bin/python3
# measure.py CMD [ARGS...]: runs CMD with its output discarded into files the caller names
# through the environment (MEASURE_OUT, MEASURE_ERR; default /dev/null) and prints
# "wall_ms cpu_ms peak_rss_kB" for it: wall from a monotonic clock around the child only
# (not this interpreter's start), CPU as user + system time of the child and its threads
# and children (getrusage RUSAGE_CHILDREN, microsecond resolution, unlike GNU time's 10 ms),
# and the child's peak resident set. Exits with the child's status.
import os
import resource
import subprocess
import sys
import time

out = open(os.environ.get("MEASURE_OUT", os.devnull), "wb")
err = open(os.environ.get("MEASURE_ERR", os.devnull), "wb")
t0 = time.monotonic()
rc = subprocess.call(sys.argv[1:], stdout=out, stderr=err)
wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall * 1000:.0f} {(r.ru_utime + r.ru_stime) * 1000:.0f} {r.ru_maxrss}")
sys.exit(rc)
