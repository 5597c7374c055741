"""EMULATOR CODE (not product code): DynamoDB conditional writes made atomic for moto 5.2.5.

AWS behaviour reproduced, with its source: "Conditional writes ... succeed only
if the item attributes meet one or more expected conditions" and "Conditional
writes are idempotent ... DynamoDB performs the check and the write as one
atomic operation" (Developer Guide, "Condition expressions" and "Conditional
writes"); TransactWriteItems is all-or-nothing and isolated from other writes
(Developer Guide, "Isolation levels for DynamoDB transactions": serializable
between a transaction and a single-item write). Strongly consistent reads
return the result of every write that succeeded before them.

moto 5.2.5 checks a condition and then writes, with no lock between the two.
ThreadedMotoServer serves each request on its own thread, so two concurrent
UpdateItem calls conditioned on the same version could both see the old
version and both succeed: a lost update that DynamoDB never allows. (Seen in
ConcurrentTriggersIT: two runs both took one plan's lease.) One process-wide
lock around every item read and write of the backend serialises them, as AWS
serialises writes to one item. It is coarser than DynamoDB's per-item
serialisation; that costs throughput, never fidelity.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable

from moto.dynamodb.models import DynamoDBBackend

_lock = threading.RLock()
_ITEM_OPERATIONS = ("put_item", "update_item", "delete_item", "transact_write_items", "get_item", "query", "scan")


def _serialised(operation: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(operation)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return operation(*args, **kwargs)

    locked.__dynamodb_fidelity__ = True  # type: ignore[attr-defined]
    return locked


def apply() -> None:
    """Idempotent: wraps each item operation of moto's DynamoDB backend once."""
    for name in _ITEM_OPERATIONS:
        operation = getattr(DynamoDBBackend, name)
        if not getattr(operation, "__dynamodb_fidelity__", False):
            setattr(DynamoDBBackend, name, _serialised(operation))
