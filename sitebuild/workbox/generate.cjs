// Writes the site's service worker with Workbox (workbox-build's generateSW).
// Called by sitebuild/sw.py after `mkdocs build`:
//   node generate.cjs <modules-dir> <options.json>
// options.json holds generateSW's options plus `runtimeCacheName` and `runtimePattern`
// (a RegExp source): the Python runtime is cached the first time it is used, not at
// install, so a plain read never downloads it.
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const [modulesDir, optionsFile] = process.argv.slice(2);
const { generateSW } = createRequire(path.join(modulesDir, "package.json"))("workbox-build");
const { runtimeCacheName, runtimePattern, ...options } = JSON.parse(fs.readFileSync(optionsFile, "utf8"));

generateSW({
  ...options,
  ignoreURLParametersMatching: [/.*/],  // ?slides, ?presenter... are the same page
  runtimeCaching: [{
    urlPattern: new RegExp(runtimePattern),
    handler: "CacheFirst",
    options: { cacheName: runtimeCacheName },
  }],
}).then(({ count, size, warnings }) => {
  for (const w of warnings) console.error(`workbox: ${w}`);
  console.log(JSON.stringify({ count, size }));
}).catch((err) => {
  console.error(`workbox: ${err.message}`);
  process.exit(1);
});
