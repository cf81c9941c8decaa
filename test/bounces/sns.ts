import { execFileSync } from 'node:child_process';
import { sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TOPIC = 'arn:aws:sns:eu-north-1:123456789012:scs-bounces';
export const CERT_PATH = '/SimpleNotificationService-test.pem';

/**
 * A stand-in for SNS's host on 127.0.0.1 over HTTPS: it serves the signing certificate and answers
 * subscription confirmations, and signs messages as SNS does. One self-signed certificate (made with the
 * openssl CLI, since node:crypto cannot make X.509) is both its TLS certificate and the signing one.
 */
export interface SnsHost {
  /** host:port, for `createServer`'s `sns.host`. */
  host: string;
  ca: string;
  /** The paths (with query) requested so far. */
  requests: string[];
  /** An SNS message with these fields, signed (SignatureVersion 1 = SHA1, 2 = SHA256). */
  signed(fields: Record<string, string>, version?: '1' | '2'): Record<string, string>;
  /** A notification of this SES event (JSON), published at `at`. */
  notification(ses: unknown, at: Date, id: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startSnsHost(): Promise<SnsHost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scs-sns-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  const key = readFileSync(keyFile, 'utf8');
  const cert = readFileSync(certFile, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const requests: string[] = [];
  const server = https.createServer({ key, cert }, (req, res) => {
    requests.push(req.url ?? '');
    if (req.url === CERT_PATH) res.end(cert);
    else if (req.url?.startsWith('/?Action=ConfirmSubscription')) res.end('<ConfirmSubscriptionResponse/>');
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The names SNS signs for each type; the string to sign has them in byte order (its documentation).
  const signedNames: Record<string, Set<string>> = {
    Notification: new Set(['Type', 'TopicArn', 'Timestamp', 'Subject', 'MessageId', 'Message']),
    SubscriptionConfirmation: new Set([
      'Type',
      'TopicArn',
      'Token',
      'Timestamp',
      'SubscribeURL',
      'MessageId',
      'Message',
    ]),
  };
  const signed = (fields: Record<string, string>, version: '1' | '2' = '2') => {
    const canonical = Object.keys(fields)
      .filter((k) => signedNames[fields.Type!]!.has(k))
      .sort()
      .map((k) => `${k}\n${fields[k]}\n`)
      .join('');
    return {
      ...fields,
      SignatureVersion: version,
      Signature: sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(canonical), key).toString('base64'),
      SigningCertURL: fields.SigningCertURL ?? `https://${host}${CERT_PATH}`,
    };
  };
  return {
    host,
    ca: cert,
    requests,
    signed,
    notification: (ses, at, id) =>
      signed({
        Type: 'Notification',
        MessageId: id,
        TopicArn: TOPIC,
        Message: JSON.stringify(ses),
        Timestamp: at.toISOString(),
        UnsubscribeURL: `https://${host}/?Action=Unsubscribe`,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An SES bounce notification as SNS carries it, about a message with our Message-ID. */
export function sesBounce(
  email: string,
  messageId: string,
  feedbackId: string,
  bounceType: 'Permanent' | 'Transient' = 'Permanent',
) {
  return {
    notificationType: 'Bounce',
    bounce: {
      feedbackId,
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: [
        {
          emailAddress: email,
          action: 'failed',
          status: bounceType === 'Permanent' ? '5.1.1' : '4.2.2',
          diagnosticCode:
            bounceType === 'Permanent'
              ? 'smtp; 550 5.1.1 mailbox does not exist'
              : 'smtp; 452 4.2.2 mailbox full',
        },
      ],
      timestamp: '2026-10-14T08:59:00.000Z',
      reportingMTA: 'dsn; a1-23.smtp-out.eu-north-1.amazonses.com',
    },
    mail: {
      messageId: '0100018f-ses-internal-id',
      headers: [{ name: 'Message-ID', value: messageId }],
      commonHeaders: { messageId },
    },
  };
}

/** An SES complaint notification. */
export function sesComplaint(email: string, messageId: string, feedbackId: string) {
  return {
    notificationType: 'Complaint',
    complaint: {
      feedbackId,
      complaintFeedbackType: 'abuse',
      complainedRecipients: [{ emailAddress: email }],
      timestamp: '2026-10-14T08:59:30.000Z',
    },
    mail: { messageId: '0100018f-ses-internal-id-2', commonHeaders: { messageId } },
  };
}
