// Camera scanning for the check-in page. It only fills the code box and submits the same form a typed code
// uses, so the server checks a scanned code exactly like a typed one. Shown only where a camera can be used;
// the phone's own BarcodeDetector is used when present, jsQR (served from our origin) otherwise.
(() => {
  const box = document.getElementById('scan');
  const form = document.getElementById('code-form');
  const input = document.getElementById('code');
  const video = document.getElementById('scan-video');
  const status = document.getElementById('scan-status');
  const button = document.getElementById('scan-start');
  if (!box || !form || !input || !video || !button) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  box.hidden = false;
  const startLabel = button.textContent;
  let stream = null;
  let detector = null;
  let canvas = null;
  if ('BarcodeDetector' in window) {
    try {
      detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    } catch {
      detector = null;
    }
  }

  const stop = () => {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    video.srcObject = null;
    button.textContent = startLabel;
    status.textContent = '';
  };

  const found = (text) => {
    stop();
    input.value = String(text).trim().slice(0, 200);
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  };

  const readFrame = async () => {
    if (detector) {
      const codes = await detector.detect(video);
      return codes.length > 0 ? codes[0].rawValue : null;
    }
    if (!window.jsQR || !video.videoWidth) return null;
    canvas = canvas || document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
    return code ? code.data : null;
  };

  const tick = async () => {
    if (!stream) return;
    try {
      const text = await readFrame();
      if (text) return found(text);
    } catch {
      // A frame that cannot be read is skipped; the next one may.
    }
    setTimeout(tick, 200);
  };

  button.addEventListener('click', async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      status.textContent = box.dataset.unavailable || '';
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => undefined);
    status.textContent = box.dataset.scanning || '';
    button.textContent = box.dataset.stop || startLabel;
    tick();
  });
})();
