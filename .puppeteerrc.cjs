// Pintu drives the system Chromium (CHROMIUM_PATH); never download a browser at install time.
module.exports = { skipDownload: true };
