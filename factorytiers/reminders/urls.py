from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("reminders/preferences/", views.preferences, name="preferences"),
    path("reminders/calendar/renew/", views.renew_calendar, name="renew_calendar"),
    path("reminders/urge/", views.urge, name="urge"),
    path("reminders/campaigns/<int:pk>/", views.campaign_reminders, name="campaign_reminders"),
    # The private calendar feed: no log-in, the token is the key.
    path("calendar/<str:token>.ics", views.calendar, name="calendar"),
]
