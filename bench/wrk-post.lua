-- wrk posts the typical event's bytes (the file named by BENCH_BODY) with the headers the library sends.
local path = os.getenv("BENCH_BODY")
local f = assert(io.open(path, "rb"), "BENCH_BODY must name the body file")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Gitlab-Audit-Event-Type"] = "project_created"
wrk.headers["X-Gitlab-Event-Streaming-Token"] = "bench-verification-token"
