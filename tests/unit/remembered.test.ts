import { describe, expect, it } from "vitest";
import { rememberedAnswers } from "~/lib/remembered";

describe("remembered answers", () => {
  it("computes an answer once per key and gives it back after", () => {
    const answers = rememberedAnswers<string, number>(10);
    let computed = 0;
    const square = (n: number) => answers.get(String(n), () => (computed++, n * n));
    expect([square(3), square(4), square(3), square(4)]).toEqual([9, 16, 9, 16]);
    expect(computed).toBe(2);
    expect(answers.size).toBe(2);
  });

  it("keeps at most its limit, forgetting the least recently used first", () => {
    const answers = rememberedAnswers<string, string>(3);
    const computed: string[] = [];
    const ask = (key: string) => answers.get(key, () => (computed.push(key), key.toUpperCase()));
    for (const key of ["a", "b", "c"]) ask(key);
    ask("a"); // a is now the most recently used, b the least
    ask("d"); // b goes
    expect(answers.size).toBe(3);
    computed.length = 0;
    for (const key of ["a", "c", "d"]) ask(key);
    expect(computed).toEqual([]);
    expect(ask("b")).toBe("B");
    expect(computed).toEqual(["b"]);
  });

  it("does not remember an undefined answer", () => {
    const answers = rememberedAnswers<string, string | undefined>(3);
    let computed = 0;
    answers.get("x", () => (computed++, undefined));
    answers.get("x", () => (computed++, undefined));
    expect(computed).toBe(2);
    expect(answers.size).toBe(0);
  });
});
