// Copies the front-end packages we serve from node_modules into agora/static/vendor,
// so whitenoise serves them from our own origin (nothing from a CDN).
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "agora", "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
  // The self-contained build (three.js inside): one file, an ES module.
  "@google/model-viewer/dist/model-viewer.min.js": "model-viewer.min.js",
  "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
  // Only the browser tests load axe; it is served like the rest so tests need no network.
  "axe-core/axe.min.js": "axe.min.js",
};
mkdirSync(vendor, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  cpSync(join(root, "node_modules", from), join(vendor, to));
  console.log(`assets: ${from} -> agora/static/vendor/${to}`);
}
