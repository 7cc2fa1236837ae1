// The citizen's status page, live: the server sends the page's new main part whenever the
// ticket's view changes.  Without this script the page reloads itself instead (<noscript>).
const main = document.getElementById("status");
const source = new EventSource(location.pathname.replace(/\/$/, "") + "/events");
source.addEventListener("status", event => {
  const {state, called, html} = JSON.parse(event.data);
  main.innerHTML = html;  // rendered by the server from its own templates, text escaped there
  main.dataset.state = state;
  if (called && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  if (state === "unknown") source.close();
});
