import { describe, expect, it } from 'vitest';
import { createSnsVerifier } from '../../../src/bounces/webhooks/sns.js';

const NOW = new Date('2026-10-14T09:00:00Z');
const message = (topic: string, certUrl: string, at = NOW) => ({
  Type: 'Notification',
  MessageId: 'm-1',
  TopicArn: topic,
  Message: '{}',
  Timestamp: at.toISOString(),
  SignatureVersion: '2',
  Signature: 'AAAA',
  SigningCertURL: certUrl,
});

// Without the tests' stand-in host: what `scs serve` does. None of these reaches the network.
describe("SNS checks before a certificate is fetched (SNS's own hosts only)", () => {
  const sns = createSnsVerifier();
  const TOPIC = 'arn:aws:sns:eu-north-1:123456789012:press-bounces';
  const CN = 'arn:aws-cn:sns:cn-north-1:123456789012:press-bounces';

  it.each([
    ['another topic', message('arn:aws:sns:eu-north-1:999999999999:theirs', 'x'), 'is not SCS_SES_TOPIC_ARN'],
    ['too old', message(TOPIC, 'x', new Date(NOW.getTime() - 301_000)), 'replay'],
    [
      'a stranger host',
      message(TOPIC, 'https://sns.eu-north-1.amazonaws.com.evil.example/c.pem'),
      'not https on sns.eu-north-1.amazonaws.com',
    ],
    ['plain http', message(TOPIC, 'http://sns.eu-north-1.amazonaws.com/c.pem'), 'not https on'],
    [
      'another region',
      message(TOPIC, 'https://sns.us-east-1.amazonaws.com/c.pem'),
      'not https on sns.eu-north-1',
    ],
    [
      'China without .cn',
      message(CN, 'https://sns.cn-north-1.amazonaws.com/c.pem'),
      'not https on sns.cn-north-1.amazonaws.com.cn',
    ],
    [
      'an unknown signature version',
      { ...message(TOPIC, 'https://sns.eu-north-1.amazonaws.com/c.pem'), SignatureVersion: '3' },
      'unknown SignatureVersion',
    ],
  ])('refuses %s with 401', async (_, body, note) => {
    const r = await sns.verify(body, [TOPIC, CN], NOW);
    expect(r).toMatchObject({ ok: false, status: 401, note: expect.stringContaining(note) });
  });

  it('refuses what is not an SNS message with 400', async () => {
    expect(await sns.verify({ Type: 'Other' }, [TOPIC], NOW)).toMatchObject({ ok: false, status: 400 });
    expect(await sns.verify([], [TOPIC], NOW)).toMatchObject({ ok: false, status: 400 });
  });
});
