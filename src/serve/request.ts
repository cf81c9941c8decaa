import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The visitor's address. Behind the organisation's proxy every connection comes from the proxy, so
 * X-Forwarded-For is used — but only from a loopback peer (the proxy on the same machine), and only its
 * last entry (the one that proxy added); anything else could be forged by the client.
 */
export function clientIp(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '';
  const forwarded = req.headers['x-forwarded-for'];
  if (LOOPBACK.has(peer) && typeof forwarded === 'string') {
    const last = forwarded
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (last && isIP(last)) return last;
  }
  return peer.replace(/^::ffff:/, '');
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
