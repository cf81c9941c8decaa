import { defineDiagnostics } from './define.js';

/** The subscription service and the preview server (subscription/). */
export const serveDiagnostics = defineDiagnostics({
  'serve-listen-failed': {
    severity: 'error',
    title:
      'scs serve or scs preview cannot listen on that host and port: the port is in use, or the host is not an address of this machine',
    message: (a: { host: string; port: number; reason: string }) =>
      `Cannot listen on ${a.host}:${a.port}: ${a.reason}.`,
    hint: 'Pick another --port (above 1023), or stop whatever is using it.',
  },
});
