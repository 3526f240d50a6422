/* The site's one entry module (mkdocs.yml: extra_javascript, type: module). Each module
 * sets itself up for every page; nothing is shared through globals. */
import "./math.js";
import "./a11y.js";
import "./demos.js";
import "./slides.js";
