// A key-value store in this device's IndexedDB, for keys that must never leave it (the
// consortium member's vote key, the citizen's wallet key: WebCrypto keys made non-extractable
// are stored as they are). Loaded before the script that uses it (CSP: no inline script).
"use strict";

self.terbukaStore = (name, store) => {
  // Return stored(mode, act): run act(objectStore) in a transaction of mode on database name's
  // store, resolving with the request's result, e.g. stored("readonly", (s) => s.get("k")).
  function database() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(store);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  return async function stored(mode, act) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const request = act(db.transaction(store, mode).objectStore(store));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  };
};
