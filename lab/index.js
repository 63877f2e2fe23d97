// pairlab's own minimal JupyterLab 3.6 application: the core plugins a notebook user needs (file browser,
// notebooks, kernels, menus, command palette, settings, the light theme) and the MIME renderers. Built by
// scripts/lab.mjs with webpack.config.js; served by Debian's jupyterlab_server (LabServerApp), which
// writes the page config into templates/index.html. PAIRLAB_LAB_VARIANT (a webpack define) selects the
// build: "plain" (charts use their text/html fallback) or "plotly" (adds the npm jupyterlab-plotly
// renderer for application/vnd.plotly.v1+json). Federated (prebuilt) extensions are not loaded: this
// build has no module-federation host, so the page config's federated_extensions list is ignored.
import { JupyterLab } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";

import "@jupyterlab/application-extension/style/index.js";
import "@jupyterlab/apputils-extension/style/index.js";
import "@jupyterlab/codemirror-extension/style/index.js";
import "@jupyterlab/completer-extension/style/index.js";
import "@jupyterlab/console-extension/style/index.js";
import "@jupyterlab/docmanager-extension/style/index.js";
import "@jupyterlab/filebrowser-extension/style/index.js";
import "@jupyterlab/javascript-extension/style/index.js";
import "@jupyterlab/json-extension/style/index.js";
import "@jupyterlab/launcher-extension/style/index.js";
import "@jupyterlab/mainmenu-extension/style/index.js";
import "@jupyterlab/notebook-extension/style/index.js";
import "@jupyterlab/rendermime-extension/style/index.js";
import "@jupyterlab/running-extension/style/index.js";
import "@jupyterlab/shortcuts-extension/style/index.js";
import "@jupyterlab/statusbar-extension/style/index.js";
import "@jupyterlab/tooltip-extension/style/index.js";
import "@jupyterlab/translation-extension/style/index.js";

/* global PAIRLAB_LAB_VARIANT */

function pluginModules() {
  return [
    require("@jupyterlab/application-extension"),
    require("@jupyterlab/apputils-extension"),
    require("@jupyterlab/codemirror-extension"),
    require("@jupyterlab/completer-extension"),
    require("@jupyterlab/console-extension"),
    require("@jupyterlab/docmanager-extension"),
    require("@jupyterlab/filebrowser-extension"),
    require("@jupyterlab/launcher-extension"),
    require("@jupyterlab/mainmenu-extension"),
    require("@jupyterlab/notebook-extension"),
    require("@jupyterlab/rendermime-extension"),
    require("@jupyterlab/running-extension"),
    require("@jupyterlab/shortcuts-extension"),
    require("@jupyterlab/statusbar-extension"),
    require("@jupyterlab/theme-light-extension"),
    require("@jupyterlab/tooltip-extension"),
    require("@jupyterlab/translation-extension"),
  ];
}

function mimeExtensions() {
  const list = [require("@jupyterlab/javascript-extension"), require("@jupyterlab/json-extension")];
  if (PAIRLAB_LAB_VARIANT === "plotly") list.push(require("jupyterlab-plotly/lib/plotly-renderer.js"));
  return list.map((m) => m.default ?? m);
}

// Offline by design: the news plugin asks the user whether to fetch Jupyter news from the internet.
const OFFLINE_IGNORED = ["@jupyterlab/apputils-extension:announcements"];

async function main() {
  const lab = new JupyterLab({ mimeExtensions: mimeExtensions() });
  const ignored = new Set(PageConfig.getOption("disabledExtensions") ? JSON.parse(PageConfig.getOption("disabledExtensions")) : []);
  lab.registerPluginModules(pluginModules());
  // Plugins named in the page config's disabledExtensions are skipped, as in JupyterLab.
  await lab.start({ ignorePlugins: [...ignored, ...OFFLINE_IGNORED] });
  await lab.restored;
  // Tests and users can reach the running application, as JupyterLab's own `exposeAppInBrowser` does.
  window.jupyterapp = lab;
  document.body.dataset.pairlabLab = PAIRLAB_LAB_VARIANT;
}

main().catch((error) => {
  console.error("pairlab lab: startup failed", error);
  document.body.textContent = `pairlab's JupyterLab failed to start: ${error}`;
});
