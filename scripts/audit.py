"""Audit the pinned dependencies with pip-audit and say how many were really audited.

pip-audit looks each pinned package up in an advisory service (PyPI's JSON API by default, OSV with
`--vulnerability-service osv`). Where that service cannot be reached, it skips every package ("not
found on PyPI and could not be audited") yet may still print "No known vulnerabilities found".
This script counts what was audited and fails when that is nothing.

    python scripts/audit.py requirements-test.lock            # make audit: fails unless all audited
    python scripts/audit.py requirements-test.lock --report   # make test: prints the count only
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

WHERE = (
    "run `make audit` where pypi.org (or, with PIP_AUDIT_VULNERABILITY_SERVICE=osv, api.osv.dev) "
    "is reachable, e.g. on a CI runner with internet access"
)


def audit(lock: Path, timeout_s: float = 600) -> tuple[int, int, list[str], str]:
    """(audited, pinned, vulnerabilities as 'name version id', problem) from pip-audit's JSON."""
    exe = shutil.which("pip-audit") or str(Path(sys.executable).with_name("pip-audit"))
    if not Path(exe).exists():
        return 0, 0, [], "pip-audit is not installed (make audit installs it)"
    cmd = [exe, "--require-hashes", "--disable-pip", "--format", "json", "--progress-spinner",
           "off", "-r", str(lock)]  # fmt: skip
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        return 0, 0, [], f"pip-audit did not answer within {timeout_s:.0f} s"
    try:
        deps = json.loads(done.stdout)["dependencies"]
    except (ValueError, KeyError, TypeError):
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return 0, 0, [], f"pip-audit failed: {last}"
    audited = [d for d in deps if "skip_reason" not in d]
    vulns = [f"{d['name']} {d['version']} {v['id']}" for d in audited for v in d.get("vulns", [])]
    return len(audited), len(deps), vulns, ""


def main() -> int:
    """Print one summary line (and each vulnerability); the exit code says whether it passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument("--report", action="store_true", help="print the count, never fail")
    args = parser.parse_args()
    audited, pinned, vulns, problem = audit(args.lock)
    line = (
        f"audit: {audited} of {pinned} pinned packages audited, {len(vulns)} known vulnerabilities"
    )
    print(line + (f" ({problem})" if problem else ""))
    for vuln in vulns:
        print(f"  {vuln}")
    if args.report:
        return 0
    if audited == 0 or audited < pinned:
        what = (
            "nothing was audited" if audited == 0 else f"{pinned - audited} packages were skipped"
        )
        print(f"audit FAILED: {what} (is the advisory service reachable?); {WHERE}")
        return 1
    return 1 if vulns else 0


if __name__ == "__main__":
    sys.exit(main())
