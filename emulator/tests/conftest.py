"""EMULATOR CODE (not product code): fixtures that run emulator/launcher.py as a subprocess."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.loaders import create_loader

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


def cbor_client(url: str, models: Path, region: str = "us-east-1", config: Config | None = None) -> Any:
    """A CloudWatch client that talks Smithy RPC v2 CBOR, as the AWS SDK for Java does from 2.40.6 on.

    botocore prefers JSON 1.0 for CloudWatch (its model lists smithy-rpc-v2-cbor, json, query); a copy of that
    model listing CBOR alone, put first on the loader's search path under `models`, makes botocore's own CBOR
    serializer and parser do the talking.
    """
    model = create_loader().load_service_model("cloudwatch", "service-2")
    # A copy: botocore may hand every loader the same cached dict, and the other clients must stay as they are.
    model = dict(model, metadata=dict(model["metadata"], protocol="smithy-rpc-v2-cbor", protocols=["smithy-rpc-v2-cbor"]))
    folder = models / "cloudwatch" / model["metadata"]["apiVersion"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "service-2.json").write_text(json.dumps(model))
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, str(models))
    client = boto3.Session(botocore_session=session).client(
        "cloudwatch",
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=config,
    )
    assert client.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
    return client


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
