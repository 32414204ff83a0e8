import { createHash, generateKeyPairSync, verify, type KeyObject } from "node:crypto";
import { simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { encodeQuotedPrintable, quotedPrintablePart } from "~/models/mail/quoted-printable.server";
import { mailOptions } from "~/models/mail/transport.server";

/** RFC 2045 decoding, written out plainly: soft breaks removed, =XX turned back into bytes. */
function decode(encoded: string): string {
  const bytes: number[] = [];
  const body = encoded.replace(/=\r\n/g, "");
  for (let i = 0; i < body.length; i++) {
    if (body[i] === "=") {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(body.charCodeAt(i));
  }
  return Buffer.from(bytes).toString("utf8");
}

/** What every encoded body must look like, whatever went in. */
function expectWellFormed(encoded: string) {
  expect(encoded).toMatch(/^[\x20-\x7e\t\r\n]*$/); // printable ASCII, tab and CRLF only
  expect(encoded).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // no bare CR or LF
  for (const line of encoded.split("\r\n")) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).not.toMatch(/^\./); // SMTP would otherwise have to double it
    expect(line).not.toMatch(/[ \t]$/); // trailing white space is encoded
    expect(line.replace(/=$/, "")).not.toMatch(/=(?![0-9A-F]{2})/); // every = starts an escape, but the soft break
  }
  // A soft break never separates the bytes of one UTF-8 character.
  expect(encoded).not.toMatch(/=\r\n=[89AB][0-9A-F]/);
}

// Deterministic variety: ASCII, Welsh letters, typographic punctuation, an emoji, and the characters with rules.
const PIECES = ["a", "Z", " ", "\t", ".", "=", "\n", "\r\n", "ŵ", "ŷ", "â", "–", "“", "”", "€", "🙂", "<p>", "</td>", "x".repeat(90), "  \n", ".\n"];
function sample(seed: number, length: number): string {
  let state = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += PIECES[state % PIECES.length];
  }
  return out;
}

describe("quoted-printable encoding of a body part", () => {
  it("encodes = and the characters outside printable ASCII, and keeps the rest as it is", () => {
    expect(encodeQuotedPrintable("Cost = £5 (ŵ)").toString()).toBe("Cost =3D =C2=A35 (=C5=B5)");
  });

  it("encodes white space before a line break or at the end, and a dot that would begin a line", () => {
    expect(encodeQuotedPrintable("one \ntwo\t\r\n.three\nfour .\n. ").toString()).toBe("one=20\r\ntwo=09\r\n=2Ethree\r\nfour .\r\n=2E=20");
  });

  it("breaks long lines with a soft break at 76 characters, never inside a character", () => {
    const long = encodeQuotedPrintable("x".repeat(200)).toString();
    expect(long.split("\r\n").map((l) => l.length)).toEqual([76, 76, 50]);
    expect(long.replace(/=\r\n/g, "")).toBe("x".repeat(200));
    const welsh = encodeQuotedPrintable("ŵ".repeat(30)).toString();
    expect(welsh.split("\r\n")[0]).toBe(`${"=C5=B5".repeat(12)}=`); // 12 whole letters (73 characters), not 12½
    expectWellFormed(welsh);
  });

  it("gives back exactly what went in, line breaks as CRLF, for any mix of text", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const input = sample(seed, 1 + (seed % 97) * 7);
      const encoded = encodeQuotedPrintable(input).toString();
      expectWellFormed(encoded);
      expect(decode(encoded)).toBe(input.replace(/\r?\n/g, "\r\n"));
    }
    expect(encodeQuotedPrintable("").length).toBe(0);
  });

  it("writes the part's headers before the body", () => {
    expect(quotedPrintablePart("text/html", "<p>a=b</p>").toString()).toBe("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>a=3Db</p>");
  });

  it("makes an email whose text and HTML a mail reader gets back unchanged", async () => {
    const html = `<!DOCTYPE html><html lang="cy"><body><p>Camau gweithredu sy'n hwyr – ${"<td>Heddlu Dyfed-Powys</td>".repeat(20)}</p>\n.\n</body></html>`;
    const text = "Crynodeb yr asiantaeth\n\n.Camau sy'n hwyr: 3 \nDyddiad: 5 Rhagfyr 2026 🙂\n" + "ŵ".repeat(100);
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const options = mailOptions({ id: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", to: "heddlu@example.gov.uk", subject: "Crynodeb – ŵ", html, text }, { MAIL_FROM: "Panel <no-reply@panel.example>", APP_URL: "https://panel.example" });
    const info = await transport.sendMail(options);
    const source = (info.message as Buffer).toString();
    expect(source).toMatch(/Content-Type: multipart\/alternative;/);
    expect(source).toContain("Message-ID: <6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f@panel.example>");
    const parsed = await simpleParser(info.message as Buffer);
    expect(parsed.subject).toBe("Crynodeb – ŵ");
    expect(parsed.text).toBe(text);
    expect(parsed.html).toBe(html);
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
  });
});

/**
 * DKIM verification (RFC 6376, relaxed/relaxed, as nodemailer signs) against a public key we hold,
 * instead of one published in DNS: the body hash, then the signature over the signed headers.
 */
function verifyDkim(raw: string, publicKey: KeyObject) {
  const split = raw.indexOf("\r\n\r\n");
  const fields = raw.slice(0, split).split(/\r\n(?![ \t])/);
  const body = raw.slice(split + 4);
  const relaxedHeader = (field: string) => {
    const colon = field.indexOf(":");
    return `${field.slice(0, colon).trim().toLowerCase()}:${field.slice(colon + 1).replace(/\r\n/g, "").replace(/[ \t]+/g, " ").trim()}`;
  };
  const signature = fields.find((f) => /^dkim-signature:/i.test(f))!;
  const tags = Object.fromEntries(
    relaxedHeader(signature)
      .slice("dkim-signature:".length)
      .split(";")
      .map((tag) => tag.trim().split(/=(.*)/s).slice(0, 2))
      .map(([key, value]) => [key, value.replace(/\s+/g, "")]),
  );
  const lines = body.split("\r\n").map((line) => line.replace(/[ \t]+/g, " ").replace(/ $/, ""));
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  const bodyHash = createHash("sha256").update(lines.length ? `${lines.join("\r\n")}\r\n` : "").digest("base64");
  const signed = (tags.h as string).split(":").map((name) => `${relaxedHeader(fields.find((f) => f.toLowerCase().startsWith(`${name}:`))!)}\r\n`);
  const unsigned = relaxedHeader(signature).replace(/(;\s*)b=[^;]*/, "$1b=");
  return {
    canonicalization: tags.c,
    bodyHashMatches: bodyHash === tags.bh,
    signatureValid: verify("sha256", Buffer.from(signed.join("") + unsigned), publicKey, Buffer.from(tags.b, "base64")),
  };
}

describe("a DKIM-signed email whose parts the app encoded", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const sign = (message: { html: string; text: string }) =>
    nodemailer
      .createTransport({ streamTransport: true, buffer: true, dkim: { domainName: "panel.example", keySelector: "panel", privateKey: privateKey.export({ type: "pkcs8", format: "pem" }) as string } })
      .sendMail(mailOptions({ id: "0b6f7c1e-2d3a-4e5f-8a9b-0c1d2e3f4a5b", to: "marac@gwent.pnn.police.uk", subject: "Crynodeb – ŵ", ...message }, { MAIL_FROM: "Panel <no-reply@panel.example>", APP_URL: "https://panel.example" }))
      .then((info) => (info.message as Buffer).toString());

  it("verifies: body hash and signature", async () => {
    const raw = await sign({ html: `<p>${"Camau gweithredu – ".repeat(30)}</p>\n.\n`, text: "Trailing space \n.leading dot\n\tTab\n🙂" });
    expect(raw).toMatch(/^DKIM-Signature: /);
    expect(verifyDkim(raw, publicKey)).toEqual({ canonicalization: "relaxed/relaxed", bodyHashMatches: true, signatureValid: true });
  });

  it("fails verification once a byte of the body changes, so the check above can fail", async () => {
    const raw = await sign({ html: "<p>Camau gweithredu</p>", text: "Camau gweithredu" });
    expect(verifyDkim(raw.replace("Camau gweithredu</p>", "Camau gweithredi</p>"), publicKey)).toMatchObject({ bodyHashMatches: false });
    expect(verifyDkim(raw.replace("Subject: ", "Subject: Re: "), publicKey)).toMatchObject({ bodyHashMatches: true, signatureValid: false });
  });
});
