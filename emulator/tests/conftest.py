"""EMULATOR CODE (not product code): fixtures that run emulator/launcher.py as a subprocess."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

LAUNCHER = Path(__file__).resolve().parents[1] / "launcher.py"
PROMOTION_SECONDS = 0.5
GLOBAL_FAILOVER_SECONDS = 0.5


class Emulator:
    def __init__(self, process: subprocess.Popen[str], lines: list[str]) -> None:
        self.process = process
        self.ready_line = lines[0]
        self.url = self.ready_line.split(" ", 1)[1]
        self.lines = lines  # READY, CONTROL (with the fault proxy only), DNS
        host, port = lines[-1].split(" ", 1)[1].rsplit(":", 1)
        self.dns_address = (host, int(port))

    def client(self, service: str, region: str) -> Any:
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def reset(self) -> int:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status


def start_emulator(**extra_env: str) -> Emulator:
    env = dict(
        os.environ,
        EMULATOR_PROMOTION_SECONDS=str(PROMOTION_SECONDS),
        EMULATOR_GLOBAL_FAILOVER_SECONDS=str(GLOBAL_FAILOVER_SECONDS),
    )
    env.pop("EMULATOR_CLIENT_REGION", None)  # tests assume the documented default, us-east-1
    env.update(extra_env)
    process = subprocess.Popen(
        [sys.executable, str(LAUNCHER), "--host", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    readable, _, _ = select.select([process.stdout], [], [], 60)
    if not readable:
        process.kill()
        pytest.fail("launcher printed nothing within 60 s")
    line = process.stdout.readline().rstrip("\n")  # type: ignore[union-attr]
    if not line.startswith("EMULATOR_READY "):
        process.kill()
        pytest.fail(f"unexpected first line {line!r}; stderr: {process.stderr.read()}")  # type: ignore[union-attr]
    lines = [line]
    while not lines[-1].startswith("EMULATOR_DNS "):  # printed right after READY (and CONTROL)
        lines.append(process.stdout.readline().rstrip("\n"))  # type: ignore[union-attr]
        if not lines[-1]:
            process.kill()
            pytest.fail(f"no EMULATOR_DNS line after {lines!r}")
    return Emulator(process, lines)


def stop_emulator(emulator: Emulator) -> None:
    if emulator.process.poll() is None:
        emulator.process.terminate()
        emulator.process.wait(timeout=10)


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    started = start_emulator()
    yield started
    stop_emulator(started)


@pytest.fixture()
def fresh(emulator: Emulator) -> Emulator:
    assert emulator.reset() == 200
    return emulator
