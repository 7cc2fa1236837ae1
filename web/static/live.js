// Shared by the desk and office pages: the page's data, the event stream, small helpers.
export const data = JSON.parse(document.getElementById("page-data").textContent);
export const t = data.t;

export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

export function serviceName(id) {
  return data.services[id] ? data.services[id].name : id;
}

export function flagsText(extras, firstVisit) {
  const words = (extras || []).map(x => t["flag_" + x] || x);
  if (firstVisit) words.push(t.flag_first_visit);
  return words.join(", ");
}

// One alert in words: "Webtjenesten: Enheden er væk"; a device without a word of its own by its id.
export function alertText(a) {
  return `${t["device_" + a.device] || a.device}: ${t["problem_" + a.problem] || a.problem}`;
}

export function minutes(value) {
  return value === null || value === undefined ? "–" : `${Math.floor(value)} ${t.minutes}`;
}

// One id per click, made here and sent again on a retry: the hub carries a click out once.
export function clickId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
}

// Follows the server's event stream; onUpdate(key, value) for every change.  The browser
// reconnects by itself; the connection line says whether the page is live.
export function follow(url, onUpdate) {
  const conn = document.getElementById("connection");
  const show = up => { conn.dataset.up = up; conn.textContent = up ? t.connected : t.offline; };
  const source = new EventSource(url);
  source.addEventListener("open", () => show(true));
  source.addEventListener("error", () => show(false));
  source.addEventListener("update", event => {
    const {key, value} = JSON.parse(event.data);
    if (key === "broker") show(value.connected);
    onUpdate(key, value);
  });
  return source;
}
