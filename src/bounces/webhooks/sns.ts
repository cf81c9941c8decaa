import { type KeyObject, X509Certificate } from 'node:crypto';
import https from 'node:https';
import { fresh, obj, type Refused, refused, signatureValid, str } from './relay.js';

/**
 * Tests only (a library option of `createServer`, never a setting): the host that stands in for
 * `sns.<region>.amazonaws.com`, and the CA its TLS certificate is signed by.
 */
export interface SnsTrust {
  /** host[:port] */
  host: string;
  ca: string | Buffer;
}

/** What SNS signs, by message type, in this order (the byte order of the names). */
const SIGNED_FIELDS: Record<string, readonly string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: [
    'Message',
    'MessageId',
    'SubscribeURL',
    'Timestamp',
    'Token',
    'TopicArn',
    'Type',
  ],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};
const HASHES: Record<string, string> = { '1': 'sha1', '2': 'sha256' };
/** A certificate or a confirmation reply is small; anything larger is not what SNS sends. */
const MAX_FETCH_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5000;
/** Certificates kept (SNS rotates them rarely; the host rule keeps strangers' URLs out). */
const MAX_CERTS = 16;

/** An SNS message whose signature, topic and time were checked. */
export interface SnsMessage {
  type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  messageId: string;
  topicArn: string;
  message: string;
  subscribeUrl?: URL;
}

export interface SnsVerifier {
  /** Checks an SNS message: from one of `topics`, fresh, signed by a certificate from SNS's own host. */
  verify(
    body: unknown,
    topics: readonly string[],
    now: Date,
  ): Promise<{ ok: true; sns: SnsMessage } | Refused>;
  /** Confirms a subscription by GETting its SubscribeURL (checked by `verify`). */
  confirm(url: URL): Promise<void>;
}

function get(url: URL, trust: SnsTrust | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { timeout: FETCH_TIMEOUT_MS, ...(trust ? { ca: trust.ca } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${url.host} answered ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_FETCH_BYTES) req.destroy(new Error(`${url.host} sent more than 64 KB`));
        else chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${url.host} did not answer in 5 s`)));
    req.on('error', reject);
  });
}

/**
 * Verifies SNS messages (signature versions 1 and 2) with the certificate at SigningCertURL, fetched
 * once and kept in memory; a URL that is not https on `sns.<region>.amazonaws.com` of the topic's
 * region is refused and never fetched.
 */
export function createSnsVerifier(trust?: SnsTrust): SnsVerifier {
  const certs = new Map<string, Promise<KeyObject>>();
  // China's regions are on amazonaws.com.cn.
  const expectedHost = (region: string) =>
    trust?.host ?? `sns.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  const onHost = (value: string | undefined, region: string): URL | undefined => {
    if (!value || !URL.canParse(value)) return undefined;
    const url = new URL(value);
    return url.protocol === 'https:' && url.host === expectedHost(region) && !url.username && !url.password
      ? url
      : undefined;
  };
  const key = (url: URL): Promise<KeyObject> => {
    let pending = certs.get(url.href);
    if (!pending) {
      if (certs.size >= MAX_CERTS) certs.clear();
      pending = get(url, trust).then((pem) => new X509Certificate(pem).publicKey);
      // A failed fetch is tried again by the next message (SNS retries).
      pending.catch(() => certs.delete(url.href));
      certs.set(url.href, pending);
    }
    return pending;
  };
  return {
    async verify(input, topics, now) {
      const body = obj(input);
      const type = str(body.Type);
      const fields = type ? SIGNED_FIELDS[type] : undefined;
      if (!type || !fields) return refused(400, 'ses: not an SNS message (no known Type)');
      const topicArn = str(body.TopicArn) ?? '';
      if (!topics.includes(topicArn))
        return refused(401, `ses: topic ${topicArn || '(none)'} is not SCS_SES_TOPIC_ARN`);
      // The cheap checks first: a stale message or a stranger's certificate costs no fetch.
      if (!fresh(Date.parse(str(body.Timestamp) ?? ''), now))
        return refused(401, 'ses: timestamp older than 5 minutes (replay)');
      const region = topicArn.split(':')[3] ?? '';
      const certUrl = onHost(str(body.SigningCertURL), region);
      if (!certUrl) return refused(401, `ses: SigningCertURL is not https on ${expectedHost(region)}`);
      const hash = HASHES[str(body.SignatureVersion) ?? ''];
      const signature = str(body.Signature);
      if (!hash || !signature) return refused(401, 'ses: no signature, or an unknown SignatureVersion');
      let canonical = '';
      for (const name of fields) {
        const value = str(body[name]);
        if (value === undefined) {
          if (name === 'Subject') continue;
          return refused(401, `ses: the signed field ${name} is missing`);
        }
        canonical += `${name}\n${value}\n`;
      }
      let publicKey: KeyObject;
      try {
        publicKey = await key(certUrl);
      } catch (e) {
        return refused(503, `ses: could not fetch the signing certificate: ${(e as Error).message}`);
      }
      if (!signatureValid(hash, Buffer.from(canonical, 'utf8'), publicKey, signature))
        return refused(401, 'ses: bad signature');
      let subscribeUrl: URL | undefined;
      if (type !== 'Notification') {
        subscribeUrl = onHost(str(body.SubscribeURL), region);
        if (!subscribeUrl) return refused(401, `ses: SubscribeURL is not https on ${expectedHost(region)}`);
      }
      return {
        ok: true,
        sns: {
          type: type as SnsMessage['type'],
          messageId: str(body.MessageId)!,
          topicArn,
          message: str(body.Message)!,
          ...(subscribeUrl ? { subscribeUrl } : {}),
        },
      };
    },
    async confirm(url) {
      await get(url, trust);
    },
  };
}
