from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models.invitations import InvitationBase, InvitationKind
from partnerships.models.students import Student, StudentContact

_OPEN = Q(accepted_at__isnull=True, revoked_at__isnull=True)


class AccountInvitation(InvitationBase):
    """An invitation by e-mail to an account for a student (``contact`` empty) or for one of
    their parents or guardians. Students and parents get no membership of an organisation:
    their account only opens their own traject. The link is single use and expires."""

    kind = InvitationKind.ACCOUNT

    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="account_invitations"
    )
    contact = models.ForeignKey(
        StudentContact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="account_invitations",
    )

    class Meta(InvitationBase.Meta):
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["student"],
                condition=_OPEN & Q(contact__isnull=True),
                name="account_invitation_one_open_per_student",
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=_OPEN & Q(contact__isnull=False),
                name="account_invitation_one_open_per_contact",
            ),
        ]

    @property
    def is_for_parent(self) -> bool:
        return self.contact_id is not None

    @property
    def invitee_name(self) -> str:
        return self.contact.full_name if self.contact_id else self.student.full_name
