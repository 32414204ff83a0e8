/**
 * One body part of an email, encoded here rather than by nodemailer (finding 30 of
 * docs/performance.md). nodemailer's quoted-printable encoder builds a string one character at
 * a time and then wraps it with regular expressions, and the MIME writer hands each piece to
 * the SMTP connection separately; encoding a part in one pass into one buffer, and handing
 * nodemailer that buffer as the part's `raw` content, does the same job for a fraction of the
 * CPU. The result is ordinary RFC 2045 quoted-printable:
 *
 * - printable ASCII stays as it is, except `=`; everything else is `=XX`;
 * - a space or tab before a line break (or at the end) is encoded, so no transport can strip it;
 * - a `.` that would begin a line is encoded, so SMTP never needs to double it;
 * - lines are CRLF and at most 76 characters, soft breaks (`=` at the end) included;
 * - a soft break never splits the bytes of one UTF-8 character across two lines.
 */

const MAX_LINE = 76;
const HEX = Buffer.from("0123456789ABCDEF");
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const DOT = 0x2e;
const EQUALS = 0x3d;

/** 1 for the bytes written as they are (printable ASCII but `=`); space and tab are decided by what follows them. */
const LITERAL = new Uint8Array(256);
for (let b = 0x21; b <= 0x7e; b++) LITERAL[b] = b === EQUALS ? 0 : 1;

/** How many bytes the UTF-8 character starting with `lead` takes (1 for anything else). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/** `input` as UTF-8, quoted-printable encoded, after `prefix` (the part's headers), in one buffer. */
export function encodeQuotedPrintable(input: string, prefix: Uint8Array = new Uint8Array(0)): Buffer {
  const src = Buffer.from(input, "utf8");
  const n = src.length;
  // Worst case: every byte encoded (3) plus a soft break (3) for every 24 encoded bytes.
  const out = Buffer.allocUnsafe(prefix.length + n * 4 + 8);
  out.set(prefix, 0);
  let o = prefix.length;
  let column = 0;
  // The bytes of a UTF-8 character after its first, kept on the line its first byte went on.
  let continuation = 0;
  for (let i = 0; i < n; i++) {
    const b = src[i];
    // Most bytes: printable ASCII with room on the line.
    if (LITERAL[b] === 1 && column < MAX_LINE - 1 && (column !== 0 || b !== DOT)) {
      out[o++] = b;
      column++;
      continue;
    }
    if (b === LF || (b === CR && src[i + 1] === LF)) {
      if (b === CR) i++;
      out[o++] = CR;
      out[o++] = LF;
      column = 0;
      continuation = 0;
      continue;
    }
    if (continuation > 0) {
      continuation--;
    } else {
      // Room for the whole character, written encoded (the widest it can be); a soft break first if not.
      const length = b >= 0x80 ? sequenceLength(b) : 1;
      const widest = b >= 0x80 || !LITERAL[b] ? 3 * length : 1;
      if (column + widest > MAX_LINE - 1) {
        out[o++] = EQUALS;
        out[o++] = CR;
        out[o++] = LF;
        column = 0;
      }
      continuation = length - 1;
    }
    let literal = LITERAL[b] === 1 && !(b === DOT && column === 0);
    if (b === SPACE || b === TAB) {
      const next = i + 1 < n ? src[i + 1] : LF;
      literal = next !== LF && next !== CR;
    }
    if (literal) {
      out[o++] = b;
      column += 1;
    } else {
      out[o++] = EQUALS;
      out[o++] = HEX[b >> 4];
      out[o++] = HEX[b & 15];
      column += 3;
    }
  }
  return out.subarray(0, o);
}

/** Each part's own headers, before its body. */
const PART_HEADERS = {
  "text/plain": Buffer.from("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"),
  "text/html": Buffer.from("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"),
};

/**
 * A text or HTML part, headers and body, as nodemailer takes it for `text: { raw }` or
 * `html: { raw }`; it writes the message's own headers and the multipart boundaries around it.
 */
export function quotedPrintablePart(contentType: keyof typeof PART_HEADERS, content: string): Buffer {
  return encodeQuotedPrintable(content, PART_HEADERS[contentType]);
}
