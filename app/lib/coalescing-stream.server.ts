import { Transform, type TransformCallback } from "node:stream";

/**
 * Hands on what is written to it in larger pieces: everything written before the writer calls
 * `flush()`, or before the event loop's next turn, goes out as one chunk.
 *
 * React's server renderer writes a document in pieces of about 2 KB and calls `flush()` when it has
 * written all it can for now. Passed on one by one, a 90 KB page was some 45 chunks, each through a
 * web stream, a write to the response, a compression flush (with a browser that takes gzip, every
 * piece was deflated and flushed on its own) and a socket write (docs/performance.md, finding 35).
 * What React streams later (after data it waits for) still goes out when it is written.
 */
export class CoalescingStream extends Transform {
  private pending: Buffer[] = [];
  private scheduled = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.pending.push(chunk);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    callback();
  }

  override _flush(callback: TransformCallback) {
    this.flush();
    callback();
  }

  /** Pushes what has been written since the last push, as one chunk. React calls this after each batch. */
  flush() {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.push(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }
}
