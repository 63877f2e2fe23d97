import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile, checkTree, importsOf, layerOf } from "./layers";

const SRC = join(__dirname, "..", "..", "src");

describe("layering (ARCHITECTURE.md)", () => {
  it("checkTree(src) finds no import pointing the wrong way and no unclassified folder", () => {
    expect(checkTree(SRC)).toEqual([]);
  });

  it("layerOf classifies folders, root files and planned folders", () => {
    expect(layerOf("errors.ts")).toBe("foundation");
    expect(layerOf("analytics/ols.ts")).toBe("maths");
    expect(layerOf("ingestion/tick-store.ts")).toBe("transport");
    expect(layerOf("pair/pair-analytics.ts")).toBe("pair");
    expect(layerOf("charts/show.ts")).toBe("rendering");
    expect(layerOf("export/csv.ts")).toBe("export");
    expect(layerOf("notebook/open-pair.ts")).toBe("notebook");
    expect(layerOf("backtest/x.ts")).toBe("maths");
    expect(layerOf("archive/x.ts")).toBe("data");
    expect(layerOf("alerts/x.ts")).toBe("services");
    expect(layerOf("nowhere/x.ts")).toBeUndefined();
  });

  it("importsOf finds static, type, dynamic, require and side-effect imports (relative only)", () => {
    const src = `import { a } from "../analytics";\nimport type { B } from './b';\nexport * from "../pair";\nconst c = await import("../charts");\nrequire("../export/csv");\nimport "../ingestion";\nimport ws from "ws";`;
    expect(importsOf(src).sort()).toEqual(["../analytics", "../charts", "../export/csv", "../ingestion", "../pair", "./b"]);
  });

  it("checkFile flags each wrong-way import (maths → rendering, export → charts, rendering → transport, pair → notebook)", () => {
    expect(checkFile("analytics/x.ts", `import { show } from "../charts";`)[0].reason).toBe("maths must not import rendering");
    expect(checkFile("export/x.ts", `import { escapeHtml } from "../charts/mime-bundle";`)[0].reason).toBe("export must not import rendering");
    expect(checkFile("charts/x.ts", `import type { Ingestion } from "../ingestion";`)[0].reason).toBe("rendering must not import transport");
    expect(checkFile("pair/x.ts", `import { openPair } from "../notebook";`)[0].reason).toBe("pair must not import notebook");
    expect(checkFile("analytics/x.ts", `import * as pl from "../index";`)[0].reason).toMatch(/package entry/);
    expect(checkFile("newarea/x.ts", ``)[0].reason).toMatch(/not in any layer/);
  });

  it("checkFile accepts the allowed directions (pair → analytics, charts → pair, notebook → everything)", () => {
    expect(checkFile("pair/x.ts", `import { rollingOls } from "../analytics";\nimport { TickStore } from "../ingestion";`)).toEqual([]);
    expect(checkFile("charts/x.ts", `import type { PairAnalytics } from "../pair";\nimport { parameterRangeError } from "../errors";`)).toEqual([]);
    expect(checkFile("notebook/x.ts", `import { show } from "../charts";\nimport { startIngestion } from "../ingestion";\nimport { exportCsv } from "../export";`)).toEqual([]);
  });
});
