// Builds the page into dist/: index.html and hashed assets (esbuild bundles the
// JavaScript, the CSS it imports, Leaflet's CSS and images). `npm run build`.
import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, "assets"), { recursive: true });

const result = await build({
  absWorkingDir: here,
  entryPoints: { main: "src/main.js", baseline: "src/baseline.js" },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["chrome110", "firefox115", "safari16"],
  outdir: "dist/assets",
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  loader: { ".png": "file", ".svg": "file" },
  metafile: true,
  logLevel: "warning",
});

function outputs(entry) {
  const [file, output] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry);
  return { js: basename(file), css: output.cssBundle ? basename(output.cssBundle) : "" };
}

async function page(template, entry, target) {
  const { js, css } = outputs(entry);
  const html = (await readFile(join(here, template), "utf8")).replace("%JS%", js).replace("%CSS%", css);
  await writeFile(join(dist, target), html);
}

await page("index.html", "src/main.js", "index.html");
await page("baseline.html", "src/baseline.js", "assets/baseline.html");
console.log(`built ${Object.keys(result.metafile.outputs).length} files into dist/`);
