import type { Transform, TransformCallback } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';

/** nodemailer's DATA stream: the fields its `_flush` and the send result read. */
interface DataStream extends Transform {
  inByteCount: number;
  outByteCount: number;
  lastByte: number | false;
}

type TransformFn = (
  this: DataStream,
  chunk: Buffer | string,
  encoding: BufferEncoding,
  done: TransformCallback,
) => void;

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const EXTRA_DOT = Buffer.from('.');

/**
 * Dot-stuffing for messages that already use CRLF throughout, as every message email/ builds does.
 * nodemailer's own transform looks at every byte in JavaScript, which is most of the CPU time spent
 * sending a 30 KB newsletter; this one lets `indexOf` find the line ends. Anything irregular (a bare
 * CR or LF) goes to nodemailer's transform, so the bytes on the wire are the same either way.
 */
function fastTransform(original: TransformFn): TransformFn {
  return function (this: DataStream, chunk, encoding, done) {
    if (typeof chunk === 'string' || chunk.length === 0 || this.lastByte === CR) {
      return original.call(this, chunk, encoding, done);
    }
    const dots: number[] = chunk[0] === DOT && (this.lastByte === false || this.lastByte === LF) ? [0] : [];
    let lineEnds = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      if ((i > 0 ? chunk[i - 1] : this.lastByte) !== CR) return original.call(this, chunk, encoding, done);
      lineEnds++;
      if (chunk[i + 1] === DOT) dots.push(i + 1);
    }
    let carriageReturns = 0;
    for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) carriageReturns++;
    // Every LF follows a CR; equal counts mean every CR is followed by an LF too.
    if (carriageReturns !== lineEnds) return original.call(this, chunk, encoding, done);
    // The pieces between stuffed dots go out as views of the message: no copy of it is made.
    let from = 0;
    for (const at of dots) {
      if (at > from) this.push(chunk.subarray(from, at));
      this.push(EXTRA_DOT);
      from = at;
    }
    this.push(from ? chunk.subarray(from) : chunk);
    this.inByteCount += chunk.length;
    this.outByteCount += chunk.length + dots.length;
    this.lastByte = chunk[chunk.length - 1]!;
    done();
  };
}

type WithSendStream = { _createSendStream?: (callback: unknown) => DataStream };

/**
 * nodemailer's SMTP connection with the fast DATA transform. `_createSendStream` is nodemailer's
 * internal hook: should a later version drop it, this class is plain SMTPConnection again (slower,
 * equally correct).
 */
export class FastSmtpConnection extends SMTPConnection {
  constructor(options: SMTPConnection.Options) {
    super(options);
    const base = (SMTPConnection.prototype as unknown as WithSendStream)._createSendStream;
    if (typeof base !== 'function') return;
    (this as unknown as WithSendStream)._createSendStream = (callback: unknown) => {
      const stream = base.call(this, callback);
      const original = (stream as unknown as { _transform: TransformFn })._transform;
      (stream as unknown as { _transform: TransformFn })._transform = fastTransform(original);
      return stream;
    };
  }
}
