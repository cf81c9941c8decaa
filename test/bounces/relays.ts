import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** The relays' secrets the tests set (SCS_MAILGUN_SIGNING_KEY, SCS_WEBHOOK_POSTMARK_AUTH). */
export const MAILGUN_KEY = 'key-mailgun-test-0123456789';
export const POSTMARK_AUTH = 'scs:postmark-test-password';

/** A Mailgun webhook body: `event-data`, signed with the signing key at `timestamp` (seconds). */
export function mailgunBody(key: string, eventData: Record<string, unknown>, timestamp: number) {
  const token = createHmac('sha256', 'token').update(JSON.stringify(eventData)).digest('hex').slice(0, 50);
  return {
    signature: {
      timestamp: String(timestamp),
      token,
      signature: createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex'),
    },
    'event-data': eventData,
  };
}

/** A SendGrid signed-event-webhook key pair: the public key as SendGrid shows it (base64 DER). */
export function sendgridKeys(): { privateKey: KeyObject; verificationKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    verificationKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** The headers SendGrid signs a body with: ECDSA over the timestamp (seconds) and the raw body. */
export function sendgridHeaders(privateKey: KeyObject, body: string, timestamp: number) {
  return {
    'Content-Type': 'application/json',
    'X-Twilio-Email-Event-Webhook-Timestamp': String(timestamp),
    'X-Twilio-Email-Event-Webhook-Signature': sign(
      'sha256',
      Buffer.from(`${timestamp}${body}`),
      privateKey,
    ).toString('base64'),
  };
}
