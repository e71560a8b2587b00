// sign_page.mjs <signing_url> <viewport: phone|desktop>: opens a signer's link in Debian's
// Chromium (playwright-core), draws a signature on the pad with the pointer, fills the text field,
// checks the checkbox, keeps the pre-filled date, finishes, and prints one JSON line: what the page
// said, the console errors and CSP violations it logged, and whether it fitted the viewport.
import { chromium } from "playwright-core";

const [url, viewport = "desktop"] = process.argv.slice(2);
const phone = viewport === "phone";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const result = { errors: [] };
try {
  const context = await browser.newContext(phone
    ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
    : { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") result.errors.push(m.text()); });
  page.on("pageerror", (e) => result.errors.push(String(e)));
  await page.goto(url);
  const sigField = page.locator('.field[data-type="signature"]').first();
  await sigField.waitFor({ timeout: 20000 });
  result.title = await page.locator("#title").textContent();
  result.finish_disabled_before = await page.locator("#finish").isDisabled();
  await sigField.scrollIntoViewIfNeeded();
  await sigField.click();
  const canvas = page.locator("#sig-canvas");
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++)
    await page.mouse.move(box.x + box.width * (0.1 + 0.04 * i),
                          box.y + box.height * (0.6 - 0.3 * Math.sin(i / 3)));
  await page.mouse.up();
  await page.locator("#adopt").click();
  result.signature_shown = await sigField.locator("img").count() > 0;
  await page.locator('.field[data-type="text"] input').fill("ACME Ltd");
  await page.locator('.field[data-type="checkbox"] input').check();
  result.date_value = await page.locator('.field[data-type="date"] input').inputValue();
  result.overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth + 1);
  await page.locator("#finish").click();
  await page.locator("#done").waitFor({ state: "visible", timeout: 60000 });
  result.done = await page.locator("#done").textContent();
} catch (e) {
  result.failure = String(e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
