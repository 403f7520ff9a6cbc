// Sign consortium votes in the browser: WebCrypto Ed25519 (RFC 8032), the private key made
// non-extractable and kept in this device's IndexedDB; the server only ever sees the public
// key and signed votes. The vote statement is terbuka.governance.vote's exact bytes:
//   terbuka/governance-vote/v1\nproposal <hash>\nchoice <yes|no|abstain>\nmember <key id>\n
// followed by "signature <base64>\n". Loaded as a static file after store.js (CSP: no
// inline script).
"use strict";

(() => {
  const DB = "terbuka-konsorsium";
  const STORE = "keys";
  const SLOT = "member";
  const english = document.documentElement.lang === "en";
  const say = (id, en) => (english ? en : id);

  const stored = self.terbukaStore(DB, STORE);

  const keyLoad = () => stored("readonly", (s) => s.get(SLOT));
  const keySave = (record) => stored("readwrite", (s) => s.put(record, SLOT));

  const base64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));
  const hex = (bytes) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

  async function keyMake() {
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    const raw = await crypto.subtle.exportKey("raw", pair.publicKey);
    const keyId = hex(await crypto.subtle.digest("SHA-256", raw)).slice(0, 16);
    const record = { privateKey: pair.privateKey, publicKey: base64(raw), keyId };
    await keySave(record);
    return record;
  }

  function keyShow(record) {
    const info = document.getElementById("key-info");
    if (!info) return;
    document.getElementById("key-none").hidden = Boolean(record);
    info.hidden = !record;
    if (record) {
      document.getElementById("key-public").textContent = record.publicKey;
      document.getElementById("key-id").textContent = record.keyId;
    }
  }

  async function keyPage() {
    const button = document.getElementById("key-make");
    if (!button) return;
    keyShow(await keyLoad());
    button.addEventListener("click", async () => {
      const status = document.getElementById("key-status");
      if ((await keyLoad()) && !window.confirm(say("Ganti kunci yang ada?", "Replace the existing key?"))) return;
      try {
        keyShow(await keyMake());
        status.textContent = say("Kunci dibuat dan disimpan di perangkat ini.", "Key made and kept on this device.");
      } catch (error) {
        status.textContent = say("Peramban ini tidak mendukung Ed25519: ", "This browser does not support Ed25519: ") + error;
      }
    });
  }

  async function votePanel() {
    const form = document.getElementById("vote-browser");
    if (!form) return;
    const record = await keyLoad();
    document.getElementById("vote-nokey").hidden = Boolean(record);
    form.hidden = !record;
    if (!record) return;
    form.querySelector("[data-key-id]").textContent = record.keyId;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = document.getElementById("vote-result");
      const choice = form.querySelector("input[name=choice]:checked").value;
      const statement = `terbuka/governance-vote/v1\nproposal ${form.dataset.hash}\nchoice ${choice}\nmember ${record.keyId}\n`;
      const signature = await crypto.subtle.sign("Ed25519", record.privateKey, new TextEncoder().encode(statement));
      const response = await fetch(form.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ vote: `${statement}signature ${base64(signature)}\n` }),
      });
      const body = await response.json();
      if (response.ok) {
        result.textContent = say("Suara diterima dan dicatat di log.", "Vote accepted and logged.");
        window.location.reload();
      } else {
        result.textContent = english ? body.error.message_en : body.error.message;
        result.classList.add("error");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    keyPage();
    votePanel();
  });
})();
