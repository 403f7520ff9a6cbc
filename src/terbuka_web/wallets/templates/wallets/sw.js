{% load static %}// Keep the wallet pages and their scripts on this device so they work with no signal: the
// page from the network when there is one (and refreshed in the cache), else from the cache.
"use strict";
const CACHE = "terbuka-dompet-v3";
const SHELL = [
  "{% url 'wallets:citizen' %}",
  "{% url 'wallets:merchant' %}",
  "{% url 'wallets:manifest' %}",
  "{% url 'wallets:merchant_manifest' %}",
  "{% static 'vendor/uswds/terbuka-uswds.css' %}",
  "{% static 'terbuka/site.css' %}",
  "{% static 'terbuka/site.js' %}",
  "{% static 'terbuka/store.js' %}",
  "{% static 'vendor/qrcode-generator/qrcode.js' %}",
  "{% static 'terbuka/wallet-core.js' %}",
  "{% static 'terbuka/wallet-check.js' %}",
  "{% static 'vendor/jsqr/jsQR.js' %}",
  "{% static 'terbuka/qr-scan.js' %}",
  "{% static 'wallets/merchant.js' %}",
  "{% static 'terbuka/tlog-proof.js' %}",
  "{% static 'wallets/citizen.js' %}",
  "{% static 'terbuka/favicon.svg' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !SHELL.includes(new URL(request.url).pathname)) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        const copy = response.clone();
        if (response.ok) caches.open(CACHE).then((cache) => cache.put(request, copy));
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true })),
  );
});
