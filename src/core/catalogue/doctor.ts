import { defineDiagnostics } from './define.js';

/** Neither SPF nor DMARC: one message for both, each code with its own advice. */
const noRecord = (a: { title: string; version: string; name: string; domain: string }) =>
  `No ${a.title} record (${a.version}) at ${a.name}.`;
const severalRecords = (a: { title: string; name: string; records: readonly string[] }) =>
  `${a.name} has ${a.records.length} ${a.title} records; receivers ignore them all: ${a.records.map((r) => `"${r}"`).join(', ')}.`;
const mergeThem = (a: { name: string }) => `Merge them into one TXT record at ${a.name}.`;

/** `id`: the check, site (the archive at site.baseUrl) or serve (scs serve at newsletter.endpoint). */
const answerHint = (a: { id: string }) =>
  a.id === 'serve'
    ? 'Run scs serve behind your HTTPS proxy so that newsletter.endpoint reaches it: the archive links to its subscribe form, every newsletter to its unsubscribe page.'
    : 'Deploy the archive (scs build, then copy the output folder to the web server at site.baseUrl) before the first send: every newsletter links to it.';

/** What `scs doctor` finds wrong with the setup (doctor/). */
export const doctorDiagnostics = defineDiagnostics({
  'doctor-smtp-unset': {
    severity: 'error',
    title: 'scs doctor: SCS_SMTP_URL is not set',
    message: () => 'SCS_SMTP_URL is not set: messages go to the outbox .scs/outbox/ and nobody is mailed.',
    hint: 'Set SCS_SMTP_URL to your mail server, e.g. smtp://user:password@mail.example.org:587.',
  },
  'doctor-smtp-connect': {
    severity: 'error',
    title: 'scs doctor: no connection, greeting or EHLO',
    /** `at`: the server and the step that failed; `reason`: what the server or the network said. */
    message: (a: { at: string; reason: string }) => `${a.at} (${a.reason}).`,
    hint: 'Check the host and port in SCS_SMTP_URL, and that this machine may reach the server (firewalls often block port 25; use 587 or 465).',
  },
  'doctor-smtp-tls': {
    severity: 'error',
    title: 'scs doctor: TLS with the mail server failed',
    message: (a: { server: string; reason: string }) => `${a.server}: TLS failed (${a.reason}).`,
    hint: 'Use smtps:// with port 465 for TLS from the start, smtp:// with 587 for STARTTLS; the server needs a valid certificate for the host name in SCS_SMTP_URL.',
  },
  'doctor-smtp-auth': {
    severity: 'error',
    title: 'scs doctor: the mail server refused the login',
    message: (a: { at: string; user: string; reason: string }) =>
      `${a.at}: the server refused user "${a.user}" (${a.reason}).`,
    hint: 'Check the user name and password in SCS_SMTP_URL (percent-encode special characters).',
  },
  'doctor-dkim-unset': {
    severity: 'warning',
    title: 'scs doctor: no SCS_DKIM_PRIVATE_KEY, so messages go out unsigned',
    message: () => 'SCS_DKIM_PRIVATE_KEY is not set: messages go out without a DKIM signature.',
    hint: 'Large mailbox providers expect newsletters to be DKIM-signed: generate a key (openssl genrsa -out dkim.pem 2048), publish its public key in DNS, and set SCS_DKIM_PRIVATE_KEY (and SCS_DKIM_SELECTOR).',
  },
  'doctor-dkim-dns-missing': {
    severity: 'warning',
    title: 'scs doctor: no DKIM key record at <selector>._domainkey.<domain>',
    /** `record`: the TXT record that would publish the key. */
    message: (a: { name: string; record: string }) =>
      `No DKIM key record at ${a.name}: receivers cannot verify the signatures.`,
    hint: (a) => `Publish a TXT record at ${a.name}: ${a.record}`,
  },
  'doctor-dkim-dns-mismatch': {
    severity: 'error',
    title: 'scs doctor: the DKIM record holds another (or a revoked) key',
    message: (a: { name: string; record: string; revoked: boolean }) =>
      `The DKIM record at ${a.name} ${a.revoked ? 'revokes the key (empty p=)' : 'holds another public key than SCS_DKIM_PRIVATE_KEY'}: receivers will find every signature broken.`,
    hint: (a) =>
      `Publish a TXT record at ${a.name}: ${a.record} — or set SCS_DKIM_PRIVATE_KEY and SCS_DKIM_SELECTOR to the key published there.`,
  },
  'doctor-spf-missing': {
    severity: 'warning',
    title: "scs doctor: no SPF record for the sender's domain",
    message: noRecord,
    hint: (a) =>
      `Publish a TXT record at ${a.name} that names your mail server, e.g. "v=spf1 include:<your provider's SPF domain> ~all".`,
  },
  'doctor-dmarc-missing': {
    severity: 'warning',
    title: "scs doctor: no DMARC record for the sender's domain",
    message: noRecord,
    hint: (a) =>
      `Publish a TXT record at ${a.name}, e.g. "v=DMARC1; p=none; rua=mailto:dmarc@${a.domain}", and tighten p= once reports show your mail passes.`,
  },
  'doctor-spf-multiple': {
    severity: 'error',
    title: "scs doctor: several SPF records for the sender's domain, which receivers ignore",
    message: severalRecords,
    hint: mergeThem,
  },
  'doctor-dmarc-multiple': {
    severity: 'error',
    title: "scs doctor: several DMARC records for the sender's domain, which receivers ignore",
    message: severalRecords,
    hint: mergeThem,
  },
  'doctor-dns-lookup': {
    severity: 'warning',
    title: 'scs doctor: a DNS lookup failed (SERVFAIL, timeout, refused)',
    message: (a: { name: string; reason: string }) =>
      `Looking up the TXT records of ${a.name} failed (${a.reason}).`,
    hint: "Check that the domain's name servers answer, and run scs doctor again (SCS_DNS_SERVER or --dns-server asks another DNS server).",
  },
  'doctor-url-unreachable': {
    severity: 'error',
    title: 'scs doctor: the archive (a warning) or scs serve (an error) does not answer',
    message: (a: { url: string; reason: string; id: string }) => `${a.url} does not answer (${a.reason}).`,
    hint: answerHint,
  },
  'doctor-url-status': {
    severity: 'error',
    title: 'scs doctor: the archive (a warning) or scs serve (an error) answers with an error status',
    message: (a: { url: string; status: string; id: string }) => `${a.url} answers ${a.status}.`,
    hint: answerHint,
  },
});
