from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/flyer/", views.flyer_preview, name="flyer_preview"),
    path("children/<int:child_id>/flyer.docx", views.flyer_docx, name="flyer_docx"),
    path("children/<int:child_id>/qr/", views.qr_page, name="qr_page"),
    path("children/<int:child_id>/qr.png", views.qr_png, name="qr_png"),
    path("children/<int:child_id>/qr.svg", views.qr_svg, name="qr_svg"),
]
