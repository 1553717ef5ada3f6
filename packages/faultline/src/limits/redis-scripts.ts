/**
 * The Lua behind the Redis store. Redis runs a script atomically, so every rule of a request
 * is decided in one round trip and nothing is consumed unless all pass. Time comes from the
 * Redis server (`TIME`): one clock for every instance, whatever their own clocks say.
 *
 * Rate: a sorted set of admission times (exact sliding window). Concurrency: a sorted set of
 * lease ids scored by expiry, so a crashed holder's lease lapses by itself.
 */

/**
 * KEYS: rate set, lease set, then lease sets of other subjects with leases to give back.
 * ARGV: `"<rate limit> <window ms> <concurrency limit> <lease ms> <member id>"` in one string
 * (0 = no such rule; one argument costs the client less than five), then for each lease set from
 * KEYS[2] on: a count and that many leases to give back first (none at all when nothing is).
 * Returns `{used, reset ms, in flight}` when admitted, `{-1, used, reset ms, in flight, wait ms}`
 * when refused by rate, `{-2, …}` by concurrency: every element costs the client a decode.
 * @example redis.defineCommand('faultlineDecide', { lua: DECIDE }); // numkeys first, as EVAL
 */
export const DECIDE = `
local t = redis.call('TIME')
-- Every argument a script hands Redis as a Lua number is printed with %.17g (costly): the
-- arguments below are strings, cut from TIME and ARGV or printed as integers.
local nows = t[1] .. string.sub('00000' .. t[2], -6, -4)
local now = tonumber(nows)
local r1, r2, r3, r4, id = string.match(ARGV[1], '^(%S+) (%S+) (%S+) (%S+) (%S+)$')
local rl, win, cl, ttl = tonumber(r1), tonumber(r2), tonumber(r3), tonumber(r4)
-- Leases this instance gave back since its last call ride along: no separate ZREM round trip.
local a = 2
for k = 2, #KEYS do
  local n = tonumber(ARGV[a]) or 0
  if n > 0 then redis.call('ZREM', KEYS[k], unpack(ARGV, a + 1, a + n)) end
  a = a + n + 1
end
local used, reset, inflight = 0, 0, 0
if rl > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - win))
  used = redis.call('ZCARD', KEYS[1])
  if used > 0 then
    local first = redis.call('ZRANGE', KEYS[1], '0', '0', 'WITHSCORES')
    reset = tonumber(first[2]) + win - now
  end
  if used >= rl then
    -- The used-rl+1 th oldest must leave before one more fits (the limit may have shrunk).
    local nth = string.format('%d', used - rl)
    nth = redis.call('ZRANGE', KEYS[1], nth, nth, 'WITHSCORES')
    return {-1, used, reset, 0, tonumber(nth[2]) + win - now}
  end
end
if cl > 0 then
  inflight = redis.call('ZCARD', KEYS[2])
  -- Lapsed leases only matter when they would block: sweep them then, not on every call.
  if inflight >= cl then
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', nows)
    inflight = redis.call('ZCARD', KEYS[2])
    if inflight >= cl then return {-2, used, reset, inflight, 0} end
  end
end
if rl > 0 then
  redis.call('ZADD', KEYS[1], nows, id)
  redis.call('PEXPIRE', KEYS[1], r2)
  used = used + 1
  if used == 1 then reset = win end
end
if cl > 0 then
  redis.call('ZADD', KEYS[2], string.format('%d', now + ttl), id)
  redis.call('PEXPIRE', KEYS[2], r4)
  inflight = inflight + 1
end
return {used, reset, inflight}
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

/**
 * KEYS: lease sets. ARGV: for each, a count and that many leases to give back. The leases of
 * every subject released in one turn of the event loop leave in one call.
 * @example redis.defineCommand('faultlineRelease', { lua: RELEASE }); // numkeys first, as EVAL
 */
export const RELEASE = `
local a = 1
for k = 1, #KEYS do
  local n = tonumber(ARGV[a])
  if n > 0 then redis.call('ZREM', KEYS[k], unpack(ARGV, a + 1, a + n)) end
  a = a + n + 1
end
return 1
`;
