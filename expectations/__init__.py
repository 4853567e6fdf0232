"""Data-quality gates: one Great Expectations suite (JSON) per gated table, and the runner that validates a frame.

``expectations/suites/<table>.json`` holds the suites; every expectation carries ``meta.severity``
(``critical`` blocks downstream, ``warning`` is reported only). ``expectations.runner`` loads a suite
(refusing one that GX would silently shrink), validates a pandas frame read from DuckDB, and returns a
``GateResult`` whose ``summary()`` names each failed expectation and the rows it failed on.
"""
