import { describe, expect, it } from "vitest";
import * as health from "~/routes/healthz";
import * as language from "~/routes/language";
import { invoke, makeRequest } from "../support/world";

describe("/healthz", () => {
  it("reports the database as ok", async () => {
    const result = await invoke(health.loader, makeRequest("/healthz"));
    expect(result.status).toBe(200);
    expect(result.response?.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await result.response?.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});

describe("language switch", () => {
  it("sets the lng cookie and goes back to a same-site page only", async () => {
    const ok = await invoke(language.action, makeRequest("/language", { form: { lang: "cy", redirectTo: "/sign-in" } }));
    expect(ok.location).toBe("/sign-in");
    expect(ok.response!.headers.get("Set-Cookie")).toMatch(/^lng=cy; Path=\/; Max-Age=31536000; SameSite=Lax$/);
    const offsite = await invoke(language.action, makeRequest("/language", { form: { lang: "cy", redirectTo: "https://evil.example" } }));
    expect(offsite.location).toBe("/");
    const unknown = await invoke(language.action, makeRequest("/language", { form: { lang: "xx", redirectTo: "/" } }));
    expect(unknown.response!.headers.get("Set-Cookie")).toBeNull();
  });
});
