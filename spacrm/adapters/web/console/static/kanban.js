// LeadCard kanban: drag a card to another column (mouse anywhere on the card, touch on its ⠿
// handle so the page still scrolls), then POST the move; on refusal the card goes back and the
// server's message is shown. Without JS the per-card stage picker does the same.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) return;
  document.documentElement.classList.add("js");
  var csrf = board.dataset.csrf;
  var flash = document.getElementById("flash");
  var drag = null;

  function say(text, bad) {
    flash.textContent = text;
    flash.classList.toggle("bad", !!bad);
  }

  function money(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫";
  }

  function adjust(column, count, value) {
    var c = column.querySelector(".count");
    var v = column.querySelector(".value");
    c.textContent = String(Number(c.textContent) + count);
    column.querySelector(".empty").hidden = Number(c.textContent) > 0;
    var total = Number(v.dataset.value) + value;
    v.dataset.value = String(total);
    v.textContent = money(total);
  }

  function columnAt(x, y) {
    var el = document.elementFromPoint(x, y);
    return el ? el.closest(".column") : null;
  }

  function highlight(column) {
    board.querySelectorAll(".column.over").forEach(function (c) {
      if (c !== column) c.classList.remove("over");
    });
    if (column) column.classList.add("over");
  }

  board.addEventListener("pointerdown", function (e) {
    var card = e.target.closest(".lead-card");
    if (!card || e.button !== 0 || e.target.closest("form, select, button, input")) return;
    if (e.pointerType === "touch" && !e.target.closest(".handle")) return;
    drag = { card: card, from: card.closest(".column"), x: e.clientX, y: e.clientY, started: false, id: e.pointerId };
  });

  document.addEventListener("pointermove", function (e) {
    if (!drag || e.pointerId !== drag.id) return;
    if (!drag.started) {
      if (Math.abs(e.clientX - drag.x) + Math.abs(e.clientY - drag.y) < 6) return;
      var r = drag.card.getBoundingClientRect();
      drag.dx = drag.x - r.left;
      drag.dy = drag.y - r.top;
      drag.placeholder = document.createElement("li");
      drag.placeholder.className = "placeholder";
      drag.placeholder.style.height = r.height + "px";
      drag.card.parentNode.insertBefore(drag.placeholder, drag.card);
      drag.card.style.width = r.width + "px";
      drag.card.classList.add("dragging");
      drag.started = true;
    }
    e.preventDefault();
    drag.card.style.left = e.clientX - drag.dx + "px";
    drag.card.style.top = e.clientY - drag.dy + "px";
    highlight(columnAt(e.clientX, e.clientY));
  });

  function finish(e) {
    if (!drag || e.pointerId !== drag.id) return;
    var d = drag;
    drag = null;
    if (!d.started) return;
    // Find the column before the card drops back into the layout (that shifts the columns below).
    var target = e.type === "pointerup" ? columnAt(e.clientX, e.clientY) : null;
    highlight(null);
    d.card.classList.remove("dragging");
    d.card.style.left = d.card.style.top = d.card.style.width = "";
    d.placeholder.replaceWith(d.card);
    if (target && target !== d.from) move(d.card, d.from, target);
  }
  document.addEventListener("pointerup", finish);
  document.addEventListener("pointercancel", finish);

  // "… and N more cards": the column's next cards (keyset page) appended in place; without JS
  // the link opens them as a page.
  board.addEventListener("click", function (e) {
    var link = e.target.closest("a.more");
    if (!link || link.getAttribute("aria-busy")) return;
    e.preventDefault();
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        var got = document.createElement("div");
        got.innerHTML = html;
        var list = link.closest(".column").querySelector(".cards");
        got.querySelectorAll(".lead-card").forEach(function (card) {
          if (!document.getElementById(card.id)) list.appendChild(card); // moved here meanwhile
        });
        var next = got.querySelector("a.more");
        if (next) link.replaceWith(next);
        else link.remove();
      })
      .catch(function () {
        link.removeAttribute("aria-busy");
        say("Không kết nối được máy chủ. Vui lòng thử lại.", true);
      });
  });

  function move(card, from, to) {
    var list = to.querySelector(".cards");
    list.insertBefore(card, list.firstChild);
    var value = Number(card.dataset.value);
    adjust(from, -1, -value);
    adjust(to, 1, value);
    var body = new URLSearchParams({ stage: to.dataset.stage, version: card.dataset.version, csrf: csrf });
    card.setAttribute("aria-busy", "true");
    fetch("/console/leads/" + card.dataset.id + "/move", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, body: j }; }); })
      .then(function (res) {
        card.removeAttribute("aria-busy");
        if (res.ok) {
          card.dataset.version = String(res.body.version);
          card.querySelector("input[name=version]").value = String(res.body.version);
          card.querySelector("select[name=stage]").value = res.body.stage;
          card.dataset.stage = res.body.stage;
          say(res.body.message, false);
          return;
        }
        from.querySelector(".cards").insertBefore(card, from.querySelector(".cards").firstChild);
        adjust(to, -1, -value);
        adjust(from, 1, value);
        say(res.body.message, true);
        if (res.status === 401) window.location.href = "/console/login";
        if (res.status === 409) window.setTimeout(function () { window.location.reload(); }, 1500);
      })
      .catch(function () {
        card.removeAttribute("aria-busy");
        from.querySelector(".cards").insertBefore(card, from.querySelector(".cards").firstChild);
        adjust(to, -1, -value);
        adjust(from, 1, value);
        say("Không kết nối được máy chủ. Vui lòng thử lại.", true);
      });
  }
})();
