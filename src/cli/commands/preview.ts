import { Command } from 'commander';
import { type Cli, parsePort, resolveNow, untilStopped } from '../context.js';
import { formatDiagnostics } from '../output.js';
import { checkBaseUrl, warnUnwatchable } from './build.js';

export function previewCommand(cli: Cli): Command {
  return new Command('preview')
    .description(
      'Serve the archive locally with drafts, rebuild and reload on every change, and show newsletter previews.',
    )
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4000')
    .option('--base-url <url>', 'public base URL of the archive (overrides site.baseUrl)')
    .option('--no-drafts', 'hide drafts')
    .option('--no-future', 'hide releases dated in the future or under embargo')
    .option('--no-search', 'leave out the search index (faster rebuilds)')
    .option('--now <date-time>', 'a fixed current time (default: the real time at each build)')
    .action(async function (
      this: Command,
      opts: {
        host: string;
        port: string;
        baseUrl?: string;
        drafts: boolean;
        future: boolean;
        search: boolean;
        now?: string;
      },
    ) {
      const port = parsePort(opts.port);
      const baseUrl = checkBaseUrl(opts.baseUrl);
      const loadConfig = () => cli.config(this, baseUrl ? { baseUrl } : {});
      const first = loadConfig();
      const now = opts.now === undefined ? undefined : resolveNow(opts.now, first.timeZone);
      // Loaded here, so other commands do not pay for the preview (and the email renderer) at start-up.
      const { startPreview } = await import('../../dev/preview.js');
      const { renderEmailPreview } = await import('../../email/preview.js');
      const preview = await startPreview({
        host: opts.host,
        port,
        drafts: opts.drafts,
        future: opts.future,
        search: opts.search,
        ...(now ? { now } : {}),
        loadConfig,
        emailPreview: renderEmailPreview,
        onUnwatchable: warnUnwatchable(cli, first.root),
        onBuild: ({ ok, diagnostics, result, reason, elapsedMs }) => {
          if (diagnostics.length)
            cli.err(formatDiagnostics(diagnostics, 'pretty', { root: first.root, color: cli.color }));
          const what = reason === 'start' ? 'Built' : `Rebuilt (${reason})`;
          if (ok && result)
            cli.err(
              cli.c.dim(
                `${what}: ${result.pages} pages, ${result.written} files written in ${elapsedMs} ms.`,
              ),
            );
          else cli.err(cli.c.red(`${what}: failed; showing the last good build.`));
        },
      });
      cli.out(`Preview on ${preview.url}`);
      cli.err('Watching releases, templates and the config. Press Ctrl+C to stop.');
      await untilStopped();
      await preview.close();
    });
}
