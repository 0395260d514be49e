// Every test of this assembly drives the real Docker daemon (the fast run, scripts/test --fast, leaves them out).
[assembly: Category("Docker")]
