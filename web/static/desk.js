// The desk workstation: buttons and keys send desk commands; the desk's state arrives pushed.
import {data, t, el, serviceName, flagsText, minutes, clickId, follow, alertText} from "./live.js";

const root = document.getElementById("desk");
const result = document.getElementById("result");
const dialog = document.getElementById("transfer");
let state = null;

async function send(action, fields = {}, id = clickId(), tries = 3) {
  result.textContent = t.sent;
  let response;
  try {
    response = await fetch(`/desk/${data.desk}/command`, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": root.dataset.csrf},
      body: JSON.stringify({id, action, ...fields}),
    });
  } catch (err) {  // the network: the same click again, with the same id
    if (tries > 1) return setTimeout(() => send(action, fields, id, tries - 1), 1000);
    result.textContent = t.offline;
    return;
  }
  if (response.status === 401) { location.href = "/login"; return; }
  const answer = await response.json();
  if (answer.pending) result.textContent = t.no_answer;
  else if (answer.ok) result.textContent = `${t[action] || action}${answer.ticket ? ": " + answer.ticket : ""}`;
  else result.textContent = `${t.refused}: ${answer.error}`;
  result.dataset.ok = answer.ok === true;
}

function drawCurrent(current) {
  document.getElementById("current-number").textContent = current ? current.number : "–";
  document.getElementById("current-detail").textContent = current
    ? [serviceName(current.service), `${t.waited} ${minutes(current.waited_min)}`,
       flagsText(current.extras, current.first_visit)].filter(Boolean).join(" · ")
    : t.nobody;
  for (const b of root.querySelectorAll("[data-needs-current]")) b.disabled = !current;
}

function drawQueue(next, waiting) {
  const rows = document.getElementById("queue-rows");
  rows.replaceChildren(...next.map(ticket => {
    const row = el("tr");
    row.append(el("th", ticket.number, {scope: "row"}), el("td", serviceName(ticket.service)),
               el("td", minutes(ticket.waited_min)), el("td", flagsText(ticket.extras)));
    const call = el("button", t.call_this, {"aria-label": `${t.call_this} ${ticket.number}`});
    call.addEventListener("click", () => send("call", {ticket: ticket.number}));
    const cell = el("td");
    cell.append(call);
    row.append(cell);
    return row;
  }));
  document.getElementById("queue-empty").hidden = next.length > 0;
  document.getElementById("waiting-count").textContent = `(${waiting} ${t.waiting})`;
}

function drawStatus(status) {
  const line = document.getElementById("desk-status");
  line.dataset.status = status;
  line.textContent = t["status_" + status];
  const pause = document.getElementById("pause-button");
  pause.dataset.action = status === "paused" ? "open" : "pause";
  pause.firstChild.textContent = (status === "paused" ? t.resume : t.pause) + " ";
  const open = document.getElementById("open-button");
  open.dataset.action = status === "closed" ? "open" : "close";
  open.firstChild.textContent = (status === "closed" ? t.open : t.close) + " ";
}

function drawAlerts(value) {
  const line = document.getElementById("alerts");
  const alerts = value.alerts || [];
  line.hidden = alerts.length === 0;
  line.textContent = alerts.map(alertText).join(" · ");
}

follow(`/events/desk/${data.desk}`, (key, value) => {
  if (key === `desk:${data.desk}`) {
    state = value;
    root.dataset.status = value.status;
    drawStatus(value.status);
    drawCurrent(value.current);
    drawQueue(value.next || [], value.waiting || 0);
    root.dataset.at = value.at;
  } else if (key === "alerts") drawAlerts(value);
});
drawCurrent(null);

for (const button of root.querySelectorAll("[data-action]")) {
  button.addEventListener("click", () => send(button.dataset.action));
}
const transferButton = root.querySelector("[data-open-transfer]");
transferButton.addEventListener("click", () => dialog.showModal());
dialog.addEventListener("close", () => {
  const choice = dialog.returnValue;
  if (choice.startsWith("kind:")) send("transfer", {to_kind: choice.slice(5)});
  else if (choice === "service") send("transfer", {service: document.getElementById("transfer-service").value});
  dialog.returnValue = "";
});
document.getElementById("call-form").addEventListener("submit", event => {
  event.preventDefault();
  const input = document.getElementById("call-number");
  send("call", {ticket: input.value.trim().toUpperCase()});
  input.value = "";
});

document.addEventListener("keydown", event => {
  const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(event.target.tagName) || dialog.open;
  if (typing || event.ctrlKey || event.altKey || event.metaKey) return;
  const key = event.key.toLowerCase();
  if (key === "c") { event.preventDefault(); document.getElementById("call-number").focus(); return; }
  const button = root.querySelector(`[data-key="${key}"]`);
  if (button && !button.disabled) { event.preventDefault(); button.click(); }
});
