"""deploy/: systemd units verified by systemd-analyze, the cron line, the container set-up, the lock files."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from etl.cli import app
from etl.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
INSTALL_ROOT = "/srv/labourdash"
UNITS = sorted((DEPLOY / "systemd").glob("labourdash-*"))


def _pins(lock: Path) -> dict[str, str]:
    text = lock.read_text()
    return {
        m[1].lower().replace("_", "-"): m[2]
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.M)
    }


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        subprocess.run(
            [str(PROJECT_ROOT / "scripts" / "install-systemd.sh")], check=False, capture_output=True
        )
        found = shutil.which("systemd-analyze")
    if found is None:
        pytest.skip(
            "systemd-analyze is not installed and Debian's systemd package could not be installed here"
        )
    return found


def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = _systemd_analyze()
    assert {u.name for u in UNITS} == {"labourdash-refresh.service", "labourdash-refresh.timer",
                                       "labourdash-dashboard.service"}  # fmt: skip
    # the units name /srv/labourdash; verify them against this checkout, where the binaries exist
    (PROJECT_ROOT / "data").mkdir(exist_ok=True)
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALL_ROOT, str(PROJECT_ROOT)))
    result = subprocess.run([analyze, "verify", *sorted(str(p) for p in tmp_path.iterdir())],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    problems = [
        line for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and "labourdash" in line  # the host's own units may warn; ours must not
    ]  # fmt: skip
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr


def test_units_run_the_cli_with_options_it_has() -> None:
    service = (DEPLOY / "systemd" / "labourdash-refresh.service").read_text()
    assert f"ExecStart={INSTALL_ROOT}/.venv/bin/labourdash refresh --log-json" in service
    assert "Type=oneshot" in service and "SuccessExitStatus=3" in service
    timer = (DEPLOY / "systemd" / "labourdash-refresh.timer").read_text()
    assert "OnCalendar=*-*-* 03:15:00" in timer and "Persistent=true" in timer
    dashboard = (DEPLOY / "systemd" / "labourdash-dashboard.service").read_text()
    assert "labourdash serve --host 127.0.0.1" in dashboard  # localhost only, Caddy in front
    assert "dashboard.serving.wait_ready http://127.0.0.1:8051/_ready" in dashboard


def test_caddyfile_bounds_headers_and_bodies_and_checks_readiness() -> None:
    caddy = (DEPLOY / "caddy" / "Caddyfile").read_text()
    for needed in ("read_header", "read_body", "max_size 256KB", "max_header_size",
                   "health_uri /_ready"):  # fmt: skip
        assert needed in caddy, needed
    from dashboard.ui.hardening import MAX_BODY

    assert MAX_BODY == 256 * 1024
    runner = CliRunner()
    assert "--log-json" in runner.invoke(app, ["refresh", "--help"]).output
    assert "--max-age" in runner.invoke(app, ["status", "--help"]).output


def test_cron_line_is_valid() -> None:
    lines = [ln for ln in (DEPLOY / "cron" / "labourdash.cron").read_text().splitlines()
             if ln.strip() and not ln.startswith("#") and "=" not in ln.split()[0]]  # fmt: skip
    assert len(lines) == 1
    minute, hour, dom, month, dow, user, *command = lines[0].split()
    assert (minute, hour, dom, month, dow, user) == ("15", "3", "*", "*", "*", "labourdash")
    command = " ".join(command)
    assert "labourdash refresh --log-json" in command and "status --max-age 8" in command
    subprocess.run(["sh", "-n", "-c", command], check=True)  # valid shell


def test_dockerfile_installs_the_way_the_readme_does() -> None:
    dockerfile = (DEPLOY / "docker" / "Dockerfile").read_text()
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "RUN make install" in dockerfile and "requirements.lock" in dockerfile
    install = makefile.split("\ninstall:", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes -r requirements.lock" in install and "--no-deps -e ." in install
    assert (
        "make demo" in readme and "demo: install" in makefile
    )  # the README's command installs the same way
    for line in dockerfile.splitlines():
        if line.startswith("COPY"):
            for source in line.split()[1:-1]:
                if not source.startswith("--"):
                    assert (PROJECT_ROOT / source).exists(), f"COPY {source}: no such file"
    base = re.search(r"^FROM python:(\d+\.\d+)", dockerfile, re.M)[1]
    assert f"--python-version {base}" in makefile  # the lock is resolved for the image's Python


def test_compose_runs_dashboard_and_scheduled_refresh_on_one_volume() -> None:
    compose = yaml.safe_load((DEPLOY / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"dashboard", "refresh", "proxy"}
    for name, service in services.items():
        if name == "proxy":
            continue
        assert service["build"]["dockerfile"] == "deploy/docker/Dockerfile", name
        assert "data:/srv/labourdash/data" in service["volumes"], name
        assert service["environment"]["LABOURDASH_DB"].startswith("/srv/labourdash/data/")
    assert (PROJECT_ROOT / services["dashboard"]["build"]["context"].replace("../..", ".")).exists()
    assert services["dashboard"]["command"][:2] == ["labourdash", "serve"]
    assert "0.0.0.0" in services["dashboard"]["command"]  # inside the container, for the proxy
    assert "ports" not in services["dashboard"]  # only the proxy is published
    assert services["proxy"]["ports"] == ["8050:8050"]
    caddy = services["proxy"]["volumes"][0].split(":")[0]
    assert (DEPLOY / "docker" / caddy).resolve() == DEPLOY / "caddy" / "Caddyfile"
    assert "/_ready" in " ".join(services["dashboard"]["healthcheck"]["test"])
    loop = " ".join(services["refresh"]["command"])
    assert "labourdash refresh --log-json" in loop and "sleep" in loop
    subprocess.run(["sh", "-n", "-c", loop.replace("$$", "$")], check=True)
    assert "data" in compose["volumes"]


def test_lock_files_pin_every_dependency_with_hashes() -> None:
    import tomllib

    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    runtime, test = (
        _pins(PROJECT_ROOT / "requirements.lock"),
        _pins(PROJECT_ROOT / "requirements-test.lock"),
    )
    name = lambda spec: re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0].lower().replace("_", "-")  # noqa: E731
    for spec in project["dependencies"]:
        assert name(spec) in runtime, spec
    for spec in project["optional-dependencies"]["test"]:
        assert name(spec) in test, spec
    direct = {name(spec) for spec in project["dependencies"]}
    assert {p: runtime[p] for p in direct} == {p: test[p] for p in direct}  # same versions in both
    for lock in ("requirements.lock", "requirements-test.lock"):
        text = (PROJECT_ROOT / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        assert all("--hash=sha256:" in b for b in blocks if "==" in b), lock
