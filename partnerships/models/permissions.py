"""django-guardian's direct foreign-key permission tables for partnerships and trajects.

Direct foreign keys (not the generic object_pk column) let the database join and cascade:
deleting a traject deletes its grants, and list filters are plain EXISTS subqueries.
Only ``partnerships.permissions`` and ``partnerships.services.grants`` touch these tables; the
unique (user or group, permission, object) index of each table serves the list filters.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from partnerships.models.partnerships import Partnership
from partnerships.models.students import Traject


class PartnershipUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class PartnershipGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Partnership, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class TrajectUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Traject, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class TrajectGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Traject, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
