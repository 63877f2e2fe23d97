// Real-browser test of the dashboard notebook in JupyterLab 3.6: pairlab's own Lab build (lab/, built by
// scripts/lab.mjs into .cache/lab/<variant>, reused while unchanged) served by Debian's jupyterlab_server.
// Runs lib.mjs's dashboard scenario in both variants:
//   plain  — no Plotly extension: charts draw through their text/html fallback (trusted outputs of the
//            current session), loading plotly.js from the kernelspec folder after a reload; also in a second tab;
//   plotly — with the npm jupyterlab-plotly renderer: charts draw from application/vnd.plotly.v1+json.
// PAIRLAB_LAB_VARIANTS=plain (or plotly) runs one variant only. With PAIRLAB_UPDATE_DOCS=1 the plain variant's dashboard view is copied to docs/jupyterlab.png.
// Prints one line per check and a final "browser: N passed, N failed" line.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { ensureLabBuild, labServerCommand, labVariants } from "../../scripts/lab.mjs";
import { check, dashboardScenario, existsSync, finish, jupyterLab, mkdirSync, root, shots } from "./lib.mjs";

async function labScreenshot(page) {
  mkdirSync(shots, { recursive: true });
  const view = join(shots, "jupyterlab.png");
  await page.setViewportSize({ width: 1400, height: 1500 });
  await page.evaluate(() => {
    window.jupyterapp.shell.collapseLeft();
    const status = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .pairlab-status");
    status?.closest(".jp-Cell")?.scrollIntoView({ block: "start" });
  });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: view });
  await page.setViewportSize({ width: 1280, height: 900 });
  const updateDocs = process.env.PAIRLAB_UPDATE_DOCS === "1";
  if (updateDocs) copyFileSync(view, join(root, "docs", "jupyterlab.png"));
  check("[lab-plain] screenshot saved", existsSync(view), `test-artifacts/screenshots/jupyterlab.png${updateDocs ? " → docs/jupyterlab.png" : ""}`);
}

try {
  const only = process.env.PAIRLAB_LAB_VARIANTS?.split(",").filter(Boolean);
  for (const variant of labVariants.filter((v) => !only || only.includes(v))) {
    const started = Date.now();
    const dir = ensureLabBuild(variant);
    check(`[lab-${variant}] JupyterLab build available`, existsSync(join(dir, "static", "main.js")), `${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await dashboardScenario(jupyterLab(variant, labServerCommand), {
      afterFirstRun: variant === "plain" ? labScreenshot : async (page) => {
        const widgets = await page.$$eval(".jp-RenderedPlotly", (els) => els.length);
        const fallbacks = await page.$$eval(".pairlab-chart", (els) => els.length);
        check("[lab-plotly] charts are drawn by the jupyterlab-plotly renderer, not the HTML fallback", widgets >= 5 && fallbacks === 0, `${widgets} .jp-RenderedPlotly, ${fallbacks} .pairlab-chart`);
      },
      secondTab: variant === "plain",
    });
  }
} catch (error) {
  check("browser test ran to completion", false, String(error?.stack ?? error).slice(0, 2000));
}
finish();
