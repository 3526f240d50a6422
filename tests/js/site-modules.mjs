// Loaded with `node --import` by tests/test_js_units.py: the site's scripts are ES modules
// in .js files with no package.json (the browser needs none), so tell older Node versions
// (before module-syntax detection, Node < 20.19) to load docs/assets/js/**/*.js as modules.
import {register} from "node:module";

register("data:text/javascript," + encodeURIComponent(`
  export async function load(url, context, next) {
    if (url.startsWith("file:") && url.includes("/docs/assets/js/") && url.endsWith(".js")) {
      return next(url, {...context, format: "module"});
    }
    return next(url, context);
  }`));
