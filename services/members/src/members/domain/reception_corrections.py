"""A transfer's reception date [ngày tiếp nhận] corrected by the receiving side, the old date,
who, when and why kept on the transfer. Standard library only."""

from dataclasses import replace
from datetime import date

from members.domain.errors import DomainError, InvalidTransition
from members.domain.transfers import ReceptionCorrection, Transfer, TransferState


def reception_corrected(
    transfer: Transfer,
    received_on: date,
    reason: str,
    by: str,
    today: date,
    subject: str | None = None,
) -> Transfer:
    """The transfer received on `received_on` rather than the date recorded: no earlier than
    its introduction letter, not in the future."""
    if transfer.state is not TransferState.RECEIVED or transfer.received_on is None:
        raise InvalidTransition(
            f"Transfer {transfer.id} is {transfer.state.value}: only a reception recorded can "
            "be corrected.",
            transferId=transfer.id,
            state=transfer.state.value,
        )
    if not reason.strip():
        raise DomainError("A correction needs its reason.", field="reason")
    if received_on == transfer.received_on:
        raise DomainError("The transfer was recorded received on that day.", field="receivedOn")
    if transfer.issued_on is not None and received_on < transfer.issued_on:
        raise DomainError(
            "A transfer is received after its introduction letter was issued.",
            field="receivedOn",
            issuedOn=transfer.issued_on.isoformat(),
        )
    if received_on > today:
        raise DomainError(
            f"receivedOn {received_on.isoformat()} is in the future.", field="receivedOn"
        )
    correction = ReceptionCorrection(
        transfer.received_on, received_on, reason.strip(), by, today, subject
    )
    return replace(
        transfer,
        received_on=received_on,
        reception_corrections=[*transfer.reception_corrections, correction],
        version=transfer.version + 1,
    )
