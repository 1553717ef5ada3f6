import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/**
 * A headless Chromium from npm (@sparticuz/chromium, unpacked to the temp directory on first use),
 * driven by playwright-core: no browser download step and no system package to install.
 * @example const browser = await launchChromium(); try { … } finally { await browser.close(); }
 */
export async function launchChromium(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
}
