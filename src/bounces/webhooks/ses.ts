import { bracket, obj, type RelayEvent, type RelayRequest, refused, str, type Verified } from './relay.js';
import type { SnsVerifier } from './sns.js';

/** The SCS_SES_TOPIC_ARN setting: the topics (comma or space separated) SES notifications come from. */
export const sesTopics = (setting: string) => setting.split(/[\s,]+/).filter(Boolean);

/** An SNS topic's ARN: arn:<partition>:sns:<region>:<account>:<name>. */
export const isTopicArn = (arn: string) => /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(arn);

/** Our Message-ID, as SES passes it back: in the message's headers, or its common headers. */
function ourMessageId(mail: Record<string, unknown>): string | undefined {
  const headers = Array.isArray(mail.headers) ? mail.headers.map(obj) : [];
  const header = headers.find((h) => str(h.name)?.toLowerCase() === 'message-id');
  const id = str(header?.value) ?? str(obj(mail.commonHeaders).messageId);
  return id ? bracket(id.trim()) : undefined;
}

/** One event for each listed recipient, keyed by the report's feedback id and the address. */
function perRecipient(
  recipients: unknown,
  feedback: string,
  event: (r: Record<string, unknown>) => Omit<RelayEvent, 'id' | 'email'>,
): RelayEvent[] {
  return (Array.isArray(recipients) ? recipients.map(obj) : []).flatMap((r) => {
    const email = str(r.emailAddress);
    return email ? [{ id: `${feedback}:${email.toLowerCase()}`, email, ...event(r) }] : [];
  });
}

/** SES's Bounce and Complaint notifications (and event-publishing records) as events. */
function sesEvents(notification: Record<string, unknown>, snsMessageId: string): RelayEvent[] {
  const kind = str(notification.notificationType) ?? str(notification.eventType);
  const messageId = ourMessageId(obj(notification.mail));
  const withId = messageId ? { messageId } : {};
  if (kind === 'Bounce') {
    const bounce = obj(notification.bounce);
    // Permanent is a hard bounce; Transient and Undetermined may yet pass, and count as soft.
    const type = str(bounce.bounceType) === 'Permanent' ? 'hard' : 'soft';
    return perRecipient(bounce.bouncedRecipients, str(bounce.feedbackId) ?? snsMessageId, (r) => ({
      ...withId,
      type,
      status: str(r.status) ?? null,
      detail: str(r.diagnosticCode) ?? str(bounce.bounceSubType) ?? null,
    }));
  }
  if (kind === 'Complaint') {
    const complaint = obj(notification.complaint);
    return perRecipient(complaint.complainedRecipients, str(complaint.feedbackId) ?? snsMessageId, () => ({
      ...withId,
      type: 'complaint',
      status: null,
      detail: str(complaint.complaintFeedbackType) ?? null,
    }));
  }
  // Deliveries, sends, opens and the like are not bounces.
  return [];
}

/**
 * Amazon SES through SNS: the SNS signature (the certificate from SNS's own host), the topic
 * (SCS_SES_TOPIC_ARN) and the time are checked; a subscription confirmation is confirmed by GETting
 * its SubscribeURL; a notification's bounces and complaints become events.
 */
export async function ses(request: RelayRequest, setting: string, sns: SnsVerifier): Promise<Verified> {
  const checked = await sns.verify(request.body, sesTopics(setting), request.now);
  if (!checked.ok) return checked;
  const m = checked.sns;
  if (m.type === 'UnsubscribeConfirmation')
    return { ok: true, events: [], note: `ses: unsubscribed from ${m.topicArn}` };
  if (m.type === 'SubscriptionConfirmation') {
    try {
      await sns.confirm(m.subscribeUrl!);
    } catch (e) {
      return refused(
        502,
        `ses: could not confirm the subscription to ${m.topicArn}: ${(e as Error).message}`,
      );
    }
    return { ok: true, events: [], note: `ses: subscription to ${m.topicArn} confirmed` };
  }
  let notification: unknown;
  try {
    notification = JSON.parse(m.message);
  } catch {
    return refused(400, 'ses: the SNS Message is not JSON (raw message delivery must be off)');
  }
  return { ok: true, events: sesEvents(obj(notification), m.messageId) };
}
