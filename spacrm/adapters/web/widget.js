/* spacrm chat widget: <script src="https://YOUR-SPACRM/widget/widget.js" defer></script> */
(function () {
  var base = (document.currentScript && document.currentScript.src.replace(/\/widget\/widget\.js.*$/, "")) || "";
  var key = "spacrm_widget_session";
  var session = localStorage.getItem(key);
  if (!session) {
    session = "w" + Math.random().toString(36).slice(2) + Date.now().toString(36);
    localStorage.setItem(key, session);
  }
  var after = 0;
  var box = document.createElement("div");
  box.style.cssText = "position:fixed;right:16px;bottom:16px;width:320px;font:14px sans-serif;" +
    "background:#fff;border:1px solid #ddd;border-radius:10px;box-shadow:0 4px 16px #0002;z-index:99999";
  box.innerHTML = '<div id="spacrm-head" style="padding:10px;background:#b5477a;color:#fff;border-radius:10px 10px 0 0;cursor:pointer">' +
    'Chat với spa <span style="float:right" id="spacrm-toggle">–</span></div>' +
    '<div id="spacrm-body">' +
    '<div id="spacrm-log" style="height:280px;overflow-y:auto;padding:8px"></div>' +
    '<form id="spacrm-form" style="display:flex;border-top:1px solid #eee">' +
    '<input id="spacrm-input" style="flex:1;border:0;padding:10px" placeholder="Nhập tin nhắn..." autocomplete="off">' +
    '<button style="border:0;background:#b5477a;color:#fff;padding:0 14px">Gửi</button></form></div>';
  document.body.appendChild(box);
  var log = box.querySelector("#spacrm-log");
  var body = box.querySelector("#spacrm-body");
  // The header folds the chat away so it never hides the spa's own page.
  box.querySelector("#spacrm-head").addEventListener("click", function () {
    var open = body.style.display !== "none";
    body.style.display = open ? "none" : "block";
    box.querySelector("#spacrm-toggle").textContent = open ? "+" : "–";
  });
  function add(text, mine) {
    var p = document.createElement("div");
    p.textContent = text;
    p.style.cssText = "margin:4px 0;padding:6px 9px;border-radius:8px;white-space:pre-wrap;max-width:85%;" +
      (mine ? "margin-left:auto;background:#f3d9e6" : "background:#f1f1f1");
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
  }
  function chips(rows) {
    // Offered choices (booking times): a press sends the title as the customer's message.
    var wrap = document.createElement("div");
    (rows || []).forEach(function (row) {
      row.forEach(function (b) {
        var c = document.createElement("button");
        c.type = "button";
        c.textContent = b.text;
        c.style.cssText = "margin:2px;padding:4px 8px;border:1px solid #b5477a;border-radius:12px;" +
          "background:#fff;color:#b5477a;cursor:pointer";
        c.addEventListener("click", function () { wrap.remove(); send(b.text); });
        wrap.appendChild(c);
      });
    });
    if (wrap.childNodes.length) { log.appendChild(wrap); log.scrollTop = log.scrollHeight; }
  }
  function send(text) {
    add(text, true);
    fetch(base + "/api/widget/messages", {method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({session_id: session, text: text})})
      .then(function (r) { return r.json(); })
      .then(function (d) { (d.replies || []).forEach(function (r) { add(r.text, false); chips(r.buttons); }); })
      .catch(function () { add("Dạ mạng đang chập chờn, anh/chị gửi lại giúp em nhé.", false); });
  }
  add("Dạ em chào anh/chị, spa có thể giúp gì cho mình ạ?", false);
  box.querySelector("#spacrm-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = box.querySelector("#spacrm-input");
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  setInterval(function () {
    fetch(base + "/api/widget/messages?session_id=" + encodeURIComponent(session) + "&after=" + after)
      .then(function (r) { return r.json(); })
      .then(function (d) { (d.replies || []).forEach(function (r) { add(r.text, false); }); after = d.last_id || after; })
      .catch(function () { /* offline for a moment: the next poll catches up */ });
  }, 3000);
})();
