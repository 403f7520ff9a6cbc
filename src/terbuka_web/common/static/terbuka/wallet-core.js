// The citizen wallet's formats in the browser, byte for byte as docs/wallet.md and the core
// (terbuka.money) define them: did:key of a WebCrypto Ed25519 key, the enrolment proof, the
// signed payment intent (TPI1) and its hash, the offline voucher (intent~allowance), and its
// QR code (byte mode, error correction M, version 15 at most). The private key is made
// non-extractable and kept in this device's IndexedDB with the wallet's chain head (last
// counter and intent hash). No network, no server: the wallet page and the service worker
// load this file after store.js; tests/browser/test_wallet_core.py checks it against the
// core's vectors.
// Exposes window.TerbukaWallet (or self.TerbukaWallet in a worker).
"use strict";

(() => {
  const ZERO_HASH = "A".repeat(43);
  const ID = /^[A-Za-z0-9_-]{1,32}$/;
  const MAX_SAFE = Number.MAX_SAFE_INTEGER;
  const QR_MAX_MODULES = 77; // version 15: 17 + 4 × 15
  const ED25519_PUB = [0xed, 0x01]; // multicodec varint of ed25519-pub
  const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const encoder = new TextEncoder();

  class WalletError extends Error {
    // A refused value: field, and the reason in Bahasa Indonesia and English.
    constructor(field, id, en) {
      super(`${field}: ${id} / ${en}`);
      this.field = field;
      this.message_id = id;
      this.message_en = en;
    }
  }

  function b64url(bytes) {
    // Encode bytes as base64url without padding (RFC 4648 §5).
    const text = btoa(String.fromCharCode(...new Uint8Array(bytes)));
    return text.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function b64urlDecode(text) {
    // Decode base64url without padding into a Uint8Array.
    const plain = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(plain + "=".repeat((4 - (plain.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }

  function b58(bytes) {
    // Encode bytes in base58btc (Bitcoin alphabet), leading zero bytes as "1".
    const digits = [0];
    for (const byte of bytes) {
      let carry = byte;
      for (let i = 0; i < digits.length; i++) {
        carry += digits[i] << 8;
        digits[i] = carry % 58;
        carry = Math.floor(carry / 58);
      }
      while (carry) {
        digits.push(carry % 58);
        carry = Math.floor(carry / 58);
      }
    }
    let zeros = 0;
    while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
    while (digits.length && digits[digits.length - 1] === 0) digits.pop();
    return "1".repeat(zeros) + digits.reverse().map((d) => B58[d]).join("");
  }

  function didKey(rawPublic) {
    // Return the did:key of a 32-byte Ed25519 public key: "did:key:z6Mk…".
    const raw = new Uint8Array(rawPublic);
    if (raw.length !== 32) throw new WalletError("key", "kunci publik bukan 32 bita", "the public key is not 32 bytes");
    return "did:key:z" + b58(Uint8Array.from([...ED25519_PUB, ...raw]));
  }

  function canonical(fields) {
    // Return the RFC 8785 bytes of a flat object of ASCII strings, safe integers and string
    // lists: keys sorted, no spaces (for these values JSON.stringify is already JCS).
    const keys = Object.keys(fields).sort();
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + JSON.stringify(fields[k])).join(",") + "}";
  }

  function amountCheck(field, value, least) {
    if (!Number.isSafeInteger(value) || value < least || value > MAX_SAFE) {
      throw new WalletError(field, `harus bilangan bulat ${least} s.d. 2^53−1`, `must be an integer from ${least} to 2^53−1`);
    }
  }

  function idCheck(field, value) {
    if (typeof value !== "string" || !ID.test(value)) {
      throw new WalletError(field, "1–32 huruf, angka, _ atau -", "1–32 letters, digits, _ or -");
    }
  }

  async function sign(privateKey, text) {
    return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, privateKey, encoder.encode(text)));
  }

  async function intentMake(privateKey, wallet, { merchant, programme, amount, counter, prev, expires }) {
    // Sign a payment intent; return {wire, hash, input}: the TPI1 text, the intent's hash
    // (the next intent's prev) and the RFC 8785 signature input (docs/wallet.md, TPI1).
    idCheck("merchant", merchant);
    idCheck("programme", programme);
    amountCheck("amount", amount, 1);
    amountCheck("counter", counter, 1);
    amountCheck("expires", expires, 0);
    if (!/^[A-Za-z0-9_-]{43}$/.test(prev)) throw new WalletError("prev", "bukan hash niat", "not an intent hash");
    if (!wallet.startsWith("did:key:z6Mk")) throw new WalletError("wallet", "bukan did:key Ed25519", "not an Ed25519 did:key");
    const fields = { amount, counter, expires, merchant, prev, programme, type: "terbuka/payment-intent/1", wallet };
    const input = canonical(fields);
    const signature = b64url(await sign(privateKey, input));
    const wire = ["TPI1", wallet.slice("did:key:".length), merchant, programme, amount, counter, expires, prev, signature].join(".");
    const hash = b64url(await crypto.subtle.digest("SHA-256", encoder.encode(input)));
    return { wire, hash, input };
  }

  async function enrolProof(privateKey, wallet, challenge, expires) {
    // Sign the enrolment challenge (docs/wallet.md, Enrolment); return the base64url signature.
    amountCheck("expires", expires, 0);
    const input = canonical({ challenge, expires, type: "terbuka/wallet-enrol/1", wallet });
    return b64url(await sign(privateKey, input));
  }

  async function readProof(privateKey, wallet, at) {
    // Sign a read of the wallet's own figures (docs/wallet.md, Reading a wallet); return the
    // Authorization header's value "Wallet <at>.<signature>".
    amountCheck("at", at, 0);
    const input = canonical({ at, type: "terbuka/wallet-read/1", wallet });
    return `Wallet ${at}.${b64url(await sign(privateKey, input))}`;
  }

  function voucher(intentWire, allowanceWire) {
    // Join an intent and its offline allowance into the QR payload: the allowance's wallet and
    // programme fields left empty (the verifier puts the intent's back).
    const parts = allowanceWire.split(".");
    if (parts[0] !== "TOA1" || parts.length !== 12) throw new WalletError("allowance", "bukan jatah luring TOA1", "not a TOA1 offline allowance");
    parts[1] = "";
    parts[2] = "";
    return intentWire + "~" + parts.join(".");
  }

  function qrMake(payload) {
    // Encode payload as a QR code (byte mode, level M); refuse anything above version 15.
    const code = self.qrcode(0, "M");
    code.addData(payload, "Byte");
    code.make();
    if (code.getModuleCount() > QR_MAX_MODULES) {
      throw new WalletError("qr", "isi terlalu panjang untuk QR versi 15-M", "payload too long for a version 15-M QR code");
    }
    return code;
  }

  function qrSvg(payload, label) {
    // Return the QR code of payload as an SVG element's markup with a 4-module quiet zone.
    const code = qrMake(payload);
    const n = code.getModuleCount();
    let path = "";
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) if (code.isDark(r, c)) path += `M${c + 4} ${r + 4}h1v1h-1z`;
    }
    const side = n + 8;
    const title = String(label).replace(/[<&>"]/g, "");
    return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" role="img" aria-label="${title}" shape-rendering="crispEdges"><rect width="${side}" height="${side}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`;
  }

  // The device store (store.js): one wallet key (non-extractable) and its chain head.
  const stored = self.terbukaStore("terbuka-dompet", "wallet");

  async function walletCreate() {
    // Make the wallet's key on this device (never exportable) and store it with an empty
    // chain head; return {did, privateKey, counter: 0, prev: ZERO_HASH}.
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    const did = didKey(await crypto.subtle.exportKey("raw", pair.publicKey));
    const record = { did, privateKey: pair.privateKey, counter: 0, prev: ZERO_HASH };
    await stored("readwrite", (s) => s.put(record, "wallet"));
    return record;
  }

  const walletLoad = () => stored("readonly", (s) => s.get("wallet"));

  async function walletPay(payment) {
    // Sign the next intent from the stored chain head and advance the head before returning
    // it, so a counter is never shown twice: payment is {merchant, programme, amount, expires}.
    const record = await walletLoad();
    if (!record) throw new WalletError("wallet", "belum ada dompet di perangkat ini", "no wallet on this device");
    const intent = await intentMake(record.privateKey, record.did, { ...payment, counter: record.counter + 1, prev: record.prev });
    await stored("readwrite", (s) => s.put({ ...record, counter: record.counter + 1, prev: intent.hash }, "wallet"));
    return intent;
  }

  async function walletHeadSet(counter, prev) {
    // Move the stored chain head to counter and the hash prev (an intent the server accepted,
    // or the server's head when it is further than this device's).
    amountCheck("counter", counter, 0);
    const record = await walletLoad();
    if (!record) throw new WalletError("wallet", "belum ada dompet di perangkat ini", "no wallet on this device");
    await stored("readwrite", (s) => s.put({ ...record, counter, prev }, "wallet"));
  }

  self.TerbukaWallet = {
    ZERO_HASH, WalletError, b64url, b64urlDecode, b58, didKey, canonical, intentMake, enrolProof,
    readProof, voucher, qrMake, qrSvg, walletCreate, walletLoad, walletPay, walletHeadSet,
  };
})();
