// The merchant's offline check of a wallet's QR payment, in the browser, with no network:
// the same rules, in the same order, with the same reason codes as the core's
// terbuka.money.voucher.offline_check (docs/wallet.md, "What the merchant checks offline").
// Needs wallet-core.js first; adds TerbukaWallet.voucherParse and TerbukaWallet.offlineCheck.
"use strict";

(() => {
  const W = self.TerbukaWallet;
  const { WalletError, b64url, b64urlDecode, canonical } = W;
  const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const INTEGER = /^(0|[1-9][0-9]*)$/;
  const ID = /^[A-Za-z0-9_-]{1,32}$/;
  const B64URL = /^[A-Za-z0-9_-]*$/;
  const encoder = new TextEncoder();

  class Refused extends Error {
    // A refused payment: reason code, field, and the reason in both languages.
    constructor(reason, field, id, en) {
      super(`${reason}: ${en}`);
      Object.assign(this, { reason, field, message_id: id, message_en: en });
    }
  }

  function b58Decode(text, field) {
    // Decode base58btc text into bytes; a character outside the alphabet is a WalletError.
    const bytes = [0];
    for (const char of text) {
      let carry = B58.indexOf(char);
      if (carry < 0) throw new WalletError(field, "bukan base58btc", "not base58btc");
      for (let i = 0; i < bytes.length; i++) {
        carry += bytes[i] * 58;
        bytes[i] = carry & 0xff;
        carry >>= 8;
      }
      while (carry) {
        bytes.push(carry & 0xff);
        carry >>= 8;
      }
    }
    while (bytes.length && bytes[bytes.length - 1] === 0) bytes.pop();
    const zeros = text.length - text.replace(/^1+/, "").length;
    return Uint8Array.from([...new Array(zeros).fill(0), ...bytes.reverse()]);
  }

  function publicKeyOf(did, field) {
    // Return the 32-byte Ed25519 key of a did:key ("did:key:z6Mk…"); WalletError otherwise.
    if (typeof did !== "string" || !did.startsWith("did:key:z")) {
      throw new WalletError(field, "bukan did:key base58btc", "not a base58btc did:key");
    }
    const raw = b58Decode(did.slice("did:key:z".length), field);
    if (raw.length !== 34 || raw[0] !== 0xed || raw[1] !== 0x01) {
      throw new WalletError(field, "bukan kunci Ed25519 32 bita", "not a 32-byte Ed25519 key");
    }
    return raw.slice(2);
  }

  function integer(text, field, least) {
    if (!INTEGER.test(text) || Number(text) > Number.MAX_SAFE_INTEGER || Number(text) < least) {
      throw new WalletError(field, "bukan bilangan bulat yang sah", "not a valid integer");
    }
    return Number(text);
  }

  function identifier(text, field) {
    if (!ID.test(text)) throw new WalletError(field, "1–32 huruf, angka, _ atau -", "1–32 letters, digits, _ or -");
    return text;
  }

  function b64(text, size, field) {
    // Check base64url of size bytes that re-encodes to the same text; return the bytes.
    const bytes = B64URL.test(text) ? b64urlDecode(text) : null;
    if (!bytes || bytes.length !== size || b64url(bytes) !== text) {
      throw new WalletError(field, `bukan base64url ${size} bita`, `not base64url of ${size} bytes`);
    }
    return bytes;
  }

  function fields(text, header, count, what) {
    const parts = text.split(".");
    if (parts[0] !== header || parts.length !== count + 1) {
      throw new WalletError(what, `harus '${header}.' dengan ${count} kolom`, `must be '${header}.' with ${count} fields`);
    }
    return parts.slice(1);
  }

  function intentParse(text) {
    // Return {fields, input, hashInput, signature} of TPI1 wire text (strict, like the core).
    const [wallet, merchant, programme, amount, counter, expires, prev, signature] = fields(text, "TPI1", 8, "intent");
    const did = "did:key:" + wallet;
    publicKeyOf(did, "wallet");
    const f = {
      amount: integer(amount, "amount", 1), counter: integer(counter, "counter", 1),
      expires: integer(expires, "expires", 0), merchant: identifier(merchant, "merchant"),
      prev: (b64(prev, 32, "prev"), prev), programme: identifier(programme, "programme"),
      type: "terbuka/payment-intent/1", wallet: did,
    };
    return { fields: f, input: canonical(f), signature: b64(signature, 64, "signature"), text };
  }

  function allowanceParse(text, wallet, programme) {
    // Return {fields, input, signature} of a voucher's TOA1 part (wallet, programme empty).
    const parts = fields(text, "TOA1", 11, "allowance");
    const [owner, plan, amount, count, start, expires, pCap, dCap, cats, regions, signature] = parts;
    if (owner || plan) {
      throw new WalletError("allowance", "kolom dompet dan program harus kosong", "the wallet and programme fields must be empty");
    }
    const list = (t, field) => (t ? t.split(",").map((x) => identifier(x, field)) : []);
    const f = {
      amount: integer(amount, "amount", 1), categories: list(cats, "categories"),
      count: integer(count, "count", 1), day_cap: integer(dCap, "day_cap", 0),
      expires: integer(expires, "expires", 0), payment_cap: integer(pCap, "payment_cap", 0),
      programme, regions: list(regions, "regions"), start: integer(start, "start", 1),
      type: "terbuka/offline-allowance/1", wallet,
    };
    return { fields: f, input: canonical(f), signature: b64(signature, 64, "allowance_signature") };
  }

  function voucherParse(text) {
    // Return {intent, allowance} of a QR payload "<TPI1…>~<TOA1…>"; WalletError naming the field.
    if (typeof text !== "string" || !/^[\x20-\x7e]*$/.test(text) || text.split("~").length !== 2) {
      throw new WalletError("payload", "muatan QR harus '<niat>~<jatah>'", "a QR payload must be '<intent>~<allowance>'");
    }
    const [intentText, allowanceText] = text.split("~");
    const intent = intentParse(intentText);
    return { intent, allowance: allowanceParse(allowanceText, intent.fields.wallet, intent.fields.programme) };
  }

  async function signatureValid(did, signature, input) {
    const key = await crypto.subtle.importKey("raw", publicKeyOf(did, "wallet"), { name: "Ed25519" }, false, ["verify"]);
    return crypto.subtle.verify({ name: "Ed25519" }, key, signature, encoder.encode(input));
  }

  async function hashOf(input) {
    return b64url(await crypto.subtle.digest("SHA-256", encoder.encode(input)));
  }

  async function signaturesCheck(intent, allowance, issuer) {
    // Rules 1–2: both signatures and the counter range (voucher_verify).
    if (!(await signatureValid(intent.fields.wallet, intent.signature, intent.input))) {
      throw new Refused("forged", "signature", "tanda tangan niat tidak sah", "the intent's signature is invalid");
    }
    if (!(await signatureValid(issuer, allowance.signature, allowance.input))) {
      throw new Refused("forged", "allowance_signature", "tanda tangan jatah tidak sah", "the allowance's signature is invalid");
    }
    const a = allowance.fields;
    const counter = intent.fields.counter;
    if (counter < a.start || counter >= a.start + a.count) {
      throw new Refused("outside_allowance", "counter", `nomor urut ${counter} di luar jatah luring`, `counter ${counter} is outside the offline allowance`);
    }
  }

  function purposeCheck(intent, allowance, merchant, now) {
    // Rules 3–4: expiry, then programme, merchant id, category and region.
    const i = intent.fields;
    const a = allowance.fields;
    if (now > i.expires) throw new Refused("expired", "expires", "niat pembayaran sudah kedaluwarsa", "the payment intent has expired");
    if (now > a.expires) throw new Refused("expired", "programme", "saldo program ini sudah kedaluwarsa", "this programme's balance has expired");
    if (!merchant) return;
    if (i.merchant !== merchant.id) {
      throw new Refused("wrong_merchant", "merchant", `niat untuk pedagang ${i.merchant}, bukan ${merchant.id}`, `the intent is for merchant ${i.merchant}, not ${merchant.id}`);
    }
    if (a.categories.length && !a.categories.includes(merchant.category)) {
      throw new Refused("wrong_category", "merchant", `kategori ${merchant.category} tidak diizinkan`, `category ${merchant.category} is not allowed`);
    }
    const region = merchant.region.replace(/\./g, "");
    if (a.regions.length && !a.regions.some((p) => region.startsWith(p.replace(/\./g, "")))) {
      throw new Refused("wrong_region", "merchant", `wilayah ${merchant.region} di luar wilayah program`, `region ${merchant.region} is outside the programme's regions`);
    }
  }

  async function seenCheck(intent, allowance, seen) {
    // Rule 5: replay, double spend (same counter or same prev), the allowance's amount.
    const own = await hashOf(intent.input);
    const a = allowance.fields;
    let spent = 0;
    for (const text of seen) {
      const other = intentParse(text).fields;
      if (other.wallet !== intent.fields.wallet) continue;
      if ((await hashOf(canonical(other))) === own) {
        throw new Refused("replay", "counter", "niat ini sudah diterima", "this intent was already taken");
      }
      if (other.counter === intent.fields.counter || other.prev === intent.fields.prev) {
        throw new Refused("double_spend", "counter", "nomor urut sudah dipakai (belanja ganda)", "the counter was already used (double spend)");
      }
      if (other.counter >= a.start && other.counter < a.start + a.count) spent += other.amount;
    }
    if (spent + intent.fields.amount > a.amount) {
      throw new Refused("allowance_overdrawn", "amount", `melebihi jatah luring Rp ${a.amount}`, `above the offline allowance of Rp ${a.amount}`);
    }
    return own;
  }

  function capCheck(intent, allowance, spentToday) {
    // Rule 6: per-payment cap, then per-day cap.
    const amount = intent.fields.amount;
    const a = allowance.fields;
    if (a.payment_cap && amount > a.payment_cap) {
      throw new Refused("over_payment_cap", "amount", `melebihi batas per pembayaran Rp ${a.payment_cap}`, `above the per-payment cap of Rp ${a.payment_cap}`);
    }
    if (a.day_cap && spentToday + amount > a.day_cap) {
      throw new Refused("over_day_cap", "amount", `melebihi batas harian Rp ${a.day_cap}`, `above the per-day cap of Rp ${a.day_cap}`);
    }
  }

  async function offlineCheck(payload, { issuer, merchant = null, now, seen = [], spentToday = 0 }) {
    // Check a QR payment offline; return {valid: true, hash, intent} or {valid: false, reason,
    // field, message_id, message_en} (reason "format" for a payload that does not parse).
    try {
      const { intent, allowance } = voucherParse(payload);
      await signaturesCheck(intent, allowance, issuer);
      purposeCheck(intent, allowance, merchant, now);
      const hash = await seenCheck(intent, allowance, seen);
      capCheck(intent, allowance, spentToday);
      return { valid: true, hash, intent: intent.fields };
    } catch (error) {
      if (!(error instanceof Refused || error instanceof WalletError)) throw error;
      const reason = error instanceof Refused ? error.reason : "format";
      return { valid: false, reason, field: error.field, message_id: error.message_id, message_en: error.message_en };
    }
  }

  Object.assign(W, { voucherParse, offlineCheck, publicKeyOf });
})();
