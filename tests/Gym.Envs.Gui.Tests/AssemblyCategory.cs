// Every test of this assembly drives a real X display (the fast run, scripts/test --fast, leaves them out).
[assembly: Category("Xvfb")]
