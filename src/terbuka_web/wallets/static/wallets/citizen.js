// The citizen's wallet app (/dompet/): the key made on this phone (wallet-core.js), enrolment
// with the officer's code, balances per programme, notices of money that came in, history with
// log proofs checked here (tlog-proof.js), and paying: online (the signed intent posted) or by
// showing a QR code — an offline voucher (intent~allowance) while an offline allowance covers
// it, else the intent for the merchant to submit. What the server last said is kept in
// localStorage, so the app shows it with no signal (the service worker keeps the page and its
// scripts); so are the offline allowances with their own chain (docs/wallet.md).
"use strict";

(() => {
  const W = self.TerbukaWallet;
  const english = document.documentElement.lang === "en";
  const INTENT_SECONDS = 900;
  const OFFLINE_MERCHANT = "luring"; // an intent to it asks for an offline allowance
  const $ = (id) => document.getElementById(id);
  const text = (id, values = {}) =>
    $(id).content.textContent.trim().replace(/\{(\w+)\}/g, (_m, k) => values[k]);
  const rupiah = (n) => Number(n).toLocaleString("id-ID");
  const when = (iso) => new Date(iso).toLocaleString(english ? "en-GB" : "id-ID");
  const kept = (key, value) => {
    // Read (one argument) or write what the server last said, per wallet, in localStorage.
    const name = `terbuka-dompet:${key}`;
    if (value === undefined) return JSON.parse(localStorage.getItem(name) || "null");
    localStorage.setItem(name, JSON.stringify(value));
    return value;
  };
  const show = (...ids) => {
    for (const id of ["setup", "enrol", "wallet"]) $(id).hidden = !ids.includes(id);
  };
  const say = (box, kind, message) => {
    box.className = `usa-alert usa-alert--${kind} usa-alert__text`;
    box.textContent = message;
  };

  class Offline extends Error {}

  async function api(path, body, authorization) {
    // Call the wallet API; return {status, data}; throw Offline when there is no network.
    // authorization: the wallet's read proof, for reads of its own figures.
    let response;
    try {
      response = await fetch(path, body === undefined ? { headers: authorization ? { Authorization: authorization } : {} } : {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      });
    } catch (_error) {
      throw new Offline();
    }
    return { status: response.status, data: await response.json() };
  }

  function refusal(data) {
    // The API's error shape ({"error": {code, reason?, message, message_en}}) as one line.
    const e = data.error || {};
    return text("t-error", { reason: e.reason || e.code, message: english ? e.message_en : e.message });
  }

  async function load() {
    // Fetch the wallet, its history and the merchants; keep them; return the wallet or null
    // (not enrolled). With no signal, return what was kept and say so.
    const record = await W.walletLoad();
    const did = encodeURIComponent(record.did);
    const proof = await W.readProof(record.privateKey, record.did, Math.floor(Date.now() / 1000));
    try {
      const wallet = await api(`/api/wallets/${did}`, undefined, proof);
      $("network").hidden = true;
      if (wallet.status === 404) return null;
      const [payments, credits, merchants] = await Promise.all([
        api(`/api/wallets/${did}/payments`, undefined, proof), api(`/api/wallets/${did}/credits`, undefined, proof),
        api("/api/wallets/merchants"),
      ]);
      kept("merchants", merchants.data);
      kept("history", { payments: payments.data, credits: credits.data });
      if (record.counter < wallet.data.counter) await W.walletHeadSet(wallet.data.counter, wallet.data.head);
      return kept("wallet", wallet.data);
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
      $("network").hidden = false;
      return kept("wallet");
    }
  }

  function balancesShow(wallet) {
    const list = $("balances");
    const none = text("t-none");
    list.replaceChildren(...wallet.balances.map((b) => {
      const item = document.createElement("li");
      const head = document.createElement("strong");
      head.textContent = text("t-balance", { programme: b.programme, amount: rupiah(b.balance) });
      const rules = document.createElement("span");
      rules.className = "usa-hint";
      rules.textContent = text("t-balance-rules", {
        expires: new Date(b.expires * 1000).toLocaleDateString(english ? "en-GB" : "id-ID"),
        payment_cap: b.payment_cap ? "Rp " + rupiah(b.payment_cap) : none,
        day_cap: b.day_cap ? "Rp " + rupiah(b.day_cap) : none,
        categories: b.categories.join(", ") || text("t-any"),
      });
      item.append(head, document.createElement("br"), rules);
      return item;
    }));
    if (!wallet.balances.length) list.textContent = text("t-no-balance");
    for (const select of [$("pay-programme"), $("allow-programme")]) {
      const chosen = select.value;
      select.replaceChildren(...wallet.balances.map((b) => new Option(`${b.programme} (Rp ${rupiah(b.balance)})`, b.programme)));
      if (chosen) select.value = chosen;
    }
  }

  function allowances(did) {
    // This wallet's offline allowances still usable: not expired, not used up.
    const now = Math.floor(Date.now() / 1000);
    return (kept("allowances") || []).filter((a) => a.wallet === did && a.expires > now && a.used < a.count && a.spent < a.amount);
  }

  function allowanceSave(changed) {
    kept("allowances", (kept("allowances") || []).map((a) => (a.hash === changed.hash ? changed : a)));
  }

  function allowancesShow(did) {
    $("allowances").replaceChildren(...allowances(did).map((a) => {
      const item = document.createElement("li");
      item.textContent = text("t-allowance", {
        programme: a.programme, left: rupiah(a.amount - a.spent), times: a.count - a.used,
        expires: new Date(a.expires * 1000).toLocaleString(english ? "en-GB" : "id-ID"),
      });
      return item;
    }));
  }

  function merchantsShow() {
    const select = $("pay-merchant");
    const chosen = select.value;
    select.replaceChildren(...(kept("merchants") || []).map((m) =>
      new Option(`${m.name} (${m.category}, ${m.village})`, m.id)));
    if (chosen) select.value = chosen;
  }

  function noticesShow() {
    // Say which credits came in since the last visit, then remember the newest one seen.
    const credits = (kept("history") || { credits: [] }).credits;
    const seen = kept("seen-credit") || 0;
    const fresh = credits.filter((c) => c.id > seen);
    const box = $("notices");
    box.replaceChildren(...fresh.map((c) => {
      const line = document.createElement("p");
      line.className = "usa-alert usa-alert--success usa-alert__text";
      line.textContent = text("t-credit-notice", { amount: rupiah(c.amount), programme: c.programme });
      return line;
    }));
    if (credits.length) kept("seen-credit", Math.max(seen, ...credits.map((c) => c.id)));
  }

  function historyShow() {
    const { payments = [], credits = [] } = kept("history") || {};
    const rows = [
      ...payments.map((p) => ({ at: p.accepted_at, payment: p })),
      ...credits.map((c) => ({ at: c.at, credit: c })),
    ].sort((a, b) => (a.at < b.at ? 1 : -1));
    const list = $("history");
    list.replaceChildren(...rows.map(({ payment, credit }) => {
      const item = document.createElement("li");
      if (credit) {
        item.textContent = text("t-credit", { amount: rupiah(credit.amount), programme: credit.programme, when: when(credit.at) });
        return item;
      }
      const line = document.createElement("span");
      line.textContent = text("t-payment", {
        amount: rupiah(payment.amount), merchant: payment.merchant, programme: payment.programme,
        when: when(payment.accepted_at), counter: payment.counter,
      }) + (payment.offline ? ` · ${text("t-offline-tag")}` : "");
      item.append(line, proofShow(payment));
      return item;
    }));
    if (!rows.length) list.textContent = text("t-no-history");
  }

  function proofShow(payment) {
    // A <details> with the payment's C2SP tlog-proof and the result of checking it here.
    const details = document.createElement("details");
    details.className = "tb-proof";
    const summary = document.createElement("summary");
    details.append(summary);
    if (!payment.proof) {
      summary.textContent = text("t-proof-pending");
      return details;
    }
    summary.textContent = text("t-proof", { index: payment.log_index });
    const verdict = document.createElement("p");
    verdict.setAttribute("role", "status");
    const pre = document.createElement("pre");
    pre.textContent = payment.proof;
    details.append(verdict, pre);
    const vkey = $("app").dataset.logVkey;
    if (!vkey) {
      verdict.textContent = text("t-proof-unchecked");
      return details;
    }
    const entry = W.canonical({ hash: payment.hash, intent: payment.intent, kind: "wallet.payment", offline: payment.offline });
    self.TerbukaLog.receiptCheck(payment.proof, entry, vkey).then(
      (checkpoint) => { verdict.className = "tb-proof-ok"; verdict.textContent = text("t-proof-ok", { size: checkpoint.size }); },
      (error) => { verdict.className = "tb-proof-bad"; verdict.textContent = text("t-proof-bad", { message: error.message }); },
    );
    return details;
  }

  function render(wallet) {
    show("wallet");
    balancesShow(wallet);
    allowancesShow(wallet.wallet);
    merchantsShow();
    noticesShow();
    historyShow();
  }

  async function start() {
    const record = await W.walletLoad();
    if (!record) return show("setup");
    $("did").textContent = record.did;
    const wallet = await load();
    if (!wallet) return show("enrol");
    render(wallet);
  }

  async function enrol(form) {
    const out = $("enrol-result");
    const match = /^TEN1\.([A-Za-z0-9_-]{43})\.([0-9]{1,16})$/.exec(form.elements.code.value.trim());
    if (!match) return say(out, "error", text("t-bad-code"));
    const record = await W.walletLoad();
    const proof = await W.enrolProof(record.privateKey, record.did, match[1], Number(match[2]));
    try {
      const answer = await api("/api/wallets/enrolments", { challenge: match[1], wallet: record.did, proof });
      if (answer.status !== 201) return say(out, "error", refusal(answer.data));
    } catch (error) {
      if (error instanceof Offline) return say(out, "error", text("t-offline"));
      throw error;
    }
    say(out, "success", text("t-enrolled"));
    await start();
  }

  function payment(form) {
    // The payment the form asks for, or null after saying what is wrong.
    const amount = Number(form.elements.amount.value.replace(/[.\s]/g, ""));
    if (!Number.isSafeInteger(amount) || amount < 1) {
      say($("pay-result"), "error", text("t-amount"));
      return null;
    }
    const expires = Math.floor(Date.now() / 1000) + INTENT_SECONDS;
    return { merchant: form.elements.merchant.value, programme: form.elements.programme.value, amount, expires };
  }

  async function intentSign(pay) {
    // Sign pay after this phone's chain head (the server's, or further when this phone showed
    // offline vouchers not synced yet); the head moves only when the server accepts it.
    const record = await W.walletLoad();
    return W.intentMake(record.privateKey, record.did, { ...pay, counter: record.counter + 1, prev: record.prev });
  }

  async function payOnline(form) {
    const out = $("pay-result");
    const pay = payment(form);
    if (!pay) return;
    const intent = await intentSign(pay);
    let answer;
    try {
      answer = await api("/api/wallets/payments", { intent: intent.wire });
    } catch (error) {
      if (error instanceof Offline) return say(out, "error", text("t-offline"));
      throw error;
    }
    if (answer.status !== 201) return say(out, "error", refusal(answer.data));
    await W.walletHeadSet(answer.data.counter, answer.data.hash);
    form.elements.amount.value = "";
    $("qr").hidden = true;
    const wallet = await load();
    if (wallet) render(wallet);
    say(out, "success", text("t-paid", { amount: rupiah(pay.amount), merchant: pay.merchant, counter: answer.data.counter }));
  }

  async function payQr(form) {
    // Show a QR code: the offline voucher while an allowance of the programme covers the
    // amount (its chain advanced before it is shown, so a counter is never shown twice),
    // else, with a network, the signed intent for the merchant to submit.
    const pay = payment(form);
    if (!pay) return;
    const record = await W.walletLoad();
    const a = allowances(record.did).find((x) => x.programme === pay.programme && x.amount - x.spent >= pay.amount);
    $("pay-result").replaceChildren();
    $("pay-result").className = "";
    if (a) {
      const intent = await W.intentMake(record.privateKey, record.did, {
        ...pay, expires: a.expires, counter: a.start + a.used, prev: a.prev,
      });
      const left = a.amount - a.spent - pay.amount;
      allowanceSave({ ...a, used: a.used + 1, prev: intent.hash, spent: a.spent + pay.amount });
      allowancesShow(record.did);
      return qrShow(W.voucher(intent.wire, a.allowance), text("t-qr-offline", { amount: rupiah(pay.amount), merchant: pay.merchant, left: rupiah(left) }));
    }
    if (!navigator.onLine) return say($("pay-result"), "error", text("t-no-allowance"));
    const intent = await intentSign(pay);
    qrShow(intent.wire, text("t-qr-online", { amount: rupiah(pay.amount), merchant: pay.merchant }));
  }

  async function allow(form) {
    // Ask for an offline allowance: an intent of the online chain to "luring" for the amount.
    const out = $("allow-result");
    const amount = Number(form.elements.amount.value.replace(/[.\s]/g, ""));
    const count = Number(form.elements.count.value);
    if (!Number.isSafeInteger(amount) || amount < 1) return say(out, "error", text("t-amount"));
    if (!Number.isInteger(count) || count < 1 || count > 20) return say(out, "error", text("t-count"));
    const expires = Math.floor(Date.now() / 1000) + INTENT_SECONDS;
    const intent = await intentSign({ merchant: OFFLINE_MERCHANT, programme: form.elements.programme.value, amount, expires });
    let answer;
    try {
      answer = await api("/api/wallets/allowances", { intent: intent.wire, count });
    } catch (error) {
      if (error instanceof Offline) return say(out, "error", text("t-offline"));
      throw error;
    }
    if (answer.status !== 201) return say(out, "error", refusal(answer.data));
    const record = await W.walletLoad();
    const given = { ...answer.data, wallet: record.did, used: 0, spent: 0, prev: answer.data.request };
    kept("allowances", [...(kept("allowances") || []).filter((a) => a.wallet === record.did), given]);
    await W.walletHeadSet(answer.data.next_counter - 1, answer.data.next_prev);
    form.elements.amount.value = "";
    const wallet = await load();
    if (wallet) render(wallet);
    say(out, "success", text("t-allowed", { amount: rupiah(given.amount), count: given.count }));
  }

  function qrShow(payload, caption) {
    $("qr-caption").textContent = caption;
    $("qr-code").innerHTML = W.qrSvg(payload, caption);
    $("qr-text").value = payload;
    $("qr").hidden = false;
    $("qr").scrollIntoView();
  }

  async function scan() {
    // Read the officer's QR code with the camera where the browser can (BarcodeDetector).
    const video = $("scanner");
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const timer = setInterval(async () => {
      const codes = await detector.detect(video);
      if (!codes.length) return;
      clearInterval(timer);
      stream.getTracks().forEach((t) => t.stop());
      video.hidden = true;
      $("enrol-code").value = codes[0].rawValue;
      enrol($("enrol-form"));
    }, 300);
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("create").addEventListener("click", async () => {
      await W.walletCreate();
      await start();
      $("enrol-code").focus();
    });
    $("enrol-form").addEventListener("submit", (event) => {
      event.preventDefault();
      enrol(event.target);
    });
    if ("BarcodeDetector" in self && navigator.mediaDevices) {
      $("scan").hidden = false;
      $("scan").addEventListener("click", scan);
    }
    $("pay-form").addEventListener("submit", (event) => {
      event.preventDefault();
      payOnline(event.target);
    });
    $("pay-qr").addEventListener("click", () => payQr($("pay-form")));
    $("allow-form").addEventListener("submit", (event) => {
      event.preventDefault();
      allow(event.target);
    });
    start();
    if ("serviceWorker" in navigator) navigator.serviceWorker.register("/dompet/sw.js", { scope: "/dompet/" });
  });
})();
