// Autosave, one mechanism for every form that declares data-autosave-url (the maturity
// questionnaire, the 附件2 report): each field with data-kind / data-key is posted as soon as it
// is given; one request at a time, holding whatever was given meanwhile. Each request carries
// the version the page last saw (updated from every answer, so the page's own 保存 button posts
// the current one) and, per field, the value the page last saw: when the record was saved
// meanwhile elsewhere (another window, a colleague), the server refuses and the user is told;
// nothing is overwritten. Text is sent after a short pause in typing; links and the form's own
// buttons wait for pending saves, and whatever is still pending when the tab is closed (pagehide)
// is sent in one keepalive request. Without this script the page's own buttons save it all.
(() => {
  "use strict";

  const form = document.querySelector("form[data-autosave-url]");
  if (!form) return;
  const url = form.dataset.autosaveUrl;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name=version]");
  const progressBar = document.getElementById("progress-bar");
  const progressText = document.getElementById("progress-text");
  const TYPING_PAUSE_MS = 800;
  const RETRY_MS = 3000;

  const queue = []; // {kind, key, value}, oldest first, one per field
  const known = new Map(); // "kind|key" -> the value last saved (or shown when the page loaded)
  const typing = new Map(); // field -> timer
  let inFlight = []; // the entries of the request on its way
  let stopped = false;

  const fieldName = (entry) => `${entry.kind}|${entry.key}`;
  const pending = () => queue.length + typing.size + inFlight.length;
  const showPending = () => { status.dataset.pending = String(pending()); };

  const csrfToken = () => {
    // The cookie is current even after a log-in in another tab; the form's token is the fallback.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  };

  const say = (content, cls) => {
    status.replaceChildren();
    if (content instanceof Node) {
      status.appendChild(content);
      return;
    }
    const span = document.createElement("span");
    span.className = cls || "";
    span.textContent = content;
    status.appendChild(span);
  };

  const fieldOf = (input) => ({
    kind: input.dataset.kind,
    key: input.dataset.key,
    value: input.type === "checkbox" ? (input.checked ? "1" : "") : input.value,
  });

  const body = (entries) => {
    const data = new URLSearchParams({ version: version.value });
    const expected = new Map(); // a later entry of a field follows the earlier one
    for (const entry of entries) {
      const name = fieldName(entry);
      data.append("kind", entry.kind);
      data.append("key", entry.key);
      data.append("value", entry.value);
      data.append("previous", expected.has(name) ? expected.get(name) : known.get(name) || "");
      expected.set(name, entry.value);
    }
    return data;
  };

  const enqueue = (entry) => {
    const same = queue.findIndex((e) => fieldName(e) === fieldName(entry));
    if (same >= 0) queue.splice(same, 1);
    queue.push(entry);
    showPending();
    pump();
  };

  const updateProgress = (fragment) => {
    const answered = Number(fragment.dataset.answered);
    const total = Number(fragment.dataset.total);
    if (!total || Number.isNaN(answered)) return;
    if (progressBar) progressBar.style.width = `${Math.round((answered * 100) / total)}%`;
    if (progressText) progressText.textContent = `已答 ${answered} / ${total} 项`;
  };

  const loggedOut = (batch) => {
    // Logged out (time-out) or the token changed: keep everything, let the user log in again.
    queue.unshift(...batch);
    stopped = true;
    const note = document.createElement("span");
    note.className = "text-danger";
    note.textContent = "登录已超时，最近的修改尚未保存（仍在本页）。请";
    const login = document.createElement("a");
    login.href = "/accounts/login/";
    login.target = "_blank";
    login.rel = "noopener";
    login.textContent = "在新窗口重新登录";
    note.appendChild(login);
    note.appendChild(document.createTextNode("，然后点击 "));
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "btn btn-sm btn-outline-danger py-0";
    retry.textContent = "重试保存";
    retry.addEventListener("click", () => { stopped = false; pump(); });
    note.appendChild(retry);
    say(note);
  };

  async function pump() {
    if (inFlight.length || stopped || queue.length === 0) return;
    const batch = queue.splice(0, queue.length);
    inFlight = batch;
    showPending();
    say("正在保存…", "text-muted");
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: body(batch),
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch (error) {
      // Network down: keep the changes and try again.
      queue.unshift(...batch);
      inFlight = [];
      showPending();
      say("网络中断，修改尚未保存，稍后自动重试…", "text-warning");
      setTimeout(pump, RETRY_MS);
      return;
    }
    if (response.type === "opaqueredirect" || response.status === 403) {
      inFlight = [];
      loggedOut(batch);
      showPending();
      return;
    }
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const fragment = holder.firstElementChild;
    if (fragment) say(fragment);
    if (response.ok && fragment && fragment.dataset.version) {
      version.value = fragment.dataset.version;
      for (const entry of batch) known.set(fieldName(entry), entry.value);
      updateProgress(fragment);
    } else if (response.status === 409) {
      stopped = true; // changed elsewhere, or submitted meanwhile: the user reloads
    }
    inFlight = [];
    showPending();
    pump();
  }

  const flushTyping = () => {
    for (const [input, timer] of typing) {
      clearTimeout(timer);
      queue.push(fieldOf(input));
    }
    typing.clear();
  };

  // What the page shows when it loads is what it last saw of each field.
  form.querySelectorAll("[data-kind]").forEach((input) => {
    if (input.type !== "radio" || input.checked) known.set(fieldName(fieldOf(input)), fieldOf(input).value);
  });

  form.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.kind) return;
    clearTimeout(typing.get(input));
    typing.delete(input);
    if (input.classList.contains("js-left-out")) { // the questionnaire's "not applicable"
      const card = input.closest(".sub-domain");
      card.classList.toggle("left-out", input.checked);
      card.querySelector(".js-reason").hidden = !input.checked;
      if (input.checked) card.querySelector("[data-kind=left_out_reason]").focus();
    }
    enqueue(fieldOf(input));
  });

  const typed = (input) =>
    input.tagName === "TEXTAREA" || (input.tagName === "INPUT" && input.type === "text");

  form.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.kind || !typed(input)) return;
    clearTimeout(typing.get(input));
    typing.set(input, setTimeout(() => {
      typing.delete(input);
      enqueue(fieldOf(input));
    }, TYPING_PAUSE_MS));
    showPending();
  });

  const whenSaved = (then) => {
    flushTyping();
    showPending();
    pump();
    say("正在保存最后的修改…", "text-muted");
    const wait = setInterval(() => {
      if (pending() === 0 || stopped) {
        clearInterval(wait);
        then();
      }
    }, 100);
  };

  // Moving to another screen by a link waits until everything on this one is saved.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || pending() === 0 || stopped) return;
    event.preventDefault();
    whenSaved(() => { window.location.href = link.href; });
  });

  // The page's own buttons post the whole screen: first let the autosaves finish, so the form
  // carries the latest version.
  form.addEventListener("submit", (event) => {
    if (pending() === 0 || stopped) return;
    event.preventDefault();
    const button = event.submitter;
    whenSaved(() => {
      if (button) {
        const go = document.createElement("input");
        go.type = "hidden";
        go.name = button.name;
        go.value = button.value;
        form.appendChild(go);
      }
      form.submit();
    });
  });

  // Closing or leaving the page otherwise: send what is still waiting, in one request, with
  // the request on its way (the browser may cancel it; saving a value twice is harmless).
  window.addEventListener("pagehide", () => {
    flushTyping();
    const last = [...inFlight, ...queue.splice(0, queue.length)];
    if (stopped || last.length === 0) return;
    stopped = true;
    fetch(url, {
      method: "POST",
      body: body(last),
      headers: { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      keepalive: true,
    });
  });

  window.addEventListener("pageshow", (event) => {
    if (event.persisted) stopped = false; // back from the browser's page cache
  });
})();
