-- wrk script of scripts/bench/http.sh. Environment:
--   BENCH_KIND  variant | boolean | batch (POST, rotating entity ids) or get (static GET)
--   BENCH_ETAG  for get: sent as If-None-Match when set
-- POST kinds cycle through ENTITIES pre-built requests, each with its own entity id and the
-- same six-property context; both the read tier and the baseline get exactly these bytes.
-- `done` prints one machine-readable RESULT line (latencies in microseconds).

local kind = os.getenv("BENCH_KIND") or "get"
local etag = os.getenv("BENCH_ETAG")
local ENTITIES = 1024

local context = '"context":{"email":"jane.doe@example.com","country":"us","age":"34",'
  .. '"beta":"true","plan":"pro","seats":"25"}'

local function eval_body(flag, entity)
  return '{"namespaceKey":"default","flagKey":"' .. flag .. '","entityId":"' .. entity
    .. '",' .. context .. '}'
end

local function body_for(i)
  local entity = string.format("user-%06d", i)
  if kind == "variant" then
    return eval_body("variant-0", entity)
  elseif kind == "boolean" then
    return eval_body("boolean-0", entity)
  else
    local items = {}
    for f = 0, 4 do
      items[#items + 1] = eval_body("variant-" .. f, entity)
    end
    for f = 0, 4 do
      items[#items + 1] = eval_body("boolean-" .. f, entity)
    end
    return '{"requests":[' .. table.concat(items, ",") .. ']}'
  end
end

if kind == "get" then
  if etag and etag ~= "" then
    wrk.headers["If-None-Match"] = etag
  end
else
  local requests = {}
  local n = 0

  init = function(args)
    local headers = { ["Content-Type"] = "application/json" }
    for i = 1, ENTITIES do
      requests[i] = wrk.format("POST", wrk.path, headers, body_for(i))
    end
  end

  request = function()
    n = n % ENTITIES + 1
    return requests[n]
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f p50_us=%d p99_us=%d requests=%d socket_errors=%d status_errors=%d\n",
    summary.requests / seconds, latency:percentile(50), latency:percentile(99),
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
