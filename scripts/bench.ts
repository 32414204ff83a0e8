// npm run bench [-- --ref HEAD] [--requests 500] [--areas 16] [--pages readiness,case|none] [--processes 1] [--pdf-runs 20] [--gzip] [--skip-build] [--skip-digest]
// Benchmark the production build against the database at DATABASE_URL (filled by
// npm run bench:seed): page latency at concurrency 1 and 16 beside the same SQL timed
// directly and the same page with no SQL (the render floor), PDFs beside plain pdfkit, digests
// beside raw nodemailer, and peak memory.
// Prints a table and writes bench/results.json. docs/performance.md explains the method.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import nodemailer from "nodemailer";
import postgres from "postgres";
import { createDb } from "../db/client";
import { todayInLondon } from "../app/lib/london-time";
import { appEnv, loadBuild, prepareBenchBuild, startApp } from "./bench/app";
import { freePort } from "./free-port";
import { createCapturingApp } from "./bench/capture";
import { budgetFor, latencyBound, perRequest, startCpuAccount, type CpuPerRequest, type LatencyBound } from "./bench/cpu";
import { replayUnits, toUnits, type Unit } from "./bench/floor";
import { loadPage, type LoadResult } from "./bench/load";
import { recordPdfText, writePlainPdf } from "./bench/pdf";
import { makeCertificate, startSmtpSink } from "./bench/smtp-sink";
import { percentiles, timeConcurrently, type Percentiles } from "./bench/stats";
import { findBigMeeting, findTargets, PAGES, type PageKey } from "./bench/targets";
import { forEachConcurrently } from "../app/lib/concurrently";
import { createSmtpTransport, mailOptions } from "../app/models/mail/transport.server";

const CONCURRENCIES = [1, 16] as const;
/** The digest target: 200 emails a second (issue 7). */
const DIGEST_TARGET_PER_SECOND = 200;
/** The page target: p95 ≤ 50 ms at concurrency 16 (issue 7). */
const TARGET = { concurrency: 16, latencyMs: 50 };

/**
 * A load run with the CPU every process spent on it (finding 37), and what that CPU allows at
 * this concurrency: the least mean latency Little's law leaves on this machine.
 */
async function loadWithCpu(app: { pid: number; servingPids(): number[] }, run: () => Promise<LoadResult>) {
  const account = startCpuAccount(app);
  const measured = await run();
  const spent = account.stop();
  const cpu = perRequest(spent, measured.n + measured.failed);
  const bound = latencyBound({ concurrency: measured.concurrency, cores: spent.cores, machineMs: cpu.machine, mainThreadMs: cpu.appMainThread, servingProcesses: spent.servingProcesses });
  return { measured, cpu, bound, cores: spent.cores, servingProcesses: spent.servingProcesses };
}

function describeCpu(cpu: CpuPerRequest, bound: LatencyBound) {
  return `CPU a request: app ${cpu.app} ms (main thread ${cpu.appMainThread}), PostgreSQL ${cpu.postgres}, load generator ${cpu.bench}, other ${cpu.other}; machine ${cpu.machine} ms, ${Math.round(cpu.machineBusyShare * 100)} % busy | at most ${bound.maxPerSecond}/s (${bound.limitedBy}), so a mean of at least ${bound.minMeanLatencyMs} ms`;
}

interface PageResult {
  page: PageKey;
  label: string;
  statements: number;
  transactions: number;
  responseBytes: number;
  runs: { concurrency: number; page: LoadResult; floor: Percentiles; ratioP50: number; ratioP95: number; cpu: CpuPerRequest; bound: LatencyBound; renderFloor: RenderFloorRun | null }[];
}

/** The same page from the render floor's server: loaders answered from memory, no SQL (finding 49). */
type RenderFloorRun = LoadResult & { cpu: CpuPerRequest; bound: LatencyBound };

/** The render floor's server entry, in the benchmarked source (a commit before finding 49 has none). */
const RENDER_FLOOR_ENTRY = "scripts/bench/render-floor-server.ts";

async function main() {
  const { values } = parseArgs({
    options: {
      ref: { type: "string" },
      requests: { type: "string", default: "500" },
      areas: { type: "string", default: "16" },
      "pdf-runs": { type: "string", default: "20" },
      "skip-build": { type: "boolean", default: false },
      "skip-digest": { type: "boolean", default: false },
      // Page requests ask for gzip, as browsers do (finding 35); off by default, so runs compare with earlier ones.
      gzip: { type: "boolean", default: false },
      pages: { type: "string" },
      processes: { type: "string", default: "1" },
      out: { type: "string", default: "bench/results.json" },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.error("npm run bench needs DATABASE_URL: the PostgreSQL database filled by npm run bench:seed.");
    return 2;
  }
  const requests = Math.max(500, Number(values.requests));
  const pdfRuns = Number(values["pdf-runs"]);
  const today = todayInLondon();
  const { root, buildDir, dataDir } = prepareBenchBuild(values.ref, values["skip-build"]);
  const port = await freePort();
  const env = appEnv({ buildDir, dataDir, databaseUrl, port, extra: { MAIL_WORKER: "off", SESSION_IDLE_MINUTES: "1440", WEB_CONCURRENCY: values.processes } });
  // This process loads the same build to record each page's SQL: same environment.
  Object.assign(process.env, env);

  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const handle = createDb({ databaseUrl, max: 2 });
  const [{ areas: areaTotal, cases, actions, audit, size }] = await sql<{ areas: number; cases: number; actions: number; audit: number; size: string }[]>`
    select (select count(*)::int from areas) as areas, (select count(*)::int from cases) as cases, (select count(*)::int from actions) as actions,
      (select count(*)::int from audit_events) as audit, pg_size_pretty(pg_database_size(current_database())) as size`;
  console.log(`Database: ${areaTotal} areas, ${cases.toLocaleString("en-GB")} cases, ${actions.toLocaleString("en-GB")} actions, ${audit.toLocaleString("en-GB")} audit rows, ${size}.`);
  const targets = await findTargets(sql, handle.db, today, Number(values.areas));
  if (targets.length === 0) throw new Error("No area with a next meeting and a held meeting: run npm run bench:seed first.");

  const app = await startApp(root, env);
  const keys = (values.pages === "none" ? [] : values.pages ? values.pages.split(",") : Object.keys(PAGES)) as PageKey[];
  // Beside the app, on a port of its own: the same server and build with every loader answered from memory.
  const renderFloor = keys.length > 0 && existsSync(path.join(root, RENDER_FLOOR_ENTRY)) ? await startApp(root, { ...env, PORT: String(await freePort()), WEB_CONCURRENCY: "1" }, RENDER_FLOOR_ENTRY) : null;
  if (keys.length > 0 && !renderFloor) console.log(`No render floor: ${RENDER_FLOOR_ENTRY} is not in this source.`);
  const capturing = createCapturingApp(await loadBuild(buildDir), databaseUrl);
  const results: PageResult[] = [];
  try {
    // The stack's own floor beside the pages: the smallest request the app answers through the same
    // server (GET /healthz: no session, no React, one `select 1`), at the same concurrencies (finding 35).
    const stackFloor: (LoadResult & { cpu: CpuPerRequest; bound: LatencyBound })[] = [];
    if (keys.length > 0) {
      const health = [{ path: "/healthz", cookie: "" }];
      await loadPage(app.baseUrl, health, 1, 50); // warm-up
      console.log("\nStack floor, GET /healthz (no session, no page, one select 1):");
      for (const concurrency of CONCURRENCIES) {
        const { measured: r, cpu, bound } = await loadWithCpu(app, () => loadPage(app.baseUrl, health, concurrency, requests));
        stackFloor.push({ ...r, cpu, bound });
        console.log(`  c=${String(concurrency).padEnd(2)} p50 ${r.p50} p95 ${r.p95} p99 ${r.p99} ms, mean ${r.mean} (${r.requestsPerSecond}/s${r.failed ? `, ${r.failed} failed` : ""})\n       ${describeCpu(cpu, bound)}`);
      }
    }
    for (const key of keys) {
      const page = PAGES[key];
      const pageTargets = targets.map(page.target);
      // The SQL each area's request sends, recorded in this process from the same build.
      const units: Unit[][] = [];
      let statements = 0;
      let transactions = 0;
      let responseBytes = 0;
      for (const t of pageTargets) {
        const captured = await capturing.capture(t.path, t.cookie);
        if (captured.status !== 200) throw new Error(`${t.path} answered ${captured.status}`);
        const u = toUnits(captured.statements);
        units.push(u);
        statements = captured.statements.filter((s) => !/^(begin|commit)/i.test(s.text.trim())).length;
        transactions = u.filter((x) => x.kind === "transaction").length;
        responseBytes = captured.bytes;
      }
      console.log(`\n${page.label}: ${statements} statements in ${transactions} transactions, ${Math.round(responseBytes / 1024)} KiB of HTML`);
      await loadPage(app.baseUrl, pageTargets, 1, 50, { gzip: values.gzip }); // warm-up
      // The render floor's first request for each URL runs the real loaders; every later one is answered from memory.
      if (renderFloor) await loadPage(renderFloor.baseUrl, pageTargets, 1, 50, { gzip: values.gzip });
      const runs: PageResult["runs"] = [];
      for (const concurrency of CONCURRENCIES) {
        const { measured, cpu, bound, cores, servingProcesses } = await loadWithCpu(app, () => loadPage(app.baseUrl, pageTargets, concurrency, requests, { gzip: values.gzip }));
        const floor = percentiles(await timeConcurrently(requests, concurrency, (i) => replayUnits(sql, units[i % units.length])));
        const ratioP50 = Math.round((measured.p50 / floor.p50) * 10) / 10;
        const ratioP95 = Math.round((measured.p95 / floor.p95) * 10) / 10;
        let rendered: RenderFloorRun | null = null;
        if (renderFloor) {
          const r = await loadWithCpu(renderFloor, () => loadPage(renderFloor.baseUrl, pageTargets, concurrency, requests, { gzip: values.gzip }));
          rendered = { ...r.measured, cpu: r.cpu, bound: r.bound };
        }
        runs.push({ concurrency, page: measured, floor, ratioP50, ratioP95, cpu, bound, renderFloor: rendered });
        console.log(`  c=${String(concurrency).padEnd(2)} page p50 ${measured.p50} p95 ${measured.p95} p99 ${measured.p99} ms, mean ${measured.mean} (${measured.requestsPerSecond}/s${measured.failed ? `, ${measured.failed} failed` : ""}${values.gzip ? `, ${(measured.meanBytes / 1024).toFixed(1)} KiB gzipped` : ""}) | SQL floor p50 ${floor.p50} p95 ${floor.p95} p99 ${floor.p99} ms | p95 ratio ${ratioP95}×`);
        console.log(`       ${describeCpu(cpu, bound)}`);
        if (rendered) {
          console.log(`       render floor (the same server and render, loaders answered from memory, no SQL): p50 ${rendered.p50} p95 ${rendered.p95} p99 ${rendered.p99} ms, mean ${rendered.mean} (${rendered.requestsPerSecond}/s${rendered.failed ? `, ${rendered.failed} failed` : ""})`);
          console.log(`       ${describeCpu(rendered.cpu, rendered.bound)}`);
        }
        if (concurrency === TARGET.concurrency) {
          const budget = budgetFor({ concurrency, cores, meanLatencyMs: TARGET.latencyMs, servingProcesses });
          console.log(`       a mean of ${TARGET.latencyMs} ms at c=${concurrency} needs ${budget.perSecond}/s: at most ${budget.machineMs} ms of the machine's CPU a request and ${budget.mainThreadMs} ms of the app's main thread`);
        }
      }
      results.push({ page: key, label: page.label, statements, transactions, responseBytes, runs });
    }

    // PDFs of the 40-case meeting: the app (over HTTP, data access included) and plain pdfkit.
    const big = await findBigMeeting(sql, handle.db);
    const pdfs = [];
    for (const kind of pdfRuns > 0 ? (["agenda", "minutes"] as const) : []) {
      const pdfPath = `/areas/${big.code.toLowerCase()}/meetings/${big.meetingId}/${kind}.pdf`;
      const texts = await recordPdfText(async () => {
        const response = await capturing.request(pdfPath, big.cookie);
        if (response.status !== 200) throw new Error(`${pdfPath} answered ${response.status}`);
        await response.arrayBuffer();
      });
      let bytes = 0;
      const appTimes = await timeConcurrently(pdfRuns, 1, async () => {
        const response = await fetch(`${app.baseUrl}${pdfPath}`, { headers: { cookie: big.cookie } });
        bytes = (await response.arrayBuffer()).byteLength;
        if (response.status !== 200) throw new Error(`${pdfPath} answered ${response.status}`);
      });
      const floorTimes = await timeConcurrently(pdfRuns, 1, () => writePlainPdf(texts));
      const result = { kind, cases: big.cases, bytes, texts: texts.length, app: percentiles(appTimes), floor: percentiles(floorTimes) };
      pdfs.push({ ...result, ratioP50: Math.round((result.app.p50 / result.floor.p50) * 10) / 10 });
      console.log(`\n${kind} PDF, ${big.cases} cases: ${result.app.p50} ms (p95 ${result.app.p95}) per document; plain pdfkit with the same ${texts.length} texts: ${result.floor.p50} ms`);
    }
    const memory = app.memory();
    console.log(`\nApp process memory: peak ${memory.peakMiB} MiB (VmHWM), now ${memory.rssMiB} MiB.`);
    await app.stop();
    await renderFloor?.stop();
    await capturing.close();

    const digest = values["skip-digest"] ? null : await benchDigests(root, env, dataDir);
    const report = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
      source: values.ref ? { ref: values.ref, snapshot: path.basename(root) } : { ref: "working tree" },
      database: { areas: areaTotal, cases, actions, auditRows: audit, size },
      requestsPerRun: requests,
      gzip: values.gzip,
      appProcesses: Number(values.processes),
      areasRotated: targets.length,
      stackFloor,
      pages: results,
      pdfs,
      digest,
      memory,
    };
    mkdirSync(path.dirname(values.out), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
    printTable(report);
    console.log(`\nWrote ${values.out}.`);
    return 0;
  } finally {
    await app.stop();
    await renderFloor?.stop();
    await sql.end({ timeout: 5 });
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Digests for every agency of every area through the app's outbox to a loopback
 * SMTP sink (STARTTLS, a certificate made for this run), beside raw nodemailer
 * sending the same messages over the same kind of pooled, verified TLS connection.
 */
async function benchDigests(root: string, env: NodeJS.ProcessEnv, dataDir: string) {
  const certificate = makeCertificate(dataDir);
  const sink = await startSmtpSink(certificate);
  try {
    const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
    type DigestRun = { mode: string; cpuMs: number; cpuPerEmail: CpuPerRequest; areas: number; queued: number; sent: number; failed: number; queueMs: number; sendMs: number; totalMs: number; messages: { to: string; subject: string; html: string; text: string }[] };
    const runDigests = async (mode: "inline" | "process") => {
      sink.reset();
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/digest-run.ts"], { cwd: root, env: { ...env, SMTP_URL: smtpUrl, SMTP_CA_FILE: certificate.cert, DIGEST_WORKER: mode, SINK_PID: String(sink.pid) }, stdio: ["ignore", "pipe", "inherit"] });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`digest run (${mode}) exited with ${code}`))));
      });
      return JSON.parse(output.trim().split("\n").pop()!) as DigestRun;
    };
    // The app's own worker sending while it composes (npm start), then `npm run worker` in a process of its own.
    const separate = await runDigests("process");
    const separateReceived = await sink.counts();
    const run = await runDigests("inline");
    const received = await sink.counts();
    sink.reset();
    // The floor: the same messages, straight to the sink with nodemailer, 4 at a time over a pool of 4 verified
    // STARTTLS connections, no database and no rendering; once tuned as the app's transport is (Nagle off,
    // quoted-printable stated: the floor the targets are measured against), once as nodemailer comes.
    type Message = DigestRun["messages"][number];
    const from = "Panel <no-reply@panel.invalid>";
    const plainMail = (extra: Record<string, unknown>) => (m: Message) => ({ from, to: m.to, subject: m.subject, html: m.html, text: m.text, ...extra });
    const floorCpu: Record<string, CpuPerRequest> = {};
    const sendAll = async (name: string, transport: { sendMail(mail: object): Promise<unknown>; close(): void }, mail: (m: Message) => object) => {
      sink.reset();
      const account = startCpuAccount(null, { sink: sink.pid });
      const started = performance.now();
      await forEachConcurrently(run.messages, 4, (m) => transport.sendMail(mail(m)));
      const ms = performance.now() - started;
      floorCpu[name] = perRequest(account.stop(), run.messages.length);
      transport.close();
      const floorReceived = await sink.counts();
      if (floorReceived.messages !== run.messages.length) throw new Error(`the sink received ${floorReceived.messages} of the floor's ${run.messages.length} messages`);
      return ms;
    };
    const ca = readFileSync(certificate.cert);
    const floorMs = await sendAll("floor", createSmtpTransport(smtpUrl, { ca, pool: true }), plainMail({ textEncoding: "quoted-printable" }));
    const asShippedMs = await sendAll(
      "asShipped",
      nodemailer.createTransport({ host: "127.0.0.1", port: sink.port, secure: false, requireTLS: true, pool: true, maxConnections: 4, tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ca } }),
      plainMail({}),
    );
    // A stricter floor beside it: the worker's own way of handing nodemailer a message (bodies encoded
    // in one pass each, finding 30), with no database: what the worker would reach if claiming and
    // recording cost nothing.
    const workerPathMs = await sendAll("workerPath", createSmtpTransport(smtpUrl, { ca, pool: true }), (m) => mailOptions({ id: randomUUID(), ...m }, { MAIL_FROM: from, APP_URL: "http://127.0.0.1" }));
    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000 * 10) / 10;
    // One digest run in figures. Sending overlaps queueing (as in the app): all queued after queueSeconds,
    // all sent tailSeconds later. CPU is the composing process's (with npm run worker, it sends nothing).
    const summarise = (r: DigestRun, receivedBySink: number) => ({
      emails: r.sent,
      failed: r.failed,
      receivedBySink,
      queueSeconds: Math.round(r.queueMs) / 1000,
      tailSeconds: Math.round(r.sendMs) / 1000,
      emailsPerSecond: perSecond(r.sent, r.totalMs),
      cpuMsPerEmail: Math.round((r.cpuMs / Math.max(1, r.sent)) * 100) / 100,
      shareOfFloor: Math.round((r.totalMs > 0 ? r.sent / r.totalMs / (run.messages.length / floorMs) : 0) * 100),
      shareOfWorkerPath: Math.round((r.totalMs > 0 ? r.sent / r.totalMs / (run.messages.length / workerPathMs) : 0) * 100),
      cpuPerEmail: r.cpuPerEmail,
    });
    const result = {
      areas: run.areas,
      ...summarise(run, received.messages),
      meanBytes: Math.round(received.bytes / Math.max(1, received.messages)),
      floorEmailsPerSecond: perSecond(run.messages.length, floorMs),
      asShippedEmailsPerSecond: perSecond(run.messages.length, asShippedMs),
      workerPathEmailsPerSecond: perSecond(run.messages.length, workerPathMs),
      separateWorker: summarise(separate, separateReceived.messages),
      floorCpuPerEmail: floorCpu,
    };
    const sw = result.separateWorker;
    console.log(`\nDigests with npm run worker sending: ${sw.emails} emails in ${((sw.queueSeconds + sw.tailSeconds)).toFixed(1)} s = ${sw.emailsPerSecond}/s (all queued after ${sw.queueSeconds} s, all sent ${sw.tailSeconds} s later; ${sw.shareOfFloor} % of the floor; composing took ${sw.cpuMsPerEmail} ms of CPU an email)`);
    console.log(`Digests: ${result.emails} emails for ${result.areas} areas in ${(run.totalMs / 1000).toFixed(1)} s = ${result.emailsPerSecond}/s (all queued after ${result.queueSeconds} s, all sent ${result.tailSeconds} s later; ${result.cpuMsPerEmail} ms of CPU an email to compose and send); raw nodemailer: ${result.floorEmailsPerSecond}/s (${result.shareOfFloor} % of the floor; as shipped, without the app's tuning: ${result.asShippedEmailsPerSecond}/s)`);
    console.log(`Beside them, nodemailer given the bodies encoded as the worker gives them, with no database: ${result.workerPathEmailsPerSecond}/s (the app's own worker at ${result.shareOfWorkerPath} % of it, npm run worker at ${sw.shareOfWorkerPath} %)`);
    // Where each email's CPU went, on the whole machine (finding 37), and what the target leaves.
    const line = (c: CpuPerRequest, sender: string) =>
      `${sender} ${c.bench} ms${c.named.worker !== undefined ? `, npm run worker ${c.named.worker}` : ""}, SMTP sink ${c.named.sink}, PostgreSQL ${c.postgres}, other ${c.other}; machine ${c.machine} ms, ${Math.round(c.machineBusyShare * 100)} % busy`;
    console.log(`CPU an email, the app's own worker: ${line(result.cpuPerEmail, "composing and sending process")}`);
    console.log(`CPU an email, npm run worker: ${line(sw.cpuPerEmail, "composing process")}`);
    console.log(`CPU an email, raw nodemailer (the floor): ${line(floorCpu.floor, "nodemailer")}`);
    const budget = budgetFor({ concurrency: 1, cores: cpus().length, meanLatencyMs: 1000 / DIGEST_TARGET_PER_SECOND });
    console.log(`${DIGEST_TARGET_PER_SECOND} emails a second leave ${budget.machineMs} ms of the machine's CPU an email.`);
    return result;
  } finally {
    await sink.close();
  }
}

function printTable(report: { stackFloor: LoadResult[]; pages: PageResult[]; pdfs: { kind: string; cases: number; app: Percentiles; floor: Percentiles; ratioP50: number }[]; digest: null | { emails: number; emailsPerSecond: number; floorEmailsPerSecond: number; shareOfFloor: number; asShippedEmailsPerSecond: number; workerPathEmailsPerSecond: number; shareOfWorkerPath: number; separateWorker: { emailsPerSecond: number; shareOfFloor: number; shareOfWorkerPath: number } }; memory: { peakMiB: number } }) {
  const rows: string[][] = [["page", "c", "p50", "p95", "p99", "mean", "floor p50", "floor p95", "p95 ÷ floor", "render floor p50", "p95", "req/s", "CPU: app", "pg", "machine", "least mean"]];
  for (const p of report.pages) {
    for (const r of p.runs) rows.push([p.label, String(r.concurrency), `${r.page.p50}`, `${r.page.p95}`, `${r.page.p99}`, `${r.page.mean}`, `${r.floor.p50}`, `${r.floor.p95}`, `${r.ratioP95}×`, r.renderFloor ? `${r.renderFloor.p50}` : "–", r.renderFloor ? `${r.renderFloor.p95}` : "–", `${r.page.requestsPerSecond}`, `${r.cpu.app}`, `${r.cpu.postgres}`, `${r.cpu.machine}`, `${r.bound.minMeanLatencyMs}`]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log("\nPage latency (ms) on 127.0.0.1, the same SQL sent directly (floor), the same page with no SQL (render floor, finding 49), the CPU a request cost (ms) and the least mean latency that CPU allows here (finding 37):");
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  "));
  for (const r of report.stackFloor) console.log(`Stack floor, GET /healthz, c=${r.concurrency}: p50 ${r.p50}, p95 ${r.p95}, p99 ${r.p99} ms (${r.requestsPerSecond}/s)`);
  for (const p of report.pdfs) console.log(`${p.kind} PDF (${p.cases} cases): ${p.app.p50} ms per document (p95 ${p.app.p95}); plain pdfkit ${p.floor.p50} ms (${p.ratioP50}×)`);
  if (report.digest) {
    console.log(`Digests: ${report.digest.emails} emails at ${report.digest.emailsPerSecond}/s sent by the app's own worker, ${report.digest.separateWorker.emailsPerSecond}/s by npm run worker; raw nodemailer ${report.digest.floorEmailsPerSecond}/s (${report.digest.shareOfFloor} % and ${report.digest.separateWorker.shareOfFloor} %), ${report.digest.asShippedEmailsPerSecond}/s as shipped; nodemailer as the worker calls it, no database: ${report.digest.workerPathEmailsPerSecond}/s (${report.digest.shareOfWorkerPath} % and ${report.digest.separateWorker.shareOfWorkerPath} %)`);
  }
  console.log(`App peak memory: ${report.memory.peakMiB} MiB`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
