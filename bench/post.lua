-- wrk script: one static POST. BENCH_BODY names the file holding the body; headers come from
-- wrk's -H options. Responses are not parsed (the driver checks one before timing).
dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")

wrk.method = "POST"
local file = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
   bench_report(summary, latency)
end
