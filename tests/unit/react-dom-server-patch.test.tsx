import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { Suspense, type ReactElement } from "react";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { applyEdits, applyPatch, REACT_DOM_SERVER_PATCH } from "../../scripts/patch-dependencies.mjs";
import { fakeInstalls } from "../support/fake-install";

type Server = typeof import("react-dom/server");

const require = createRequire(import.meta.url);
const reactDomDir = path.dirname(require.resolve("react-dom/package.json"));
// What the app renders pages with in production (patched), and the same renderer's development
// build, as published: the same markup for the same tree.
const patched = require(path.join(reactDomDir, REACT_DOM_SERVER_PATCH.file)) as Server;
const published = require(path.join(reactDomDir, "cjs/react-dom-server.node.development.js")) as Server;

/** Content that a Suspense boundary waits for: thrown until `release()`, as React 18's server renderer expects. */
function lateContent(text: string) {
  let ready = false;
  let release!: () => void;
  const promise = new Promise<void>((resolve) => {
    release = () => {
      ready = true;
      resolve();
    };
  });
  function Late() {
    if (!ready) throw promise;
    return <p className="late">{text}</p>;
  }
  return { Late, release };
}

/** A page with what React writes in every way: attributes, styles, entities, Welsh and other multi-byte text, long text, many rows. */
function page(name: string, Late: () => ReactElement) {
  const rows = Array.from({ length: 400 }, (_, i) => i);
  return (
    <html lang="cy">
      <head>
        <title>{`Prawf ${name}`}</title>
      </head>
      <body>
        <h1 className="govuk-heading-l" style={{ color: "#0b0c0c", marginTop: 4, WebkitTextSizeAdjust: "100%" }}>
          Cyfarfod {name}: ŵyr a ŷd, 🌍 &amp; “dyfyniadau” &lt;tag&gt;
        </h1>
        <ul>
          {rows.map((i) => (
            <li key={i} data-row={i} aria-label={`Rhes ${i}`} hidden={i % 50 === 49}>
              Gweithred {i}: {i % 7 === 0 ? "ŵŷ€😀".repeat(3) : "a"} <a href={`/areas/${name}/actions/${i}?a=1&b=2`}>Diweddaru</a>
            </li>
          ))}
        </ul>
        <pre>{"ŷ".repeat(3000)}</pre>
        <Suspense fallback={<p>Llwytho…</p>}>
          <Late />
        </Suspense>
      </body>
    </html>
  );
}

interface Rendering {
  chunks: Buffer[];
  /** Resolves with every byte once the stream has ended. */
  done: Promise<Buffer>;
  /** Resolves once React has written the shell (everything outside the waiting boundary). */
  shellWritten: Promise<void>;
}

function render(server: Server, element: ReactElement): Rendering {
  const chunks: Buffer[] = [];
  let finished!: (all: Buffer) => void;
  let failed!: (error: unknown) => void;
  const done = new Promise<Buffer>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
    final(callback) {
      finished(Buffer.concat(chunks));
      callback();
    },
  });
  const shellWritten = new Promise<void>((resolve) => {
    const stream = server.renderToPipeableStream(element, {
      bootstrapScriptContent: "window.prawf = 1;",
      nonce: "n0nce",
      onShellReady() {
        stream.pipe(sink);
        resolve();
      },
      onShellError: failed,
      onError: failed,
    });
  });
  return { chunks, done, shellWritten };
}

/** The published renderer's bytes without the NUL bytes of React 18.3.1's buffer bug; the page itself has none. */
const withoutNul = (bytes: Buffer) => Buffer.from(bytes.filter((byte) => byte !== 0));

async function renderAll(server: Server, name: string) {
  const { Late, release } = lateContent(`Cynnwys hwyr ${name} ✓`);
  const rendering = render(server, page(name, Late));
  await rendering.shellWritten;
  release();
  return rendering.done;
}

describe("react-dom's server renderer as the app runs it (decision 025)", () => {
  afterEach(() => vi.restoreAllMocks());

  it("carries the patch: applying it again changes nothing", () => {
    const installed = readFileSync(path.join(reactDomDir, REACT_DOM_SERVER_PATCH.file), "utf8");
    expect(installed).toContain("text encoded once a chunk (decision 025)");
    expect(applyEdits(installed, REACT_DOM_SERVER_PATCH)).toBe(installed);
  });

  it("writes the same bytes as the published renderer, without the NUL it writes where a character falls on its buffer's end, in chunks of whole UTF-8", async () => {
    const expected = await renderAll(published, "llf");
    const { Late, release } = lateContent("Cynnwys hwyr llf ✓");
    const rendering = render(patched, page("llf", Late));
    await rendering.shellWritten;
    release();
    const bytes = await rendering.done;
    expect(bytes.length).toBeGreaterThan(20_000);
    // The page puts a multi-byte character across the end of React's 2 KB buffer: the published
    // renderer then writes the whole buffer, its unfilled byte (NUL) included (React issue 31134).
    expect(expected.includes(0)).toBe(true);
    expect(bytes.includes(0)).toBe(false);
    expect(bytes.equals(withoutNul(expected))).toBe(true);
    expect(bytes.toString("utf8")).toContain("ŵŷ€😀ŵŷ€😀ŵŷ€😀");
    expect(rendering.chunks.length).toBeGreaterThan(5);
    // Text is encoded whole: no chunk ends inside a character.
    const strict = new TextDecoder("utf-8", { fatal: true });
    for (const chunk of rendering.chunks) expect(() => strict.decode(chunk)).not.toThrow();
  });

  it("encodes text once a chunk, not once a piece of markup", async () => {
    const encodeInto = vi.spyOn(TextEncoder.prototype, "encodeInto");
    const encode = vi.spyOn(TextEncoder.prototype, "encode");
    const bytes = await renderAll(patched, "abc");
    expect(bytes.toString("utf8")).toContain("Cynnwys hwyr abc ✓");
    expect(encodeInto).not.toHaveBeenCalled();
    expect(encode).not.toHaveBeenCalled();
  });

  it("writes the shell before the content it waits for, as soon as React flushes it", async () => {
    const { Late, release } = lateContent("Cynnwys hwyr xyz ✓");
    const rendering = render(patched, page("xyz", Late));
    await rendering.shellWritten;
    await new Promise((resolve) => setImmediate(resolve));
    const shell = Buffer.concat(rendering.chunks).toString("utf8");
    expect(shell).toContain("Llwytho…");
    expect(shell).toContain('data-row="399"');
    expect(shell).toContain("ŷ".repeat(3000));
    expect(shell).not.toContain("Cynnwys hwyr");
    release();
    const all = (await rendering.done).toString("utf8");
    expect(all.startsWith(shell)).toBe(true);
    expect(all.slice(shell.length)).toContain("Cynnwys hwyr xyz ✓");
    expect(all.slice(shell.length)).toContain('nonce="n0nce"');
  });

  it("keeps two pages rendered at once apart", async () => {
    const first = lateContent("Cynnwys hwyr un ✓");
    const second = lateContent("Cynnwys hwyr dau ✓");
    const one = render(patched, page("un", first.Late));
    const two = render(patched, page("dau", second.Late));
    await Promise.all([one.shellWritten, two.shellWritten]);
    second.release();
    first.release();
    const [oneBytes, twoBytes] = await Promise.all([one.done, two.done]);
    expect(oneBytes.equals(withoutNul(await renderAll(published, "un")))).toBe(true);
    expect(twoBytes.equals(withoutNul(await renderAll(published, "dau")))).toBe(true);
  });
});

describe("scripts/patch-dependencies.mjs, react-dom's edit", () => {
  const installs = fakeInstalls();
  afterAll(() => installs.removeAll());
  const fakeInstall = (version: string, code: string) => installs.install(REACT_DOM_SERVER_PATCH, version, code);
  const original = `'use strict';var aa=require("util");\n${REACT_DOM_SERVER_PATCH.edits[0].find}\nfunction y(a){}`;

  it("applies once to 18.3.1 and then leaves the file alone", () => {
    const { nodeModules, file } = fakeInstall("18.3.1", original);
    expect(applyPatch(nodeModules, REACT_DOM_SERVER_PATCH)).toBe(true);
    const once = readFileSync(file, "utf8");
    expect(once).toContain(REACT_DOM_SERVER_PATCH.edits[0].replace);
    expect(once).not.toContain("encodeInto");
    expect(applyPatch(nodeModules, REACT_DOM_SERVER_PATCH)).toBe(false);
    expect(readFileSync(file, "utf8")).toBe(once);
  });

  it("refuses another version, or a file without the text, and names the decision", () => {
    const other = fakeInstall("18.3.0", original);
    expect(() => applyPatch(other.nodeModules, REACT_DOM_SERVER_PATCH)).toThrow(/react-dom is 18\.3\.0, but its patch was written for 18\.3\.1.*decision 025/);
    expect(readFileSync(other.file, "utf8")).toBe(original);
    expect(() => applyEdits(original.replace("u.encodeInto(b,c)", "u.encodeInto(c,b)"), REACT_DOM_SERVER_PATCH)).toThrow(/react-dom 18\.3\.1: .*exactly once[\s\S]*decision 025/);
  });
});
