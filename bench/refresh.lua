-- wrk script: the refresh_token grant with rotation, as a real client does it.
--
-- Every request presents the refresh token the previous request of the same grant returned (a
-- used token would revoke the whole grant). The grants are obtained up front through the real
-- OAuth flow, all for one client. BENCH_TOKENS names a file: the client_id on the first line,
-- then one refresh token per line; wrk thread i (of BENCH_THREADS) takes every n-th token.
--
-- A thread keeps a pool of the tokens it owns that are not in flight: request() takes one,
-- response() puts back the token the server answered with. A connection sends its next
-- request only after response() has run for its previous one, so with at least as many tokens
-- as connections the pool is never empty when a request is made.
dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")

local threads = {}
local counter = 0

function setup(thread)
   thread:set("index", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   local count = tonumber(os.getenv("BENCH_THREADS") or "1")
   pool, failed, starved, rotated = {}, 0, 0, 0
   local lines = io.lines(os.getenv("BENCH_TOKENS"))
   client_id = lines()
   local n = 0
   for token in lines do
      if token ~= "" then
         if n % count == index then table.insert(pool, token) end
         n = n + 1
      end
   end
end

local function form_escape(text)
   return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }

function request()
   local token = table.remove(pool)
   if token == nil then
      -- No token free (lost grants): send one that fails fast rather than reuse a token.
      starved = starved + 1
      token = "none"
   end
   return wrk.format("POST", "/token", form, "grant_type=refresh_token&refresh_token=" .. form_escape(token)
                     .. "&client_id=" .. form_escape(client_id))
end

function response(status, headers, body)
   local next_token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
   if next_token then
      rotated = rotated + 1
      table.insert(pool, next_token)
   else
      failed = failed + 1
   end
end

function done(summary, latency, requests)
   local r, f, s = 0, 0, 0
   for _, thread in ipairs(threads) do
      r = r + (thread:get("rotated") or 0)
      f = f + (thread:get("failed") or 0)
      s = s + (thread:get("starved") or 0)
   end
   bench_report(summary, latency, string.format("rotated=%d failed=%d starved=%d", r, f, s))
end
