/**
 * One page (tab) of headless Chromium over test/support/cdp.ts, with what a test of a form needs:
 * navigate and wait for the load, read the page, click like a mouse, type, set files on a file
 * input, answer dialogs, run with JavaScript off, and collect console errors and CSP reports.
 */
import { type CdpEvent, Chromium } from "./cdp.ts";

type Params = Record<string, unknown>;

export class CdpPage {
  /** Console errors, uncaught exceptions and errors the browser logged (CSP violations among them). */
  readonly problems: string[] = [];
  /** The text of every dialog (alert, confirm) the page opened, each accepted. */
  readonly dialogs: string[] = [];
  private readonly stop: () => void;

  private constructor(
    private readonly browser: Chromium,
    private readonly targetId: string,
    readonly sessionId: string,
  ) {
    this.stop = browser.onEvent((event) => this.observe(event));
  }

  static async open(browser: Chromium): Promise<CdpPage> {
    const { targetId } = (await browser.send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
    const { sessionId } = (await browser.send("Target.attachToTarget", { targetId, flatten: true })) as {
      sessionId: string;
    };
    const page = new CdpPage(browser, targetId, sessionId);
    for (const domain of ["Page", "Runtime", "Log", "Network"]) await page.send(`${domain}.enable`);
    return page;
  }

  send(method: string, params: Params = {}): Promise<Params> {
    return this.browser.send(method, params, this.sessionId);
  }

  /** Resolves with the first event of this page that matches. */
  event(method: string, timeoutMs: number, match: (params: Params) => boolean = () => true): Promise<CdpEvent> {
    return this.browser.waitForEvent(
      (e) => e.sessionId === this.sessionId && e.method === method && match(e.params),
      timeoutMs,
      method,
    );
  }

  /** Runs action and waits for the page it leads to (or reloads) to fire its load event. */
  async loads(action: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
    const loaded = this.event("Page.loadEventFired", timeoutMs);
    await action();
    await loaded;
  }

  async goto(url: string): Promise<void> {
    await this.loads(async () => {
      const navigation = (await this.send("Page.navigate", { url })) as { errorText?: string };
      if (navigation.errorText) throw new Error(`navigating to ${url}: ${navigation.errorText}`);
    });
  }

  /** An expression's value, by value (DevTools evaluation runs even with the page's scripts off). */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = (await this.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (answer.exceptionDetails !== undefined) {
      const { text, exception } = answer.exceptionDetails;
      throw new Error(`evaluating ${expression}: ${exception?.description ?? text}`);
    }
    return answer.result.value;
  }

  /** Evaluates expression every 50 ms until accept holds, for at most timeoutMs; the last value either way. */
  async poll<T>(expression: string, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate<T>(expression);
      if (accept(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The DOM node of the first element matching selector (fails when there is none). */
  async node(selector: string): Promise<number> {
    const { root } = (await this.send("DOM.getDocument", { depth: 0 })) as { root: { nodeId: number } };
    const { nodeId } = (await this.send("DOM.querySelector", { nodeId: root.nodeId, selector })) as { nodeId: number };
    if (nodeId === 0) throw new Error(`no element matches ${selector}`);
    return nodeId;
  }

  /** Whether the element matching selector takes up room on the page (not hidden, not display:none). */
  async visible(selector: string): Promise<boolean> {
    const nodeId = await this.node(selector);
    return this.send("DOM.getBoxModel", { nodeId }).then(() => true, () => false);
  }

  /** A left click at the middle of the element, as the mouse would (pressed, released). */
  async click(selector: string): Promise<void> {
    const nodeId = await this.node(selector);
    await this.send("DOM.scrollIntoViewIfNeeded", { nodeId });
    const { model } = (await this.send("DOM.getBoxModel", { nodeId })) as { model: { content: number[] } };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    const at = { x: (x1 + x3) / 2, y: (y1 + y3) / 2, button: "left", clickCount: 1 };
    await this.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: at.x, y: at.y });
    await this.send("Input.dispatchMouseEvent", { type: "mousePressed", ...at });
    await this.send("Input.dispatchMouseEvent", { type: "mouseReleased", ...at });
  }

  /** Focuses the element and types text into it. */
  async type(selector: string, text: string): Promise<void> {
    await this.send("DOM.focus", { nodeId: await this.node(selector) });
    await this.send("Input.insertText", { text });
  }

  /** Chooses files (absolute paths) on a file input, as the file picker would. */
  async setFiles(selector: string, files: readonly string[]): Promise<void> {
    await this.send("DOM.setFileInputFiles", { nodeId: await this.node(selector), files });
  }

  /** Turns the page's own scripts off or on (they stay off across navigations until turned on). */
  async scripts(enabled: boolean): Promise<void> {
    await this.send("Emulation.setScriptExecutionDisabled", { value: !enabled });
  }

  async close(): Promise<void> {
    this.stop();
    await this.browser.send("Target.closeTarget", { targetId: this.targetId }).catch(() => {});
  }

  private observe({ method, params, sessionId }: CdpEvent): void {
    if (sessionId !== this.sessionId) return;
    if (method === "Page.javascriptDialogOpening") {
      this.dialogs.push(String(params.message));
      void this.send("Page.handleJavaScriptDialog", { accept: true }).catch(() => {});
    } else if (method === "Runtime.exceptionThrown") {
      const details = params.exceptionDetails as { text: string; exception?: { description?: string } };
      this.problems.push(`exception: ${details.exception?.description ?? details.text}`);
    } else if (method === "Runtime.consoleAPICalled" && params.type === "error") {
      const args = params.args as { value?: unknown; description?: string }[];
      this.problems.push(`console.error: ${args.map((a) => String(a.value ?? a.description)).join(" ")}`);
    } else if (method === "Log.entryAdded") {
      const entry = params.entry as { level: string; text: string; url?: string };
      if (entry.level === "error") this.problems.push(`log: ${entry.text} ${entry.url ?? ""}`.trim());
    }
  }
}
