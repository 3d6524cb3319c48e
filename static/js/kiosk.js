/* The survey kiosk at a counter.
 *
 * One respondent at a time: "Mulai" opens the form with a fresh answer id (a UUID) and a
 * start token from the server; "Kirim" puts the answer in a queue kept in localStorage,
 * wipes the form and sends the queue whenever the network is there. Nothing of one
 * respondent stays on screen for the next; the form also resets after the counter's idle
 * time. Answers the server stored, or refused for good, leave the queue; anything else
 * (no network, server away, rate limit) stays and is sent again later, and the server
 * counts an answer id once.
 */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("kiosk-config").textContent);
  const QUEUE_KEY = "skm-kiosk-queue";
  const SPARE_KEY = "skm-kiosk-spare";
  const REFUSED_KEY = "skm-kiosk-refused";
  const RETRY_MS = 15000;
  const THANKS_MS = 4000;
  const POLL_MS = 3000;
  const SPARES = 5; // start tokens kept for respondents who begin while the network is away

  const $ = (id) => document.getElementById(id);
  const texts = {};
  $("kiosk-texts").content.querySelectorAll("[data-key]").forEach((el) => { texts[el.dataset.key] = el.textContent.trim(); });
  const form = $("kiosk-form");
  const steps = Array.from(form.querySelectorAll(".kiosk-step"));
  const screens = ["screen-welcome", "screen-locked", "screen-thanks"].map($);
  const oneByOne = config.layout === "one";

  let session = null; // {clientId, token, openedAt, ticket}
  let stepIndex = 0;
  let idleTimer = null;
  let flushing = false;
  let pollTimer = null;
  let unlocked = config.unlockMode !== "officer";

  // --- storage -------------------------------------------------------------------------
  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (e) { return fallback; }
  }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function queue() { return load(QUEUE_KEY, []); }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // --- status line ----------------------------------------------------------------------
  function showStatus() {
    const online = navigator.onLine;
    const net = $("kiosk-network");
    net.textContent = online ? texts.online : texts.offline;
    net.className = "badge " + (online ? "text-bg-success" : "text-bg-secondary");
    const pending = queue().length;
    const refused = load(REFUSED_KEY, 0);
    const badge = $("kiosk-pending");
    badge.dataset.count = String(pending);
    badge.hidden = pending === 0 && refused === 0;
    badge.textContent = `${pending} ${texts.pending}` + (refused ? ` · ${refused} ${texts.refused}` : "");
  }

  // --- server calls ---------------------------------------------------------------------
  async function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  }

  async function startToken(clientId, ticket) {
    const response = await post(config.startUrl, { client_id: clientId, ticket: ticket || "" });
    const data = await response.json().catch(() => ({}));
    if (response.ok) return { token: data.token };
    return { error: data.error || "", status: response.status };
  }

  let refilling = false;
  async function refillSpares() {
    // Tokens fetched ahead let the next respondents start while the network is away.
    if (refilling) return;
    refilling = true;
    try {
      while (load(SPARE_KEY, []).length < SPARES && navigator.onLine) {
        const clientId = newId();
        const result = await startToken(clientId, "");
        if (!result.token) break;
        save(SPARE_KEY, [...load(SPARE_KEY, []), { clientId, token: result.token }]);
      }
    } catch (e) {
      /* offline: try again when the network is back */
    } finally {
      refilling = false;
    }
  }

  function takeSpare() {
    const spares = load(SPARE_KEY, []);
    const spare = spares.shift();
    save(SPARE_KEY, spares);
    return spare;
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      while (queue().length) {
        const entry = queue()[0];
        let response;
        try {
          response = await post(config.submitUrl, entry);
        } catch (e) {
          break; // no network: keep everything
        }
        if (response.status === 200 || response.status === 201 || response.status === 422) {
          if (response.status === 422) save(REFUSED_KEY, load(REFUSED_KEY, 0) + 1);
          save(QUEUE_KEY, queue().filter((item) => item.client_id !== entry.client_id));
          showStatus();
          continue;
        }
        if (response.status === 403) showWelcomeError(texts.unpaired);
        break; // server away, rate limit, unpaired: keep and retry later
      }
    } finally {
      flushing = false;
      showStatus();
      if (queue().length) setTimeout(flush, RETRY_MS);
    }
  }

  // --- screens --------------------------------------------------------------------------
  function show(id) {
    screens.forEach((s) => { s.hidden = s.id !== id; });
    form.hidden = id !== "form";
  }
  function showWelcomeError(message) {
    const el = $("welcome-error");
    el.textContent = message;
    el.hidden = !message;
  }
  function showFormError(message) {
    const el = $("form-error");
    el.textContent = message;
    el.hidden = !message;
  }

  function resetForm() {
    form.reset();
    form.querySelectorAll("input[type=text], input[type=number], textarea").forEach((el) => { el.value = ""; });
    const ticket = $("kiosk-ticket");
    if (ticket) ticket.value = "";
    session = null;
    stepIndex = 0;
    showFormError("");
    clearTimeout(idleTimer);
  }

  function idle() {
    clearTimeout(idleTimer);
    if (session) idleTimer = setTimeout(() => { resetForm(); ready(); }, config.idleSeconds * 1000);
  }

  function ready() {
    if (!unlocked) {
      show("screen-locked");
      pollUnlock();
      return;
    }
    showWelcomeError("");
    show("screen-welcome");
  }

  async function pollUnlock() {
    clearTimeout(pollTimer);
    // An answer still waiting to be sent takes the officer's open unlock when it arrives: until
    // the server has it, an "open" from the server is that answer's unlock, not the next
    // respondent's (taken, the next answer would be refused). The queue as the question leaves:
    // an answer the server stores while the question is under way may have been open to it.
    const waiting = queue().length;
    try {
      const response = await fetch(config.statusUrl, { credentials: "same-origin", cache: "no-store" });
      if (response.ok && (await response.json()).unlocked && !waiting) {
        unlocked = true;
        ready();
        return;
      }
    } catch (e) { /* offline: ask again */ }
    pollTimer = setTimeout(pollUnlock, POLL_MS);
  }

  function renderStep() {
    steps.forEach((step, i) => { step.hidden = oneByOne && i !== stepIndex; });
    const last = !oneByOne || stepIndex === steps.length - 1;
    $("kiosk-back").hidden = !oneByOne || stepIndex === 0;
    $("kiosk-next").hidden = last;
    $("kiosk-submit").hidden = !last;
    $("kiosk-progress").textContent = oneByOne ? `${stepIndex + 1} / ${steps.length}` : "";
    const first = steps[stepIndex].querySelector("input, textarea");
    if (oneByOne) window.scrollTo(0, 0);
    return first;
  }

  function stepAnswered(step) {
    const name = step.dataset.required;
    if (name && !form.querySelector(`input[name="${name}"]:checked`)) return false;
    const occupation = form.querySelector('input[name="occupation"]:checked');
    const other = step.querySelector('[name="occupation_other"]');
    if (other && occupation && occupation.value === "LAINNYA" && !other.value.trim()) return "other";
    return true;
  }

  async function begin() {
    const ticketInput = $("kiosk-ticket");
    const ticket = ticketInput ? ticketInput.value.trim().toUpperCase() : "";
    if (ticketInput && !ticket) { showWelcomeError(texts.ticket); return; }
    $("kiosk-begin").disabled = true;
    let clientId = newId();
    let token = null;
    let result = null;
    try {
      result = await startToken(clientId, ticket);
    } catch (e) {
      result = null; // no network
    } finally {
      $("kiosk-begin").disabled = false;
    }
    if (result && result.token) {
      token = result.token;
    } else if (result && result.status === 403) {
      showWelcomeError(texts.unpaired);
      return;
    } else if (result && result.status < 500 && result.error) {
      showWelcomeError(result.error); // e.g. a used queue ticket
      return;
    } else {
      // No network, or the server is away: a token fetched earlier lets the respondent begin.
      const spare = takeSpare();
      if (spare) {
        clientId = spare.clientId;
        token = spare.token;
      }
    }
    if (!token) { showWelcomeError(texts.no_token); return; }
    session = { clientId, token, ticket, openedAt: Date.now(), openedPerf: performance.now() };
    refillSpares();
    showWelcomeError("");
    show("form");
    const first = renderStep();
    if (first) first.focus();
    idle();
  }

  function next() {
    const answered = stepAnswered(steps[stepIndex]);
    if (answered !== true) { showFormError(answered === "other" ? texts.occupation_other : texts.choose); return; }
    showFormError("");
    stepIndex = Math.min(stepIndex + 1, steps.length - 1);
    const first = renderStep();
    if (first) first.focus();
  }

  function back() {
    showFormError("");
    stepIndex = Math.max(stepIndex - 1, 0);
    renderStep();
  }

  function submit(event) {
    event.preventDefault();
    if (!session) return;
    const missing = steps.findIndex((step) => stepAnswered(step) !== true);
    if (missing >= 0) {
      if (oneByOne) { stepIndex = missing; renderStep(); }
      showFormError(stepAnswered(steps[missing]) === "other" ? texts.occupation_other : texts.choose);
      steps[missing].scrollIntoView({ block: "center" });
      return;
    }
    const elapsed = Math.round(performance.now() - session.openedPerf);
    const minimum = config.minSeconds * 1000;
    if (elapsed < minimum) {
      showFormError(texts.too_fast.replace("__", String(Math.ceil((minimum - elapsed) / 1000))));
      return;
    }
    const answers = {};
    new FormData(form).forEach((value, key) => { answers[key] = String(value); });
    const entry = {
      client_id: session.clientId,
      start_token: session.token,
      duration_ms: elapsed,
      answered_at: Date.now(),
      ticket: session.ticket,
      answers,
    };
    save(QUEUE_KEY, [...queue(), entry]);
    resetForm();
    if (config.unlockMode === "officer") unlocked = false;
    showStatus();
    show("screen-thanks");
    setTimeout(ready, THANKS_MS);
    flush();
  }

  // --- wiring ---------------------------------------------------------------------------
  $("kiosk-begin").addEventListener("click", begin);
  $("kiosk-next").addEventListener("click", next);
  $("kiosk-back").addEventListener("click", back);
  form.addEventListener("submit", submit);
  ["pointerdown", "keydown", "input", "change"].forEach((type) => document.addEventListener(type, idle, true));
  if (oneByOne) {
    // Choosing an answer moves on by itself, as on other kiosks; "Kembali" goes back.
    form.addEventListener("change", (event) => {
      const step = steps[stepIndex];
      if (event.target.type === "radio" && step.dataset.required === event.target.name && stepIndex < steps.length - 1
          && !step.querySelector('[name="occupation_other"], [name="age"]')) {
        setTimeout(next, 250);
      }
    });
  }
  window.addEventListener("online", () => { showStatus(); flush(); refillSpares(); });
  window.addEventListener("offline", showStatus);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.swUrl).catch(() => {});
  }
  showStatus();
  ready();
  flush();
  refillSpares();
})();
