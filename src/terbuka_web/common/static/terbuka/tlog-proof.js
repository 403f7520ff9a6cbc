// Check a C2SP tlog-proof receipt in the browser, with no server: the log's Ed25519 signature
// of the checkpoint (C2SP signed-note, the log's verifier key "name+hexid+base64(0x01‖key)"),
// then the RFC 6962 inclusion proof of the entry's bytes up to the checkpoint's root — what
// terbuka.tlog.proof.check_receipt does, without the witnesses' cosignatures.
// Exposes self.TerbukaLog.receiptCheck(receipt, entry, vkey) → Promise of {origin, size, root}.
"use strict";

(() => {
  const encoder = new TextEncoder();
  const fail = (id, en) => new Error(`${id} / ${en}`);

  function b64(text) {
    // Decode standard base64 (with padding) into bytes.
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }

  async function sha256(...parts) {
    const size = parts.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    return new Uint8Array(await crypto.subtle.digest("SHA-256", joined));
  }

  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  function receiptParse(receipt) {
    // Split a receipt into {index, proof: [hash bytes], note}.
    const lines = receipt.split("\n");
    if (lines[0] !== "c2sp.org/tlog-proof@v1") throw fail("bukan tlog-proof", "not a tlog-proof");
    let at = lines[1].startsWith("extra ") ? 2 : 1;
    const index = /^index (0|[1-9][0-9]*)$/.exec(lines[at]);
    if (!index) throw fail("baris indeks salah", "bad index line");
    const proof = [];
    for (at += 1; lines[at] !== ""; at += 1) {
      if (at >= lines.length) throw fail("bukti terpotong", "truncated proof");
      proof.push(b64(lines[at]));
    }
    return { index: Number(index[1]), proof, note: lines.slice(at + 1).join("\n") };
  }

  async function noteOpen(note, vkey) {
    // Verify the log's signature of the note; return its checkpoint {origin, size, root}.
    const vkeyParts = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey); // base64 may hold "+"
    if (!vkeyParts) throw fail("kunci log tidak dikenali", "unrecognised log key");
    const [, name, hexId, key64] = vkeyParts;
    const raw = b64(key64);
    if (raw[0] !== 0x01 || raw.length !== 33) throw fail("kunci log bukan Ed25519", "the log key is not Ed25519");
    const split = note.indexOf("\n\n");
    if (split < 0) throw fail("catatan tanpa tanda tangan", "note without signatures");
    const body = note.slice(0, split + 1);
    const key = await crypto.subtle.importKey("raw", raw.slice(1), { name: "Ed25519" }, false, ["verify"]);
    let signed = false;
    for (const line of note.slice(split + 2).split("\n")) {
      const match = /^— (\S+) (\S+)$/.exec(line);
      if (!match || match[1] !== name) continue;
      const sig = b64(match[2]);
      const id = [...sig.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
      if (id !== hexId || sig.length !== 68) continue;
      signed = await crypto.subtle.verify({ name: "Ed25519" }, key, sig.slice(4), encoder.encode(body));
      if (signed) break;
    }
    if (!signed) throw fail("tanda tangan log tidak sah", "the log's signature does not verify");
    const [origin, size, root] = body.split("\n");
    if (origin !== name) throw fail("asal checkpoint lain", "checkpoint of another log");
    return { origin, size: Number(size), root: b64(root) };
  }

  async function inclusionCheck(proof, size, root, index, leaf) {
    // RFC 9162 §2.1.3.2: recompute the root from the leaf hash and the proof.
    if (index >= size) throw fail("indeks di luar pohon", "index outside the tree");
    let fn = index;
    let sn = size - 1;
    let r = leaf;
    const one = Uint8Array.of(1);
    for (const p of proof) {
      if (sn === 0) throw fail("bukti terlalu panjang", "proof too long");
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(one, p, r);
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      } else {
        r = await sha256(one, r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    if (sn !== 0 || !same(r, root)) throw fail("bukti inklusi tidak cocok", "the inclusion proof does not match");
  }

  async function receiptCheck(receipt, entry, vkey) {
    // Check that entry (the log entry's text) is in the log under the signed checkpoint.
    const { index, proof, note } = receiptParse(receipt);
    const checkpoint = await noteOpen(note, vkey);
    const leaf = await sha256(Uint8Array.of(0), encoder.encode(entry));
    await inclusionCheck(proof, checkpoint.size, checkpoint.root, index, leaf);
    return checkpoint;
  }

  self.TerbukaLog = { receiptCheck };
})();
