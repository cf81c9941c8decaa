import { fatal } from '../core/catalogue/index.js';
import { didYouMean } from '../core/schema-diagnostics.js';

/** Where and how to connect, read from `SCS_SMTP_URL`. */
export interface SmtpServer {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://, port 465 by default). */
  secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS. */
  requireTLS: boolean;
  /** Never upgrade, even when the server offers STARTTLS. */
  ignoreTLS: boolean;
  /** Check the server's certificate (turn off only for a test server with a self-signed one). */
  rejectUnauthorized: boolean;
  auth?: { user: string; pass: string };
  /** The name given in EHLO; default the machine's host name. */
  name?: string;
  /** The URL without its password, for messages. */
  shown: string;
}

const BOOLEAN_OPTIONS = ['requireTLS', 'ignoreTLS', 'rejectUnauthorized'] as const;
const OPTIONS = [...BOOLEAN_OPTIONS, 'name'];

const invalid = (problem: string) => fatal(2, 'smtp-url-invalid', { problem });

/** Parses `SCS_SMTP_URL`; throws a configuration error (exit 2) naming what is wrong, never echoing the password. */
export function parseSmtpUrl(text: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('is not a URL.');
  }
  if (url.password) url.password = '***';
  const shown = url.href;
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'smtp' && protocol !== 'smtps') {
    throw invalid(`uses "${protocol}:"; it must start with smtp:// or smtps:// (${shown}).`);
  }
  if (!url.hostname) throw invalid(`names no host (${shown}).`);
  const secure = protocol === 'smtps';
  const flags: Record<(typeof BOOLEAN_OPTIONS)[number], boolean> = {
    requireTLS: false,
    ignoreTLS: false,
    rejectUnauthorized: true,
  };
  let name: string | undefined;
  for (const [key, value] of url.searchParams) {
    if (key === 'name') {
      // It goes into EHLO as it is.
      if (!/^[\x21-\x7e]+$/.test(value)) throw invalid(`option name must be a host name (${shown}).`);
      name = value;
    } else if ((BOOLEAN_OPTIONS as readonly string[]).includes(key)) {
      if (value !== 'true' && value !== 'false')
        throw invalid(`option ${key}=${value} must be true or false.`);
      flags[key as (typeof BOOLEAN_OPTIONS)[number]] = value === 'true';
    } else {
      throw invalid(`has an unknown option "${key}".${didYouMean(key, OPTIONS)}`);
    }
  }
  const raw = new URL(text);
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(raw.username);
    pass = decodeURIComponent(raw.password);
  } catch {
    throw invalid(`has a badly percent-encoded user or password (${shown}).`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...flags,
    ...(user ? { auth: { user, pass } } : {}),
    ...(name ? { name } : {}),
    shown,
  };
}
