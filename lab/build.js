// Builds one variant of pairlab's JupyterLab into an output folder laid out the way LabServerApp serves it:
//   <out>/static     webpack bundle (main.js + chunks)            -> LabServerApp.static_dir
//   <out>/schemas    settings schemas of every core extension     -> LabServerApp.schemas_dir
//   <out>/themes     the light theme's CSS and assets             -> LabServerApp.themes_dir
//   <out>/templates  index.html                                   -> LabServerApp.templates_dir
// Usage: node lab/build.js <plain|plotly> <out>. Run by scripts/lab.mjs (which decides when to rebuild).
const fs = require("fs");
const path = require("path");
const webpack = require("webpack");
const configure = require("./webpack.config.js");

const [variant, out] = process.argv.slice(2);
if (!["plain", "plotly"].includes(variant) || !out) {
  console.error("usage: node lab/build.js <plain|plotly> <output folder>");
  process.exit(2);
}
const deps = Object.keys(require("./package.json").dependencies);

function copyDir(from, to, rename = {}) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyDir(source, path.join(to, entry.name));
    else fs.copyFileSync(source, path.join(to, rename[entry.name] ?? entry.name));
  }
}

function copyAssets() {
  for (const name of deps) {
    const dir = path.dirname(require.resolve(`${name}/package.json`));
    const meta = require(`${name}/package.json`);
    const lab = meta.jupyterlab ?? {};
    if (lab.schemaDir) {
      // LabServerApp reads <schemas>/<package>/<plugin>.json and the version from package.json.orig.
      const target = path.join(out, "schemas", name);
      copyDir(path.join(dir, lab.schemaDir), target);
      fs.writeFileSync(path.join(target, "package.json.orig"), JSON.stringify(meta, null, 2));
    }
    if (lab.themePath) {
      // The theme manager loads <themes>/<package>/index.css.
      copyDir(path.join(dir, path.dirname(lab.themePath)), path.join(out, "themes", name), { [path.basename(lab.themePath)]: "index.css" });
    }
  }
  copyDir(path.join(__dirname, "templates"), path.join(out, "templates"));
}

const started = Date.now();
fs.rmSync(path.join(out, "schemas"), { recursive: true, force: true });
fs.rmSync(path.join(out, "themes"), { recursive: true, force: true });
copyAssets();
webpack(configure({ variant, output: path.join(out, "static") }), (error, stats) => {
  if (error || stats.hasErrors()) {
    console.error(error ?? stats.toString({ all: false, errors: true, errorDetails: true }));
    process.exit(1);
  }
  const assets = stats.toJson({ all: false, assets: true }).assets;
  const bytes = assets.reduce((n, a) => n + a.size, 0);
  console.log(`pairlab lab: built variant '${variant}' in ${((Date.now() - started) / 1000).toFixed(1)} s (${assets.length} files, ${(bytes / 1e6).toFixed(1)} MB) -> ${out}`);
});
