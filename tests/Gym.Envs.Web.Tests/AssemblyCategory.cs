// Every test of this assembly drives a real Chromium (the fast run, scripts/test --fast, leaves them out).
[assembly: Category("Chromium")]
