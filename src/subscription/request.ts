import type { IncomingMessage } from 'node:http';
import { type BlockList, isIP } from 'node:net';

/** "::ffff:192.0.2.1", as an IPv4 peer shows on a server listening on "::", is 192.0.2.1. */
const plain = (ip: string) => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

const family = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/**
 * The visitor's address: the connection's, or — when the connection comes from a proxy named in
 * `serve.trustProxy` — the rightmost X-Forwarded-For entry that is not such a proxy. Entries to the
 * left of it are whatever the client sent, so they are never believed.
 */
export function clientIp(req: IncomingMessage, trusted?: BlockList): string {
  let ip = plain(req.socket.remoteAddress ?? '');
  const forwarded = req.headers['x-forwarded-for'];
  if (!trusted || typeof forwarded !== 'string') return ip;
  const hops = forwarded.split(',').map((s) => plain(s.trim()));
  while (trusted.check(ip, family(ip))) {
    const hop = hops.pop();
    if (hop === undefined || !isIP(hop)) break;
    ip = hop;
  }
  return ip;
}

/**
 * The key an address is rate-limited under: an IPv4 address itself, an IPv6 address its /64 — the
 * network one household or server usually gets, whose 2^64 addresses would each pass a per-address limit.
 */
export function rateKey(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  // An IPv4 tail ("::ffff:192.0.2.1") and a zone ("%eth0") lie beyond the first 64 bits.
  const text = ip
    .toLowerCase()
    .replace(/%.*$/, '')
    .replace(/\d+\.\d+\.\d+\.\d+$/, '0:0');
  const [head, tail] = text.split('::').map((part) => (part ? part.split(':') : []));
  const groups = tail ? [...head!, ...Array(8 - head!.length - tail.length).fill('0'), ...tail] : head!;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** The request target as a URL, or undefined when it cannot be one. */
export function requestUrl(req: IncomingMessage): URL | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return undefined;
  }
}

/** The configured language the browser prefers most (Accept-Language), or the fallback. */
export function negotiateLanguage(
  header: string | undefined,
  languages: readonly string[],
  fallback: string,
): string {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: (tag ?? '').trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const match =
      languages.find((l) => l.toLowerCase() === tag) ?? languages.find((l) => l === tag.split('-')[0]);
    if (match) return match;
  }
  return fallback;
}
