// Copies the front-end packages we serve from node_modules into agora/static/vendor,
// so whitenoise serves them from our own origin (nothing from a CDN).
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "agora", "static", "vendor");
const files = {
  "htmx.org/dist/htmx.min.js": "htmx.min.js",
};
mkdirSync(vendor, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  cpSync(join(root, "node_modules", from), join(vendor, to));
  console.log(`assets: ${from} -> agora/static/vendor/${to}`);
}
