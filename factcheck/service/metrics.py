"""Prometheus text exposition, written by hand.

Three counters and one histogram do not need prometheus-client: its process-global registry
would be shared by every app a test process creates, and the format is a dozen lines of text
(https://prometheus.io/docs/instrumenting/exposition_formats/).
"""
from __future__ import annotations

import threading
from collections import defaultdict

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def _labels(**kv: str) -> str:
    def esc(v: str) -> str:
        return str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return "{" + ",".join(f'{k}="{esc(v)}"' for k, v in kv.items()) + "}"


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[str, list[float]] = {}  # route -> bucket counts + [sum, count]
        self.findings: dict[tuple[str, str], int] = defaultdict(int)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, status)] += 1
            row = self.latency.setdefault(route, [0.0] * (len(BUCKETS) + 2))
            for i, b in enumerate(BUCKETS):
                if seconds <= b:
                    row[i] += 1
            row[-2] += seconds
            row[-1] += 1

    def count_findings(self, findings) -> None:
        with self._lock:
            for f in findings:
                self.findings[(f.rule, f.severity)] += 1

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        out = ["# HELP factcheck_requests_total HTTP requests by method, route and status.",
               "# TYPE factcheck_requests_total counter"]
        with self._lock:
            for (method, route, status), n in sorted(self.requests.items()):
                out.append(f"factcheck_requests_total{_labels(method=method, route=route, status=str(status))} {n}")
            out += ["# HELP factcheck_request_duration_seconds Request latency by route.",
                    "# TYPE factcheck_request_duration_seconds histogram"]
            for route, row in sorted(self.latency.items()):
                for i, b in enumerate(BUCKETS):
                    out.append(f"factcheck_request_duration_seconds_bucket{_labels(route=route, le=repr(b))} "
                               f"{int(row[i])}")
                out.append(f"factcheck_request_duration_seconds_bucket{_labels(route=route, le='+Inf')} "
                           f"{int(row[-1])}")
                out.append(f"factcheck_request_duration_seconds_sum{_labels(route=route)} {row[-2]:.6f}")
                out.append(f"factcheck_request_duration_seconds_count{_labels(route=route)} {int(row[-1])}")
            out += ["# HELP factcheck_findings_total Findings reported, by rule and severity.",
                    "# TYPE factcheck_findings_total counter"]
            for (rule, sev), n in sorted(self.findings.items()):
                out.append(f"factcheck_findings_total{_labels(rule=rule, severity=sev)} {n}")
        for name, (help_, value) in gauges.items():
            out += [f"# HELP {name} {help_}", f"# TYPE {name} gauge", f"{name} {value:g}"]
        return "\n".join(out) + "\n"
