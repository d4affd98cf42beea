from django.urls import path

from kryptowelt.markets import views

app_name = "markets"

urlpatterns = [
    path("kurse/", views.market_list, name="list"),
    path("kurse/<str:coin_id>/", views.coin_detail, name="coin"),
]
