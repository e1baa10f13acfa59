// shot.mjs URL OUT.png WIDTH HEIGHT light|dark [open] — a screenshot of what
// a reader sees: headless Chromium driven over the DevTools protocol, the
// viewport as it is after the page scrolled to URL's #fragment ("open":
// with every <details> opened, as a click on each would).
//
// Why not `chromium --headless --screenshot`: with a #fragment it captures
// the document from its top while only the part scrolled to is painted, so
// every anchored view showed a tall blank band above the anchored paragraph
// (the band is the height of what lies above it).  Page.captureScreenshot
// takes the viewport at its scroll position.
//
// Prints one line of JSON: {"scrollY":…, "targetTop":…, "targetId":…} — where
// the :target paragraph is in the viewport (CSS px; null without a target).
// Needs Node 20's WebSocket (node --experimental-websocket; built in from 22)
// and $CHROMIUM (default: chromium).  Exit 0, or 1 with a message.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, out, width, height, scheme, open] = process.argv.slice(2);
if (!url || !out || !width || !height || !["light", "dark"].includes(scheme) || ![undefined, "open"].includes(open)) {
    console.error("usage: shot.mjs URL OUT.png WIDTH HEIGHT light|dark [open]");
    process.exit(2);
}
const profile = mkdtempSync(join(tmpdir(), "polsearch-shot."));
const browser = spawn(process.env.CHROMIUM || "chromium",
    ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
     "--disable-background-networking", "--disable-component-update", "--disable-sync",
     "--remote-debugging-port=0", `--user-data-dir=${profile}`, `--window-size=${width},${height}`,
     "about:blank"], { stdio: "ignore" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (msg) => { console.error(`shot.mjs: ${msg}`); finish(1); };
function finish(code) {
    browser.kill("SIGKILL");
    setTimeout(() => { rmSync(profile, { recursive: true, force: true }); process.exit(code); }, 200);
}
setTimeout(() => fail("timed out after 60 s"), 60000).unref();

// The browser writes its port to DevToolsActivePort once it listens.
let port = null;
for (let i = 0; i < 300 && !port; i++) {
    const f = join(profile, "DevToolsActivePort");
    if (existsSync(f))
        port = readFileSync(f, "utf8").split("\n")[0];
    else
        await sleep(100);
}
if (!port)
    fail("chromium did not open its DevTools port");
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find((t) => t.type === "page");
if (!page)
    fail("no page target");

const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((ok, ko) => { ws.onopen = ok; ws.onerror = () => ko(new Error("cannot connect")); });
let next = 0;
const pending = new Map(), waiters = [];
ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id && pending.has(msg.id)) {
        const { ok, ko } = pending.get(msg.id);
        pending.delete(msg.id);
        msg.error ? ko(new Error(msg.error.message)) : ok(msg.result);
    } else if (msg.method) {
        for (const w of waiters.splice(0))
            w.method === msg.method ? w.ok(msg.params) : waiters.push(w);
    }
};
const send = (method, params = {}) => new Promise((ok, ko) => {
    const id = ++next;
    pending.set(id, { ok, ko });
    ws.send(JSON.stringify({ id, method, params }));
});
const once = (method) => new Promise((ok) => waiters.push({ method, ok }));

try {
    await send("Page.enable");
    await send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] });
    // The viewport exactly WIDTH x HEIGHT CSS px (the window's size is not
    // the viewport's in headless mode); below 600 px, a phone's.
    await send("Emulation.setDeviceMetricsOverride", { width: +width, height: +height, deviceScaleFactor: 1,
                                                       mobile: +width < 600 });
    const loaded = once("Page.loadEventFired");
    await send("Page.navigate", { url });
    await loaded;
    await sleep(500);                     // the scroll to the fragment and the fonts
    if (open)
        await send("Runtime.evaluate", { expression: 'document.querySelectorAll("details").forEach((d) => { d.open = true; })' });
    const where = await send("Runtime.evaluate", {
        returnByValue: true,
        expression: `(() => { const t = document.querySelector(":target");
            return { scrollY: window.scrollY, targetTop: t ? t.getBoundingClientRect().top : null,
                     targetId: t ? t.id : null }; })()`,
    });
    const shot = await send("Page.captureScreenshot", { format: "png" });
    writeFileSync(out, Buffer.from(shot.data, "base64"));
    console.log(JSON.stringify(where.result.value));
    finish(0);
} catch (e) {
    fail(e.message);
}
