/**
 * The Lua behind the Redis store. Redis runs a script atomically, so every rule of a request
 * is decided in one round trip and nothing is consumed unless all pass. Time comes from the
 * Redis server (`TIME`): one clock for every instance, whatever their own clocks say.
 *
 * Rate: a list of admission times, oldest first (exact sliding window; pushes and pops at the
 * ends are O(1) and a time costs a few bytes, where a sorted set costs a skiplist node and a
 * member each). Concurrency: a sorted set of lease ids scored by expiry, so a crashed holder's
 * lease lapses by itself.
 */

/**
 * Decides the requests of one turn of the event loop (one or many), each atomically and in order.
 * KEYS: for each decision its rate list and lease set, then lease sets with leases to give back.
 * ARGV: decision count n, lease id prefix, first lease sequence number (decision i's lease is
 * prefix .. first + i - 1), then the decisions' rules in runs — a count of decisions and their
 * rules `"<rate limit> <window ms> <concurrency limit> <lease ms>"` (0 = no such rule), until n
 * are covered: requests of one service mostly share their rules, and every argument costs both
 * sides — then for each lease set after the decisions' keys: a count and that many leases to
 * give back (before any decision).
 * Returns one flat list: per decision `used, reset ms, in flight` when admitted (used ≥ 0), or
 * `-1, used, reset ms, in flight, wait ms` when refused by rate, `-2, …` by concurrency. Flat and
 * integers only: every element costs the client a decode, every nested list an array.
 * @example redis.defineCommand('faultlineDecide', { lua: DECIDE }); // numkeys first, as EVAL
 */
export const DECIDE = `
local n = tonumber(ARGV[1])
local a, covered = 4, 0
while covered < n do
  covered = covered + tonumber(ARGV[a])
  a = a + 2
end
for k = 2 * n + 1, #KEYS do
  local c = tonumber(ARGV[a])
  if c > 0 then redis.call('ZREM', KEYS[k], unpack(ARGV, a + 1, a + c)) end
  a = a + c + 1
end
if n == 0 then return {} end
local t = redis.call('TIME')
-- Every argument a script hands Redis as a Lua number is printed with %.17g (costly): the
-- arguments below are strings, cut from TIME and ARGV or printed once per call.
local nows = t[1] .. string.sub('00000' .. t[2], -6, -4)
local now = tonumber(nows)
local idPrefix, first = ARGV[2], tonumber(ARGV[3])
local rules, rl, win, cl, ttl, ttl2, lease2, until_
local out, o = {}, 0
local run, left = 4, 0
for i = 1, n do
  if left == 0 then
    left = tonumber(ARGV[run])
    run = run + 2
  end
  left = left - 1
  -- A rules text is parsed once per change of it, not per decision.
  if ARGV[run - 1] ~= rules then
    rules = ARGV[run - 1]
    local s1, s2, s3
    local s1, s2, s3, s4 = string.match(rules, '^(%S+) (%S+) (%S+) (%S+)$')
    rl, win, cl, ttl = tonumber(s1), tonumber(s2), tonumber(s3), tonumber(s4)
    ttl2 = string.format('%d', 2 * win)
    lease2 = string.format('%d', 2 * ttl)
    until_ = string.format('%d', now + ttl)
  end
  local log, leases = KEYS[2 * i - 1], KEYS[2 * i]
  local used, reset, inflight, refused = 0, 0, 0, false
  if rl > 0 then
    -- Drop the times that left the window from the head: one at a time while few (the usual
    -- case: about one leaves per admission at a steady rate), then in runs of 32.
    local edge = now - win
    local oldest = redis.call('LINDEX', log, '0')
    local gone = 0
    while oldest and tonumber(oldest) <= edge do
      if gone < 2 then
        redis.call('LPOP', log)
        gone = gone + 1
        oldest = redis.call('LINDEX', log, '0')
      else
        local head = redis.call('LRANGE', log, '0', '31')
        local g = 0
        while g < #head and tonumber(head[g + 1]) <= edge do g = g + 1 end
        redis.call('LTRIM', log, string.format('%d', g), '-1')
        gone = gone + g
        oldest = head[g + 1]
        if not oldest and #head == 32 then oldest = redis.call('LINDEX', log, '0') end
      end
    end
    if oldest then
      used = redis.call('LLEN', log)
      reset = tonumber(oldest) + win - now
    end
    if used >= rl then
      -- The (used - rl + 1)th oldest must leave before one more fits (the limit may have shrunk).
      local k = used - rl
      local nth = k == 0 and oldest or redis.call('LINDEX', log, string.format('%d', k))
      out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5] = -1, used, reset, 0, tonumber(nth) + win - now
      o = o + 5
      refused = true
    end
  end
  if not refused and cl > 0 then
    inflight = redis.call('ZCARD', leases)
    -- Lapsed leases only matter when they would block: sweep them then, not on every call.
    if inflight >= cl then
      redis.call('ZREMRANGEBYSCORE', leases, '-inf', nows)
      inflight = redis.call('ZCARD', leases)
      if inflight >= cl then
        out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5] = -2, used, reset, inflight, 0
        o = o + 5
        refused = true
      end
    end
  end
  if not refused then
    if rl > 0 then
      redis.call('RPUSH', log, nows)
      used = used + 1
      -- The list must outlive its newest time by a window. Set to 2 windows when the list is
      -- new, then renewed only when less than one is left: a steady stream of admissions reads
      -- the TTL (cheap) instead of writing it each time, the expiry only ever moves later, and a
      -- window that grew is covered at once.
      if used == 1 then
        reset = win
        redis.call('PEXPIRE', log, ttl2)
      elseif redis.call('PTTL', log) < win then
        redis.call('PEXPIRE', log, ttl2)
      end
    end
    if cl > 0 then
      redis.call('ZADD', leases, until_, idPrefix .. (first + i - 1))
      -- The same for the lease set and its newest lease (now + lease ms); an empty set no longer
      -- exists, so one that held none is new.
      if inflight == 0 or redis.call('PTTL', leases) < ttl then redis.call('PEXPIRE', leases, lease2) end
      inflight = inflight + 1
    end
    out[o + 1], out[o + 2], out[o + 3] = used, reset, inflight
    o = o + 3
  end
end
return out
`;

/**
 * KEYS: lease set. ARGV: lease id, lease ms. Extends a lease still held; a lapsed one stays lapsed.
 * @example redis.defineCommand('faultlineRenew', { numberOfKeys: 1, lua: RENEW });
 */
export const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
if redis.call('ZADD', KEYS[1], 'XX', 'CH', now + ttl, ARGV[1]) == 1 then
  if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
end
return 1
`;
