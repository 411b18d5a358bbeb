// The web board's front end: drag cards (the browser's own drag and drop), edit their
// text in place, add and remove them, and follow everyone else's changes live.
//
// Plain JavaScript, no framework, no build step. The server renders all the HTML and
// escapes every piece of story text; this file only moves elements around, sends JSON
// with the link's token in the X-Board-Token header, and puts in place the board the
// server sends back (on a write's answer, or as a server-sent event). It never builds
// HTML from text. The Content-Security-Policy allows no other script.
"use strict";

(function () {
  const page = document.getElementById("page");
  if (!page) return; // the page a refused link gets loads this file too

  const token = decodeURIComponent(location.pathname.split("/").pop() || "");
  const status = document.getElementById("status");
  const marker = document.createElement("li");
  marker.className = "drop-mark";
  marker.setAttribute("aria-hidden", "true");

  let version = Number(page.dataset.version);
  let pending = null; // the newest board, held while a card is dragged or edited
  let holds = 0; // drags and edits in progress
  let dragged = null;
  let editing = null;
  let stopped = false;

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  function refuse(message) {
    stopped = true;
    document.body.classList.add("refused");
    document.body.classList.remove("live");
    for (const card of page.querySelectorAll(".card")) card.draggable = false;
    say(message || "This link no longer works. Ask for a new one with /outline board.", "error");
  }

  // --- putting the server's board in place ------------------------------------------

  function drafts() {
    const kept = {};
    for (const form of page.querySelectorAll("form.add")) {
      const field = form.elements.namedItem("text");
      if (field.value) kept[form.dataset.act] = field.value;
    }
    return kept;
  }

  function focused() {
    const active = document.activeElement;
    if (!active || !page.contains(active)) return null;
    const card = active.closest(".card");
    if (card && active === card) return { beat: card.dataset.beat };
    const form = active.closest("form.add");
    return form ? { act: form.dataset.act } : null;
  }

  function restore(kept, focus) {
    for (const form of page.querySelectorAll("form.add")) {
      const value = kept[form.dataset.act];
      if (value) form.elements.namedItem("text").value = value;
    }
    if (!focus) return;
    const target = focus.beat
      ? page.querySelector('.card[data-beat="' + focus.beat + '"]')
      : page.querySelector('form.add[data-act="' + focus.act + '"] textarea');
    if (target) target.focus();
  }

  function apply(update, force) {
    if (update.version < version || (update.version === version && !force)) return;
    if (holds > 0) {
      if (!pending || update.version >= pending.version) pending = update;
      return;
    }
    const kept = drafts();
    const focus = focused();
    page.innerHTML = update.html; // server-rendered; story text arrives escaped
    version = update.version;
    page.dataset.version = String(version);
    restore(kept, focus);
    if (stopped) refuse(status.textContent);
  }

  function hold() {
    holds += 1;
  }

  function release() {
    holds = Math.max(0, holds - 1);
    if (holds === 0 && pending) {
      const update = pending;
      pending = null;
      apply(update, true);
    }
  }

  // --- changes ------------------------------------------------------------------------

  async function send(action, body) {
    if (stopped) return false;
    let response;
    try {
      response = await fetch("api/" + action, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Board-Token": token },
        body: JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (error) {
      say("The bot cannot be reached; nothing was changed.", "error");
      return false;
    }
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    if (response.status === 403 && data.refused) {
      refuse(data.error);
      return false;
    }
    // the answer is the board as it now is (after a refusal too: a card moved ahead of
    // the answer goes back); held until the change in hand is over
    if (typeof data.html === "string") apply({ version: data.version, html: data.html }, true);
    say(response.ok ? data.note || "" : data.error || "That did not work.", response.ok ? "ok" : "error");
    return response.ok;
  }

  function cardOf(element) {
    return element && element.closest ? element.closest(".card") : null;
  }

  function beatOf(card) {
    return Number(card.dataset.beat);
  }

  // --- drag and drop ------------------------------------------------------------------

  function cardBelow(list, y) {
    for (const card of list.querySelectorAll(".card")) {
      if (card === dragged) continue;
      const box = card.getBoundingClientRect();
      if (y < box.top + box.height / 2) return card;
    }
    return null;
  }

  function placeOf(list, card) {
    // 1-based place among the act's cards, the moved one left out
    let place = 1;
    for (const child of list.children) {
      if (child === marker) return place;
      if (child.classList.contains("card") && child !== card) place += 1;
    }
    return place;
  }

  page.addEventListener("dragstart", function (event) {
    const card = cardOf(event.target);
    if (!card || editing || stopped) return;
    dragged = card;
    hold();
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", "Beat " + card.dataset.number);
  });

  page.addEventListener("dragover", function (event) {
    const act = dragged && event.target.closest ? event.target.closest(".act") : null;
    if (!act) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const list = act.querySelector(".cards");
    const below = cardBelow(list, event.clientY);
    if (marker.parentNode !== list || marker.nextSibling !== below) list.insertBefore(marker, below);
  });

  page.addEventListener("drop", async function (event) {
    const act = dragged && event.target.closest ? event.target.closest(".act") : null;
    if (!act) return;
    event.preventDefault();
    const card = dragged;
    dragged = null; // the drop owns the hold now, until the answer
    card.classList.remove("dragging");
    const list = act.querySelector(".cards");
    if (marker.parentNode !== list) list.insertBefore(marker, cardBelow(list, event.clientY));
    const position = placeOf(list, card);
    list.insertBefore(card, marker); // shown at once; the answer confirms or puts it back
    marker.remove();
    await send("move", { beat: beatOf(card), act: Number(act.dataset.act), position: position });
    release();
  });

  page.addEventListener("dragend", function () {
    marker.remove();
    if (!dragged) return; // dropped: the drop releases
    dragged.classList.remove("dragging");
    dragged = null;
    release();
  });

  // --- editing, adding, removing ------------------------------------------------------

  function startEdit(card) {
    if (editing || stopped) return;
    const text = card.querySelector(".text");
    editing = { card: card, text: text, before: text.textContent };
    hold();
    card.draggable = false;
    card.classList.add("editing");
    try {
      text.contentEditable = "plaintext-only"; // no pasted markup; where it is known
    } catch (error) {
      text.contentEditable = "true"; // the server keeps only the text anyway
    }
    text.focus();
    const range = document.createRange();
    range.selectNodeContents(text);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  async function endEdit(save) {
    const edit = editing;
    if (!edit) return;
    editing = null;
    edit.text.contentEditable = "false";
    edit.card.classList.remove("editing");
    edit.card.draggable = true;
    const now = edit.text.textContent.replace(/\s+/g, " ").trim();
    if (save && now && now !== edit.before) {
      await send("edit", { beat: beatOf(edit.card), text: now });
    } else {
      edit.text.textContent = edit.before;
    }
    release();
  }

  async function moveBy(card, acts, places) {
    const act = Number(card.closest(".act").dataset.act);
    const list = card.parentNode;
    const index = Array.prototype.indexOf.call(list.querySelectorAll(".card"), card) + 1;
    const to = acts ? { act: act + acts, position: 10000 } : { act: act, position: index + places };
    if (to.act < 1 || to.position < 1) return;
    await send("move", { beat: beatOf(card), act: to.act, position: to.position });
  }

  page.addEventListener("click", async function (event) {
    const button = event.target.closest ? event.target.closest("button") : null;
    const card = cardOf(button);
    if (!button || !card) return;
    if (button.classList.contains("edit")) startEdit(card);
    if (button.classList.contains("remove")) {
      card.classList.add("removing");
      await send("remove", { beat: beatOf(card) });
    }
  });

  page.addEventListener("dblclick", function (event) {
    const card = cardOf(event.target);
    if (card && event.target.closest(".text")) startEdit(card);
  });

  page.addEventListener("keydown", function (event) {
    if (editing && event.target === editing.text) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        endEdit(true);
      } else if (event.key === "Escape") {
        event.preventDefault();
        endEdit(false);
      }
      return;
    }
    const card = event.target.classList && event.target.classList.contains("card") ? event.target : null;
    if (!card) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.altKey && moves[event.key]) {
      event.preventDefault();
      moveBy(card, moves[event.key][0], moves[event.key][1]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      startEdit(card);
    }
  });

  page.addEventListener("focusout", function (event) {
    if (editing && event.target === editing.text) endEdit(true);
  });

  page.addEventListener("submit", async function (event) {
    const form = event.target.closest("form.add");
    if (!form) return;
    event.preventDefault();
    const field = form.elements.namedItem("text");
    const text = field.value.trim();
    if (!text) return;
    field.value = "";
    if (!(await send("add", { act: Number(form.dataset.act), text: text }))) field.value = text;
  });

  // --- live updates: server-sent events, read with fetch so the token stays a header ----

  function handle(block) {
    let name = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data += line.slice(5).trim();
    }
    if (!data) return;
    const payload = JSON.parse(data);
    if (name === "board") apply(payload, false);
    if (name === "refused") refuse(payload.error);
  }

  async function listen() {
    let wait = 500;
    while (!stopped) {
      try {
        const response = await fetch("api/events", {
          headers: { "X-Board-Token": token, "X-Board-Version": String(version) },
          credentials: "omit",
          cache: "no-store",
        });
        if (response.status === 403) {
          const data = await response.json().catch(function () {
            return {};
          });
          refuse(data.error);
          return;
        }
        if (!response.ok || !response.body) throw new Error("stream: " + response.status);
        document.body.classList.add("live");
        wait = 500;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          buffer += chunk.value;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            handle(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf("\n\n");
          }
        }
      } catch (error) {
        // the connection dropped: try again below
      }
      document.body.classList.remove("live");
      if (stopped) return;
      await new Promise(function (resolve) {
        setTimeout(resolve, wait);
      });
      wait = Math.min(wait * 2, 10000);
    }
  }

  listen();
})();
