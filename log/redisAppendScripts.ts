import type { Result } from 'ioredis';
import type { AssetEvent } from '../schemas/envelope';

/**
 * The two Lua steps of the append protocol (log/redisAppends.ts), each one
 * atomic in Redis, and what their replies mean.
 */

/**
 * Reserves a batch's events, asset by asset, in one step.
 * KEYS: version, ids, lock, pending of each asset, then the heads, then the
 * pending-assets index.
 * ARGV: token, lockMs, expected version ('' for none), then for each asset:
 * its id, n, and n pairs of event id and draft JSON.
 * Replies per asset: {'ok', head, version or "version partition offset" per
 * event}, {'busy'}, {'conflict', current}, or {'recover', head, outbox
 * entries…}; head is the stored head (log/redisHeads.ts), '' before the
 * asset's first hashed event.
 */
export const RESERVE = `
local token, lockMs, expected = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local heads, index = KEYS[#KEYS - 1], KEYS[#KEYS]
local now = redis.call('TIME')
local deadline = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) + lockMs

local function reserve(version, ids, lock, pending, asset, from, n)
  local holder = redis.call('GET', lock)
  if holder and holder ~= token then return {'busy'} end
  if redis.call('EXISTS', pending) == 1 then
    redis.call('SET', lock, token, 'PX', lockMs)
    redis.call('LSET', pending, 0, token)
    redis.call('ZADD', index, deadline, asset)
    local entries = redis.call('LRANGE', pending, 1, -1)
    table.insert(entries, 1, redis.call('HGET', heads, asset) or '')
    table.insert(entries, 1, 'recover')
    return entries
  end
  local current = tonumber(redis.call('GET', version) or '0')
  if expected ~= '' and tonumber(expected) ~= current then return {'conflict', tostring(current)} end
  local reply, first = {'ok', redis.call('HGET', heads, asset) or ''}, current
  for i = from, from + 2 * n - 1, 2 do
    local existing = redis.call('HGET', ids, ARGV[i])
    if existing then
      table.insert(reply, existing)
    else
      current = current + 1
      redis.call('HSET', ids, ARGV[i], tostring(current))
      if current == first + 1 then redis.call('RPUSH', pending, token) end
      redis.call('RPUSH', pending, tostring(current) .. '|' .. ARGV[i + 1])
      table.insert(reply, tostring(current))
    end
  end
  if current > first then
    redis.call('SET', version, tostring(current))
    redis.call('SET', lock, token, 'PX', lockMs)
    redis.call('ZADD', index, deadline, asset)
  else
    redis.call('ZREM', index, asset)
  end
  return reply
end

local replies, arg = {}, 4
for a = 0, (#KEYS - 2) / 4 - 1 do
  local n = tonumber(ARGV[arg + 1])
  replies[a + 1] = reserve(KEYS[4 * a + 1], KEYS[4 * a + 2], KEYS[4 * a + 3], KEYS[4 * a + 4], ARGV[arg], arg + 2, n)
  arg = arg + 2 + 2 * n
end
return replies`;

/**
 * Records where a batch's events landed and releases their assets.
 * KEYS: ids, lock, pending of each asset, then the heads, then the
 * pending-assets index.
 * ARGV: token, then for each asset: its id, its new head (log/redisHeads.ts), n,
 * and n pairs of event id and "version partition offset".
 */
export const COMMIT = `
local token, heads, index, arg = ARGV[1], KEYS[#KEYS - 1], KEYS[#KEYS], 2
for a = 0, (#KEYS - 2) / 3 - 1 do
  local ids, lock, pending = KEYS[3 * a + 1], KEYS[3 * a + 2], KEYS[3 * a + 3]
  local asset, head, n = ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2])
  for i = arg + 3, arg + 1 + 2 * n, 2 do redis.call('HSET', ids, ARGV[i], ARGV[i + 1]) end
  local holder = redis.call('GET', lock)
  if holder == token or (not holder and redis.call('LINDEX', pending, 0) == token) then
    redis.call('DEL', lock, pending)
    redis.call('HSET', heads, asset, head)
    redis.call('ZREM', index, asset)
  end
  arg = arg + 3 + 2 * n
end
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    medialakeReserve(numberOfKeys: number, ...keysAndArgs: string[]): Result<string[][], Context>;
    medialakeCommit(numberOfKeys: number, ...keysAndArgs: string[]): Result<number, Context>;
  }
}

/** One asset's answer to RESERVE. */
export type ReserveReply =
  | { status: 'busy' }
  | { status: 'conflict'; current: number }
  | { status: 'recover'; head: string; pending: AssetEvent[] }
  | { status: 'ok'; head: string; values: string[] };

export function parseReserveReply(reply: string[]): ReserveReply {
  const [status, ...rest] = reply;
  if (status === 'busy') return { status };
  if (status === 'conflict') return { status, current: Number(rest[0]) };
  const [head, ...values] = rest;
  if (status === 'recover') return { status, head: head!, pending: values.map(outboxEvent) };
  return { status: 'ok', head: head!, values };
}

/** An outbox entry: "version|draft JSON". */
export function outboxEvent(entry: string): AssetEvent {
  const bar = entry.indexOf('|');
  return { ...JSON.parse(entry.slice(bar + 1)), assetVersion: Number(entry.slice(0, bar)) } as AssetEvent;
}

