import { describe, expect, it } from "vitest";
import { memoInRequest, runInRequestScope } from "~/lib/request-scope.server";

describe("request scope", () => {
  it("computes a value once per request, across awaits and parallel callers", async () => {
    let calls = 0;
    const make = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 5));
      return { id: calls };
    };
    const [a, b, c] = await runInRequestScope(async () => {
      const first = memoInRequest("user:t1", make);
      await new Promise((r) => setTimeout(r, 1));
      return Promise.all([first, memoInRequest("user:t1", make), memoInRequest("user:t1", make)]);
    });
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it("runs a lazy query once, though each await of the query itself would run it again", async () => {
    // Like a drizzle query builder: a thenable that queries whenever it is awaited.
    let queries = 0;
    const query: PromiseLike<number[]> = { then: (onFulfilled, onRejected) => Promise.resolve([++queries]).then(onFulfilled, onRejected) };
    const [a, b] = await runInRequestScope(async () => [await memoInRequest("area:1", () => query), await memoInRequest("area:1", () => query)]);
    expect(queries).toBe(1);
    expect([a, b]).toEqual([[1], [1]]);
  });

  it("keeps requests apart and keys apart", async () => {
    let calls = 0;
    const make = async () => ++calls;
    const one = await runInRequestScope(() => memoInRequest("k", make));
    const two = await runInRequestScope(() => memoInRequest("k", make));
    const other = await runInRequestScope(async () => [await memoInRequest("a", make), await memoInRequest("b", make)]);
    expect([one, two, ...other]).toEqual([1, 2, 3, 4]);
  });

  it("computes every time outside a request scope", async () => {
    let calls = 0;
    await memoInRequest("k", async () => ++calls);
    await memoInRequest("k", async () => ++calls);
    expect(calls).toBe(2);
  });
});
