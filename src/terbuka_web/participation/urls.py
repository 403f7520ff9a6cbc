"""URLs of the participation app, mounted at /lapor/."""

from django.urls import path

from terbuka_web.participation import survey_views, views

app_name = "participation"
urlpatterns = [
    path("", views.home, name="home"),
    path("baru/", views.report_new, name="new"),
    path("lacak/", views.follow, name="follow"),
    path("statistik/", views.statistics, name="statistics"),
    path("kasus/<str:tracking_id>/", views.case_public, name="case"),
    path("survei/", survey_views.visit_survey, name="survey"),
    path("kepuasan/", survey_views.satisfaction, name="satisfaction"),
    path("wilayah/<str:code>/", survey_views.region, name="region"),
    path("kelola/", views.officer_list, name="officer_list"),
    path("kelola/survei/token/", survey_views.visit_tokens, name="visit_tokens"),
    path("kelola/survei/komentar/", survey_views.moderation, name="moderation"),
    path("kelola/survei/komentar/<int:pk>/", survey_views.moderate, name="moderate"),
    path("kelola/<str:tracking_id>/", views.officer_case, name="officer_case"),
    path("kelola/<str:tracking_id>/lampiran/<int:pk>/", views.attachment, name="attachment"),
    path("kelola/<str:tracking_id>/<str:step>/", views.officer_step, name="officer_step"),
]
