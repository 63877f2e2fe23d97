// webpack configuration of pairlab's JupyterLab build (see index.js). Written for this project; the
// loaders cover what JupyterLab 3.6's packages import: CSS (with url() images and fonts), SVG icons
// imported from JS as source text, JSON. `--env variant=plain|plotly --env output=<dir>`.
const path = require("path");
const webpack = require("webpack");

module.exports = (env = {}) => {
  const variant = env.variant === "plotly" ? "plotly" : "plain";
  return {
    mode: "production",
    context: __dirname,
    entry: { main: "./index.js" },
    output: {
      path: path.resolve(env.output || path.join(__dirname, "..", ".cache", "lab", variant, "static")),
      filename: "[name].js",
      chunkFilename: "[name].[contenthash].js",
      publicPath: "auto",
      clean: true,
    },
    devtool: false,
    // Minifying ~10 MB of JupyterLab costs minutes on a small CI machine and buys nothing on 127.0.0.1.
    optimization: { minimize: false },
    performance: { hints: false },
    resolve: {
      fallback: { path: require.resolve("path-browserify"), url: false, buffer: false, crypto: false, fs: false },
      // The renderer imports plotly.js/dist/plotly (unminified, 10 MB); the minified build is the same code.
      alias: { "plotly.js/dist/plotly": require.resolve("plotly.js/dist/plotly.min.js") },
    },
    module: {
      rules: [
        { test: /\.css$/, use: [require.resolve("style-loader"), require.resolve("css-loader")] },
        { test: /\.svg$/, issuer: /\.css$/, type: "asset/inline" },
        { test: /\.svg$/, issuer: /\.[cm]?js$/, type: "asset/source" },
        { test: /\.(png|jpe?g|gif|ico|woff2?|ttf|eot|otf)$/, type: "asset/resource" },
        { test: /\.md$/, type: "asset/source" },
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
      ],
    },
    plugins: [
      new webpack.DefinePlugin({ PAIRLAB_LAB_VARIANT: JSON.stringify(variant), "process.env.NODE_ENV": JSON.stringify("production") }),
      new webpack.ProvidePlugin({ process: require.resolve("process/browser") }),
    ],
  };
};
