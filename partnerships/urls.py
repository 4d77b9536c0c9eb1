from django.urls import path

from partnerships.views import invitations, partnerships, trajects

app_name = "partnerships"

urlpatterns = [
    # A school's students and a company's overview
    path(
        "organisations/<uuid:organisation_id>/students/",
        trajects.company_overview,
        name="company_overview",
    ),
    path(
        "organisations/<uuid:organisation_id>/students/new/",
        trajects.student_create,
        name="student_create",
    ),
    path(
        "organisations/<uuid:organisation_id>/students/import/",
        trajects.student_import,
        name="student_import",
    ),
    path(
        "organisations/<uuid:organisation_id>/students/import/template.csv",
        trajects.student_import_template,
        name="student_import_template",
    ),
    path(
        "organisations/<uuid:organisation_id>/students/import/<uuid:import_id>/",
        trajects.student_import_detail,
        name="student_import_detail",
    ),
    # Partnerships, team, RACI matrix
    path("partnerships/", partnerships.partnership_list, name="partnership_list"),
    path("partnerships/new/", partnerships.partnership_create, name="partnership_create"),
    path(
        "partnerships/<uuid:partnership_id>/",
        partnerships.partnership_detail,
        name="partnership_detail",
    ),
    path(
        "partnerships/<uuid:partnership_id>/team/add/",
        partnerships.team_member_add,
        name="team_member_add",
    ),
    path(
        "partnerships/<uuid:partnership_id>/team/<int:member_id>/remove/",
        partnerships.team_member_remove,
        name="team_member_remove",
    ),
    path(
        "partnerships/<uuid:partnership_id>/companies/add/",
        partnerships.company_add,
        name="company_add",
    ),
    path("partnerships/<uuid:partnership_id>/raci/", partnerships.raci_matrix, name="raci_matrix"),
    path(
        "partnerships/<uuid:partnership_id>/raci/<slug:task>/<slug:role>/",
        partnerships.raci_cell,
        name="raci_cell",
    ),
    path(
        "partnerships/<uuid:partnership_id>/trajects/new/",
        trajects.traject_create,
        name="traject_create",
    ),
    # Invitations
    path(
        "partnerships/<uuid:partnership_id>/invitations/new/",
        invitations.invitation_create,
        name="invitation_create",
    ),
    path(
        "partnerships/<uuid:partnership_id>/invitations/<uuid:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "partnerships/<uuid:partnership_id>/invitations/<uuid:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    # The e-mailed link of every kind of invitation (team, account).
    path(
        "invitations/<slug:kind>/<str:token>/",
        invitations.invitation_accept,
        name="invitation_accept",
    ),
    # Links mailed before the kinds shared one page; they expire after 14 days.
    path(
        "invitations/<str:token>/",
        invitations.invitation_accept_legacy,
        {"kind": "team"},
        name="invitation_accept_legacy",
    ),
    path(
        "account-invitations/<str:token>/",
        invitations.invitation_accept_legacy,
        {"kind": "account"},
        name="account_invitation_accept_legacy",
    ),
    # Trajects and placements
    path("trajects/", trajects.traject_list, name="traject_list"),
    path("trajects/<uuid:traject_id>/", trajects.traject_detail, name="traject_detail"),
    path("trajects/<uuid:traject_id>/edit/", trajects.traject_edit, name="traject_edit"),
    path(
        "trajects/<uuid:traject_id>/klassenraad/",
        trajects.traject_klassenraad,
        name="traject_klassenraad",
    ),
    path("trajects/<uuid:traject_id>/delete/", trajects.traject_delete, name="traject_delete"),
    path(
        "trajects/<uuid:traject_id>/placements/new/",
        trajects.placement_create,
        name="placement_create",
    ),
    path(
        "trajects/<uuid:traject_id>/placements/<uuid:placement_id>/edit/",
        trajects.placement_edit,
        name="placement_edit",
    ),
    path(
        "trajects/<uuid:traject_id>/placements/<uuid:placement_id>/delete/",
        trajects.placement_delete,
        name="placement_delete",
    ),
]

# Parents and guardians; accounts for students and parents, by invitation (issue 3 follow-up)
from partnerships.views import accounts  # noqa: E402

urlpatterns += [
    path(
        "trajects/<uuid:traject_id>/contacts/add/",
        accounts.student_contact_add,
        name="student_contact_add",
    ),
    path(
        "trajects/<uuid:traject_id>/accounts/student/invite/",
        accounts.student_account_invite,
        name="student_account_invite",
    ),
    path(
        "trajects/<uuid:traject_id>/contacts/<int:contact_id>/invite/",
        accounts.contact_account_invite,
        name="contact_account_invite",
    ),
    path(
        "trajects/<uuid:traject_id>/account-invitations/<uuid:invitation_id>/resend/",
        accounts.account_invitation_resend,
        name="account_invitation_resend",
    ),
    path(
        "trajects/<uuid:traject_id>/account-invitations/<uuid:invitation_id>/revoke/",
        accounts.account_invitation_revoke,
        name="account_invitation_revoke",
    ),
]

from partnerships.views import privacy  # noqa: E402

urlpatterns += privacy.urlpatterns
