import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CoalescingStream } from "~/lib/coalescing-stream.server";

function collect(stream: CoalescingStream) {
  const chunks: string[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  const ended = new Promise<void>((resolve) => stream.on("end", resolve));
  return { chunks, ended };
}
const bytes = (s: string) => new TextEncoder().encode(s);

describe("CoalescingStream", () => {
  it("hands on what is written in one turn of the event loop as one chunk, in order", async () => {
    const stream = new CoalescingStream();
    const { chunks, ended } = collect(stream);
    for (const piece of ["<html>", "<body>", "<p>héllo</p>"]) stream.write(bytes(piece));
    await nextTurn();
    stream.write(bytes("</body>"));
    stream.write(bytes("</html>"));
    stream.end();
    await ended;
    expect(chunks).toEqual(["<html><body><p>héllo</p>", "</body></html>"]);
  });

  it("hands on everything written so far when the writer flushes, as React does after each batch", async () => {
    const stream = new CoalescingStream();
    const { chunks } = collect(stream);
    stream.write(bytes("a"));
    stream.write(bytes("b"));
    stream.flush();
    stream.write(bytes("c"));
    stream.flush();
    await nextTurn();
    expect(chunks).toEqual(["ab", "c"]);
    stream.flush(); // nothing pending: nothing sent
    await nextTurn();
    expect(chunks).toEqual(["ab", "c"]);
  });

  it("sends what is still pending when it ends, and nothing after", async () => {
    const stream = new CoalescingStream();
    const { chunks, ended } = collect(stream);
    stream.write(bytes("last words"));
    stream.end();
    await ended;
    await nextTurn();
    expect(chunks).toEqual(["last words"]);
  });
});
