"""URLs of the governance app, mounted at /konsorsium/."""

from django.urls import path

from terbuka_web.governance import views
from terbuka_web.governance.feeds import DecisionFeed

app_name = "governance"
urlpatterns = [
    path("", views.consortium, name="home"),
    path("keputusan.atom", DecisionFeed(), name="feed"),
    path("kunci/", views.key_page, name="key"),
    path("usulan/<str:uid>/", views.proposal_detail, name="proposal"),
    path("usulan/<str:uid>/suara/", views.proposal_vote, name="vote"),
    path("usulan/<str:uid>/komentar/", views.proposal_comment, name="comment"),
    path("notula/<int:pk>/", views.minutes_file, name="minutes"),
    path("sengketa/", views.dispute_new, name="dispute_new"),
    path("sengketa/lacak/", views.dispute_track, name="dispute_track"),
    path("kelola/usulan/", views.proposal_new, name="proposal_new"),
    path("kelola/keputusan/<int:pk>/notula/", views.minutes_new, name="minutes_new"),
]
