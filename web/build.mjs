// Builds the OAuth UI (public/) and the widgets (widgets-dist/) from web/ with esbuild, offline
// and deterministically. Run through scripts/build-web.sh; see web/README.md.
//
//   node web/build.mjs            build into public/ and widgets-dist/
//   node web/build.mjs --check    build into a temporary folder and compare with the committed output
//
// Widgets are found by convention: web/widgets/<id>/main.tsx -> widgets-dist/<id>.js, and
// web/widgets/<id>/styles.css -> widgets-dist/<id>.css. In widgets-dist/ only those files and
// manifest.json are the build's; anything else there (a prebuilt widget) is neither checked nor removed.
//   node web/build.mjs --typecheck  also run tsc on web/ (needs Debian's node-typescript)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NODE_PATH = process.env.WEB_NODE_PATH || "/usr/share/nodejs";
const ESBUILD = process.env.ESBUILD || "esbuild";
const args = new Set(process.argv.slice(2));
const CHECK = args.has("--check");
const TYPECHECK = args.has("--typecheck");
const OUTPUTS = ["public", "widgets-dist"];

/** Import map specifier → facade entry in web/vendor/ (output name prefix). */
const VENDOR = [
  { specifier: "react", name: "react", file: "web/vendor/react.js" },
  { specifier: "react/jsx-runtime", name: "react-jsx-runtime", file: "web/vendor/react-jsx-runtime.js" },
  { specifier: "react-dom", name: "react-dom", file: "web/vendor/react-dom.js" },
  { specifier: "react-dom/client", name: "react-dom-client", file: "web/vendor/react-dom-client.js" },
];

const COMMON = ["--preserve-symlinks", "--bundle", "--minify", "--target=es2020", "--legal-comments=none", "--log-level=warning", "--charset=ascii"];

function fail(message) {
  console.error(`build-web: ${message}`);
  process.exit(1);
}

/**
 * esbuild hashes the paths of a bundle's inputs relative to its working directory, so building
 * from the checkout would make the asset names depend on where the repository lives
 * (`../../usr/share/nodejs/react/...`). It runs instead in a folder of the build's own with two
 * links, kept as links by `--preserve-symlinks`: `web` to the sources and `node_modules` to the
 * packages, so every input has the same path on every machine.
 */
let sourceRoot = ROOT;

function linkSourceRoot(work) {
  sourceRoot = path.join(work, "src");
  fs.mkdirSync(sourceRoot);
  fs.symlinkSync(path.join(ROOT, "web"), path.join(sourceRoot, "web"));
  fs.symlinkSync(path.resolve(NODE_PATH), path.join(sourceRoot, "node_modules"));
}

function esbuild(argv, options = {}) {
  try {
    return execFileSync(ESBUILD, argv, {
      cwd: sourceRoot,
      env: { ...process.env, NODE_PATH },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      ...options,
    });
  } catch (error) {
    fail(`esbuild failed (${argv.join(" ")})`);
  }
}

function sha256(data, encoding = "hex") {
  return createHash("sha256").update(data).digest(encoding);
}

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(full, base));
    else files.push(path.relative(base, full).split(path.sep).join("/"));
  }
  return files;
}

/** The facades must name every export of the installed package, or the SDK could miss one. */
function checkVendorFacades() {
  const specifiers = VENDOR.map((vendor) => vendor.specifier);
  let exports;
  try {
    // A child process, because Node reads NODE_PATH only at start.
    exports = JSON.parse(
      execFileSync(
        process.execPath,
        ["-e", `console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((s) => Object.keys(require(s)))))`],
        { env: { ...process.env, NODE_PATH, NODE_ENV: "production" }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
      ),
    );
  } catch (error) {
    fail(`cannot load React from ${NODE_PATH} (install node-react and node-react-dom): ${error.stderr || error.message}`);
  }
  VENDOR.forEach((vendor, index) => {
    const exported = exports[index].filter((name) => name !== "default").sort();
    const source = fs.readFileSync(path.join(ROOT, vendor.file), "utf8");
    const block = /export const \{([^}]*)\}/.exec(source);
    const listed = block ? block[1].split(",").map((name) => name.trim()).filter(Boolean).sort() : [];
    if (JSON.stringify(listed) !== JSON.stringify(exported)) {
      fail(`${vendor.file} does not list the exports of the installed ${vendor.specifier}: expected ${exported.join(", ")}`);
    }
  });
}

function esbuildVersion() {
  return esbuild(["--version"]).trim();
}

function buildOAuth(stage, work) {
  const assets = path.join(stage, "public", "assets");
  const metaJs = path.join(work, "oauth-js.meta.json");
  esbuild([
    ...COMMON,
    "--format=esm",
    "--splitting",
    "--jsx=automatic",
    "--define:process.env.NODE_ENV=\"production\"",
    "--entry-names=[name]-[hash]",
    "--chunk-names=chunk-[hash]",
    `--outdir=${assets}`,
    `--metafile=${metaJs}`,
    "app=web/oauth/main.tsx",
    ...VENDOR.map((vendor) => `${vendor.name}=${vendor.file}`),
  ]);
  const metaCss = path.join(work, "oauth-css.meta.json");
  esbuild([...COMMON, "--entry-names=app-[hash]", `--outdir=${assets}`, `--metafile=${metaCss}`, "web/oauth/styles.css"]);

  const outputs = {
    ...JSON.parse(fs.readFileSync(metaJs, "utf8")).outputs,
    ...JSON.parse(fs.readFileSync(metaCss, "utf8")).outputs,
  };
  const byEntry = {};
  for (const [file, output] of Object.entries(outputs)) {
    if (output.entryPoint) byEntry[output.entryPoint] = { url: `/assets/${path.basename(file)}`, output };
  }
  const app = byEntry["web/oauth/main.tsx"];
  const css = byEntry["web/oauth/styles.css"];
  if (!app || !css) fail("esbuild did not report the app entry points");

  const imports = {};
  for (const vendor of VENDOR.slice().sort((a, b) => (a.specifier < b.specifier ? -1 : 1))) {
    const built = byEntry[vendor.file];
    if (!built) fail(`esbuild did not report ${vendor.file}`);
    imports[vendor.specifier] = built.url;
  }
  const importMap = JSON.stringify({ imports });
  const preloads = app.output.imports
    .filter((entry) => entry.kind === "import-statement" && !entry.external)
    .map((entry) => `/assets/${path.basename(entry.path)}`)
    .sort()
    .map((url) => `<link rel="modulepreload" href="${url}">`)
    .join("\n");

  const template = fs.readFileSync(path.join(ROOT, "web/oauth/index.html"), "utf8");
  const html = template
    .replace("{{APP_CSS}}", css.url)
    .replace("{{IMPORT_MAP}}", importMap)
    .replace("{{MODULE_PRELOADS}}", preloads)
    .replace("{{APP_JS}}", app.url);
  if (/\{\{[A-Z_]+\}\}/.test(html)) fail("web/oauth/index.html has a placeholder the build does not fill");
  fs.writeFileSync(path.join(stage, "public", "index.html"), html);
  return { importMap, importMapHash: `sha256-${sha256(importMap, "base64")}` };
}

const WIDGETS_SOURCE = "web/widgets";
const WIDGET_ID = /^[a-z][a-z0-9-]*$/;
const WIDGETS_MANIFEST = "manifest.json";

/**
 * The widgets of web/widgets/: every folder with a main.tsx is one, named by the folder (the
 * widget id of the app manifest). Folders without main.tsx (shared/) are modules, not widgets.
 */
function widgetSources() {
  const widgets = [];
  const folder = path.join(ROOT, WIDGETS_SOURCE);
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || !fs.existsSync(path.join(folder, entry.name, "main.tsx"))) continue;
    if (!WIDGET_ID.test(entry.name)) {
      fail(`${WIDGETS_SOURCE}/${entry.name}/main.tsx: "${entry.name}" is not a widget id (a-z, 0-9 and "-", starting with a letter)`);
    }
    const css = `${WIDGETS_SOURCE}/${entry.name}/styles.css`;
    widgets.push({ id: entry.name, entry: `${WIDGETS_SOURCE}/${entry.name}/main.tsx`, css: fs.existsSync(path.join(ROOT, css)) ? css : null });
  }
  return widgets;
}

/** widgets-dist/<id>.js (an IIFE) and <id>.css for each widget, and manifest.json listing them. */
function buildWidgets(stage) {
  const dist = path.join(stage, "widgets-dist");
  fs.mkdirSync(dist, { recursive: true });
  const widgets = widgetSources();
  if (widgets.length === 0) fail(`no widget in ${WIDGETS_SOURCE}/ (a folder with main.tsx)`);
  for (const widget of widgets) {
    esbuild([...COMMON, "--format=iife", "--jsx-factory=h", `--outfile=${path.join(dist, `${widget.id}.js`)}`, widget.entry]);
    if (widget.css) esbuild([...COMMON, `--outfile=${path.join(dist, `${widget.id}.css`)}`, widget.css]);
  }
  const manifest = { esbuild: esbuildVersion(), files: {} };
  for (const name of listFiles(dist)) {
    const data = fs.readFileSync(path.join(dist, name));
    const text = data.toString("utf8");
    // The server inlines the script into a <script> element and the style into a <style> element.
    if (name.endsWith(".js") && /<\/script|<!--/i.test(text)) fail(`${name} contains "</script" or "<!--" and cannot be inlined`);
    if (name.endsWith(".css") && /<\/style|<!--/i.test(text)) fail(`${name} contains "</style" or "<!--" and cannot be inlined`);
    manifest.files[name] = { bytes: data.length, sha256: sha256(data), sha256_base64: sha256(data, "base64") };
  }
  fs.writeFileSync(path.join(dist, WIDGETS_MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
}

/**
 * The files of a folder this build owns. public/: all of them. widgets-dist/: what the sources
 * build, manifest.json, and what the committed manifest.json lists (built once, so a file the
 * sources no longer build is still ours); any other file there is a prebuilt bundle someone
 * dropped in, which the build neither checks nor removes.
 */
function ownedFiles(dir, builtNames) {
  const present = listFiles(path.join(ROOT, dir));
  if (dir !== "widgets-dist") return present;
  let listed = [];
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, dir, WIDGETS_MANIFEST), "utf8"));
    if (manifest && typeof manifest.files === "object") listed = Object.keys(manifest.files);
  } catch {
    // no manifest yet, or not JSON: only the built names are ours
  }
  const ours = new Set([...builtNames, WIDGETS_MANIFEST, ...listed]);
  return present.filter((name) => ours.has(name));
}

function typecheck() {
  for (const project of ["web/oauth/tsconfig.check.json", "web/widgets/tsconfig.check.json"]) {
    try {
      execFileSync("tsc", ["-p", project], { cwd: ROOT, stdio: "inherit" });
    } catch {
      fail(`tsc -p ${project} failed`);
    }
  }
}

function compare(stage) {
  const differences = [];
  for (const dir of OUTPUTS) {
    const built = new Set(listFiles(path.join(stage, dir)));
    const committed = new Set(ownedFiles(dir, built));
    for (const name of [...new Set([...built, ...committed])].sort()) {
      const rel = `${dir}/${name}`;
      if (!committed.has(name)) differences.push(`${rel}: missing (the sources build it)`);
      else if (!built.has(name)) differences.push(`${rel}: stale (the sources no longer build it)`);
      else if (!fs.readFileSync(path.join(stage, dir, name)).equals(fs.readFileSync(path.join(ROOT, dir, name)))) {
        differences.push(`${rel}: differs from what the sources build`);
      }
    }
  }
  return differences;
}

/** Replaces public/ entirely, and in widgets-dist/ only the files the build owns (ownedFiles). */
function install(stage) {
  for (const dir of OUTPUTS) {
    const target = path.join(ROOT, dir);
    fs.mkdirSync(target, { recursive: true });
    const built = listFiles(path.join(stage, dir));
    if (dir === "widgets-dist") {
      for (const name of ownedFiles(dir, built)) fs.rmSync(path.join(target, name), { force: true });
    } else {
      for (const entry of fs.readdirSync(target)) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    }
    fs.cpSync(path.join(stage, dir), target, { recursive: true });
  }
}

function report(stage) {
  const rows = [];
  for (const dir of OUTPUTS) {
    for (const name of listFiles(path.join(stage, dir))) {
      const data = fs.readFileSync(path.join(stage, dir, name));
      rows.push(`  ${`${dir}/${name}`.padEnd(52)} ${String(data.length).padStart(8)} B  gzip ${String(zlib.gzipSync(data, { level: 9 }).length).padStart(7)} B`);
    }
  }
  console.log(rows.join("\n"));
}

function main() {
  if (TYPECHECK) typecheck();
  checkVendorFacades();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "build-web-"));
  try {
    linkSourceRoot(work);
    const stage = path.join(work, "out");
    for (const dir of OUTPUTS) fs.mkdirSync(path.join(stage, dir), { recursive: true });
    const { importMapHash } = buildOAuth(stage, work);
    buildWidgets(stage);

    const readme = fs.readFileSync(path.join(ROOT, "web/README.md"), "utf8");
    const readmeCurrent = readme.includes(`'${importMapHash}'`);

    if (CHECK) {
      const differences = compare(stage);
      if (!readmeCurrent) differences.push(`web/README.md: does not name the import map hash '${importMapHash}'`);
      if (differences.length > 0) {
        console.error("build-web --check: the committed output does not match web/ sources:");
        for (const line of differences) console.error(`  ${line}`);
        console.error(`(built with esbuild ${esbuildVersion()}; run scripts/build-web.sh and commit the result)`);
        process.exit(1);
      }
      console.log("build-web --check: public/ and widgets-dist/ match the sources");
      return;
    }
    install(stage);
    report(stage);
    console.log(`import map CSP hash: '${importMapHash}'`);
    if (!readmeCurrent) console.warn(`build-web: warning: update the import map hash in web/README.md to '${importMapHash}'`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
