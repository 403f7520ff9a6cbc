// The merchant's page (/dompet/pedagang/): read the citizen's QR code with the camera or
// from a photo (TerbukaScan, qr-scan.js), or take its pasted text; then submit an online
// intent (TPI1 with no allowance) to POST /api/wallets/payments, or check a QR payment offline with
// TerbukaWallet.offlineCheck (wallet-check.js), against the payments this device already took
// (kept in IndexedDB until synced), and keep the page working with no signal (sw.js). When
// online, "Sinkronkan" posts the selected shop's vouchers to POST /api/wallets/sync with the
// shop's token and marks each record with the server's answer (accepted, duplicate, waiting,
// grievance, refused); records stay on the device for the replay and double-spend checks.
"use strict";

(() => {
  const english = document.documentElement.lang === "en";
  const stored = self.terbukaStore("terbuka-pedagang", "vouchers");
  const WIB = 7 * 3600;
  const dayOf = (seconds) => Math.floor((seconds + WIB) / 86400);
  const rupiah = (n) => n.toLocaleString("id-ID");
  const fill = (id, values) =>
    document.getElementById(id).content.textContent.trim().replace(/\{(\w+)\}/g, (_m, k) => values[k]);

  async function takenShow() {
    const list = document.getElementById("taken");
    const records = (await stored("readonly", (s) => s.getAll())) || [];
    list.replaceChildren(
      ...records.map((r) => {
        const item = document.createElement("li");
        const state = r.synced ? ` · ${r.synced}${r.reason ? " (" + r.reason + ")" : ""}` : "";
        item.textContent = `Rp ${rupiah(r.amount)} · ${r.merchant} · ${r.wallet.slice(8, 20)}… #${r.counter}${state}`;
        return item;
      }),
    );
  }

  async function submit(form, intent, shop) {
    // An online payment (a signed intent with no allowance): the server checks and pays it.
    const out = document.getElementById("check-result");
    const refused = (reason, message) => {
      out.className = "usa-alert usa-alert--error usa-alert__text";
      out.textContent = fill("text-refused", { reason, message });
    };
    if (intent.split(".")[2] !== shop) return refused("wrong_merchant", fill("text-other-shop", {}));
    let response;
    try {
      response = await fetch("/api/wallets/payments", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ intent }),
      });
    } catch (_error) {
      return refused("offline", fill("text-online-needed", {}));
    }
    const answer = await response.json();
    if (response.status !== 201) {
      const e = answer.error || {};
      return refused(e.reason || e.code, english ? e.message_en : e.message);
    }
    out.className = "usa-alert usa-alert--success usa-alert__text";
    out.textContent = fill("text-valid", { amount: rupiah(answer.amount), wallet: answer.wallet.slice(8, 20) + "…", counter: answer.counter });
    form.elements.payload.value = "";
  }

  async function check(form) {
    const select = form.elements.merchant;
    const option = select.selectedOptions[0];
    localStorage.setItem("terbuka-pedagang", select.value);
    const merchant = { id: select.value, category: option.dataset.category, region: option.dataset.region };
    const now = Math.floor(Date.now() / 1000);
    const records = (await stored("readonly", (s) => s.getAll())) || [];
    const payload = form.elements.payload.value.trim();
    if (payload.startsWith("TPI1.") && !payload.includes("~")) return submit(form, payload, merchant.id);
    const wallet = "did:key:" + (payload.split(".")[1] || "");
    const spentToday = records
      .filter((r) => r.wallet === wallet && r.day === dayOf(now))
      .reduce((sum, r) => sum + r.amount, 0);
    const result = await TerbukaWallet.offlineCheck(payload, {
      issuer: form.dataset.issuer, merchant, now, seen: records.map((r) => r.intent), spentToday,
    });
    const out = document.getElementById("check-result");
    if (!result.valid) {
      const message = english ? result.message_en : result.message_id;
      out.className = "usa-alert usa-alert--error usa-alert__text";
      out.textContent = fill("text-refused", { reason: result.reason, message });
      return;
    }
    const i = result.intent;
    const record = {
      payload, intent: payload.split("~")[0], wallet: i.wallet, merchant: i.merchant,
      amount: i.amount, counter: i.counter, day: dayOf(now), at: now,
    };
    await stored("readwrite", (s) => s.put(record, result.hash));
    await takenShow(); // the list first: the success shows when everything is done
    out.className = "usa-alert usa-alert--success usa-alert__text";
    out.textContent = fill("text-valid", { amount: rupiah(i.amount), wallet: i.wallet.slice(8, 20) + "…", counter: i.counter });
    form.elements.payload.value = "";
  }

  async function sync(form) {
    const merchant = document.getElementById("merchant").value;
    const token = form.elements.token.value.trim();
    localStorage.setItem("terbuka-pedagang-token", token);
    const records = ((await stored("readonly", (s) => s.getAll())) || []).filter(
      (r) => r.merchant === merchant && !["accepted", "duplicate"].includes(r.synced),
    );
    const out = document.getElementById("sync-result");
    let answer;
    try {
      const response = await fetch("/api/wallets/sync", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ vouchers: records.map((r) => r.payload), taken: records.map((r) => r.at) }),
      });
      answer = await response.json();
      if (!response.ok) throw new Error(english ? answer.error.message_en : answer.error.message);
    } catch (error) {
      out.className = "usa-alert usa-alert--error usa-alert__text";
      out.textContent = fill("text-sync-failed", { message: error.message });
      return;
    }
    const counts = { accepted: 0, waiting: 0, grievance: 0, refused: 0 };
    for (const [n, result] of answer.results.entries()) {
      const record = { ...records[n], synced: result.status, reason: result.reason };
      await stored("readwrite", (s) => s.put(record, result.hash || records[n].intent));
      counts[result.status === "duplicate" ? "accepted" : result.status] += 1;
    }
    out.className = "usa-alert usa-alert--info usa-alert__text";
    out.textContent = fill("text-synced", counts);
    await takenShow();
  }

  function scanWire(form) {
    // A QR code read by the camera or from a photo fills the payload and is checked at once.
    const status = document.getElementById("scan-status");
    const read = (text) => {
      form.elements.payload.value = text.trim();
      check(form);
    };
    const camera = document.getElementById("scan-camera");
    const stopButton = document.getElementById("scan-stop");
    let stop = null;
    const stopped = () => {
      if (stop) stop();
      stop = null;
      stopButton.hidden = true;
      camera.hidden = false;
    };
    if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      camera.hidden = false;
      camera.addEventListener("click", async () => {
        status.textContent = "";
        try {
          stop = await TerbukaScan.camera(document.getElementById("scan-video"), (text) => {
            stop = null;
            stopped();
            read(text);
          });
          camera.hidden = true;
          stopButton.hidden = false;
        } catch (error) {
          status.textContent = fill("text-scan-failed", { message: error.message || error.name });
        }
      });
      stopButton.addEventListener("click", stopped);
    }
    document.getElementById("scan-photo").addEventListener("change", async (event) => {
      const file = event.target.files[0];
      status.textContent = "";
      if (!file) return;
      const text = await TerbukaScan.photo(file).catch(() => null);
      event.target.value = "";
      if (text) read(text);
      else status.textContent = fill("text-scan-none", {});
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const syncForm = document.getElementById("merchant-sync");
    if (syncForm) {
      syncForm.elements.token.value = localStorage.getItem("terbuka-pedagang-token") || "";
      syncForm.addEventListener("submit", (event) => {
        event.preventDefault();
        sync(syncForm);
      });
    }
    const form = document.getElementById("merchant-check");
    if (!form) return;
    const chosen = localStorage.getItem("terbuka-pedagang");
    if (chosen && [...form.elements.merchant.options].some((o) => o.value === chosen)) {
      form.elements.merchant.value = chosen;
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      check(form);
    });
    scanWire(form);
    takenShow();
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/dompet/sw.js", { scope: "/dompet/" });
  });
})();
