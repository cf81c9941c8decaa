import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Per name (lower case): its TXT records, or SERVFAIL. Names not listed do not exist (NXDOMAIN). */
export type TxtTable = Record<string, string[] | 'SERVFAIL'>;

export interface TestDnsServer {
  /** "127.0.0.1:<port>", for SCS_DNS_SERVER or Resolver.setServers. */
  address: string;
  table: TxtTable;
  close(): Promise<void>;
}

const TXT = 16;
const NOERROR = 0;
const SERVFAIL = 2;
const NXDOMAIN = 3;

/** The question's name and type, and where the question ends. */
function question(query: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let at = 12;
  while (query[at]! > 0) {
    labels.push(query.toString('latin1', at + 1, at + 1 + query[at]!));
    at += 1 + query[at]!;
  }
  return { name: labels.join('.').toLowerCase(), type: query.readUInt16BE(at + 1), end: at + 5 };
}

/** One TXT answer: a pointer to the question's name, then the record in strings of at most 255 bytes. */
function txtAnswer(record: string): Buffer {
  const text = Buffer.from(record);
  const strings: Buffer[] = [];
  for (let i = 0; i === 0 || i < text.length; i += 255) {
    const part = text.subarray(i, i + 255);
    strings.push(Buffer.from([part.length]), part);
  }
  const data = Buffer.concat(strings);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0);
  head.writeUInt16BE(TXT, 2);
  head.writeUInt16BE(1, 4); // IN
  head.writeUInt32BE(60, 6); // TTL
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

/**
 * A tiny DNS server on 127.0.0.1 (UDP, a free port) answering TXT questions from a table that tests
 * change at will: just enough of RFC 1035 for Node's resolver.
 */
export async function startDnsServer(table: TxtTable = {}): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const q = question(query);
    const entry = table[q.name];
    const rcode = entry === undefined ? NXDOMAIN : entry === 'SERVFAIL' ? SERVFAIL : NOERROR;
    const answers = Array.isArray(entry) && q.type === TXT ? entry.map(txtAnswer) : [];
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0); // the query's id
    header.writeUInt16BE(0x8180 | rcode, 2); // a response, recursion desired and available
    header.writeUInt16BE(1, 4); // the question, echoed
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, query.subarray(12, q.end), ...answers]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    table,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
