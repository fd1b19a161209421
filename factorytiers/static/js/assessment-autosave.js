// Autosave of the maturity questionnaire: every answer, evidence note and leave-out choice is
// posted as soon as it is given, one request at a time (each carries the version the previous
// one returned, so a change made in another window is detected, never overwritten). Notes are
// sent after a short pause in typing, and whatever is still pending when the page is closed is
// sent with keepalive. Without this script the page's own buttons save the whole screen.
(() => {
  "use strict";

  const form = document.getElementById("questionnaire");
  if (!form || !form.dataset.autosaveUrl) return;
  const url = form.dataset.autosaveUrl;
  const status = document.getElementById("autosave-status");
  const version = form.querySelector("input[name=version]");
  const progressBar = document.getElementById("progress-bar");
  const progressText = document.getElementById("progress-text");
  const TYPING_PAUSE_MS = 800;
  const RETRY_MS = 3000;

  const queue = []; // {kind, key, value}
  const typing = new Map(); // field -> timer
  let busy = false;
  let stopped = false;

  const csrfToken = () => {
    // The cookie is current even after a log-in in another tab; the form's token is the fallback.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : form.querySelector("[name=csrfmiddlewaretoken]").value;
  };

  const pending = () => queue.length + typing.size + (busy ? 1 : 0);
  const showPending = () => { status.dataset.pending = String(pending()); };

  const say = (html, cls) => {
    status.innerHTML = "";
    if (html instanceof Node) status.appendChild(html);
    else {
      const span = document.createElement("span");
      span.className = cls || "";
      span.textContent = html;
      status.appendChild(span);
    }
  };

  const fieldOf = (input) => ({
    kind: input.dataset.kind,
    key: input.dataset.key,
    value: input.type === "checkbox" ? (input.checked ? "1" : "") : input.value,
  });

  const enqueue = (entry) => {
    const same = queue.findIndex((e) => e.kind === entry.kind && e.key === entry.key);
    if (same >= 0) queue[same] = entry;
    else queue.push(entry);
    showPending();
    pump();
  };

  const body = (entry, withVersion) => {
    const data = new URLSearchParams({ kind: entry.kind, key: entry.key, value: entry.value });
    if (withVersion) data.set("version", version.value);
    return data;
  };

  const updateProgress = (fragment) => {
    const answered = Number(fragment.dataset.answered);
    const total = Number(fragment.dataset.total);
    if (!total || Number.isNaN(answered)) return;
    if (progressBar) progressBar.style.width = `${Math.round((answered * 100) / total)}%`;
    if (progressText) progressText.textContent = `已答 ${answered} / ${total} 项`;
  };

  async function pump() {
    if (busy || stopped || queue.length === 0) return;
    busy = true;
    const entry = queue.shift();
    showPending();
    say("正在保存…", "text-muted");
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body: body(entry, true),
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch (error) {
      // Network down: keep the change and try again.
      queue.unshift(entry);
      busy = false;
      showPending();
      say("网络中断，答案尚未保存，稍后自动重试…", "text-warning");
      setTimeout(pump, RETRY_MS);
      return;
    }
    if (response.type === "opaqueredirect" || response.status === 403) {
      // Logged out (time-out) or the token changed: keep everything, let the user log in again.
      queue.unshift(entry);
      busy = false;
      stopped = true;
      showPending();
      const note = document.createElement("span");
      note.className = "text-danger";
      note.textContent = "登录已超时，最近的答案尚未保存（仍在本页）。请";
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
      return;
    }
    const html = await response.text();
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const fragment = holder.firstElementChild;
    if (fragment) say(fragment);
    if (response.ok && fragment && fragment.dataset.version) {
      version.value = fragment.dataset.version;
      updateProgress(fragment);
    } else if (response.status === 409) {
      stopped = true; // another window saved first, or the assessment was submitted
    }
    busy = false;
    showPending();
    pump();
  }

  const onChange = (event) => {
    const input = event.target;
    if (!input.dataset || !input.dataset.kind) return;
    clearTimeout(typing.get(input));
    typing.delete(input);
    if (input.classList.contains("js-left-out")) {
      const card = input.closest(".sub-domain");
      card.classList.toggle("left-out", input.checked);
      card.querySelector(".js-reason").hidden = !input.checked;
      if (input.checked) card.querySelector("[data-kind=left_out_reason]").focus();
    }
    enqueue(fieldOf(input));
  };

  const onInput = (event) => {
    const input = event.target;
    if (!input.dataset || !["evidence", "left_out_reason"].includes(input.dataset.kind)) return;
    clearTimeout(typing.get(input));
    typing.set(input, setTimeout(() => {
      typing.delete(input);
      enqueue(fieldOf(input));
    }, TYPING_PAUSE_MS));
    showPending();
  };

  form.addEventListener("change", onChange);
  form.addEventListener("input", onInput);

  // Closing or leaving the page: send what is still waiting, without waiting for answers.
  window.addEventListener("pagehide", () => {
    stopped = true;
    for (const [input, timer] of typing) {
      clearTimeout(timer);
      queue.push(fieldOf(input));
    }
    typing.clear();
    while (queue.length) {
      const entry = queue.shift();
      fetch(url, {
        method: "POST",
        body: body(entry, false),
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
        keepalive: true,
      });
    }
  });

  window.addEventListener("pageshow", (event) => {
    if (event.persisted) stopped = false; // back from the browser's page cache
  });

  // The page's own save buttons post the whole screen: make them carry the latest version.
  form.addEventListener("submit", (event) => {
    if (pending() > 0 && !stopped) {
      event.preventDefault();
      say("正在保存最后的答案…", "text-muted");
      const wait = setInterval(() => {
        if (pending() === 0 || stopped) {
          clearInterval(wait);
          const button = event.submitter;
          if (button) {
            const go = document.createElement("input");
            go.type = "hidden";
            go.name = button.name;
            go.value = button.value;
            form.appendChild(go);
          }
          form.submit();
        }
      }, 100);
    }
  });
})();
