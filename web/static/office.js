// The office panel: every desk, queue, alert and device, and today's figures, all pushed.
import {data, t, el, serviceName, minutes, follow, alertText} from "./live.js";

const desks = {}, devices = {};
const clock = at => new Date(at).toLocaleTimeString(data.lang === "da" ? "da-DK" : "en-GB", {hour: "2-digit", minute: "2-digit"});

function drawDesks() {
  document.getElementById("desk-rows").replaceChildren(...Object.entries(data.desks).map(([id, desk]) => {
    const state = desks[id];
    const row = el("tr", null, {"data-desk": id});
    const current = state && state.current ? `${state.current.number} · ${serviceName(state.current.service)}` : "–";
    row.append(el("th", `${desk.name} (${t["kind_" + desk.kind]})`, {scope: "row"}),
               el("td", state ? t["status_" + state.status] : t.status_closed, {"data-status": state ? state.status : "closed"}),
               el("td", current), el("td", state ? String(state.waiting) : "–"));
    return row;
  }));
}

function drawBoard(board) {
  document.getElementById("service-rows").replaceChildren(...board.services.map(s => {
    const row = el("tr");
    row.append(el("th", `${s.letter} · ${serviceName(s.service)}`, {scope: "row"}), el("td", String(s.waiting)),
               el("td", minutes(s.eta_min.staff)), el("td", minutes(s.eta_min.volunteer)));
    return row;
  }));
  document.getElementById("call-list").replaceChildren(...board.calls.map(c =>
    el("li", `${c.number} → ${data.desks[c.desk] ? data.desks[c.desk].name : c.desk} (${clock(c.at)})`)));
}

function drawAlerts(value) {
  const alerts = value.alerts || [];
  document.getElementById("alert-list").replaceChildren(...alerts.map(a =>
    el("li", alertText(a), {"data-problem": a.problem})));
  document.getElementById("no-alerts").hidden = alerts.length > 0;
}

function drawFigures(stats) {
  const live = stats.live || {};
  document.getElementById("fig-waiting").textContent = live.waiting ?? "–";
  document.getElementById("fig-served").textContent = live.served ?? "–";
  document.getElementById("fig-avg").textContent = minutes(live.avg_wait_min);
}

function drawDevices() {
  document.getElementById("device-list").replaceChildren(...Object.keys(devices).sort().map(id =>
    el("li", `${id}: ${t["device_" + devices[id]] || devices[id]}`, {"data-status": devices[id]})));
}

follow("/events/office", (key, value) => {
  if (key.startsWith("desk:")) { desks[key.slice(5)] = value; drawDesks(); }
  else if (key.startsWith("device:")) { devices[key.slice(7)] = value.status; drawDevices(); }
  else if (key === "hub") { devices[t.hub] = value.status; drawDevices(); }
  else if (key === "board") drawBoard(value);
  else if (key === "alerts") drawAlerts(value);
  else if (key === "stats") drawFigures(value);
});
drawDesks();
