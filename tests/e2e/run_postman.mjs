// Runs a Postman collection (file path or URL) with newman against a live server, the same as
// `newman run <collection> --env-var base_url=<url> --env-var bearer_token=<token>`, with the CLI
// reporter on stdout, and writes a summary JSON for the test to check.
// Usage: node run_postman.mjs <collection> <base_url> <bearer_token> <summary.json>
import { writeFileSync } from "node:fs";
import newman from "newman";

const [collection, baseUrl, token, summaryFile] = process.argv.slice(2);
if (!summaryFile) {
  console.error("usage: node run_postman.mjs <collection> <base_url> <bearer_token> <summary.json>");
  process.exit(2);
}

newman.run(
  {
    collection,
    envVar: [
      { key: "base_url", value: baseUrl },
      { key: "bearer_token", value: token },
    ],
    reporters: ["cli"],
    reporter: { cli: { noSummary: false, noBanner: true } },
    timeoutRequest: 60000,
  },
  (err, summary) => {
    if (err) {
      console.error("newman failed:", err);
      process.exit(2);
    }
    const stats = summary.run.stats;
    const byTest = {};
    const failures = [];
    for (const exec of summary.run.executions) {
      for (const a of exec.assertions ?? []) {
        const entry = (byTest[a.assertion] ??= { total: 0, failed: 0 });
        entry.total++;
        if (a.error) {
          entry.failed++;
          failures.push({
            item: exec.item?.name,
            url: exec.request?.url?.toString(),
            status: exec.response?.code,
            test: a.assertion,
            message: a.error.message,
          });
        }
      }
      if (exec.requestError)
        failures.push({ item: exec.item?.name, message: String(exec.requestError.message) });
    }
    const out = {
      requests: stats.requests.total,
      requests_failed: stats.requests.failed,
      assertions: stats.assertions.total,
      assertions_failed: stats.assertions.failed,
      by_test: byTest,
      failures,
    };
    writeFileSync(summaryFile, JSON.stringify(out, null, 2));
    process.exit(0);
  },
);
