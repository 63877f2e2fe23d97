import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  displayBundle,
  findKernelWriter,
  plotlyInit,
  resetPlotlySession,
  showFigure,
  spreadFigure,
  PLOTLY_MIME,
  type DisplayContent,
} from "../../src/charts";

function recorder(): { writer: (c: DisplayContent, u: boolean) => void; calls: { content: DisplayContent; update: boolean }[] } {
  const calls: { content: DisplayContent; update: boolean }[] = [];
  return { calls, writer: (content, update) => calls.push({ content, update }) };
}

const fig = spreadFigure([0, 1000], [1, 2]);

describe("findKernelWriter", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairlab-tslab-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("findKernelWriter() is null outside a kernel", () => {
    expect(findKernelWriter()).toBeNull();
  });

  it("findKernelWriter() picks the loaded tslab copy whose writer is set, not an idle second copy", () => {
    // Two copies of tslab/dist/jupyter.js, as when a global tslab kernel and a local node_modules copy coexist.
    const idle = join(dir, "a", "node_modules", "tslab", "dist");
    const kernel = join(dir, "b", "node_modules", "tslab", "dist");
    for (const d of [idle, kernel]) mkdirSync(d, { recursive: true });
    writeFileSync(join(idle, "jupyter.js"), "exports.lastWriteDisplayData = null;\n");
    writeFileSync(join(kernel, "jupyter.js"), "exports.lastWriteDisplayData = function (data, update) { exports.seen.push([data, update]); };\nexports.seen = [];\n");
    const req = createRequire(join(dir, "x.js"));
    req(join(idle, "jupyter.js"));
    const kernelModule = req(join(kernel, "jupyter.js")) as { seen: unknown[] };
    const writer = findKernelWriter();
    expect(writer).not.toBeNull();
    displayBundle({ "text/plain": "hi", "text/html": "<b>hi</b>" }, { displayId: "d1" });
    expect(kernelModule.seen).toEqual([[{ data: { "text/plain": "hi", "text/html": "<b>hi</b>" }, metadata: {}, transient: { display_id: "d1" } }, false]]);
    // Unload the fake kernel so other tests see "no kernel" again.
    delete req.cache[join(kernel, "jupyter.js")];
    delete req.cache[join(idle, "jupyter.js")];
    expect(findKernelWriter()).toBeNull();
  });
});

describe("displayBundle fallbacks", () => {
  const dir = mkdtempSync(join(tmpdir(), "pairlab-tslab-public-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("displayBundle without the internal writer uses the kernel's public tslab display.html", () => {
    const pub = join(dir, "node_modules", "tslab", "dist");
    mkdirSync(pub, { recursive: true });
    writeFileSync(join(pub, "public.js"), "exports.seen = []; exports.display = { html: (s) => exports.seen.push(['html', s]), text: (s) => exports.seen.push(['text', s]) };\n");
    const req = createRequire(join(dir, "x.js"));
    const mod = req(join(pub, "public.js")) as { seen: unknown[] };
    try {
      expect(displayBundle({ "text/plain": "t", "text/html": "<b>h</b>" })).toBe(false);
      expect(displayBundle({ "text/plain": "only text" })).toBe(false);
      expect(mod.seen).toEqual([["html", "<b>h</b>"], ["text", "only text"]]);
    } finally {
      delete req.cache[join(pub, "public.js")];
    }
  });
});

describe("displayBundle", () => {
  it("displayBundle(bundle) outside a kernel prints text/plain and returns false", () => {
    const spy = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(displayBundle({ "text/plain": "fallback text" })).toBe(false);
      expect(spy).toHaveBeenCalledWith("fallback text\n");
    } finally {
      spy.mockRestore();
    }
  });

  it("displayBundle(bundle, { update: true }) sends update_display_data with the display id", () => {
    const r = recorder();
    expect(displayBundle({ "text/plain": "x" }, { displayId: "abc", update: true, writer: r.writer })).toBe(true);
    expect(r.calls).toEqual([{ content: { data: { "text/plain": "x" }, metadata: {}, transient: { display_id: "abc" } }, update: true }]);
  });

  it("displayBundle(bundle, { update: true }) without displayId throws RangeError", () => {
    expect(() => displayBundle({ "text/plain": "x" }, { update: true, writer: recorder().writer })).toThrow(RangeError);
  });
});

describe("showFigure / plotlyInit", () => {
  it("showFigure injects plotly.js once per session, then sends only the figure bundle", () => {
    resetPlotlySession();
    const r = recorder();
    showFigure(fig, { writer: r.writer });
    showFigure(fig, { writer: r.writer });
    expect(r.calls.length).toBe(3);
    const [loader, first, second] = r.calls.map((c) => c.content.data);
    expect(loader["text/html"]).toContain("window.PlotlyConfig");
    expect(loader[PLOTLY_MIME]).toBeUndefined();
    for (const b of [first, second]) expect(Object.keys(b).sort()).toEqual([PLOTLY_MIME, "text/html", "text/plain"].sort());
    expect(plotlyInit({ writer: r.writer })).toBe(false);
    expect(plotlyInit({ writer: r.writer, force: true })).toBe(true);
    resetPlotlySession();
  });

  it("plotlyInit() outside a kernel sends nothing and does not mark the session", () => {
    resetPlotlySession();
    expect(plotlyInit({ writer: null })).toBe(false);
    const r = recorder();
    expect(plotlyInit({ writer: r.writer })).toBe(true);
    resetPlotlySession();
  });
});
