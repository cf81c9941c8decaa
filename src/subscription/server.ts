import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Config } from '../config/types.js';
import type { Transport } from '../delivery/transport.js';
import { fill } from '../email/strings.js';
import type { Subscriber } from '../store/subscriber-types.js';
import type { Store } from '../store/types.js';
import { trustedProxies } from '../config/trust-proxy.js';
import { composeConfirmation } from '../subscribers/confirmation.js';
import { addressKey, normalizeEmail } from '../subscribers/email.js';
import { publicLists } from '../subscribers/lists.js';
import { confirmSubscription, unsubscribe } from '../subscribers/membership.js';
import { requestSubscription } from '../subscribers/subscribe.js';
import { type TokenClaims, type TokenPurpose, verifyToken } from '../subscribers/tokens.js';
import { resolveSecret } from '../config/secret.js';
import { BadRequest, type FormFields, parseForm, readBody } from './body.js';
import { createWebhookHandler, WEBHOOK_MAX_BYTES, WEBHOOK_RELAYS } from '../bounces/webhooks.js';
import type { SnsTrust } from '../bounces/webhooks/sns.js';
import { createMailQueue, type MailLog, type Timers } from './mail-queue.js';
import { confirmPage, type FormState, messagePage, subscribePage, unsubscribePage } from './pages.js';
import { createRateLimiter, type RateLimit } from './rate-limit.js';
import { clientIp, negotiateLanguage, rateKey, requestUrl } from './request.js';
import { type PageTexts, pageTexts } from './texts.js';

export interface ServeOptions {
  /** The clock (tests move it); default the real time. */
  now?: () => Date;
  /** Default: `resolveSecret(config)`. */
  secret?: string;
  limits?: {
    /** Sign-ups from one IPv4 address or IPv6 /64. Default 20 an hour. */
    perIp?: RateLimit;
    /** Confirmation mails to one address. Default 3 a day. */
    perAddress?: RateLimit;
  };
  /** Largest request body accepted; default 16 KiB. */
  maxBodyBytes?: number;
  /** Called once per request, for the access log. Paths are logged without the query (tokens stay out). */
  onRequest?: (entry: RequestLog) => void;
  /** Called for each attempt at a confirmation mail (sent after the reply, retried as in `newsletter.delivery`). */
  onMail?: (entry: MailLog) => void;
  /** The timers of the confirmation mails' retries (tests run them at once); default the real ones. */
  timers?: Timers;
  /**
   * Tests only: the host (with port) that stands in for `sns.<region>.amazonaws.com` in the SES webhook,
   * and the CA its certificate is signed by. Not a setting: in use, SNS's own host is the only one trusted.
   */
  sns?: SnsTrust;
}

/** The HTTP server, and the confirmation mails it sends in the background. */
export interface SubscriptionServer extends http.Server {
  /** Resolves when no confirmation mail is being sent or waiting for a retry. */
  idle(): Promise<void>;
  /** For shutdown, after the server has closed: the last attempts at the mails, at most `graceMs`. */
  drain(graceMs: number): Promise<void>;
}

export interface RequestLog {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** What happened, for people ("confirmation sent", "honeypot", "rate limited"). */
  note?: string;
}

export const DEFAULT_LIMITS = {
  perIp: { limit: 20, windowMs: 60 * 60 * 1000 },
  perAddress: { limit: 3, windowMs: 24 * 60 * 60 * 1000 },
} as const;

const MAX_NAME = 200;

interface Reply {
  status: number;
  body: string;
  type?: 'html' | 'text';
  lang: string;
  headers?: Record<string, string>;
  note?: string;
}

/**
 * The public subscription service: sign-up form, double opt-in confirmation, and unsubscription
 * (a page with a button, and RFC 8058 one-click POST). Returns the server unstarted: call `listen`.
 */
export function createServer(
  config: Config,
  store: Store,
  transport: Transport,
  options: ServeOptions = {},
): SubscriptionServer {
  const secret = options.secret ?? resolveSecret(config).secret;
  const now = options.now ?? (() => new Date());
  const proxies = config.serve.trustProxy.length ? trustedProxies(config.serve.trustProxy) : undefined;
  const ipOf = (req: IncomingMessage) => clientIp(req, proxies);
  const mail = createMailQueue({
    maxAttempts: config.newsletter.delivery.maxAttempts,
    retryBaseMs: config.newsletter.delivery.retryBaseMs,
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.onMail ? { onMail: options.onMail } : {}),
  });
  const perIp = createRateLimiter(options.limits?.perIp ?? DEFAULT_LIMITS.perIp);
  const perAddress = createRateLimiter(options.limits?.perAddress ?? DEFAULT_LIMITS.perAddress);
  const maxBody = options.maxBodyBytes ?? 16 * 1024;
  const webhook = createWebhookHandler(config, store, options.sns ? { sns: options.sns } : {});
  const prefix = new URL(config.newsletter.endpoint).pathname;
  const listNames = (ids: readonly string[], lang: string) =>
    new Intl.ListFormat(pageTexts(lang).locale, { type: 'conjunction' }).format(
      ids.map((id) => config.newsletter.lists[id]?.name[lang] ?? id),
    );
  const message = (
    status: number,
    lang: string,
    title: keyof PageTexts,
    texts: (t: PageTexts) => string[],
    extra: { signUpLink?: boolean; note?: string; headers?: Record<string, string> } = {},
  ): Reply => {
    const t = pageTexts(lang);
    return {
      status,
      lang,
      body: messagePage(config, lang, t[title], texts(t), {
        error: status >= 400,
        ...(extra.signUpLink ? { signUpLink: true } : {}),
      }),
      ...(extra.note ? { note: extra.note } : {}),
      ...(extra.headers ? { headers: extra.headers } : {}),
    };
  };
  const gone = (lang: string, note: string) =>
    message(410, lang, 'goneTitle', (t) => [t.gone], { signUpLink: true, note });
  const badRequest = (e: BadRequest, lang: string): Reply =>
    message(
      e.status,
      lang,
      'errorTitle',
      (t) => [
        e.reason === 'too-large'
          ? t.tooLarge
          : e.reason === 'unsupported-type'
            ? t.unsupportedType
            : t.badRequest,
      ],
      { note: e.reason },
    );

  async function readForm(req: IncomingMessage): Promise<FormFields> {
    return parseForm(await readBody(req, maxBody), req.headers['content-type']);
  }

  function verified(
    url: URL,
    purpose: TokenPurpose,
    lang: string,
  ): { claims: TokenClaims } | { reply: Reply } {
    const token = url.searchParams.get('token');
    const check = token
      ? verifyToken(secret, token, purpose, now())
      : ({ ok: false, reason: 'malformed' } as const);
    if (check.ok) return { claims: check.claims };
    if (check.reason === 'expired')
      return {
        reply: message(410, lang, 'linkExpiredTitle', (t) => [t.linkExpired], {
          signUpLink: true,
          note: 'token expired',
        }),
      };
    return {
      reply: message(400, lang, 'linkInvalidTitle', (t) => [t.linkInvalid], {
        note: `token ${check.reason}`,
      }),
    };
  }

  async function postSubscribe(req: IncomingMessage, lang: string): Promise<Reply> {
    const fields = await readForm(req);
    const one = (name: string) => fields.get(name)?.[0] ?? '';
    const formLang = one('lang');
    if (formLang && !config.languages.includes(formLang))
      return message(400, lang, 'errorTitle', (t) => [fill(t.languageUnknown, { lang: formLang })], {
        note: 'unknown language',
      });
    const l = formLang || lang;
    const t = pageTexts(l);
    const requested = [
      ...new Set([...(fields.get('lists') ?? []), ...(fields.get('list') ?? [])].filter(Boolean)),
    ];
    const state: FormState = { email: one('email'), name: one('name'), lists: requested };
    const refuse = (error: string, errorField: FormState['errorField'], note: string): Reply => ({
      status: 400,
      lang: l,
      body: subscribePage(config, l, { ...state, error, ...(errorField ? { errorField } : {}) }),
      note,
    });
    if ([...fields.values()].some((values) => values.some((v) => /[\r\n]/.test(v))))
      return refuse(t.lineBreak, undefined, 'line break in a field');
    // A press list is not on the form, and nobody signs up for one: to the form it does not exist.
    const configured = publicLists(config).map((l) => l.id);
    const lists = requested.length ? requested : configured.length === 1 ? configured : [];
    if (!lists.length) return refuse(t.listsMissing, 'lists', 'no list');
    const unknown = lists.filter((id) => !configured.includes(id));
    if (unknown.length) return refuse(fill(t.listUnknown, { list: unknown[0]! }), 'lists', 'unknown list');
    const email = normalizeEmail(one('email'));
    if (!email.ok) return refuse(t.emailInvalid, 'email', 'invalid address');
    const name = one('name').trim();
    if (name.length > MAX_NAME) return refuse(t.nameTooLong, 'name', 'name too long');
    if (/\p{Cc}/u.test(name)) return refuse(t.badRequest, 'name', 'control character');

    // From here on every outcome gets the same reply, byte for byte and without waiting on the mail
    // server, so that it reveals nothing about whether the address is new, subscribed, suppressed or
    // limited.
    const done = (note: string) =>
      message(
        200,
        l,
        'checkInboxTitle',
        (t) => [
          fill(t.checkInbox, {
            email: email.email,
            ttl: formatTtl(config.newsletter.confirmTokenTtlMs, t.locale),
          }),
          t.alreadySubscribed,
        ],
        { note },
      );
    if (one('website') !== '') return done('honeypot');
    const ip = ipOf(req);
    if (!perIp.hit(rateKey(ip), now()).allowed) return done('rate limited (IP)');
    if (!perAddress.hit(addressKey(email.email), now()).allowed) return done('rate limited (address)');
    const at = now();
    const confirmation = await requestSubscription(store, {
      email: email.email,
      name: name || null,
      lang: l,
      lists,
      ip,
      now: at,
    });
    if (!confirmation) return done('no mail due');
    // Composed once: every attempt sends the same message (one Message-ID, one link).
    let composed: ReturnType<typeof composeConfirmation> | undefined;
    mail.add(`confirmation for subscriber ${confirmation.subscriberId}`, async () => {
      composed ??= composeConfirmation(config, secret, confirmation, at);
      return transport.send(await composed);
    });
    return done('confirmation queued');
  }

  /** The subscriber a link's token is for, and the language to speak (theirs, unless the link asks). */
  async function linkSubscriber(
    url: URL,
    purpose: TokenPurpose,
    lang: string,
    explicitLang: boolean,
    whenGone: Reply,
  ): Promise<{ claims: TokenClaims; subscriber: Subscriber; l: string } | { reply: Reply }> {
    const v = verified(url, purpose, lang);
    if ('reply' in v) return v;
    const subscriber = await store.subscribers.get(v.claims.subscriberId);
    if (!subscriber) return { reply: whenGone };
    return { claims: v.claims, subscriber, l: explicitLang ? lang : subscriber.lang };
  }

  /** The confirmation link's page: it asks, so that a link scanner opening it confirms nothing. */
  async function getConfirm(url: URL, lang: string, explicitLang: boolean): Promise<Reply> {
    const v = await linkSubscriber(url, 'confirm', lang, explicitLang, gone(lang, 'subscriber gone'));
    if ('reply' in v) return v.reply;
    const { claims, subscriber, l } = v;
    return {
      status: 200,
      lang: l,
      body: confirmPage(config, l, {
        token: url.searchParams.get('token')!,
        email: subscriber.email,
        listNames: listNames(claims.lists, l),
      }),
    };
  }

  async function postConfirm(
    req: IncomingMessage,
    url: URL,
    lang: string,
    explicitLang: boolean,
  ): Promise<Reply> {
    const v = verified(url, 'confirm', lang);
    if ('reply' in v) return v.reply;
    await readForm(req);
    const result = await confirmSubscription(store, v.claims.subscriberId, v.claims.lists, {
      now: now(),
      source: 'form',
      ip: ipOf(req),
    });
    if (result.kind === 'gone') return gone(lang, 'subscriber gone');
    const l = explicitLang ? lang : result.subscriber.lang;
    if (result.kind === 'nothing')
      return message(200, l, 'confirmedTitle', (t) => [t.nothingToConfirm], { note: 'nothing to confirm' });
    return message(
      200,
      l,
      'confirmedTitle',
      (t) => [fill(t.confirmed, { email: result.subscriber.email, lists: listNames(result.lists, l) })],
      { note: 'confirmed' },
    );
  }

  async function getUnsubscribe(url: URL, lang: string, explicitLang: boolean): Promise<Reply> {
    const v = await linkSubscriber(
      url,
      'unsubscribe',
      lang,
      explicitLang,
      message(200, lang, 'goneTitle', (t) => [t.gone], { note: 'subscriber gone' }),
    );
    if ('reply' in v) return v.reply;
    const { claims, subscriber, l } = v;
    const listId = claims.lists[0]!;
    const on = subscriber.subscriptions.filter((s) => s.status !== 'unsubscribed');
    if (!on.some((s) => s.listId === listId)) {
      return message(
        200,
        l,
        'unsubscribedTitle',
        (t) => [fill(t.notSubscribed, { email: subscriber.email, list: listNames([listId], l) })],
        { note: 'not subscribed' },
      );
    }
    return {
      status: 200,
      lang: l,
      body: unsubscribePage(config, l, {
        token: url.searchParams.get('token')!,
        email: subscriber.email,
        listName: listNames([listId], l),
        onOtherLists: on.length > 1,
      }),
    };
  }

  async function postUnsubscribe(
    req: IncomingMessage,
    url: URL,
    lang: string,
    explicitLang: boolean,
  ): Promise<Reply> {
    const v = verified(url, 'unsubscribe', lang);
    if ('reply' in v) return v.reply;
    const fields = await readForm(req);
    // RFC 8058: the mail client's one-click POST carries exactly this field.
    const oneClick = fields.get('List-Unsubscribe')?.[0] === 'One-Click';
    const scope = fields.get('scope')?.[0];
    if (!oneClick && scope !== 'list' && scope !== 'all')
      return message(400, lang, 'errorTitle', (t) => [t.badRequest], {
        note: 'no List-Unsubscribe=One-Click',
      });
    const result = await unsubscribe(store, v.claims.subscriberId, scope === 'all' ? 'all' : v.claims.lists, {
      now: now(),
      source: oneClick ? 'one-click' : 'unsubscribe page',
      ip: ipOf(req),
    });
    const subscriber: Subscriber | undefined = result.subscriber;
    const l = explicitLang || !subscriber ? lang : subscriber.lang;
    const note = result.left.length ? `unsubscribed from ${result.left.join(', ')}` : 'already unsubscribed';
    if (oneClick) return { status: 200, type: 'text', lang: l, body: `${pageTexts(l).oneClickDone}\n`, note };
    if (!subscriber) return message(200, l, 'goneTitle', (t) => [t.gone], { note });
    const lists = result.left.length ? result.left : v.claims.lists;
    return message(
      200,
      l,
      'unsubscribedTitle',
      (t) => [fill(t.unsubscribed, { email: subscriber.email, lists: listNames(lists, l) }), t.resubscribe],
      { signUpLink: true, note },
    );
  }

  async function route(req: IncomingMessage): Promise<Reply & { path: string }> {
    const url = requestUrl(req);
    const fallback = config.defaultLanguage;
    if (!url)
      return {
        ...message(400, fallback, 'errorTitle', (t) => [t.badRequest]),
        path: '?',
      };
    // The proxy may pass the public path (/newsletter/subscribe) or strip it (/subscribe).
    const path = url.pathname.startsWith(prefix)
      ? `/${url.pathname.slice(prefix.length)}`
      : `${url.pathname}/` === prefix
        ? '/'
        : url.pathname;
    const asked = url.searchParams.get('lang');
    const explicitLang = asked !== null && config.languages.includes(asked);
    const lang = explicitLang
      ? asked
      : negotiateLanguage(req.headers['accept-language'], config.languages, fallback);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const allow = (methods: string): Reply =>
      message(405, lang, 'errorTitle', (t) => [t.methodNotAllowed], { headers: { Allow: methods } });
    const reply = async (): Promise<Reply> => {
      try {
        switch (path) {
          case '/':
            if (method !== 'GET') return allow('GET, HEAD');
            return {
              status: 303,
              lang,
              body: '',
              headers: { Location: `${url.pathname.replace(/\/?$/, '/')}subscribe` },
            };
          case '/subscribe':
            if (method === 'GET') return { status: 200, lang, body: subscribePage(config, lang) };
            if (method === 'POST') return await postSubscribe(req, lang);
            return allow('GET, HEAD, POST');
          case '/confirm':
            if (method === 'GET') return await getConfirm(url, lang, explicitLang);
            if (method === 'POST') return await postConfirm(req, url, lang, explicitLang);
            return allow('GET, HEAD, POST');
          case '/unsubscribe':
            if (method === 'GET') return await getUnsubscribe(url, lang, explicitLang);
            if (method === 'POST') return await postUnsubscribe(req, url, lang, explicitLang);
            return allow('GET, HEAD, POST');
          case '/healthz':
            return { status: 200, type: 'text', lang, body: 'ok\n' };
          default:
            if (path.startsWith('/webhooks/')) {
              const relay = WEBHOOK_RELAYS.find((r) => path === `/webhooks/${r}`);
              if (relay) {
                if (method !== 'POST') return allow('POST');
                const body = await readBody(req, WEBHOOK_MAX_BYTES);
                const r = await webhook(relay, { headers: req.headers, body }, now());
                return { status: r.status, type: 'text', lang, body: r.body, note: r.note };
              }
            }
            return message(404, lang, 'notFoundTitle', (t) => [t.notFound], { signUpLink: true });
        }
      } catch (e) {
        if (e instanceof BadRequest) return badRequest(e, lang);
        throw e;
      }
    };
    return { ...(await reply()), path };
  }

  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    void route(req)
      .catch((e: Error) => ({
        ...message(500, config.defaultLanguage, 'internalErrorTitle', (t) => [t.internalError]),
        note: `internal error: ${e.message}`,
        path: '?',
      }))
      .then((r) => {
        res.writeHead(r.status, {
          'Content-Type': r.type === 'text' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8',
          'Content-Language': r.lang,
          'Cache-Control': 'no-store',
          'Content-Security-Policy':
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
          'Referrer-Policy': 'no-referrer',
          'X-Content-Type-Options': 'nosniff',
          'X-Frame-Options': 'DENY',
          ...r.headers,
        });
        res.end(r.body);
        options.onRequest?.({
          method: req.method ?? '?',
          path: r.path,
          status: r.status,
          ms: Math.round(performance.now() - started),
          ...(r.note ? { note: r.note } : {}),
        });
      });
  });
  server.requestTimeout = 15000;
  server.headersTimeout = 10000;
  return Object.assign(server, { idle: mail.idle, drain: mail.drain });
}

/** "7 days", "12 timmar". */
function formatTtl(ms: number, locale: string): string {
  const [unit, size] =
    ms % 86400000 === 0 ? ['day', 86400000] : ms % 3600000 === 0 ? ['hour', 3600000] : ['minute', 60000];
  return new Intl.NumberFormat(locale, { style: 'unit', unit: unit as string, unitDisplay: 'long' }).format(
    Math.round(ms / (size as number)),
  );
}
