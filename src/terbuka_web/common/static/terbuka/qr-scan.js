// Read a QR code's text from the camera or from a photo, with no network: the browser's own
// BarcodeDetector where it has one for QR codes, else the vendored jsQR decoder
// (vendor/jsqr, Apache 2.0), on frames scaled down to at most MAX_SIDE pixels.
//   TerbukaScan.camera(video, onText) → Promise of stop(): shows the back camera in video and
//     calls onText(text) once with the first QR code read, then stops the camera;
//   TerbukaScan.photo(file) → Promise of the text of the QR code in an image file, or null.
"use strict";

(() => {
  const MAX_SIDE = 800;
  const EVERY_MS = 250;
  let detector;

  async function nativeDetector() {
    // Return a BarcodeDetector for QR codes, or null where the browser has none.
    if (detector !== undefined) return detector;
    detector = null;
    if ("BarcodeDetector" in self) {
      try {
        if ((await BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
          detector = new BarcodeDetector({ formats: ["qr_code"] });
        }
      } catch (_error) {
        detector = null;
      }
    }
    return detector;
  }

  async function decode(source, width, height) {
    // Return the text of the first QR code in source (a video, image or bitmap), or null.
    const native = await nativeDetector();
    if (native) {
      const codes = await native.detect(source);
      return codes.length ? codes[0].rawValue : null;
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const code = self.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
    return code && code.data ? code.data : null;
  }

  async function camera(video, onText) {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" }, audio: false,
    });
    let timer = null;
    const stop = () => {
      clearTimeout(timer);
      stream.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
      video.hidden = true;
    };
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const tick = async () => {
      if (!video.srcObject) return;
      const text = video.videoWidth ? await decode(video, video.videoWidth, video.videoHeight) : null;
      if (text && video.srcObject) {
        stop();
        onText(text);
        return;
      }
      timer = setTimeout(tick, EVERY_MS);
    };
    tick();
    return stop;
  }

  async function photo(file) {
    const bitmap = await createImageBitmap(file);
    try {
      return await decode(bitmap, bitmap.width, bitmap.height);
    } finally {
      bitmap.close();
    }
  }

  self.TerbukaScan = { camera, photo };
})();
