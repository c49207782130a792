"""Rankings pages (namespace "rankings", included from tracker/web_urls.py)."""

from django.urls import path

from rankings import views

urlpatterns = [
    path("", views.CityRankingView.as_view(), name="city"),
    path("league/", views.LeagueView.as_view(), name="league"),
    path("league/industry/", views.IndustryLeagueView.as_view(), name="industry_league"),
    path("runs/", views.RunsView.as_view(), name="runs"),
    path("runs/<int64:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("publish/", views.PublishView.as_view(), name="publish"),
    path("discard/", views.DiscardRunView.as_view(), name="discard"),
]
