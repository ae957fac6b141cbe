-- A POST per request for wrk. Each thread (one connection each: -t N -c N) logs in as its own
-- person: BENCH_COOKIE_<n> and BENCH_CSRF_<n> from the environment. With BENCH_TOPIC set it is a
-- vote click on the ballot (htmx, CSRF header) that gives a point and takes it back in turn, so
-- the budget is never used up; without it a plain POST (the baseline's one-row update).
local count = 0

function setup(thread)
  count = count + 1
  thread:set("cookie", os.getenv("BENCH_COOKIE_" .. count) or "")
  thread:set("csrf", os.getenv("BENCH_CSRF_" .. count) or "")
end

function init(args)
  topic = os.getenv("BENCH_TOPIC")
  step = 0
end

function request()
  step = step + 1
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept-Encoding"] = "br, gzip",
    ["Cookie"] = cookie,
    ["X-CSRFToken"] = csrf,
    ["HX-Request"] = "true",
  }
  local body = ""
  if topic then
    body = "topic=" .. topic .. "&delta=" .. ((step % 2 == 1) and "1" or "-1")
  end
  return wrk.format("POST", nil, headers, body)
end
