-- wrk script: translators saving drafts through the JSON API (run by benches/save.sh).
--
--   wrk -t2 -c16 -d10s --latency -s benches/save.lua URL -- TOKEN SEGMENTS_FILE
--
-- SEGMENTS_FILE has one line per segment to work on: "SEGMENT_ID CURRENT_REVISION_ID" (the
-- second field "-" for a segment with no English yet). Each wrk thread takes its own share
-- of the segments, like translators working on their own paragraphs, and saves them in
-- turn: a new text each time, based on the revision its last save made (or the one it
-- loaded), as an editor does. A segment is never saved twice at once by one thread, so a
-- 409 means a real conflict (another thread, or someone else, saved it first); the thread
-- then takes the current revision from the 409 and goes on from it.
--
-- Counts 201 (saved), 409 (stored in the history, not current), 200 (unchanged: never,
-- since every text differs) and anything else, and prints them at the end for save.sh.

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  token = args[1]
  local nthreads = tonumber(args[3] or "2")
  free, base, mine = {}, {}, {}
  saved, conflicts, unchanged, others = 0, 0, 0, 0
  counter = 0
  local lines = {}
  for line in io.lines(args[2]) do
    local id, current = line:match("^(%S+)%s+(%S+)")
    if id then table.insert(lines, { id = id, current = current }) end
  end
  for n, segment in ipairs(lines) do
    -- Fewer segments than threads (SPREAD=one): every thread saves all of them.
    if (n - 1) % nthreads == index or #lines < nthreads then
      table.insert(free, segment.id)
      table.insert(mine, segment.id)
      if segment.current ~= "-" then base[segment.id] = segment.current end
    end
  end
  if #free == 0 then error("no segments for thread " .. index) end
end

function request()
  -- The free segment saved longest ago; if all are in flight (more connections than
  -- segments), any of the thread's.
  local id = table.remove(free, 1) or mine[math.random(#mine)]
  counter = counter + 1
  local text = string.format("Bench draft %d-%d: the Party congress met in the spring " ..
    "of that year and the delegates voted, as the Thai says, after a long debate.",
    index, counter)
  local body
  if base[id] then
    body = string.format('{"text": "%s", "base_revision": "%s"}', text, base[id])
  else
    body = string.format('{"text": "%s"}', text)
  end
  return wrk.format("POST", "/api/segments/" .. id .. "/revisions", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

-- The "id" of the object under `key` (keys may come in any order).
function id_in(body, key)
  local object = body:match('"' .. key .. '":(%b{})')
  return object and object:match('"id":"([%x-]+)"')
end

function response(status, headers, body)
  local segment = body:match('"segment":"([%x-]+)"')
  if status == 201 then
    saved = saved + 1
    base[segment] = id_in(body, "revision") or base[segment]
  elseif status == 409 then
    conflicts = conflicts + 1
    base[segment] = id_in(body, "theirs") or base[segment]
  elseif status == 200 then
    unchanged = unchanged + 1
  else
    others = others + 1
  end
  if segment then table.insert(free, segment) end
end

function done(summary, latency, requests)
  local s, c, u, o = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    s = s + thread:get("saved")
    c = c + thread:get("conflicts")
    u = u + thread:get("unchanged")
    o = o + thread:get("others")
  end
  io.write(string.format("acknowledged: saved_201 %d conflict_409 %d unchanged_200 %d other %d\n",
    s, c, u, o))
end
