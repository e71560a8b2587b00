// The signing page: loads the session, shows the pages with this signer's fields over them, lets
// the signer draw, type or upload a signature, fill the fields, and finish or decline. No external
// assets; everything goes to the same origin under the link's own path.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const base = location.pathname.replace(/\/+$/, "");
  const state = { fields: [], values: {}, signature: null, initials: null, target: null };

  function fail(message) {
    $("error").textContent = message;
    $("error").hidden = false;
    $("actions").hidden = true;
    $("pages").replaceChildren();
  }

  async function api(path, body) {
    const res = await fetch(base + path, body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.message || ("the server answered " + res.status));
    return data;
  }

  function place(el, f) {
    el.style.left = (f.x * 100) + "%";
    el.style.top = (f.y * 100) + "%";
    el.style.width = (f.width * 100) + "%";
    el.style.height = (f.height * 100) + "%";
  }

  function fieldElement(f) {
    const box = document.createElement("div");
    box.className = "field";
    box.dataset.fieldId = f.id;
    box.dataset.type = f.type;
    box.title = f.label || f.type;
    place(box, f);
    if (f.type === "signature" || f.type === "initials") {
      box.textContent = f.type === "signature" ? "Sign here" : "Initials";
      box.setAttribute("role", "button");
      box.tabIndex = 0;
      box.addEventListener("click", () => openPad(f));
    } else if (f.type === "checkbox") {
      const input = document.createElement("input");
      input.type = "checkbox";
      input.dataset.fieldId = f.id;
      input.addEventListener("change", () => { state.values[f.id] = input.checked; refresh(); });
      box.append(input);
    } else {
      const input = document.createElement("input");
      input.type = f.type === "date" ? "date" : "text";
      input.maxLength = 500;
      input.placeholder = f.label || f.type;
      input.dataset.fieldId = f.id;
      if (f.type === "date") { input.value = state.today; state.values[f.id] = state.today; }
      input.addEventListener("input", () => { state.values[f.id] = input.value; refresh(); });
      box.append(input);
    }
    return box;
  }

  function missing() {
    return state.fields.filter((f) => {
      if (f.type === "signature") return !state.signature;
      if (f.type === "initials") return f.required && !state.initials;
      if (f.type === "checkbox") return f.required && !state.values[f.id];
      return f.required && !String(state.values[f.id] || "").trim();
    });
  }

  function refresh() {
    const open = missing();
    $("progress").textContent = open.length ? open.length + " field(s) left" : "Ready to finish";
    $("finish").disabled = open.length > 0;
    for (const box of document.querySelectorAll(".field")) {
      const f = state.fields.find((x) => x.id === box.dataset.fieldId);
      box.classList.toggle("missing", open.includes(f) && state.tried);
      const sig = f.type === "signature" ? state.signature : f.type === "initials" ? state.initials : null;
      if (sig) {
        box.classList.add("filled");
        if (sig.image) {
          const img = document.createElement("img");
          img.src = sig.image;
          img.alt = f.type;
          box.replaceChildren(img);
        } else {
          box.textContent = sig.text;
        }
      }
    }
  }

  // ---- the signature pad: draw (pointer events, mouse, pen and touch), type or upload
  const canvas = $("sig-canvas");
  const ctx = canvas.getContext("2d");
  let drawing = false, drawn = false, tab = "draw", uploaded = null;
  function clearPad() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    drawn = false;
  }
  function point(e) {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
  }
  canvas.addEventListener("pointerdown", (e) => {
    drawing = true;
    canvas.setPointerCapture(e.pointerId);
    ctx.lineWidth = 3;
    ctx.lineCap = ctx.lineJoin = "round";
    ctx.strokeStyle = "#1a237e";
    ctx.beginPath();
    ctx.moveTo(...point(e));
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!drawing) return;
    ctx.lineTo(...point(e));
    ctx.stroke();
    drawn = true;
  });
  for (const ev of ["pointerup", "pointercancel"]) canvas.addEventListener(ev, () => { drawing = false; });
  $("clear").addEventListener("click", clearPad);
  for (const b of document.querySelectorAll("[data-tab]"))
    b.addEventListener("click", () => {
      tab = b.dataset.tab;
      for (const x of document.querySelectorAll("[data-tab]")) x.classList.toggle("active", x === b);
      for (const p of document.querySelectorAll("[data-panel]")) p.hidden = p.dataset.panel !== tab;
    });
  $("sig-file").addEventListener("change", () => {
    const file = $("sig-file").files[0];
    if (!file) return;
    const img = new Image();
    img.onload = () => {
      // Re-encoded as PNG through a canvas: the server takes PNG only.
      const c = document.createElement("canvas");
      const scale = Math.min(1, 1200 / img.width, 400 / img.height);
      c.width = Math.max(1, Math.round(img.width * scale));
      c.height = Math.max(1, Math.round(img.height * scale));
      c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
      uploaded = c.toDataURL("image/png");
      URL.revokeObjectURL(img.src);
    };
    img.src = URL.createObjectURL(file);
  });
  function openPad(f) {
    state.target = f;
    $("pad-title").textContent = f.type === "initials" ? "Your initials" : "Your signature";
    const name = state.signer.name || "";
    $("sig-text").value = f.type === "initials"
      ? name.split(/\s+/).map((w) => w[0] || "").join("").toUpperCase() : name;
    clearPad();
    uploaded = null;
    $("pad").showModal();
  }
  $("pad-cancel").addEventListener("click", () => $("pad").close());
  $("adopt").addEventListener("click", () => {
    let sig = null;
    if (tab === "draw" && drawn) sig = { image: canvas.toDataURL("image/png") };
    if (tab === "type" && $("sig-text").value.trim()) sig = { text: $("sig-text").value.trim() };
    if (tab === "upload" && uploaded) sig = { image: uploaded };
    if (!sig) return;
    if (state.target.type === "initials") state.initials = sig; else state.signature = sig;
    $("pad").close();
    refresh();
  });

  // ---- finish and decline
  $("finish").addEventListener("click", async () => {
    state.tried = true;
    if (missing().length) return refresh();
    $("finish").disabled = $("decline").disabled = true;
    $("progress").textContent = "Signing…";
    try {
      const res = await api("/complete", { signature: state.signature, initials: state.initials,
                                           values: state.values });
      $("done").textContent = res.request_completed
        ? "Signed. Everyone has signed; you will receive the completed document by email."
        : "Signed. Thank you; the sender has been told.";
      $("done").hidden = false;
      $("actions").hidden = true;
      $("pages").replaceChildren();
    } catch (err) {
      $("progress").textContent = err.message;
      $("finish").disabled = $("decline").disabled = false;
    }
  });
  $("decline").addEventListener("click", () => $("decline-dialog").showModal());
  $("decline-cancel").addEventListener("click", () => $("decline-dialog").close());
  $("decline-confirm").addEventListener("click", async () => {
    try {
      await api("/decline", { reason: $("decline-reason").value });
      $("decline-dialog").close();
      $("done").textContent = "You declined to sign. The sender has been told.";
      $("done").hidden = false;
      $("actions").hidden = true;
      $("pages").replaceChildren();
    } catch (err) {
      $("decline-dialog").close();
      fail(err.message);
    }
  });

  async function start() {
    if (window.PAPERD_BOOT && window.PAPERD_BOOT.error) return fail(window.PAPERD_BOOT.error);
    try {
      const s = await api("/session");
      state.fields = s.fields;
      state.signer = s.signer;
      state.today = s.today;
      $("title").textContent = s.title;
      $("intro").textContent = "For " + s.signer.name + " <" + s.signer.email + ">" +
        (s.message ? "\n" + s.message : "") + "\nThis link works until " + s.expires_at + ".";
      const pages = s.pages.map((p) => {
        const div = document.createElement("div");
        div.className = "page";
        div.style.maxWidth = Math.round(p.width_pt * 1.5) + "px";
        const img = document.createElement("img");
        img.src = base + "/page/" + p.page;
        img.alt = "page " + p.page;
        img.width = p.width;
        img.height = p.height;
        div.append(img);
        for (const f of s.fields.filter((x) => x.page === p.page)) div.append(fieldElement(f));
        return div;
      });
      $("pages").replaceChildren(...pages);
      $("actions").hidden = false;
      refresh();
    } catch (err) {
      fail(err.message);
    }
  }
  start();
})();
