// A minimal SMTP sink for bench/send.mjs when Postfix's smtp-sink is not installed:
// accepts every message on 127.0.0.1:<port> and discards it.
import { SMTPServer } from 'smtp-server';

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  size: 0,
  onData(stream, _session, callback) {
    stream.on('end', () => callback());
    stream.resume();
  },
});
server.listen(Number(process.argv[2]), '127.0.0.1');
