import { obj, type RelayRequest, refused, safeEqual, str, type Verified } from './relay.js';

/** Postmark: HTTP basic auth (SCS_WEBHOOK_POSTMARK_AUTH, "user:password"); bounce and spam-complaint records. */
export function postmark(request: RelayRequest, auth: string): Verified {
  const given = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!given || !safeEqual(Buffer.from(given, 'base64').toString('utf8'), auth))
    return refused(401, 'postmark: wrong or missing basic auth');
  const body = obj(request.body);
  const kind = str(body.RecordType);
  const id = str(body.ID);
  const email = str(body.Email);
  if (!id || !email) return refused(400, 'postmark: no ID or Email');
  const type =
    kind === 'SpamComplaint'
      ? 'complaint'
      : kind === 'Bounce' && body.Type === 'HardBounce'
        ? 'hard'
        : kind === 'Bounce' && body.Type === 'SoftBounce'
          ? 'soft'
          : undefined;
  // Other records (auto-responders, transient delays, opens) are not bounces.
  if (!type) return { ok: true, events: [] };
  return {
    ok: true,
    events: [{ id, email, type, status: null, detail: str(body.Details) ?? str(body.Description) ?? null }],
  };
}
