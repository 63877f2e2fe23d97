// Real-browser test of the dashboard notebook in classic Notebook 6 and in nbconvert HTML. Plain Node script
// run by `npm test`; prints one line per check and a final "browser: N passed, N failed" line.
//
// 1. The dashboard scenario of lib.mjs in Debian's Notebook 6 (127.0.0.1, random port and token, headless
//    Chromium with every request outside 127.0.0.1 blocked, autosave off): Run All, no error output, every
//    chart section drawn, the status panel moving by itself, chart outputs ≤ 1 MB, then F5 with the kernel
//    still running and Run All again: every chart draws again without the kernel resending plotly.js.
//    After the first run: screenshots to test-artifacts/screenshots/ (PAIRLAB_UPDATE_DOCS=1 also copies the
//    dashboard view to docs/dashboard.png), and a second Run All in the same page reusing the ingestion.
// 2. The nbconvert HTML of the executed dashboard (test-artifacts/executed/00_dashboard.ipynb) from a file:
//    URL with the network blocked: every chart renders offline.
// JupyterLab is covered by dashboard-lab.browser.mjs.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import {
  blockNetwork, check, checkSections, dashboardScenario, existsSync, finish, kernelEnv, launchBrowser, mkdirSync,
  notebook6, python, rmSync, root, runAll, scratchDir, shots, waitForCharts,
} from "./lib.mjs";

const notebook = "00_dashboard.ipynb";
const executed = join(root, "test-artifacts", "executed", notebook);

async function notebook6Extras(page) {
  mkdirSync(shots, { recursive: true });
  await notebook6.fullPageStyle(page);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(shots, "dashboard-full.png"), fullPage: true });
  // The "best" view for the README: from the status panel to the third chart.
  const box = await page.evaluate(() => {
    const status = document.querySelector(".pairlab-status").getBoundingClientRect();
    const charts = [...document.querySelectorAll(".pairlab-chart")];
    const last = charts[Math.min(charts.length - 1, 2)].getBoundingClientRect();
    return { y: status.top + window.scrollY - 40, bottom: last.bottom + window.scrollY + 10 };
  });
  const view = join(shots, "dashboard.png");
  await page.screenshot({ path: view, fullPage: true, clip: { x: 0, y: Math.max(0, box.y), width: 1280, height: Math.min(3000, box.bottom - box.y) } });
  const updateDocs = process.env.PAIRLAB_UPDATE_DOCS === "1";
  if (updateDocs) copyFileSync(view, join(root, "docs", "dashboard.png"));
  check("[notebook6] screenshots saved", existsSync(view), `test-artifacts/screenshots/dashboard{,-full}.png${updateDocs ? " → docs/dashboard.png" : ""}`);

  // Rerunning the whole notebook top to bottom in the same kernel must work too (redeclared constants,
  // the running ingestion reused, live loops replaced rather than doubled). The status panel's BTCUSDT trade
  // count is read by column header ("trades", not "trades/s" or a column index), and sampled in the page every
  // 250 ms during the rerun: a reused ingestion's count never goes down, while a restarted one would show its
  // own count (the replayed hour only), below the running one's.
  const readTrades = () => {
    const panel = document.querySelector(".pairlab-status");
    if (!panel) return NaN;
    const headers = [...panel.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    const column = headers.indexOf("trades");
    const row = [...panel.querySelectorAll("tbody tr")].find((r) => r.cells[0]?.textContent.trim() === "BTCUSDT");
    return column < 0 || !row ? NaN : Number(row.cells[column]?.textContent.replace(/,/g, "") ?? NaN);
  };
  const btcTrades = () => page.evaluate(`(${readTrades})()`);
  const tradesBefore = await btcTrades();
  await page.evaluate(`window.__pairlabTradeSamples = []; window.__pairlabTradeSampler = setInterval(() => window.__pairlabTradeSamples.push((${readTrades})()), 250)`);
  const rerun = await runAll(notebook6, page, "[notebook6] second Run All in the same page finished");
  const samples = await page.evaluate(() => {
    clearInterval(window.__pairlabTradeSampler);
    return window.__pairlabTradeSamples.filter(Number.isFinite);
  });
  if (rerun) {
    const errors = await notebook6.errors(page);
    check("[notebook6] second Run All: no error output", errors.length === 0, errors.join(" | "));
    checkSections("[notebook6] second Run All: ", await waitForCharts(notebook6, page), 5);
    const tradesAfter = await btcTrades();
    const counts = [tradesBefore, ...samples, tradesAfter];
    const drops = counts.filter((n, i) => i > 0 && n < counts[i - 1]).length;
    check(
      "[notebook6] second Run All reused the running ingestion (BTCUSDT trade count grew and never went down, no replayed history)",
      Number.isFinite(tradesBefore) && Number.isFinite(tradesAfter) && samples.length >= 10 && drops === 0 && tradesAfter > tradesBefore && tradesAfter - tradesBefore < 5000,
      `${tradesBefore} → ${tradesAfter} BTCUSDT trades; ${samples.length} samples during the rerun, ${drops} drops`,
    );
  }
}

async function renderNbconvertOffline(env) {
  const notebookPath = join(root, "notebooks", notebook);
  if (!existsSync(executed)) {
    const r = spawnSync(python, [join(root, "scripts", "run-notebooks.py"), notebookPath], { env, encoding: "utf8" });
    if (!check("[nbconvert] executed dashboard available", existsSync(executed), r.stdout.trim().split("\n").pop())) return;
  }
  const outDir = join(root, "test-artifacts", "html");
  mkdirSync(outDir, { recursive: true });
  const r = spawnSync(python, ["-m", "nbconvert", "--to", "html", executed, "--output-dir", outDir], { env, encoding: "utf8" });
  const html = join(outDir, "00_dashboard.html");
  if (!check("[nbconvert] HTML of the executed dashboard", r.status === 0 && existsSync(html), r.status === 0 ? "" : r.stderr.slice(-300))) return;
  const profile = scratchDir("pairlab-chromium-");
  let context;
  try {
    context = await launchBrowser(profile);
    const blocked = [];
    await blockNetwork(context, blocked);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pathToFileURL(html).href, { waitUntil: "load", timeout: 120_000 });
    const total = await page.$$eval(".pairlab-chart", (els) => els.length);
    await page
      .waitForFunction((n) => document.querySelectorAll(".pairlab-chart .js-plotly-plot .main-svg").length >= n, total, { timeout: 60_000 })
      .catch(() => undefined);
    const rendered = await page.$$eval(".pairlab-chart", (els) => els.filter((e) => e.querySelector(".js-plotly-plot .main-svg")).length);
    check("[nbconvert] HTML renders every chart offline", total >= 5 && rendered === total, `${rendered}/${total} charts; ${blocked.length} outside requests blocked`);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "nbconvert-dashboard.png"), fullPage: true });
  } finally {
    if (context) await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  await dashboardScenario(notebook6, { notebook, afterFirstRun: notebook6Extras });
  await renderNbconvertOffline(kernelEnv());
} catch (error) {
  check("browser test ran to completion", false, String(error?.stack ?? error).slice(0, 2000));
}
finish();
