import { Command } from 'commander';
import { checkListsConfigured } from '../../subscribers/lists.js';
import { type Cli, parsePort, untilStopped } from '../context.js';
import { openProjectStore } from './subscribers.js';

export function serveCommand(cli: Cli): Command {
  return new Command('serve')
    .description(
      'Run the subscription service (sign-up form, confirmation, one-click unsubscribe) behind your HTTPS proxy.',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .action(async function (this: Command, opts: { host: string; port: string }) {
      const port = parsePort(opts.port);
      const config = cli.config(this);
      checkListsConfigured(config);
      // Loaded on use, so that `scs --help` and other commands start fast.
      const [{ createTransport }, { listen, shutdown }, { createServer }] = await Promise.all([
        import('../../delivery/create-transport.js'),
        import('../../subscription/listen.js'),
        import('../../subscription/server.js'),
      ]);
      const store = await openProjectStore(cli, config);
      const transport = createTransport(config);
      const server = createServer(config, store, transport, {
        onRequest: (r) =>
          cli.err(
            `${new Date().toISOString()} ${r.method} ${r.path} ${r.status} ${r.ms} ms${r.note ? ` ${cli.c.dim(r.note)}` : ''}`,
          ),
        onMail: (m) =>
          cli.err(
            `${new Date().toISOString()} mail ${m.what}: ${m.outcome} (attempt ${m.attempt}${m.retryInMs === undefined ? '' : `, next in ${Math.round(m.retryInMs / 1000)} s`}) ${cli.c.dim(m.response)}`,
          ),
      });
      try {
        const address = await listen(server, opts.host, port);
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        const local = `http://${host}:${address.port}/`;
        cli.out(`Listening on ${local} (form: ${local}subscribe)`);
        cli.err(
          [
            `  public address: ${config.newsletter.endpoint} (newsletter.endpoint; serve it through your HTTPS proxy)`,
            `  store: ${store.description}`,
            `  confirmation mails: ${transport.description}`,
            `  X-Forwarded-For believed from: ${config.serve.trustProxy.join(', ') || 'nobody (serve.trustProxy)'}`,
            'Press Ctrl+C to stop.',
          ].join('\n'),
        );
        const signal = await untilStopped();
        cli.err(`${signal}: finishing open requests…`);
        await shutdown(server);
        cli.err('Stopped.');
      } finally {
        server.close();
        await transport.close();
        await store.close();
      }
    });
}
