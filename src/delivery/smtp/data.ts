const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const EXTRA_DOT = Buffer.from('.');
const EXTRA_CR = Buffer.from('\r');
const EXTRA_LF = Buffer.from('\n');
const END = Buffer.from('.\r\n');
const LINE_END_AND_END = Buffer.from('\r\n.\r\n');

/**
 * A message as it goes after DATA (RFC 5321 4.5.2): a dot that starts a line is doubled, every bare CR
 * or LF becomes CRLF (a receiver that took a lone CR or LF for a line end could otherwise be told the
 * data ended early: SMTP smuggling), and the data ends with CRLF "." CRLF. The result is a list of
 * pieces, mostly views of `raw`: `indexOf` finds the line ends, nothing looks at every byte in
 * JavaScript, and no copy of the message is made (this is most of the CPU time of sending).
 */
export function dotStuff(raw: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0; // raw[from…] is not in `pieces` yet
  let line = 0; // where the current line starts
  let cr = raw.indexOf(CR);
  let lf = raw.indexOf(LF);
  while (line < raw.length) {
    if (raw[line] === DOT) {
      if (line > from) pieces.push(raw.subarray(from, line));
      pieces.push(EXTRA_DOT);
      from = line;
    }
    if (cr !== -1 && cr < line) cr = raw.indexOf(CR, line);
    if (lf !== -1 && lf < line) lf = raw.indexOf(LF, line);
    if (cr === -1 && lf === -1) break;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      if (lf !== cr + 1) {
        // A bare CR: its LF is added.
        pieces.push(raw.subarray(from, cr + 1), EXTRA_LF);
        from = cr + 1;
      }
      line = lf === cr + 1 ? lf + 1 : cr + 1;
    } else {
      // A bare LF: its CR is added.
      if (lf > from) pieces.push(raw.subarray(from, lf));
      pieces.push(EXTRA_CR);
      from = lf;
      line = lf + 1;
    }
  }
  if (from < raw.length) pieces.push(from ? raw.subarray(from) : raw);
  const last = raw[raw.length - 1];
  pieces.push(last === LF || last === CR ? END : LINE_END_AND_END);
  return pieces;
}
