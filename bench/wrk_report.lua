-- Shared by the wrk scripts: one machine-readable line with what the driver reports.
-- Latencies are in microseconds; status = responses with a status of 400 or more.
function bench_report(summary, latency, extra)
   local e = summary.errors
   io.write(string.format(
      "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d status=%d timeout=%d connect=%d read=%d write=%d %s\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.timeout, e.connect, e.read, e.write, extra or ""))
end
