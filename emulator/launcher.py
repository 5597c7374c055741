"""EMULATOR CODE (not product code): moto 5.2.1 server with the project's fidelity patches.

Usage: python emulator/launcher.py [--host 127.0.0.1] [--port 0]

Prints exactly one line, `EMULATOR_READY http://<host>:<port>`, once the server
is listening (`--port 0` picks a free port), then serves until SIGTERM or SIGINT
and exits 0.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from types import FrameType

from moto.server import ThreadedMotoServer

import aurora_global
import rds_fidelity
import route53_fidelity


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request

    rds_fidelity.apply()
    aurora_global.apply()
    route53_fidelity.apply()
    server = ThreadedMotoServer(ip_address=args.host, port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ["MOTO_PORT"] = str(port)  # as moto_server does; moto builds some URLs from it
    print(f"EMULATOR_READY http://{host}:{port}", flush=True)

    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
