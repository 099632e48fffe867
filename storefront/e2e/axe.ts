/**
 * Accessibility checks with axe-core (Deque's rules engine, the one browser devtools' audits use), run
 * inside the page under test: the package's own browser build is added to the page as a script, and
 * `axe.run` checks the document as it is at that moment (so a test checks each state it reaches:
 * a page, an open panel, a held seat). The rules are WCAG 2.0–2.2 A and AA plus axe's best practices;
 * a check passes when no violation is serious or critical, axe's two highest impacts (an unnamed
 * control, text below contrast, a missing label). Moderate and minor findings are returned too, for
 * tests that want them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, ImpactValue, Result, RunOptions } from "axe-core";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const BLOCKING: readonly ImpactValue[] = ["serious", "critical"];

export interface AxeFinding {
  rule: string;
  impact: ImpactValue | null;
  help: string;
  /** CSS selectors of the failing elements, with axe's summary of what is wrong with each. */
  nodes: { target: string; summary: string }[];
}

export interface AxeOptions {
  /**
   * Rules known to fail inside one region of the page, allowed there and only there (each entry says
   * which rule, where, and why it is not fixed here). The same rule anywhere else still fails.
   */
  knownInRegion?: { rule: string; selector: string }[];
}

/** Every violation axe finds in the page as it is now, most serious first. */
export async function runAxe(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const options: RunOptions = { runOnly: { type: "tag", values: RULE_TAGS }, resultTypes: ["violations"] };
  const results = await page.evaluate((runOptions) => (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResults> } }).axe.run(document, runOptions), options);
  const order: (ImpactValue | null)[] = ["critical", "serious", "moderate", "minor", null];
  return results.violations
    .map((violation: Result) => ({
      rule: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target.join(" "), summary: node.failureSummary ?? "" })),
    }))
    .sort((a, b) => order.indexOf(a.impact) - order.indexOf(b.impact));
}

/**
 * The serious and critical violations in the page as it is now, as readable lines ("color-contrast
 * (serious) Elements must meet minimum color contrast ratio thresholds: .badge-sale — Fix any of the
 * following: …"), so a test can `expect(await blockingViolations(page)).toEqual([])` and a failure
 * names what to fix.
 */
export async function blockingViolations(page: Page, options: AxeOptions = {}): Promise<string[]> {
  const findings = await runAxe(page);
  const lines: string[] = [];
  for (const finding of findings) {
    if (!finding.impact || !BLOCKING.includes(finding.impact)) continue;
    const known = (options.knownInRegion ?? []).filter((entry) => entry.rule === finding.rule);
    const nodes = [];
    for (const node of finding.nodes) {
      if (known.length > 0 && (await insideAny(page, node.target, known.map((entry) => entry.selector)))) continue;
      nodes.push(node);
    }
    for (const node of nodes) lines.push(`${finding.rule} (${finding.impact}) ${finding.help}: ${node.target} — ${node.summary.replace(/\s+/g, " ")}`);
  }
  return lines;
}

/** Whether the element axe names by `target` lies inside an element matching one of `selectors`. */
async function insideAny(page: Page, target: string, selectors: string[]): Promise<boolean> {
  return page.evaluate(
    ({ target, selectors }) => {
      const element = document.querySelector(target);
      return element !== null && selectors.some((selector) => element.closest(selector) !== null);
    },
    { target, selectors },
  );
}
