import { describe, expect, it } from "vitest";
import { groupBy } from "~/lib/group";

describe("groupBy", () => {
  const rows = [
    { agency: "police", ref: "A-1" },
    { agency: "health", ref: "A-2" },
    { agency: "police", ref: "A-3" },
    { agency: "police", ref: "A-4" },
  ];

  it("keeps each key's rows in their order, and the keys in the order first seen", () => {
    const grouped = groupBy(rows, (r) => r.agency);
    expect([...grouped.keys()]).toEqual(["police", "health"]);
    expect(grouped.get("police")).toEqual([rows[0], rows[2], rows[3]]);
    expect(grouped.get("health")?.[0]).toBe(rows[1]);
    expect(grouped.get("housing")).toBeUndefined();
  });

  it("stores each row as the value function makes it", () => {
    expect(Object.fromEntries(groupBy(rows, (r) => r.agency, (r) => r.ref))).toEqual({ police: ["A-1", "A-3", "A-4"], health: ["A-2"] });
  });

  it("gives an empty map for no rows", () => {
    expect(groupBy([], () => "x").size).toBe(0);
  });
});
