"""EMULATOR CODE (not product code): moto 5.2.5 server with the project's fidelity patches.

Usage: python emulator/launcher.py [--host 127.0.0.1] [--port 0] [--faults]

Prints first `EMULATOR_READY http://<host>:<port>`, once the server
is listening (`--port 0` picks a free port), then serves until SIGTERM or SIGINT
and exits 0.

With `--faults` (or EMULATOR_FAULTS=1) moto listens on an internal free port and
the fault-injecting proxy of fault_proxy.py (EMULATOR TEST TOOLING) listens on
--host/--port in front of it; READY names the proxy, and a second line
`EMULATOR_CONTROL http://<host>:<port>/_faults` names its control API.

The last line, `EMULATOR_DNS <host>:<udp port>`, names the name server of the
Aurora global writer endpoints (global_endpoint_dns.py), on a free UDP port.
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
import cloudwatch_cbor
import dynamodb_fidelity
import events_fidelity
import fault_proxy
import global_endpoint_dns
import rds_events
import rds_fidelity
import route53_fidelity

TRUE = {"1", "true", "yes", "on"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument(
        "--faults",
        action="store_true",
        default=os.environ.get("EMULATOR_FAULTS", "").strip().lower() in TRUE,
        help="serve through the fault-injecting proxy (test tooling; also EMULATOR_FAULTS=1)",
    )
    args = parser.parse_args()

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request

    rds_fidelity.apply()
    aurora_global.apply()
    global_endpoint_dns.apply()
    rds_events.apply()  # after global_endpoint_dns: its events follow the DNS change
    route53_fidelity.apply()
    dynamodb_fidelity.apply()
    events_fidelity.apply()
    cloudwatch_cbor.apply()
    # AWS allows one PurgeQueue per queue every 60 s (else PurgeQueueInProgress). moto 5.2.1 had no such check;
    # 5.2.5 has it, on unless this setting says false. The product never purges a queue; the test
    # fixtures (tools' Topology.reset and discardNotifications) empty the notification queues between
    # histories seconds apart. So the check is off here unless the caller sets the variable itself.
    os.environ.setdefault("MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR", "false")
    server = ThreadedMotoServer(ip_address=args.host, port=0 if args.faults else args.port, verbose=False)
    server.start()
    aurora_global.start_ticker()  # global failovers and switchovers end on time without an RDS request
    host, port = server.get_host_and_port()
    proxy = None
    if args.faults:
        proxy = fault_proxy.FaultProxy(args.host, args.port, host, port).start()
        host, port = proxy.host, proxy.port  # clients (and URLs moto builds) go through the proxy
    os.environ["MOTO_PORT"] = str(port)  # as moto_server does; moto builds some URLs from it
    print(f"EMULATOR_READY http://{host}:{port}", flush=True)
    if proxy is not None:
        print(f"EMULATOR_CONTROL http://{host}:{port}{fault_proxy.CONTROL_PATH}", flush=True)
    dns = global_endpoint_dns.GlobalEndpointDns(args.host).start()
    print(f"EMULATOR_DNS {dns.host}:{dns.port}", flush=True)

    stop.wait()
    dns.stop()
    if proxy is not None:
        proxy.stop()
    server.stop()


if __name__ == "__main__":
    main()
