"""The built wheel works on its own: installed into a fresh venv, ``hisho-tone check`` runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("hisho_tone-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for data_file in (
        "hisho_tone_server/openapi.json",
        "hisho_tone_server/static/index.html",
        "hisho_tone_server/static/playground.js",
        "hisho_tone_server/static/playground.css",
        "hisho_tone_models/model.json",
    ):
        assert data_file in names, f"{data_file} is missing from the wheel"
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Unpack the wheel (a zip) into the fresh venv; dependencies come from this interpreter's
    # site-packages through a .pth line, so the test needs no network. The repository's editable
    # install is not visible there (editable finders only load from their own site directory).
    subprocess.run([sys.executable, "-m", "zipfile", "-e", str(wheel), site], check=True)
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["HISHO_TONE_CONFIG"] = os.devnull
    code = "import hisho_tone, hisho_tone_server, json, sys; a = hisho_tone.analyze(sys.argv[1]); print(json.dumps({'file': hisho_tone.__file__, 'rec': a.recommendation, 'model': a.model}))"
    out = subprocess.run(
        [py, "-c", code, "例の件、いい感じにお願いします"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["file"].startswith(site), "the wheel's copy must be imported, not the repository"
    assert data["rec"] in ("call", "video")
    cli = subprocess.run(
        [py, "-m", "hisho_tone", "check", "--json", "そうですか。わかりました。"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["reasons"]
