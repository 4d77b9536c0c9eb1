from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("unread/", views.unread_counter, name="unread_counter"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("<uuid:notification_id>/read/", views.notification_read, name="notification_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("reminders/", views.reminder_list, name="reminder_list"),
]
